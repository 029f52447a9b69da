package packettest

import (
	"errors"
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/packet"
	"github.com/vpcsim/vpcsim/packet/flowlog"
	"github.com/vpcsim/vpcsim/packet/flowlog/verify"
	"github.com/vpcsim/vpcsim/reach"
)

// TestFlowLogsAgree walks random flows of random networks (the networks of
// TestThreeEnginesAgree) as conversations with flow logs on, and checks the
// records they make against AWS's rules for records and against the model:
//
//   - a flow gives one record per interface, direction and aggregation
//     interval: the packets of one direction of a conversation are never
//     split into an ACCEPT and a REJECT record of one interface (a packet's
//     crossing is one observation, closed by the walk's end, whatever the
//     hops after it decide), and every packet is counted once;
//   - a conversation that fails because a security group or network ACL
//     dropped a packet has exactly one REJECT record, on the interface whose
//     filter decided (Fate.Iface), and a conversation without such a drop
//     has none;
//   - every record is consistent with the model as verify-logs reads it
//     (reach.CheckRecord, by another route than the stepper the walker
//     asks): the walker's logs are what verify-logs accepts.
func TestFlowLogsAgree(t *testing.T) {
	var st flowLogStats
	randomFlows(t, func(e *reach.Engine) func(reach.Query) string {
		ifaces := packet.FlowLogInterfaces(e)
		cl := verify.NewClassifier(e, model.PortRange{})
		return func(q reach.Query) string { return flowLogsAgree(e, ifaces, cl, q, &st) }
	})
	t.Logf("%d conversations, %d packets, %d records (%d REJECT) checked, %d of them not against the model (what a record cannot say), %d in CheckRecord's inbound-ACL gap (asymmetric paths)",
		st.conversations, st.packets, st.records, st.rejects, st.unjudged, st.knownGap)
	if st.conversations < *networks**flows/2 || st.rejects == 0 || st.rejects == st.records {
		t.Errorf("the sample must hold accepted and rejected records: %+v", st)
	}
	// Asymmetric paths are rare in the generated networks: a gap that
	// grows past them is a regression, not the limit.
	if st.knownGap*200 > st.records {
		t.Errorf("%d of %d records in CheckRecord's inbound-ACL gap: more than asymmetric paths explain", st.knownGap, st.records)
	}
}

type flowLogStats struct {
	conversations, packets, records, rejects, unjudged, knownGap int
}

type recordKey struct {
	iface            string
	dir              flowlog.Direction
	src, dst         netip.Addr
	srcPort, dstPort int32
	proto            int32
}

func flowLogsAgree(e *reach.Engine, ifaces []flowlog.Interface, cl *verify.Classifier, q reach.Query, st *flowLogStats) string {
	if q.Protocol == model.ProtocolAll {
		return ""
	}
	if q.Protocol.HasPorts() && q.Port == nil {
		p := model.Port(DefaultPort)
		q.Port = &p
	}
	conv, start, client, server, err := packet.ConversationFor(e, q)
	if err != nil {
		return "" // an end the walker cannot name, as in TestThreeEnginesAgree
	}
	pkts, err := conv.Packets(packet.NewSimClock(time.Unix(1700000000, 0)))
	if err != nil {
		return ""
	}
	var recs []flowlog.Record
	agg, err := flowlog.NewAggregator(flowlog.Config{Interval: flowlog.Interval10m, Version: 5}, ifaces, flowlog.Collect(&recs))
	if err != nil {
		return err.Error()
	}
	w := packet.NewWalker(e, agg, packet.DefaultTimeouts)
	x := packet.Converse(packet.NewReplayer(w, packet.Vantage{}), start, pkts, client, server)
	if err := errors.Join(w.Err(), agg.Flush()); err != nil {
		return err.Error()
	}
	st.conversations++
	st.packets += len(x.Packets)

	// A packet caught in a routing loop crosses the same interfaces again
	// and again until the hop limit: each crossing is counted, as each
	// would be on the wire.
	loops := false
	for _, p := range x.Packets {
		loops = loops || p.Fate.Code == reach.CodeRoutingLoop
	}
	// What a record cannot tell verify-logs (docs/verify.md): which side of
	// a UDP exchange opened it, when the client's port is below the
	// server's (the lower port is taken for the server's), and the ICMP
	// type (records carry none: they are judged as echo messages).
	undecidable := func(r *flowlog.Record) bool {
		switch {
		case conv.Protocol == model.ProtocolUDP:
			// The client's port as the record shows it: a NAT gateway's
			// may be its own.
			return min(r.SrcPort, r.DstPort) != int32(conv.ServerPort)
		case conv.Protocol.IsICMP():
			return conv.ICMPType >= 0
		}
		return false
	}

	// One record per interface, direction and flow.
	seen := map[recordKey]flowlog.Action{}
	var rejects []flowlog.Record
	for i := range recs {
		r := &recs[i]
		st.records++
		k := recordKey{r.InterfaceID, r.FlowDirection, r.PktSrcAddr, r.PktDstAddr, r.SrcPort, r.DstPort, r.Protocol}
		if a, dup := seen[k]; dup {
			return fmt.Sprintf("two records (%v, %v) of one flow on one interface in one interval: %+v", a, r.Action, k)
		}
		seen[k] = r.Action
		if r.Action == flowlog.Reject {
			st.rejects++
			rejects = append(rejects, *r)
		}
		if r.Packets < 1 || int(r.Packets) > len(x.Packets) && !loops {
			return fmt.Sprintf("a record of %d packets from a conversation of %d: %+v", r.Packets, len(x.Packets), k)
		}
		if undecidable(r) {
			st.unjudged++
			continue
		}
		v := cl.Classify(r)
		if inboundACLGap(r, &v, x) {
			st.knownGap++
			continue
		}
		if v.Class != verify.Consistent {
			return fmt.Sprintf("verify-logs finds the walker's record %s/%s: %s %s %s:%d -> %s:%d proto %d %s (model: %+v)",
				v.Class, v.Cause, r.InterfaceID, r.FlowDirection, r.PktSrcAddr, r.SrcPort, r.PktDstAddr, r.DstPort, r.Protocol, r.Action, v.Check)
		}
	}

	// A REJECT record exactly where a filter dropped the failing packet.
	want := int32(-1)
	if x.Failed >= 0 {
		if f := x.Packets[x.Failed].Fate; f.Outcome == packet.Dropped && f.Iface >= 0 {
			want = f.Iface
		}
	}
	switch {
	case want < 0 && len(rejects) > 0:
		return fmt.Sprintf("a REJECT record on %s but no filter dropped a packet (%s)", rejects[0].InterfaceID, x.Code)
	case want >= 0 && (len(rejects) != 1 || rejects[0].InterfaceID != ifaces[want].ID):
		return fmt.Sprintf("a filter of %s dropped the conversation (%s), the REJECT records are %d, first on %v", ifaces[want].ID, x.Code, len(rejects), firstID(rejects))
	}
	return ""
}

// inboundACLGap reports the one disagreement left between the walker and
// verify-logs, a limit of reach.CheckRecord (docs/semantics.md, LOG-1): a
// record does not say which way its packets came in, so CheckRecord decides
// whether an inbound record crossed its subnet's network ACL from the
// subnet's route back to the remote. Where the way in is not the way back —
// the internet reaching a public address of a subnet that routes the
// internet to a NAT gateway of its own, a peer reaching a subnet that
// routes it to a transit gateway attachment of its own, or the other way
// round — that decision is the return path's, not the packets'. The test
// accepts exactly that disagreement: an inbound record, judged against the
// ACL (accept-denied/network-acl: the walker's packet was delivered past
// it) or dropped by it (reject-allowed while CheckRecord applied none), and
// the outbound record of its reply, which CheckRecord takes for a reply
// only if that ACL let the request in.
func inboundACLGap(r *flowlog.Record, v *verify.Verdict, x packet.Exchange) bool {
	if r.FlowDirection == flowlog.Egress {
		// The reply of such a record: judged a reply only if the inbound
		// ACL let its request in.
		c := &v.Check
		return v.Class == verify.AcceptDenied && c.ReverseACL.Applies && c.ReverseACL.Deny && c.ReverseSG.Allow
	}
	switch v.Class {
	case verify.AcceptDenied:
		return v.Cause == verify.CauseNetworkACL
	case verify.RejectAllowed:
		if v.Check.ACL.Applies || x.Failed < 0 {
			return false
		}
		f := x.Packets[x.Failed].Fate
		return f.Code == reach.CodeSubnetACLRestriction && f.Iface == v.Iface
	}
	return false
}

func firstID(rs []flowlog.Record) string {
	if len(rs) == 0 {
		return "none"
	}
	return rs[0].InterfaceID
}
