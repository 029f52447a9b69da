package verify

import (
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/packet/flowlog"
	"github.com/vpcsim/vpcsim/packet/flowlog/verify/verifytest"
	"github.com/vpcsim/vpcsim/reach"
)

// shop is a three-tier network: web in a public subnet behind an internet
// gateway and a network ACL, app and db in private subnets that reach the
// internet through a NAT gateway.
func shop() *verifytest.Net {
	n := newNet()
	n.VPC("vpc-1", "10.0.0.0/16")
	n.Subnet("subnet-pub", "vpc-1", "us-east-1a", "10.0.1.0/24")
	n.Subnet("subnet-app", "vpc-1", "us-east-1a", "10.0.2.0/24")
	n.Subnet("subnet-db", "vpc-1", "us-east-1a", "10.0.3.0/24")
	n.IGW("igw-1", "vpc-1")
	n.RT("rtb-pub", "vpc-1", []string{"subnet-pub"}, "0.0.0.0/0 igw-1")
	n.RT("rtb-priv", "vpc-1", []string{"subnet-app", "subnet-db"}, "0.0.0.0/0 nat-1")
	n.NAT("nat-1", "eni-nat", "subnet-pub", "10.0.1.5", "54.0.0.5")
	n.SG("sg-web", "vpc-1", []string{"tcp 443 0.0.0.0/0", "tcp 80 0.0.0.0/0", "tcp 22 198.51.100.0/24"}, []string{"all - 0.0.0.0/0"})
	n.SG("sg-app", "vpc-1", []string{"tcp 8080 10.0.1.0/24", "tcp 22 10.0.1.0/24"}, []string{"all - 0.0.0.0/0"})
	n.SG("sg-db", "vpc-1", []string{"tcp 5432 10.0.2.0/24"}, nil)
	n.ACL("acl-pub", "vpc-1", []string{"subnet-pub"},
		[]string{"100 allow tcp 443 0.0.0.0/0", "110 allow tcp 80 0.0.0.0/0", "120 allow tcp 22 198.51.100.0/24", "130 allow tcp 1024-65535 0.0.0.0/0", "140 allow all - 10.0.0.0/16"},
		[]string{"100 allow all - 0.0.0.0/0"})
	n.ENI("eni-web", "subnet-pub", []string{"sg-web"}, "54.0.0.10", "10.0.1.10")
	n.ENI("eni-app", "subnet-app", []string{"sg-app"}, "", "10.0.2.10")
	n.ENI("eni-db", "subnet-db", []string{"sg-db"}, "", "10.0.3.10")
	return n
}

// shopTraffic synthesises n connections, allowed and denied, through shop.
func shopTraffic(t testing.TB, e *reach.Engine, n int, seed uint64) []flowlog.Record {
	s := verifytest.New(e, seed)
	rnd := rand.New(rand.NewPCG(seed, 2))
	type flow struct {
		from string
		dst  string
		port []uint16
	}
	flows := []flow{
		{"203.0.113.7", "54.0.0.10", []uint16{443, 80, 22, 3389}},
		{"198.51.100.9", "54.0.0.10", []uint16{22, 443}},
		{"192.0.2.33", "54.0.0.10", []uint16{80, 8080}},
		{"eni-web", "10.0.2.10", []uint16{8080, 22, 5432}},
		{"eni-app", "10.0.3.10", []uint16{5432, 22}},
		{"eni-app", "8.8.8.8", []uint16{443, 53}},
		{"eni-db", "8.8.8.8", []uint16{443}},
	}
	for i := 0; i < n; i++ {
		f := flows[rnd.IntN(len(flows))]
		own := map[string]string{"eni-web": "10.0.1.10", "eni-app": "10.0.2.10", "eni-db": "10.0.3.10"}[f.from]
		src, err := netip.ParseAddr(own)
		if err != nil {
			src = netip.MustParseAddr(f.from)
		}
		h := reach.Header{Src: src, Dst: netip.MustParseAddr(f.dst), Proto: 6, SrcPort: uint16(32768 + rnd.IntN(28000)), DstPort: f.port[rnd.IntN(len(f.port))]}
		if err := s.Connect(f.from, h); err != nil {
			t.Fatal(err)
		}
	}
	return s.Records
}

// TestSynthesisedLogsConsistent: logs synthesised from walks through a
// model verify as entirely consistent against it, and every interface's
// records are used by some rule.
func TestSynthesisedLogsConsistent(t *testing.T) {
	e := engine(t, shop())
	recs := shopTraffic(t, e, 3000, 1)
	v := New(e, Options{})
	accepts, rejects := 0, 0
	for i := range recs {
		vd, _ := v.Add("synth", i+1, &recs[i])
		if vd.Class != Consistent {
			t.Fatalf("record %d %s: %s/%s", i+1, recs[i].String(), vd.Class, vd.Cause)
		}
		if recs[i].Action == flowlog.Accept {
			accepts++
		} else {
			rejects++
		}
	}
	res := v.Result()
	if res.Records.Consistent != int64(len(recs)) || accepts < 1000 || rejects < 100 {
		t.Errorf("%+v; %d accepted, %d rejected", res.Records, accepts, rejects)
	}
	// SSH to web from 198.51.100.0/24 is used; a rule no traffic matches
	// is listed unused with what it would admit.
	used := map[string]bool{}
	for _, u := range res.Rules {
		used[u.Rule.Owner.ID+" "+u.Rule.Text] = u.Used
	}
	if !used["sg-web ingress allow tcp 22 from 198.51.100.0/24"] || !used["sg-db ingress allow tcp 5432 from 10.0.2.0/24"] {
		t.Errorf("rules used: %v", used)
	}
}

// TestSynthesisedLogsAgainstDrift: the same logs against a model with one
// security group rule removed and one network ACL rule added report
// exactly the records the change affects — as an independent, brute-force
// reading of the two models' rules says.
func TestSynthesisedLogsAgainstDrift(t *testing.T) {
	before := shop()
	e := engine(t, before)
	recs := shopTraffic(t, e, 3000, 2)
	after := shop()
	web := after.SecurityGroups[0]
	web.Ingress = slices.Delete(web.Ingress, 1, 2) // tcp 80 from anywhere
	after.ACL("acl-unused", "vpc-1", nil, nil, nil)
	pub := after.NetworkACLs[0]
	pub.Ingress = append(pub.Ingress, model.ACLRule{Number: 90, Direction: model.Ingress, Action: model.Deny, Protocol: model.ProtocolTCP,
		Ports: model.PortRange{First: 443, Last: 443}, ICMP: model.AnyICMP, CIDR: netip.MustParsePrefix("203.0.113.0/24")})
	e2 := engine(t, after)
	v := New(e2, Options{})
	var got []int
	for i := range recs {
		vd, _ := v.Add("synth", i+1, &recs[i])
		switch vd.Class {
		case Consistent:
		case AcceptDenied:
			got = append(got, i)
		default:
			t.Fatalf("record %d %s: %s/%s", i+1, recs[i].String(), vd.Class, vd.Cause)
		}
	}
	var want []int
	for i := range recs {
		if oracleAccepts(before.Network, &recs[i]) && !oracleAccepts(after.Network, &recs[i]) {
			want = append(want, i)
		}
	}
	if len(want) < 50 {
		t.Fatalf("the change affects only %d records: the test needs more", len(want))
	}
	if !slices.Equal(got, want) {
		t.Errorf("%d records reported, %d affected; first differences: %v / %v", len(got), len(want), got[:min(5, len(got))], want[:min(5, len(want))])
	}
	res := v.Result()
	if res.Records.AcceptDenied != int64(len(want)) || len(res.Findings) == 0 {
		t.Errorf("%+v, %d findings", res.Records, len(res.Findings))
	}
}

// oracleAccepts decides, by brute force on the model's rules, whether the
// model admits an accepted record's packets at its interface: the subnet's
// network ACL (first matching rule by number; none for a remote end in the
// same subnet) must allow them, and a security group rule must admit them,
// or — unless a SYN opens them — admit the reverse packets the other way.
func oracleAccepts(n *model.Network, r *flowlog.Record) bool {
	var x *model.NetworkInterface
	for _, i := range n.Interfaces {
		if i.ID == r.InterfaceID {
			x = i
		}
	}
	dir := model.Ingress
	if r.FlowDirection == flowlog.Egress {
		dir = model.Egress
	}
	h := reach.Header{Src: r.PktSrcAddr, Dst: r.PktDstAddr, Proto: uint8(r.Protocol), SrcPort: uint16(r.SrcPort), DstPort: uint16(r.DstPort)}
	rev := reach.Header{Src: h.Dst, Dst: h.Src, Proto: h.Proto, SrcPort: h.DstPort, DstPort: h.SrcPort}
	other := model.Egress
	if dir == model.Egress {
		other = model.Ingress
	}
	newOK := oracleACL(n, x, dir, h) && oracleSG(n, x, dir, h)
	opens := r.TCPFlags&18 == 2 || r.TCPFlags < 0 && h.DstPort < h.SrcPort
	replyOK := !opens && oracleACL(n, x, dir, h) && oracleACL(n, x, other, rev) && oracleSG(n, x, other, rev)
	return newOK || replyOK
}

func oracleSG(n *model.Network, x *model.NetworkInterface, d model.Direction, h reach.Header) bool {
	if len(x.SecurityGroupIDs) == 0 {
		return true
	}
	for _, g := range n.SecurityGroups {
		if !slices.Contains(x.SecurityGroupIDs, g.ID) {
			continue
		}
		rules := g.Ingress
		remote := h.Src
		if d == model.Egress {
			rules, remote = g.Egress, h.Dst
		}
		for _, r := range rules {
			if r.Peer.Kind == model.PeerCIDR && r.Peer.CIDR.Contains(remote) && oracleProto(r.Protocol, r.Ports, h) {
				return true
			}
		}
	}
	return false
}

func oracleACL(n *model.Network, x *model.NetworkInterface, d model.Direction, h reach.Header) bool {
	var sub *model.Subnet
	for _, s := range n.Subnets {
		if s.ID == x.SubnetID {
			sub = s
		}
	}
	remote := h.Src
	if d == model.Egress {
		remote = h.Dst
	}
	if sub.CIDR.Contains(remote) {
		return true
	}
	for _, a := range n.NetworkACLs {
		for _, as := range a.Associations {
			if as.SubnetID != sub.ID {
				continue
			}
			rules := slices.Clone(a.Ingress)
			if d == model.Egress {
				rules = slices.Clone(a.Egress)
			}
			slices.SortStableFunc(rules, func(p, q model.ACLRule) int { return p.Number - q.Number })
			for _, r := range rules {
				if r.CIDR.Contains(remote) && oracleProto(r.Protocol, r.Ports, h) {
					return r.Action == model.Allow
				}
			}
			return false
		}
	}
	return true // the default ACL (allows everything)
}

func oracleProto(p model.Protocol, ports model.PortRange, h reach.Header) bool {
	if p == model.ProtocolAll {
		return true
	}
	num, _ := p.Number()
	if num != h.Proto {
		return false
	}
	return !p.HasPorts() || ports.Contains(h.DstPort)
}
