// Flow-log records (docs/semantics.md, "Flow-log records"): what the model
// decides at one network interface, in one direction, for the packets one
// VPC Flow Log record stands for, and the same decision as exact header sets
// for engines that join them with logs. Nothing here is a rule of its own:
// the filters are the ones the walks cross (the edges' compiled programs),
// and which of them a packet meets at an interface is read from the graph.

package reach

import (
	"net/netip"
	"slices"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach/hset"
)

// logIface is what decides at one interface a flow log can name.
type logIface struct {
	// sgIn and sgOut are the interface's security groups; nil when none
	// filters its traffic (NAT gateways, transit gateway attachments).
	sgIn, sgOut *filter
	// sn is the subnet the interface sends into: the subnet's routing
	// decides whether a packet leaving it crosses the subnet's outbound
	// network ACL (see leaveFilters).
	sn *node
	// aclIn is the subnet's inbound network ACL, which a packet entering
	// the interface crosses when it crosses the subnet's boundary.
	aclIn []filter
	// att marks a transit gateway attachment's interface: every packet
	// entering the gateway through it crosses aclIn (TGW-7).
	att bool
	// addrs are the interface's own addresses (none known for attachments).
	addrs []netip.Addr
	// nlbOut is, for a target of a Network Load Balancer that preserves
	// client addresses, its subnet's outbound network ACL: the reply to a
	// client it has no route to goes back through the load balancer's node
	// (LB-5), across the subnet's boundary.
	nlbOut *filter
}

// indexLogInterfaces records, for every interface flow logs can name, the
// filters of the edges that lead into and out of it. New calls it once the
// graph is built.
func (e *Engine) indexLogInterfaces() {
	e.logIfaces = make([]logIface, len(e.ifaces))
	e.ifaceByID = map[string]int32{}
	e.ifaceByAddr = map[netip.Addr]int32{}
	vpcIn := map[*node][]filter{}
	for _, n := range e.nodes {
		if n.kind != nodeVPC {
			continue
		}
		for _, ed := range n.out {
			if ed.to.kind == nodeSubnet {
				vpcIn[ed.to] = ed.enter
			}
		}
	}
	for _, x := range e.net.Interfaces {
		en := e.eni[x.ID]
		if en == nil || en.send == nil {
			continue
		}
		li := &e.logIfaces[en.iid]
		li.sn = en.send.to
		li.aclIn = vpcIn[li.sn]
		li.addrs = slices.Concat(x.PrivateIPs, x.IPv6Addrs)
		for i := range en.send.leave {
			if en.send.leave[i].kind == filterSG {
				li.sgOut = &en.send.leave[i]
			}
		}
		for _, ed := range li.sn.out {
			if ed.kind == edgeDeliver && (ed.to == en || x.OwnerKind == model.OwnerNATGateway && ed.to.iface == en) {
				for i := range ed.enter {
					if ed.enter[i].kind == filterSG {
						li.sgIn = &ed.enter[i]
					}
				}
			}
		}
		if len(en.returns) > 0 && en.subnet != nil {
			if fs := e.subnetFilter(en.subnet, model.Egress); len(fs) > 0 {
				li.nlbOut = &fs[0]
			}
		}
		e.ifaceByID[x.ID] = en.iid
		for _, a := range li.addrs {
			if prev, ok := e.ifaceByAddr[a]; ok && prev != en.iid {
				e.ifaceByAddr[a] = -1 // two VPCs use the address: ambiguous
			} else {
				e.ifaceByAddr[a] = en.iid
			}
		}
	}
	// Transit gateway attachments' interfaces: the edges that carry their
	// crossings.
	for _, n := range e.nodes {
		for _, ed := range n.out {
			for _, c := range ed.crossings {
				if c.Interface == nil || c.Interface.Kind != "transit-gateway-attachment" {
					continue
				}
				li := &e.logIfaces[c.ID]
				li.att = true
				switch c.Direction {
				case model.Ingress:
					li.aclIn = ed.enter
				case model.Egress:
					li.sn = ed.to
				}
			}
		}
	}
}

// InterfaceByID returns the number of the interface (see Crossing) whose
// AWS ID is id (eni-…), as a flow log's interface-id names it.
func (e *Engine) InterfaceByID(id string) (int32, bool) {
	n, ok := e.ifaceByID[id]
	return n, ok
}

// InterfaceByAddress returns the number of the interface that owns the
// private or IPv6 address a, when exactly one does (overlapping VPCs may
// reuse an address).
func (e *Engine) InterfaceByAddress(a netip.Addr) (int32, bool) {
	n, ok := e.ifaceByAddr[a.Unmap()]
	return n, ok && n >= 0
}

// AttachmentInterface returns the number of the interface a transit gateway
// attachment has in subnet subnetID: the input does not give these
// interfaces' IDs, so a flow log record names them by its subnet-id.
func (e *Engine) AttachmentInterface(subnetID string) (int32, bool) {
	for i := range e.ifaces {
		c := &e.ifaces[i]
		if c.Interface != nil && c.Interface.Kind == "transit-gateway-attachment" && c.Subnet != nil && c.Subnet.ID == subnetID {
			return c.ID, true
		}
	}
	return 0, false
}

// Owns reports whether a is one of the addresses of interface iface: a
// record's srcaddr when it leaves the interface, its dstaddr when it enters.
func (e *Engine) Owns(iface int32, a netip.Addr) bool {
	if iface < 0 || int(iface) >= len(e.logIfaces) {
		return false
	}
	return slices.Contains(e.logIfaces[iface].addrs, a.Unmap())
}

// Rules returns how many rules and routes Engine.Rule numbers.
func (e *Engine) Rules() int { return len(e.rules) }

// leaveFilters are the filters a packet leaving subnet sn for the
// destination of pt crosses as it leaves: none when the subnet delivers it
// itself or has no route for it, else those of the edge its route takes —
// the subnet's outbound network ACL, except toward a NAT gateway in the
// subnet (what subnetElement.step and stepper.route do). routed is false
// when the destination is outside the subnet and no route takes it there;
// ownAttachment is set when the route enters a transit gateway through an
// attachment interface in sn itself.
func leaveFilters(sn *node, pt *hset.Box) (fs []filter, routed, ownAttachment bool) {
	if sn == nil || sn.kind != nodeSubnet || sn.own.ContainsPoint(*pt) {
		return nil, true, false
	}
	if sn.routes == nil {
		return nil, false, false
	}
	en := sn.routes.lookup(pt.Dst.Lo)
	if en == nil || en.to == nil {
		return nil, false, false
	}
	for _, c := range en.to.crossings {
		if c.Interface != nil && c.Interface.Kind == "transit-gateway-attachment" && c.Subnet != nil && c.Subnet.ID == sn.ref.ID {
			ownAttachment = true
		}
	}
	return en.to.leave, true, ownAttachment
}

// aclFilter returns the network ACL among fs, or nil.
func aclFilter(fs []filter) *filter {
	for i := range fs {
		if fs[i].kind == filterACL {
			return &fs[i]
		}
	}
	return nil
}

// acl is the network ACL a packet with headers pt crosses at interface li
// in direction d, or nil when it crosses none. Leaving, the subnet's
// routing says (leaveFilters). Entering, the packet crosses the subnet's
// inbound rules when a packet from the interface back to its source would
// cross the outbound ones: traffic from the subnet itself, or relayed by a
// NAT gateway of the subnet, crosses no boundary either way. A packet from
// outside the subnet to which the subnet has no route back still crossed
// the inbound rules on its way in (the internet reaching a public address
// of a subnet without a route to the internet gateway): the missing route
// stops its replies, not it. Packets a transit gateway sends into the
// subnet of its own attachment interface cross no rule (TGW-7), though
// packets leaving for it cross the outbound ones. An attachment's
// interface always crosses its subnet's inbound rules (TGW-7).
func (li *logIface) acl(d model.Direction, pt *hset.Box) *filter {
	out, in := li.acls(d, pt)
	if d == model.Egress {
		return out
	}
	return in
}

// acls are the network ACLs packets between the interface and the remote
// end of pt cross, leaving and entering (see acl): one routing decision
// serves both directions.
func (li *logIface) acls(d model.Direction, pt *hset.Box) (out, in *filter) {
	toRemote := pt
	if d == model.Ingress {
		toRemote = &hset.Box{Src: pt.Dst, Dst: pt.Src, Proto: pt.Proto, SrcPort: pt.DstPort, DstPort: pt.SrcPort}
	}
	fs, routed, ownAttachment := leaveFilters(li.sn, toRemote)
	out = aclFilter(fs)
	if d == model.Ingress && out == nil && li.nlbOut != nil && !li.sn.own.ContainsPoint(*toRemote) && li.sn.routes != nil && li.sn.routes.lookup(toRemote.Dst.Lo) == nil {
		// A packet from a client the target has no route to came through a
		// Network Load Balancer, and the reply goes back the same way. (A
		// packet leaving for such a client is taken for a new connection,
		// which the missing route drops before any network ACL.)
		out = li.nlbOut
	}
	if out != nil && !ownAttachment || li.att || !routed {
		in = aclFilter(li.aclIn)
	}
	return out, in
}

// FilterCheck is what one kind of filter at an interface says of the
// packets a flow-log record stands for.
type FilterCheck struct {
	// Applies is set when a filter of this kind decides: security groups
	// on an interface that has them, a network ACL when the packet crosses
	// its subnet's boundary. A filter that does not apply allows.
	Applies bool
	// Allow and Deny say whether some packet of the record is allowed, and
	// some denied. A record of TCP, UDP or another protocol stands for one
	// header, and exactly one is set; an ICMP record does not show the ICMP
	// type and code, and stands for all of them: both may be set.
	Allow, Deny bool
	// AllowRule and DenyRule are the rules (Engine.Rule) that allow and
	// deny: for a network ACL the first rule that matches, for security
	// groups the first rule, in group and rule order, that allows. -1 when
	// no rule did: security groups deny by having no rule that allows, and
	// an ACL with no matching rule denies.
	AllowRule, DenyRule int32
	// Component is the network ACL, or the interface whose security groups
	// decide; Groups are the groups.
	Component *Ref
	Groups    []Ref
}

// Role is what a record's TCP flags say about its packets' place in their
// connection.
type Role uint8

// Roles.
const (
	// RoleUnknown: nothing (other protocols, flags not logged, or a
	// connection seen only in the middle).
	RoleUnknown Role = iota
	// RoleOpens: the packets open a connection (SYN without ACK).
	RoleOpens
	// RoleAnswers: they answer a connection opened the other way (SYN-ACK).
	RoleAnswers
)

// RecordCheck is the model's decision for the packets of one flow-log
// record at its interface.
type RecordCheck struct {
	// ACL and SG are the interface's filters for the packets as they are,
	// judged as a new connection.
	ACL, SG FilterCheck
	// ReverseACL and ReverseSG are the same filters for the reverse packets
	// (addresses and ports swapped) in the other direction: the connection
	// the record's packets would answer. They are left zero (and Answers
	// unset) for packets whose role is RoleOpens, which answer nothing.
	ReverseACL, ReverseSG FilterCheck
	// Accept: the model lets the packets pass. The network ACL must allow
	// them (ACL-3: stateless), and the security groups must admit them as
	// a new connection or as the replies of a connection they admit the
	// other way (SG-6: stateful) — unless the role says they open one.
	Accept bool
	// Reject: the model stops them when it judges them as a new
	// connection: the ACL denies them, or no security group rule admits
	// them. AWS judges so a packet it no longer tracks, such as one that
	// arrives after its connection closed, and logs it REJECT.
	Reject bool
	// Reply is set when, passing, the packets are taken for the replies of
	// a connection opened the other way: the security groups admit them
	// only so, or both ways and the role (SYN-ACK) or the ports (the
	// source's port is the lower: the server's) say so. The rules that
	// carry them are then ReverseSG's and ACL's.
	Reply bool
	// Answers is set when the model admits, at this interface, the
	// connection the packets would answer: the reverse packets pass
	// both filters as a new connection.
	Answers bool
}

// CheckRecord decides, as the model would, the packets with header h that
// a flow-log record shows at interface iface (see Crossing) in direction d,
// with the role their TCP flags give. For ICMP the ports of h are ignored:
// flow logs print 0 for them. It returns false when iface is not an
// interface whose filters the engine knows. CheckRecord reads the engine
// only: concurrent calls are safe.
func (e *Engine) CheckRecord(iface int32, d model.Direction, h Header, role Role) (RecordCheck, bool) {
	var rc RecordCheck
	li := e.logIfaceAt(iface, d)
	if li == nil {
		return rc, false
	}
	pt := hset.Point(h)
	icmp := h.Proto == hset.ProtoICMP || h.Proto == hset.ProtoICMPv6
	if icmp {
		pt.SrcPort, pt.DstPort = allPorts, allPorts
	}
	back := model.Ingress
	if d == model.Ingress {
		back = model.Egress
	}
	out, in := li.acls(d, &pt)
	here, there := out, in
	if d == model.Ingress {
		here, there = in, out
	}
	rc.ACL = checkACL(here, &pt, icmp)
	rc.SG = checkSG(li.sg(d), &pt, icmp)
	opens := rc.ACL.Allow && rc.SG.Allow
	if role == RoleOpens {
		// Packets that open a connection answer none.
		rc.Accept, rc.Reject = opens, rc.ACL.Deny || rc.SG.Deny
		return rc, true
	}
	// The reply's point is the packet's with its ends swapped, needed
	// only here: most logged packets open their connection.
	rpt := hset.Box{Src: pt.Dst, Dst: pt.Src, Proto: pt.Proto, SrcPort: pt.DstPort, DstPort: pt.SrcPort}
	rc.ReverseACL = checkACL(there, &rpt, icmp)
	rc.ReverseSG = checkSG(li.sg(back), &rpt, icmp)
	rc.Answers = rc.ReverseACL.Allow && rc.ReverseSG.Allow
	answers := role != RoleOpens && rc.ACL.Allow && rc.Answers
	rc.Accept = opens || answers
	rc.Reject = rc.ACL.Deny || rc.SG.Deny
	rc.Reply = answers && (!opens || role == RoleAnswers || role == RoleUnknown && serverSource(h))
	return rc, true
}

// logIfaceAt is interface iface's filters, for direction d; nil when the
// engine knows none.
func (e *Engine) logIfaceAt(iface int32, d model.Direction) *logIface {
	if iface < 0 || int(iface) >= len(e.logIfaces) || (d != model.Ingress && d != model.Egress) {
		return nil
	}
	if li := &e.logIfaces[iface]; li.sn != nil {
		return li
	}
	return nil
}

func (li *logIface) sg(d model.Direction) *filter {
	if d == model.Ingress {
		return li.sgIn
	}
	return li.sgOut
}

// serverSource guesses, for TCP and UDP, that the lower port is the
// server's: a packet from it answers.
func serverSource(h Header) bool {
	return (h.Proto == 6 || h.Proto == 17) && h.SrcPort < h.DstPort
}

// checkACL decides pt (a point, or for ICMP every type and code) with the
// network ACL ft, nil when none applies.
func checkACL(ft *filter, pt *hset.Box, set bool) FilterCheck {
	fc := FilterCheck{AllowRule: -1, DenyRule: -1}
	if ft == nil {
		fc.Allow = true
		return fc
	}
	p := ft.acl
	fc.Applies, fc.Component = true, &p.owner
	if !set {
		r := p.decide(*pt)
		switch {
		case r != nil && r.allow:
			fc.Allow, fc.AllowRule = true, r.id
		case r != nil:
			fc.Deny, fc.DenyRule = true, r.id
		default:
			fc.Deny = true
		}
		return fc
	}
	rest := hset.Of(*pt)
	for i := range p.rules {
		r := &p.rules[i]
		if rest.IsEmpty() {
			break
		}
		if !rest.Overlaps(r.set) {
			continue
		}
		if r.allow && !fc.Allow {
			fc.Allow, fc.AllowRule = true, r.id
		} else if !r.allow && !fc.Deny {
			fc.Deny, fc.DenyRule = true, r.id
		}
		rest = rest.Subtract(r.set)
	}
	if !rest.IsEmpty() {
		fc.Deny = true
	}
	return fc
}

// checkSG decides pt with security groups ft, nil when the interface has
// none.
func checkSG(ft *filter, pt *hset.Box, set bool) FilterCheck {
	fc := FilterCheck{AllowRule: -1, DenyRule: -1}
	if ft == nil {
		fc.Allow = true
		return fc
	}
	p := ft.sg
	fc.Applies, fc.Component, fc.Groups = true, &ft.comp, p.groups
	if !set {
		if r := p.decide(*pt); r != nil {
			fc.Allow, fc.AllowRule = true, r.id
		} else {
			fc.Deny = true
		}
		return fc
	}
	s := hset.Of(*pt)
	for i := range p.rules {
		if p.rules[i].set.Overlaps(s) {
			fc.Allow, fc.AllowRule = true, p.rules[i].id
			break
		}
	}
	fc.Deny = !p.union.Covers(s)
	return fc
}

// RuleSet is a rule (Engine.Rule) and the headers it decides.
type RuleSet struct {
	Rule  int32
	Allow bool
	Set   hset.Set
}

// FilterSets are CheckRecord's filters at one interface in one direction
// as exact sets of headers, for engines that decide records by joining
// them with logs.
type FilterSets struct {
	// HasSG is set when security groups filter the interface. SGRules are
	// then the headers each of their rules admits, in group and rule
	// order, and SGDenied the headers no rule admits.
	HasSG    bool
	SGRules  []RuleSet
	SGDenied hset.Set
	// ACL partitions the headers that cross a network ACL at the interface
	// by the rule that decides them (the first that matches); NoACL are the
	// headers that cross none, and pass. ACLDenied are the headers the ACL
	// denies with no rule matching (an ACL without its "*" rule).
	ACL       []RuleSet
	ACLDenied hset.Set
	NoACL     hset.Set
}

// FilterSets returns the filters of interface iface in direction d as
// exact sets; false when the engine knows no filters there. A header's
// decision by CheckRecord is the one these sets give it.
func (e *Engine) FilterSets(iface int32, d model.Direction) (FilterSets, bool) {
	var fs FilterSets
	li := e.logIfaceAt(iface, d)
	if li == nil {
		return fs, false
	}
	if ft := li.sg(d); ft != nil {
		fs.HasSG = true
		for _, r := range ft.sg.rules {
			fs.SGRules = append(fs.SGRules, RuleSet{Rule: r.id, Allow: true, Set: r.set})
		}
		fs.SGDenied = everything.Subtract(ft.sg.union)
	}
	// Where a network ACL applies is a matter of the remote address: the
	// destination leaving, the source entering. Group the remote ranges by
	// the ACL they cross.
	byACL := map[*aclProg][]hset.AddrRange{}
	var order []*aclProg
	var none []hset.AddrRange
	add := func(r hset.AddrRange, ft *filter) {
		if ft == nil {
			none = append(none, r)
			return
		}
		if byACL[ft.acl] == nil {
			order = append(order, ft.acl)
		}
		byACL[ft.acl] = append(byACL[ft.acl], r)
	}
	for _, r := range li.remoteRanges() {
		pt := hset.Box{Src: hset.AddrRange{Lo: r.Lo, Hi: r.Lo}, Dst: hset.AddrRange{Lo: r.Lo, Hi: r.Lo}}
		add(r, li.acl(d, &pt))
	}
	remote := func(rs []hset.AddrRange) hset.Set {
		if d == model.Egress {
			return hset.Of(dstBoxes(rs...)...)
		}
		return hset.Of(srcBoxes(rs...)...)
	}
	fs.NoACL = remote(none)
	for _, p := range order {
		rest := remote(byACL[p])
		for i := range p.rules {
			r := &p.rules[i]
			if hit := rest.Intersect(r.set); !hit.IsEmpty() {
				fs.ACL = append(fs.ACL, RuleSet{Rule: r.id, Allow: r.allow, Set: hit})
				rest = rest.Subtract(r.set)
			}
		}
		fs.ACLDenied = fs.ACLDenied.Union(rest)
	}
	return fs, true
}

// everything is every header of both families.
var everything = hset.Of(hset.Box{Src: full, Dst: full, Proto: allProto, SrcPort: allPorts, DstPort: allPorts})

// remoteRanges splits the address space into ranges over which the
// network ACL a packet of the interface crosses does not change: the
// subnet's own blocks and its route table's destination ranges, and the
// gaps between them.
func (li *logIface) remoteRanges() []hset.AddrRange {
	cuts := []hset.AddrRange{v4Block}
	if li.sn != nil {
		cuts = append(cuts, li.sn.cidrs...)
		if li.sn.routes != nil {
			for _, en := range li.sn.routes.entries {
				cuts = append(cuts, en.rng)
			}
		}
	}
	// Boundaries of all ranges, then the elementary ranges between them.
	var bounds []hset.Addr
	for _, r := range cuts {
		bounds = append(bounds, r.Lo)
		if !r.Hi.IsMax() {
			bounds = append(bounds, r.Hi.Next())
		}
	}
	bounds = append(bounds, full.Lo)
	slices.SortFunc(bounds, func(a, b hset.Addr) int { return a.Compare(b) })
	bounds = slices.Compact(bounds)
	out := make([]hset.AddrRange, 0, len(bounds))
	for i, lo := range bounds {
		hi := full.Hi
		if i+1 < len(bounds) {
			hi = bounds[i+1].Prev()
		}
		out = append(out, hset.AddrRange{Lo: lo, Hi: hi})
	}
	return out
}

// RuleInterfaces returns the interfaces (see Crossing) whose packets rule
// id may decide: for a security group rule, those of the group's members;
// for a network ACL rule, those whose subnet uses the ACL. Sorted.
func (e *Engine) RuleInterfaces(id int32) []int32 {
	if e.ruleIfaces == nil {
		return nil
	}
	return e.ruleIfaces[id]
}

// indexRules fills ruleIfaces and ruleSets from logIfaces: the rules of
// the security groups and network ACLs their packets cross.
func (e *Engine) indexRules() {
	e.ruleIfaces, e.ruleSets = map[int32][]int32{}, map[int32]hset.Set{}
	seen := map[[2]int32]bool{}
	add := func(rule, iface int32, set hset.Set) {
		e.ruleSets[rule] = set
		if k := [2]int32{rule, iface}; !seen[k] {
			seen[k] = true
			e.ruleIfaces[rule] = append(e.ruleIfaces[rule], iface)
		}
	}
	for i := range e.logIfaces {
		li := &e.logIfaces[i]
		for _, ft := range []*filter{li.sgIn, li.sgOut} {
			if ft != nil {
				for _, r := range ft.sg.rules {
					add(r.id, int32(i), r.set)
				}
			}
		}
		acls := []*filter{aclFilter(li.aclIn)}
		if li.sn != nil && li.sn.routes != nil {
			for _, en := range li.sn.routes.entries {
				if en.to != nil {
					acls = append(acls, aclFilter(en.to.leave))
				}
			}
		}
		for _, ft := range acls {
			if ft != nil {
				for _, r := range ft.acl.rules {
					add(r.id, int32(i), r.set)
				}
			}
		}
	}
}

// RuleHeaders returns the headers rule id matches, as compiled (a security
// group rule's or network ACL rule's set; empty for routes).
func (e *Engine) RuleHeaders(id int32) hset.Set {
	if e.ruleSets == nil {
		return hset.Set{}
	}
	return e.ruleSets[id]
}

// Addresses returns the addresses of interface iface (see Owns); nil for a
// transit gateway attachment's, which the input does not give.
func (e *Engine) Addresses(iface int32) []netip.Addr {
	if iface < 0 || int(iface) >= len(e.logIfaces) {
		return nil
	}
	return slices.Clone(e.logIfaces[iface].addrs)
}
