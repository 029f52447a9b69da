package reach

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach/hset"
)

// class is a set of interfaces of one subnet that the network cannot tell
// apart: the same security groups, the same source/destination check, the
// same kind of owner, and addresses that no rule or route distinguishes
// (every address of each member lies in the same elementary interval
// between the boundaries of every prefix any rule, route or prefix list
// names, in the same order). Whatever one member can send or receive, every
// member can, with its own addresses in place of the first's: an analysis
// computes a class once, through a representative.
type class struct {
	id      int
	subnet  *node
	members []*node
	addrs   []hset.AddrRange
	// rep and rep2 are the addresses of the first and second members; rep2
	// stands in for the class as a destination of its own members.
	rep, rep2 []hset.AddrRange
	// send is the class's way into its subnet: the members' source check
	// over all their addresses and their (shared) outbound groups.
	send *edge
	// deliver and deliver2 lead from the subnet to the first and second
	// members: the members' (shared) inbound groups.
	deliver, deliver2 *edge
}

func classKey(x *model.NetworkInterface) string {
	ids := slices.Clone(x.SecurityGroupIDs)
	slices.Sort(ids)
	var b strings.Builder
	b.WriteString(x.SubnetID)
	b.WriteString("|")
	b.WriteString(strings.Join(ids, ","))
	if x.SourceDestCheck {
		b.WriteString("|check")
	}
	b.WriteString("|" + x.OwnerKind.String())
	if x.OwnerKind == model.OwnerLoadBalancer {
		// Each load balancer's nodes listen and forward their own way.
		b.WriteString("|" + x.OwnerID)
	}
	return b.String()
}

// buildClasses groups the interfaces of every subnet into classes.
func (e *Engine) buildClasses() {
	cuts := e.prefixBoundaries()
	byKey := map[string]*class{}
	for _, x := range e.net.Interfaces {
		n := e.eni[x.ID]
		if n == nil || n.subnet == nil || x.OwnerKind == model.OwnerNATGateway {
			continue
		}
		k := classKey(x) + "|" + addressSignature(x, cuts)
		c := byKey[k]
		if c == nil {
			c = &class{id: len(e.classes), subnet: e.subnet[x.SubnetID]}
			byKey[k] = c
			e.classes = append(e.classes, c)
		}
		c.members = append(c.members, n)
		e.classOf[n] = c
	}
	for _, c := range e.classes {
		var own []hset.AddrRange
		for _, m := range c.members {
			own = append(own, addrsRanges(slices.Concat(m.eni.PrivateIPs, m.eni.IPv6Addrs))...)
		}
		c.addrs = mergeRanges(nil, own)
		c.rep = addrsRanges(slices.Concat(c.members[0].eni.PrivateIPs, c.members[0].eni.IPv6Addrs))
		if len(c.members) > 1 {
			c.rep2 = addrsRanges(slices.Concat(c.members[1].eni.PrivateIPs, c.members[1].eni.IPv6Addrs))
		}
		rep := c.members[0]
		send := e.link(rep, c.subnet, edgeSend, nil, nil)
		leave := slices.Clone(send.leave)
		for i := range leave {
			if leave[i].kind == filterSourceCheck {
				leave[i].own = hset.Of(srcBoxes(c.addrs...)...)
			}
		}
		// The class edge is not part of the graph: it stands for the
		// members' own edges, which it equals but for the addresses.
		c.send = &edge{from: rep, to: c.subnet, kind: edgeSend, leave: leave}
		c.deliver = e.link(c.subnet, rep, edgeDeliver, nil, nil)
		if len(c.members) > 1 {
			c.deliver2 = e.link(c.subnet, c.members[1], edgeDeliver, nil, nil)
		}
		c.subnet.classes = append(c.subnet.classes, c)
		d := delivery{to: c.rep, covers: c.addrs, via: c.deliver, alt: c.rep2, altVia: c.deliver2}
		if d.altVia != nil {
			d.fromTo = hset.Of(srcBoxes(c.rep...)...)
		}
		c.subnet.classDeliver = append(c.subnet.classDeliver, d)
	}
	// A NAT gateway's address is delivered to the gateway, in class walks
	// too.
	for _, sn := range e.subnet {
		for _, d := range sn.deliver {
			if d.via.to.kind == nodeNAT {
				sn.classDeliver = append(sn.classDeliver, d)
			}
		}
	}
}

// prefixBoundaries returns, sorted, every address at which some prefix the
// network's rules, routes or prefix lists name starts or ends: between two
// consecutive boundaries, every prefix either holds all addresses or none.
func (e *Engine) prefixBoundaries() []hset.Addr {
	var cuts []hset.Addr
	add := func(p netip.Prefix) {
		for _, r := range prefixRanges(p) {
			cuts = append(cuts, r.Lo)
			if r.Hi != full.Hi {
				cuts = append(cuts, r.Hi.Next())
			}
		}
	}
	n := e.net
	for _, acl := range n.NetworkACLs {
		for _, r := range slices.Concat(acl.Ingress, acl.Egress) {
			add(r.CIDR)
		}
	}
	for _, sg := range n.SecurityGroups {
		for _, r := range slices.Concat(sg.Ingress, sg.Egress) {
			if r.Peer.Kind == model.PeerCIDR {
				add(r.Peer.CIDR)
			}
		}
	}
	for _, pl := range n.PrefixLists {
		for _, p := range pl.Entries {
			add(p)
		}
	}
	for _, rt := range n.RouteTables {
		for _, r := range rt.Routes {
			add(r.Destination)
		}
	}
	for _, rt := range n.TGWRouteTables {
		for _, r := range rt.Routes {
			add(r.Destination)
		}
	}
	for _, c := range n.VPNConnections {
		for _, p := range c.OnPremCIDRs {
			add(p)
		}
	}
	slices.SortFunc(cuts, cmpAddr)
	return slices.Compact(cuts)
}

// addressSignature names, for each address of x in order, the elementary
// interval between boundaries it lies in.
func addressSignature(x *model.NetworkInterface, cuts []hset.Addr) string {
	var b strings.Builder
	for _, a := range slices.Concat(x.PrivateIPs, x.IPv6Addrs) {
		h := hset.AddrFrom(a)
		i, _ := slices.BinarySearchFunc(cuts, h, func(c, t hset.Addr) int {
			if t.Less(c) {
				return 1
			}
			return -1
		})
		b.WriteString(strconv.Itoa(i))
		b.WriteByte(',')
	}
	return b.String()
}
