// Package metamorphic changes networks in ways whose effect on every answer
// is known — adding an allow rule, adding a deny rule before others,
// renaming, reordering, splitting a security group in two, moving a subnet
// inside its VPC, opening every security group — so that tests can check
// the properties every correct answer keeps (docs/testing.md) on networks
// nobody wrote by hand.
//
// Every transformation changes the network it is given in place; build a
// fresh network for each.
package metamorphic

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"reflect"
	"slices"
	"strings"

	"github.com/vpcsim/vpcsim/model"
)

// AddAllowRule adds one rule that allows traffic: a security group rule, or
// a network ACL allow rule under a number no rule of the ACL uses. It
// returns what it added, for messages.
func AddAllowRule(n *model.Network, rnd *rand.Rand) string {
	if len(n.NetworkACLs) > 0 && rnd.IntN(3) == 0 {
		acl := n.NetworkACLs[rnd.IntN(len(n.NetworkACLs))]
		r := randomACLRule(acl, rnd, model.Allow, 32766)
		addACLRule(acl, r)
		return fmt.Sprintf("network ACL %s %s rule %d allow %v %v %v", acl.ID, r.Direction, r.Number, r.Protocol, r.Ports, r.CIDR)
	}
	if len(n.SecurityGroups) == 0 {
		return "nothing (no security group)"
	}
	g := n.SecurityGroups[rnd.IntN(len(n.SecurityGroups))]
	r := model.SGRule{Direction: model.Ingress, Protocol: randomProtocol(rnd), Ports: randomPorts(rnd), ICMP: model.AnyICMP}
	if rnd.IntN(2) == 0 {
		r.Direction = model.Egress
	}
	switch k := rnd.IntN(3); {
	case k == 0 && len(n.SecurityGroups) > 1:
		other := n.SecurityGroups[rnd.IntN(len(n.SecurityGroups))]
		r.Peer = model.SGPeer{Kind: model.PeerSecurityGroup, GroupID: other.ID, Self: other == g}
	default:
		r.Peer = model.SGPeer{Kind: model.PeerCIDR, CIDR: randomPrefix(rnd)}
	}
	if r.Direction == model.Ingress {
		g.Ingress = append(g.Ingress, r)
	} else {
		g.Egress = append(g.Egress, r)
	}
	return fmt.Sprintf("security group %s %s allow %v %v %v", g.ID, r.Direction, r.Protocol, r.Ports, r.Peer)
}

// AddDenyRule adds a network ACL deny rule under a number lower than
// some rule of the ACL's, so that it is evaluated before it. ok is false
// when the network has no ACL.
func AddDenyRule(n *model.Network, rnd *rand.Rand) (string, bool) {
	if len(n.NetworkACLs) == 0 {
		return "", false
	}
	acl := n.NetworkACLs[rnd.IntN(len(n.NetworkACLs))]
	highest := 2
	for _, r := range append(slices.Clone(acl.Ingress), acl.Egress...) {
		if !r.IsStar() && r.Number > highest {
			highest = r.Number
		}
	}
	r := randomACLRule(acl, rnd, model.Deny, highest-1)
	addACLRule(acl, r)
	return fmt.Sprintf("network ACL %s %s rule %d deny %v %v %v", acl.ID, r.Direction, r.Number, r.Protocol, r.Ports, r.CIDR), true
}

// randomACLRule is a rule of acl with an unused number at most below.
func randomACLRule(acl *model.NetworkACL, rnd *rand.Rand, action model.Action, below int) model.ACLRule {
	r := model.ACLRule{Direction: model.Ingress, Action: action, Protocol: randomProtocol(rnd), Ports: randomPorts(rnd),
		ICMP: model.AnyICMP, CIDR: randomPrefix(rnd)}
	if rnd.IntN(2) == 0 {
		r.Direction = model.Egress
	}
	used := map[int]bool{}
	for _, x := range append(slices.Clone(acl.Ingress), acl.Egress...) {
		if x.Direction == r.Direction {
			used[x.Number] = true
		}
	}
	for {
		r.Number = 1 + rnd.IntN(max(below, 1))
		if !used[r.Number] {
			return r
		}
	}
}

func addACLRule(acl *model.NetworkACL, r model.ACLRule) {
	if r.Direction == model.Ingress {
		acl.Ingress = append(acl.Ingress, r)
	} else {
		acl.Egress = append(acl.Egress, r)
	}
}

func randomProtocol(rnd *rand.Rand) model.Protocol {
	return []model.Protocol{model.ProtocolTCP, model.ProtocolTCP, model.ProtocolUDP, model.ProtocolAll, model.ProtocolICMP}[rnd.IntN(5)]
}

func randomPorts(rnd *rand.Rand) model.PortRange {
	if rnd.IntN(4) == 0 {
		return model.AllPorts
	}
	lo := []uint16{22, 80, 443, 1024, 3306, 5432, 8080}[rnd.IntN(7)]
	return model.PortRange{First: lo, Last: lo + uint16(rnd.IntN(3))*1000}
}

// randomPrefix is a block of the private space the generated networks use,
// or the whole internet, or a piece of it.
func randomPrefix(rnd *rand.Rand) netip.Prefix {
	switch rnd.IntN(4) {
	case 0:
		return netip.MustParsePrefix("0.0.0.0/0")
	case 1:
		return netip.PrefixFrom(netip.AddrFrom4([4]byte{byte(1 + rnd.IntN(200)), 0, 0, 0}), 8)
	}
	a := netip.AddrFrom4([4]byte{10, byte(rnd.IntN(256)), byte(rnd.IntN(256)), 0})
	return netip.PrefixFrom(a, 8+rnd.IntN(17)).Masked()
}

// Renaming maps the old names of a renamed network to the new ones.
type Renaming map[string]string

// Name returns the new name of s (s itself when it was not renamed).
func (r Renaming) Name(s string) string {
	if t, ok := r[s]; ok {
		return t
	}
	return s
}

// Rename gives every element a new ID and Terraform address (keeping the
// ID's prefix, vpc-, sg-, and the address's resource type, which carry
// meaning) and a new Name, and updates every reference.
func Rename(n *model.Network) Renaming {
	ren := Renaming{}
	seq := 0
	walkStrings(reflect.ValueOf(n), func(field string, s string) string {
		if s == "" || ren[s] != "" {
			return s
		}
		switch field {
		case "ID":
			seq++
			prefix, _, ok := strings.Cut(s, "-")
			if !ok {
				prefix = "id"
			}
			ren[s] = fmt.Sprintf("%s-renamed%05x", prefix, seq)
		case "Address":
			seq++
			typ, _, _ := strings.Cut(s, ".")
			if strings.HasPrefix(s, "module.") || strings.HasPrefix(s, "data.") {
				typ = resourceType(s)
			}
			ren[s] = fmt.Sprintf("%s.renamed%d", typ, seq)
		}
		return s
	})
	walkStrings(reflect.ValueOf(n), func(field, s string) string {
		if field == "Name" && s != "" {
			return s + "-renamed"
		}
		return ren.Name(s)
	})
	return ren
}

// resourceType is the resource type of a Terraform address.
func resourceType(addr string) string {
	for part := range strings.SplitSeq(addr, ".") {
		if strings.HasPrefix(part, "aws_") {
			return part
		}
	}
	return "x"
}

// walkStrings calls f on every string of v that can be set, with the name
// of the field that holds it (the enclosing field for elements of a slice),
// and stores what f returns.
func walkStrings(v reflect.Value, f func(field, s string) string) {
	var walk func(v reflect.Value, field string)
	walk = func(v reflect.Value, field string) {
		switch v.Kind() {
		case reflect.Pointer, reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem(), field)
			}
		case reflect.Struct:
			if v.Type().PkgPath() == "net/netip" {
				return
			}
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() {
					walk(v.Field(i), v.Type().Field(i).Name)
				}
			}
		case reflect.Slice, reflect.Array:
			for i := range v.Len() {
				walk(v.Index(i), field)
			}
		case reflect.Map:
			if v.Type().Elem().Kind() == reflect.String {
				for _, k := range v.MapKeys() {
					v.SetMapIndex(k, reflect.ValueOf(f(field, v.MapIndex(k).String())).Convert(v.Type().Elem()))
				}
			}
		case reflect.String:
			if v.CanSet() {
				v.SetString(f(field, v.String()))
			}
		}
	}
	walk(v, "")
}

// Shuffle reorders every list of the network whose order AWS does not
// give a meaning to — elements, rules, routes, associations, the groups of
// an interface, the IDs an element lists — as reordering the blocks of a
// configuration and its files would. Lists whose order means something are
// kept: addresses (the primary first) and an instance's interfaces (device
// index 0 first).
func Shuffle(n *model.Network, rnd *rand.Rand) {
	var walk func(v reflect.Value, field string)
	walk = func(v reflect.Value, field string) {
		switch v.Kind() {
		case reflect.Pointer:
			if !v.IsNil() {
				walk(v.Elem(), field)
			}
		case reflect.Struct:
			if v.Type().PkgPath() == "net/netip" {
				return
			}
			for i := range v.NumField() {
				if f := v.Type().Field(i); f.IsExported() {
					walk(v.Field(i), f.Name)
				}
			}
		case reflect.Slice:
			elem := v.Type().Elem()
			if elem.PkgPath() == "net/netip" || elem.Kind() == reflect.Uint8 || field == "InterfaceIDs" {
				// Addresses keep their order (the primary first), and
				// so do an instance's interfaces (device index 0 first;
				// an endpoint's, which mean nothing by their order, are
				// named alike and left alone too).
				return
			}
			for i := range v.Len() {
				walk(v.Index(i), field)
			}
			swap := reflect.Swapper(v.Interface())
			rnd.Shuffle(v.Len(), swap)
		}
	}
	walk(reflect.ValueOf(n), "")
}

// SplitGroup splits a security group in two: a new group takes some of its
// rules, every interface that has the group gets the new one too, and every
// rule that names the group names the new one as well. The union of rules an
// interface sees, and the members a rule names, stay the same. ok is false
// when no group can be split.
func SplitGroup(n *model.Network, rnd *rand.Rand) (string, bool) {
	var candidates []*model.SecurityGroup
	for _, g := range n.SecurityGroups {
		if !g.Default && g.Outside == "" && len(g.Ingress)+len(g.Egress) >= 2 {
			candidates = append(candidates, g)
		}
	}
	if len(candidates) == 0 {
		return "", false
	}
	g := candidates[rnd.IntN(len(candidates))]
	h := &model.SecurityGroup{Meta: model.Meta{ID: g.ID + "-split", Address: g.Address + "_split", Name: g.Name + "-split"}, VPCID: g.VPCID,
		GroupName: g.GroupName + "-split"}
	move := func(rules []model.SGRule) (keep, moved []model.SGRule) {
		for _, r := range rules {
			if rnd.IntN(2) == 0 {
				moved = append(moved, r)
			} else {
				keep = append(keep, r)
			}
		}
		return keep, moved
	}
	g.Ingress, h.Ingress = move(g.Ingress)
	g.Egress, h.Egress = move(g.Egress)
	// A rule written as "self" names its own group's members: in the new
	// group it must still name the old group's (the same interfaces).
	for _, rs := range [][]model.SGRule{h.Ingress, h.Egress} {
		for i := range rs {
			rs[i].Peer.Self = false
		}
	}
	n.SecurityGroups = append(n.SecurityGroups, h)
	withNew := func(ids []string) []string {
		if i := slices.Index(ids, g.ID); i >= 0 {
			return slices.Insert(ids, i+1, h.ID)
		}
		return ids
	}
	for _, x := range n.Interfaces {
		x.SecurityGroupIDs = withNew(x.SecurityGroupIDs)
	}
	for _, e := range n.Endpoints {
		e.SecurityGroupIDs = withNew(e.SecurityGroupIDs)
	}
	for _, o := range n.SecurityGroups {
		for _, rs := range []*[]model.SGRule{&o.Ingress, &o.Egress} {
			for _, r := range *rs {
				if r.Peer.Kind == model.PeerSecurityGroup && r.Peer.GroupID == g.ID {
					c := r
					c.Peer.GroupID, c.Peer.Self = h.ID, false
					*rs = append(*rs, c)
				}
			}
		}
	}
	return fmt.Sprintf("%s split into %s (%d rules) and %s (%d rules)", g.ID, g.ID, len(g.Ingress)+len(g.Egress), h.ID, len(h.Ingress)+len(h.Egress)), true
}

// Move is a subnet moved inside its VPC: Addr and Prefix translate what
// was in the old block to the new one.
type Move struct {
	Subnet   string
	From, To netip.Prefix
}

// Addr translates a, when it lies in the old block.
func (m Move) Addr(a netip.Addr) netip.Addr {
	if !m.From.Contains(a) {
		return a
	}
	from, to := m.From.Addr().As4(), m.To.Addr().As4()
	b := a.As4()
	for i := range b {
		b[i] = to[i] | (b[i] &^ from[i])
	}
	return netip.AddrFrom4(b)
}

// MoveSubnet moves an IPv4 subnet to a free block of its VPC of the same
// size, and every address in it (its interfaces', its NAT gateways',
// public address mappings). It only picks a move no route, rule, prefix
// list or other block of the network can tell apart: every block either
// holds both the old and the new one or neither. ok is false when there is
// none.
func MoveSubnet(n *model.Network, rnd *rand.Rand) (Move, bool) {
	var blocks []netip.Prefix
	walkPrefixes(reflect.ValueOf(n), func(p netip.Prefix) netip.Prefix {
		blocks = append(blocks, p)
		return p
	})
	vpcs := map[string]*model.VPC{}
	for _, v := range n.VPCs {
		vpcs[v.ID] = v
	}
	for _, k := range rnd.Perm(len(n.Subnets)) {
		s := n.Subnets[k]
		v := vpcs[s.VPCID]
		if !s.CIDR.IsValid() || v == nil || !s.CIDR.Addr().Is4() {
			continue
		}
		for _, vc := range v.CIDRs {
			for _, to := range candidates(vc, s.CIDR, rnd) {
				if indistinct(blocks, s.CIDR, to) {
					m := Move{Subnet: s.ID, From: s.CIDR, To: to}
					walkPrefixes(reflect.ValueOf(n), func(p netip.Prefix) netip.Prefix {
						if p == m.From {
							return m.To
						}
						return p
					})
					walkAddrs(reflect.ValueOf(n), m.Addr)
					return m, true
				}
			}
		}
	}
	return Move{}, false
}

// candidates are blocks of vpc the size of s, in random order.
func candidates(vpc, s netip.Prefix, rnd *rand.Rand) []netip.Prefix {
	if s.Bits() < vpc.Bits() || s.Bits()-vpc.Bits() > 12 {
		return nil
	}
	count := 1 << (s.Bits() - vpc.Bits())
	base := vpc.Masked().Addr().As4()
	var out []netip.Prefix
	for _, i := range rnd.Perm(count) {
		b := base
		v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
		v += uint32(i) << (32 - s.Bits())
		p := netip.PrefixFrom(netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}), s.Bits())
		if p != s {
			out = append(out, p)
		}
	}
	return out
}

// indistinct reports whether no block tells from and to apart: each block
// holds both or neither, and none lies inside either (another subnet where
// the new one would go, a rule for part of the old one).
func indistinct(blocks []netip.Prefix, from, to netip.Prefix) bool {
	for _, b := range blocks {
		if b == from {
			continue
		}
		if b.Overlaps(to) && b.Bits() >= to.Bits() {
			return false
		}
		if b.Overlaps(from) && b.Bits() > from.Bits() {
			return false
		}
		if (b.Bits() <= from.Bits() && b.Contains(from.Addr())) != (b.Bits() <= to.Bits() && b.Contains(to.Addr())) {
			return false
		}
	}
	return true
}

// walkPrefixes replaces every valid IPv4 netip.Prefix of v with what f
// returns.
func walkPrefixes(v reflect.Value, f func(netip.Prefix) netip.Prefix) {
	replaceAll(v, func(p netip.Prefix) (netip.Prefix, bool) { return f(p), p.IsValid() && p.Addr().Is4() })
}

// walkAddrs replaces every IPv4 netip.Addr of v with what f returns.
func walkAddrs(v reflect.Value, f func(netip.Addr) netip.Addr) {
	replaceAll(v, func(a netip.Addr) (netip.Addr, bool) { return f(a), a.Is4() })
}

// replaceAll replaces every value of type T in v that can be set with what
// f returns, when f says to.
func replaceAll[T any](v reflect.Value, f func(T) (T, bool)) {
	typ := reflect.TypeFor[T]()
	walkValues(v, func(x reflect.Value) bool {
		if x.Type() != typ {
			return false
		}
		if y, ok := f(x.Interface().(T)); ok && x.CanSet() {
			x.Set(reflect.ValueOf(y))
		}
		return true
	})
}

// walkValues calls leaf on every value of v, depth first; leaf returns true
// when it handled the value (its insides are not walked).
func walkValues(v reflect.Value, leaf func(reflect.Value) bool) {
	if leaf(v) {
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkValues(v.Elem(), leaf)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				walkValues(v.Field(i), leaf)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			walkValues(v.Index(i), leaf)
		}
	}
}

// OpenGroups makes every security group allow all traffic both ways, so
// that only what is stateless — routes, network ACLs, gateways — decides.
func OpenGroups(n *model.Network) {
	all := func(d model.Direction) []model.SGRule {
		var out []model.SGRule
		for _, p := range []string{"0.0.0.0/0", "::/0"} {
			out = append(out, model.SGRule{Direction: d, Protocol: model.ProtocolAll, Ports: model.AllPorts, ICMP: model.AnyICMP,
				Peer: model.SGPeer{Kind: model.PeerCIDR, CIDR: netip.MustParsePrefix(p)}})
		}
		return out
	}
	for _, g := range n.SecurityGroups {
		g.Ingress, g.Egress = all(model.Ingress), all(model.Egress)
	}
}

// AllowRule adds to security group g a rule in direction dir that allows
// proto (port, for TCP and UDP) from or to peer. It returns what it added.
func AllowRule(n *model.Network, g string, dir model.Direction, proto model.Protocol, port uint16, peer netip.Prefix) string {
	for _, sg := range n.SecurityGroups {
		if sg.ID != g {
			continue
		}
		r := model.SGRule{Direction: dir, Protocol: proto, Ports: model.Port(port), ICMP: model.AnyICMP,
			Peer: model.SGPeer{Kind: model.PeerCIDR, CIDR: peer}}
		if !proto.HasPorts() {
			r.Ports = model.AllPorts
		}
		if dir == model.Ingress {
			sg.Ingress = append(sg.Ingress, r)
		} else {
			sg.Egress = append(sg.Egress, r)
		}
		return fmt.Sprintf("security group %s %s allow %v %d %v", g, dir, proto, port, peer)
	}
	return "nothing (no group " + g + ")"
}

// DenyBefore adds to network ACL acl a rule in direction dir, numbered
// below number, that denies proto (port, for TCP and UDP) from or to
// cidr. ok is false when acl has no free number below number.
func DenyBefore(n *model.Network, acl string, dir model.Direction, number int, proto model.Protocol, port uint16, cidr netip.Prefix) (string, bool) {
	for _, a := range n.NetworkACLs {
		if a.ID != acl {
			continue
		}
		used := map[int]bool{}
		for _, x := range append(slices.Clone(a.Ingress), a.Egress...) {
			if x.Direction == dir {
				used[x.Number] = true
			}
		}
		for k := number - 1; k >= 1; k-- {
			if used[k] {
				continue
			}
			r := model.ACLRule{Number: k, Direction: dir, Action: model.Deny, Protocol: proto, Ports: model.Port(port), ICMP: model.AnyICMP, CIDR: cidr}
			if !proto.HasPorts() {
				r.Ports = model.AllPorts
			}
			addACLRule(a, r)
			return fmt.Sprintf("network ACL %s %s rule %d deny %v %d %v", acl, dir, k, proto, port, cidr), true
		}
	}
	return "", false
}
