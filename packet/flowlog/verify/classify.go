package verify

import (
	"net/netip"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/packet/flowlog"
	"github.com/vpcsim/vpcsim/reach"
)

// Class is what a record is, held against the model.
type Class uint8

// Classes. The zero value is invalid.
const (
	// Consistent: the model decides the record's packets as AWS did.
	Consistent Class = iota + 1
	// AcceptDenied: AWS accepted packets the model denies at the
	// interface: drift (a rule opened outside Terraform), or a path the
	// model lacks. Cause names what the model says should have stopped
	// them.
	AcceptDenied
	// RejectAllowed: AWS rejected packets the model allows: a security
	// group or network ACL changed outside Terraform (CauseDrift), or the
	// reply of a connection the model admits, to a client port outside the
	// ephemeral range the model assumes (CauseEphemeral).
	RejectAllowed
	// UnknownInterface: the model has no interface the record's names.
	UnknownInterface
	// Undetermined: the record cannot be held against the model: its
	// direction cannot be told (no flow-direction field, and neither
	// address is the interface's), or it lacks addresses or protocol.
	Undetermined
	// NoData: a NODATA record (no traffic on the interface in the
	// interval).
	NoData
	// SkipData: a SKIPDATA record (AWS skipped records in the interval:
	// what they held is not verified).
	SkipData
)

var classNames = [...]string{"invalid", "consistent", "accept-denied", "reject-allowed", "unknown-interface", "undetermined", "nodata", "skipdata"}

func (c Class) String() string {
	if int(c) >= len(classNames) {
		return "invalid"
	}
	return classNames[c]
}

// MarshalText implements encoding.TextMarshaler.
func (c Class) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// Inconsistent reports whether c is a disagreement between the logs and the
// model (exit code 3).
func (c Class) Inconsistent() bool {
	return c == AcceptDenied || c == RejectAllowed || c == UnknownInterface
}

// Cause says why a record is inconsistent.
type Cause uint8

// Causes.
const (
	CauseNone Cause = iota
	// CauseNetworkACL: the network ACL rule Rule denies the packets.
	CauseNetworkACL
	// CauseSecurityGroup: no rule of the interface's security groups
	// admits them, as a new connection nor as a reply.
	CauseSecurityGroup
	// CauseDrift: the model's rules (Rule, and the security group rule)
	// allow what AWS rejected.
	CauseDrift
	// CauseEphemeral: the packets answer a connection the model admits,
	// to a client port outside the assumed ephemeral range, and the
	// network ACL rule Rule denies them.
	CauseEphemeral
)

var causeNames = [...]string{"", "network-acl", "security-group", "drift", "ephemeral-port"}

func (c Cause) String() string { return causeNames[c] }

// MarshalText implements encoding.TextMarshaler.
func (c Cause) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// Verdict is the classification of one record.
type Verdict struct {
	Class Class
	Cause Cause
	// Iface is the record's interface in the engine's numbering (-1 when
	// the model lacks it); Direction the record's, as read or inferred.
	Iface     int32
	Direction model.Direction
	// Header is the packet header the record stands for (pkt-srcaddr and
	// pkt-dstaddr when the record has them).
	Header reach.Header
	// Check is the model's decision (for records held against it).
	Check reach.RecordCheck
	// Rule is the rule that decides the finding: the network ACL rule
	// that should have stopped an accepted record, or that allows a
	// rejected one; -1 when none (security groups deny by no rule).
	Rule int32
}

// Classifier classifies records against one engine. It caches how the
// logs' interface IDs resolve; it is not safe for concurrent use.
type Classifier struct {
	e         *reach.Engine
	ephemeral model.PortRange
	ifaces    map[string]int32
	// recent are interfaces resolved lately, by a hash of their ID's last
	// two bytes: the records of a few interfaces interleave.
	recent [64]struct {
		id    string
		iface int32
	}
	// unknownID are the interfaces whose IDs the model does not know
	// (configurations, plans): logs name them by address.
	unknownID map[int32]bool
}

// NewClassifier returns a classifier for e, assuming clients use ports in
// ephemeral (model.DefaultEphemeral when zero).
func NewClassifier(e *reach.Engine, ephemeral model.PortRange) *Classifier {
	if ephemeral == (model.PortRange{}) || !ephemeral.Valid() {
		ephemeral = model.DefaultEphemeral
	}
	c := &Classifier{e: e, ephemeral: ephemeral, ifaces: map[string]int32{}, unknownID: map[int32]bool{}}
	for _, x := range e.Network().Interfaces {
		if x.IsUnknown("id") {
			if id, ok := e.InterfaceByID(x.ID); ok {
				c.unknownID[id] = true
			}
		}
	}
	return c
}

// Engine returns the engine records are held against.
func (c *Classifier) Engine() *reach.Engine { return c.e }

// iface resolves a record's interface: by ID; a transit gateway
// attachment's (whose IDs the model does not hold) by its subnet when the
// record says it has no instance; an interface whose ID the model does not
// know by the address the record shows for it.
func (c *Classifier) iface(r *flowlog.Record) int32 {
	h := 0
	if n := len(r.InterfaceID); n >= 2 {
		h = (int(r.InterfaceID[n-1]) + 7*int(r.InterfaceID[n-2])) & 63
	}
	last := &c.recent[h]
	if r.InterfaceID == last.id && last.id != "" {
		return last.iface
	}
	if id, ok := c.ifaces[r.InterfaceID]; ok {
		last.id, last.iface = r.InterfaceID, id
		return id
	}
	id := int32(-1)
	if x, ok := c.e.InterfaceByID(r.InterfaceID); ok {
		id = x
	} else if r.InstanceID == "" && r.SubnetID != "" && r.InterfaceID != "" {
		if x, ok := c.e.AttachmentInterface(r.SubnetID); ok && r.PktSrcAddr.IsValid() {
			id = x
		}
	}
	if id < 0 && len(c.unknownID) > 0 {
		for _, a := range []netip.Addr{r.SrcAddr, r.DstAddr} {
			if x, ok := c.e.InterfaceByAddress(a); ok && c.unknownID[x] {
				id = x
				break
			}
		}
	}
	if r.InterfaceID != "" && len(c.ifaces) < 1<<20 {
		c.ifaces[r.InterfaceID] = id
	}
	return id
}

// direction reads the record's direction, or infers it: an intermediate
// interface (NAT gateway, transit gateway attachment) shows its own address
// in srcaddr when the packet leaves it and in dstaddr when it enters, where
// pkt-srcaddr and pkt-dstaddr show the packet's; any interface shows its
// own address on its side.
func (c *Classifier) direction(id int32, r *flowlog.Record) model.Direction {
	switch r.FlowDirection {
	case flowlog.Ingress:
		return model.Ingress
	case flowlog.Egress:
		return model.Egress
	}
	srcOwn, dstOwn := c.e.Owns(id, r.SrcAddr), c.e.Owns(id, r.DstAddr)
	switch {
	case r.PktSrcAddr.IsValid() && r.SrcAddr != r.PktSrcAddr && !dstOwn:
		return model.Egress
	case r.PktDstAddr.IsValid() && r.DstAddr != r.PktDstAddr && !srcOwn:
		return model.Ingress
	case srcOwn && !dstOwn:
		return model.Egress
	case dstOwn && !srcOwn:
		return model.Ingress
	}
	return 0
}

// Classify holds one record against the model.
func (c *Classifier) Classify(r *flowlog.Record) Verdict {
	var v Verdict
	c.classify(r, &v)
	return v
}

// classify is Classify into *v, which a Verifier keeps: a Verdict is a few
// hundred bytes, and copying it out twice a record showed in profiles.
func (c *Classifier) classify(r *flowlog.Record, v *Verdict) {
	*v = Verdict{Iface: -1, Rule: -1}
	switch r.LogStatus {
	case flowlog.StatusNoData:
		v.Class = NoData
		v.Iface = c.iface(r)
		return
	case flowlog.StatusSkipData:
		v.Class = SkipData
		v.Iface = c.iface(r)
		return
	}
	if v.Iface = c.iface(r); v.Iface < 0 {
		v.Class = UnknownInterface
		return
	}
	src, dst := r.SrcAddr, r.DstAddr
	if r.PktSrcAddr.IsValid() {
		src = r.PktSrcAddr
	}
	if r.PktDstAddr.IsValid() {
		dst = r.PktDstAddr
	}
	v.Direction = c.direction(v.Iface, r)
	if !src.IsValid() || !dst.IsValid() || r.Protocol < 0 || r.Protocol > 255 || v.Direction == 0 || (r.Action != flowlog.Accept && r.Action != flowlog.Reject) {
		v.Class = Undetermined
		return
	}
	h := reach.Header{Src: src, Dst: dst, Proto: uint8(r.Protocol)}
	if r.SrcPort > 0 && r.SrcPort <= 65535 {
		h.SrcPort = uint16(r.SrcPort)
	}
	if r.DstPort > 0 && r.DstPort <= 65535 {
		h.DstPort = uint16(r.DstPort)
	}
	v.Header = h
	role := reach.RoleUnknown
	if h.Proto == 6 && r.TCPFlags >= 0 {
		switch {
		case r.TCPFlags&18 == 18:
			role = reach.RoleAnswers
		case r.TCPFlags&2 != 0:
			role = reach.RoleOpens
		}
	}
	// Without flags that say, the lower port is taken for the server's.
	if role == reach.RoleUnknown && (h.Proto == 6 || h.Proto == 17) && h.SrcPort != h.DstPort {
		role = reach.RoleAnswers
		if h.DstPort < h.SrcPort {
			role = reach.RoleOpens
		}
	}
	var ok bool
	if v.Check, ok = c.e.CheckRecord(v.Iface, v.Direction, h, role); !ok {
		v.Class = UnknownInterface
		return
	}
	rc := &v.Check
	v.Class = Consistent
	switch r.Action {
	case flowlog.Accept:
		if rc.Accept {
			return
		}
		v.Class = AcceptDenied
		if !rc.ACL.Allow {
			v.Cause, v.Rule = CauseNetworkACL, rc.ACL.DenyRule
		} else {
			v.Cause = CauseSecurityGroup
		}
	case flowlog.Reject:
		if !rc.Reject {
			v.Class, v.Cause, v.Rule = RejectAllowed, CauseDrift, rc.ACL.AllowRule
			return
		}
		if role == reach.RoleAnswers && rc.Answers && rc.ACL.Deny && (h.Proto == 6 || h.Proto == 17) && !c.ephemeral.Contains(h.DstPort) {
			v.Class, v.Cause, v.Rule = RejectAllowed, CauseEphemeral, rc.ACL.DenyRule
		}
	}
}
