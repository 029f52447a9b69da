package reach

import (
	"slices"
	"strings"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach/hset"
)

// class is a set of interfaces of one subnet that the network cannot tell
// apart: the same security groups, the same source/destination check, the
// same kind of owner. Only their addresses differ, and addresses travel in
// the header set, so an analysis computes a class once for all its members.
type class struct {
	id      int
	subnet  *node
	members []*node
	addrs   []hset.AddrRange
	// send is the class's way into its subnet: the members' source check
	// over all their addresses and their (shared) outbound groups.
	send *edge
	// deliver is the way from the subnet to any member: the members'
	// (shared) inbound groups.
	deliver *edge
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
	return b.String()
}

// buildClasses groups the interfaces of every subnet into classes.
func (e *Engine) buildClasses() {
	byKey := map[string]*class{}
	for _, x := range e.net.Interfaces {
		n := e.eni[x.ID]
		if n == nil || n.subnet == nil || x.OwnerKind == model.OwnerNATGateway {
			continue
		}
		k := classKey(x)
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
		c.subnet.classes = append(c.subnet.classes, c)
	}
}
