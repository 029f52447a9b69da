// The changes between two networks that can change reachability, and the
// attribution of a comparison's units to them.

package reach

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach/hset"
)

// ChangeKind is what kind of difference a Change is.
type ChangeKind uint8

// Change kinds.
const (
	ChangeAdded       ChangeKind = iota + 1 // an element only the second network has
	ChangeRemoved                           // an element only the first network has
	ChangeModified                          // an element whose content differs otherwise
	ChangeRuleAdded                         // a security group or network ACL rule, or a route, added
	ChangeRuleRemoved                       // one removed
	ChangeAssociation                       // a subnet uses another route table or network ACL
	ChangeAddress                           // an interface's addresses differ
	ChangeGroups                            // an interface's security groups differ
)

func (k ChangeKind) String() string {
	return enumName(k, "added", "removed", "changed", "rule-added", "rule-removed", "association", "address", "security-groups")
}

// MarshalText implements encoding.TextMarshaler.
func (k ChangeKind) MarshalText() ([]byte, error) { return enumText(k) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (k *ChangeKind) UnmarshalText(b []byte) error { return enumParse(k, b) }

// Change is one difference between two networks that can change
// reachability.
type Change struct {
	Kind ChangeKind `json:"kind"`
	// Element is what changed: a security group, network ACL, route table,
	// subnet, interface (named by its owner), gateway…; from the second
	// network when it has it.
	Element Ref `json:"element"`
	// Key is the element's stable key (model.Keys).
	Key string `json:"key"`
	// Rule is the rule or route added or removed.
	Rule *RuleRef `json:"rule,omitempty"`
	// Detail says what changed, in words.
	Detail string `json:"detail"`
	// Resource is the Terraform address of the resource that carries the
	// change: the rule's own resource, the association, else the element's.
	Resource string `json:"resource,omitempty"`
	// Pos is where the change is written: in the second network; for what
	// only the first has (a deleted rule), in the first, and Gone is set.
	Pos  model.Pos `json:"pos,omitzero"`
	Gone bool      `json:"gone,omitempty"`

	// elems are the keys of the elements whose presence on a unit's path
	// makes the change a candidate cause; ifaces the keys of the
	// interfaces it concerns directly.
	elems, ifaces []string
	// For a rule: its protocols and, for TCP and UDP, ports; nacl marks a
	// network ACL rule, whose return-path rules match client ports.
	rule  bool
	proto hset.Range8
	ports hset.Range16
	nacl  bool
}

// changes lists the differences between two networks, elements matched by
// key.
//
// content are content hashes already computed (nil: none), by element.
func changes(before, after *Engine, content map[any]uint64) []Change {
	if content == nil {
		content = map[any]uint64{}
	}
	c := &changeSet{b: before, a: after, kb: before.Keys(), ka: after.Keys(), content: content}
	c.securityGroups()
	c.networkACLs()
	c.routeTables()
	c.subnets()
	c.interfaces()
	c.others()
	slices.SortStableFunc(c.out, func(x, y Change) int {
		return cmp.Or(cmp.Compare(x.Pos.File, y.Pos.File), cmp.Compare(x.Pos.Line, y.Pos.Line), cmp.Compare(x.Key, y.Key), cmp.Compare(x.Detail, y.Detail))
	})
	if c.out == nil {
		return []Change{}
	}
	return c.out
}

type changeSet struct {
	b, a   *Engine
	kb, ka *model.Keys
	out    []Change
	// bySubnet are the keys of the interfaces of each subnet, by "b ID" and
	// "a ID".
	bySubnet map[string][]string
	content  map[any]uint64
}

// same reports whether two elements have the same content.
func (c *changeSet) same(b, a any) bool {
	hash := func(x any) uint64 {
		if h, ok := c.content[x]; ok {
			return h
		}
		h := contentHash(x)
		c.content[x] = h
		return h
	}
	return hash(b) == hash(a)
}

// pair matches the elements of one kind of both networks by key, in the
// order of the second network then the first's others.
func pair[T any](c *changeSet, list func(*model.Network) []*T, meta func(*T) *model.Meta) [][2]*T {
	bs := map[string]*T{}
	for _, x := range list(c.b.net) {
		bs[c.kb.Of(meta(x).ID)] = x
	}
	var out [][2]*T
	seen := map[string]bool{}
	for _, x := range list(c.a.net) {
		k := c.ka.Of(meta(x).ID)
		seen[k] = true
		out = append(out, [2]*T{bs[k], x})
	}
	for _, x := range list(c.b.net) {
		if k := c.kb.Of(meta(x).ID); !seen[k] {
			out = append(out, [2]*T{x, nil})
		}
	}
	return out
}

func (c *changeSet) add(ch Change) { c.out = append(c.out, ch) }

// element records an element added or removed, or modified when its
// content differs and no finer change said so.
func elementChange[T any](c *changeSet, kind string, p [2]*T, meta func(*T) *model.Meta, finer bool) {
	b, a := p[0], p[1]
	switch {
	case b == nil:
		m := meta(a)
		c.add(Change{Kind: ChangeAdded, Element: refOf(kind, m), Key: c.ka.Of(m.ID), Detail: kind + " added",
			Resource: m.Address, Pos: m.Pos, elems: []string{c.ka.Of(m.ID)}})
	case a == nil:
		m := meta(b)
		c.add(Change{Kind: ChangeRemoved, Element: refOf(kind, m), Key: c.kb.Of(m.ID), Detail: kind + " removed",
			Resource: m.Address, Pos: m.Pos, Gone: true, elems: []string{c.kb.Of(m.ID)}})
	case !finer && contentHash(b) != contentHash(a):
		m := meta(a)
		c.add(Change{Kind: ChangeModified, Element: refOf(kind, m), Key: c.ka.Of(m.ID), Detail: kind + " changed",
			Resource: m.Address, Pos: m.Pos, elems: []string{c.ka.Of(m.ID)}})
	}
}

// ruleDiff reports the rules of one list that the other lacks, as many
// times as it lacks them.
func ruleDiff[T any](bs, as []T, id func(*model.Keys, *T) string, kb, ka *model.Keys) (removed, added []*T) {
	count := map[string]int{}
	for i := range as {
		count[id(ka, &as[i])]++
	}
	for i := range bs {
		k := id(kb, &bs[i])
		if count[k] > 0 {
			count[k]--
			continue
		}
		removed = append(removed, &bs[i])
	}
	count = map[string]int{}
	for i := range bs {
		count[id(kb, &bs[i])]++
	}
	for i := range as {
		k := id(ka, &as[i])
		if count[k] > 0 {
			count[k]--
			continue
		}
		added = append(added, &as[i])
	}
	return removed, added
}

func aclRuleID(_ *model.Keys, r *model.ACLRule) string {
	return fmt.Sprintf("%d|%s|%s|%s|%s|%s|%s", r.Number, r.Direction, r.Action, r.Protocol, r.Ports, r.ICMP, r.CIDR)
}

// ruleMatch fills a rule change's protocols and ports.
func ruleMatch(ch *Change, p model.Protocol, ports model.PortRange) {
	ch.rule = true
	r := ProtocolsOf(p)
	ch.proto = hset.Range8{Lo: uint8(r.lo - 1), Hi: uint8(r.hi - 1)}
	ch.ports = allPorts
	if p.HasPorts() {
		ch.ports = hset.Range16{Lo: ports.First, Hi: ports.Last}
	}
}

// ruleChange records a rule removed from (gone) or added to the element
// kind whose ID and meta are, after the change, id and meta: security group
// and network ACL rules are told apart the same way.
func (c *changeSet) ruleChange(kind, id string, meta *model.Meta, ref RuleRef, address string, pos model.Pos, p model.Protocol, ports model.PortRange, gone, nacl bool) {
	verb := "added "
	kindOf := ChangeRuleAdded
	if gone {
		verb, kindOf = "removed ", ChangeRuleRemoved
	}
	key := c.ka.Of(id)
	ch := Change{Kind: kindOf, Element: refOf(kind, meta), Key: key, Rule: &ref, Detail: verb + ref.Text, Resource: address, Pos: pos,
		Gone: gone, elems: []string{key}, nacl: nacl}
	ruleMatch(&ch, p, ports)
	c.add(ch)
}

func (c *changeSet) securityGroups() {
	meta := func(x *model.SecurityGroup) *model.Meta { return &x.Meta }
	for _, p := range pair(c, func(n *model.Network) []*model.SecurityGroup { return n.SecurityGroups }, meta) {
		b, a := p[0], p[1]
		if b == nil || a == nil {
			elementChange(c, "security-group", p, meta, false)
			continue
		}
		if c.same(b, a) {
			continue
		}
		finer := false
		for _, dir := range []model.Direction{model.Ingress, model.Egress} {
			rb, ra := b.Ingress, a.Ingress
			if dir == model.Egress {
				rb, ra = b.Egress, a.Egress
			}
			removed, added := ruleDiff(rb, ra, (*model.Keys).SGRule, c.kb, c.ka)
			for _, r := range removed {
				c.ruleChange("security-group", a.ID, &a.Meta, sgRuleRef(b, r), r.Address, r.Pos, r.Protocol, r.Ports, true, false)
				finer = true
			}
			for _, r := range added {
				c.ruleChange("security-group", a.ID, &a.Meta, sgRuleRef(a, r), r.Address, r.Pos, r.Protocol, r.Ports, false, false)
				finer = true
			}
		}
		if !finer {
			elementChange(c, "security-group", p, meta, false)
		}
	}
}

func (c *changeSet) networkACLs() {
	meta := func(x *model.NetworkACL) *model.Meta { return &x.Meta }
	for _, p := range pair(c, func(n *model.Network) []*model.NetworkACL { return n.NetworkACLs }, meta) {
		b, a := p[0], p[1]
		if b == nil || a == nil {
			elementChange(c, "network-acl", p, meta, false)
			continue
		}
		if c.same(b, a) {
			continue
		}
		for _, dir := range []model.Direction{model.Ingress, model.Egress} {
			rb, ra := b.Ingress, a.Ingress
			if dir == model.Egress {
				rb, ra = b.Egress, a.Egress
			}
			removed, added := ruleDiff(rb, ra, aclRuleID, c.kb, c.ka)
			for _, r := range removed {
				c.ruleChange("network-acl", a.ID, &a.Meta, aclRuleRef(b, r), r.Address, r.Pos, r.Protocol, r.Ports, true, true)
			}
			for _, r := range added {
				c.ruleChange("network-acl", a.ID, &a.Meta, aclRuleRef(a, r), r.Address, r.Pos, r.Protocol, r.Ports, false, true)
			}
		}
		// Associations are the subnets': see subnets.
		bb, aa := *b, *a
		bb.Ingress, bb.Egress, bb.Associations, aa.Ingress, aa.Egress, aa.Associations = nil, nil, nil, nil, nil, nil
		if contentHash(&bb) != contentHash(&aa) {
			elementChange(c, "network-acl", p, meta, false)
		}
	}
}

func (c *changeSet) routeTables() {
	meta := func(x *model.RouteTable) *model.Meta { return &x.Meta }
	for _, p := range pair(c, func(n *model.Network) []*model.RouteTable { return n.RouteTables }, meta) {
		b, a := p[0], p[1]
		if b == nil || a == nil {
			elementChange(c, "route-table", p, meta, false)
			continue
		}
		if c.same(b, a) && gatewayAssocs(b, c.kb) == gatewayAssocs(a, c.ka) {
			continue
		}
		removed, added := ruleDiff(b.Routes, a.Routes, (*model.Keys).Route, c.kb, c.ka)
		for _, r := range removed {
			ref := routeRef(b, r, routeDest(r))
			c.add(Change{Kind: ChangeRuleRemoved, Element: refOf("route-table", &a.Meta), Key: c.ka.Of(a.ID), Rule: &ref,
				Detail: "removed " + ref.Text, Resource: r.Address, Pos: r.Pos, Gone: true, elems: []string{c.ka.Of(a.ID)}})
		}
		for _, r := range added {
			ref := routeRef(a, r, routeDest(r))
			c.add(Change{Kind: ChangeRuleAdded, Element: refOf("route-table", &a.Meta), Key: c.ka.Of(a.ID), Rule: &ref,
				Detail: "added " + ref.Text, Resource: r.Address, Pos: r.Pos, elems: []string{c.ka.Of(a.ID)}})
		}
		bb, aa := *b, *a
		bb.Routes, bb.Associations, aa.Routes, aa.Associations = nil, nil, nil, nil
		if contentHash(&bb) != contentHash(&aa) || gatewayAssocs(b, c.kb) != gatewayAssocs(a, c.ka) {
			elementChange(c, "route-table", p, meta, false)
		}
	}
}

// gatewayAssocs names the gateways a route table is associated with (edge
// associations), which subnets does not cover.
func gatewayAssocs(rt *model.RouteTable, k *model.Keys) string {
	var out []string
	for _, a := range rt.Associations {
		if a.GatewayID != "" {
			out = append(out, k.Of(a.GatewayID))
		}
	}
	slices.Sort(out)
	return strings.Join(out, ",")
}

// subnets records the subnets that use another route table or network ACL,
// and subnets added, removed or changed.
func (c *changeSet) subnets() {
	meta := func(x *model.Subnet) *model.Meta { return &x.Meta }
	c.bySubnet = map[string][]string{}
	for _, x := range c.b.net.Interfaces {
		c.bySubnet["b "+x.SubnetID] = append(c.bySubnet["b "+x.SubnetID], c.kb.Of(x.ID))
	}
	for _, x := range c.a.net.Interfaces {
		c.bySubnet["a "+x.SubnetID] = append(c.bySubnet["a "+x.SubnetID], c.ka.Of(x.ID))
	}
	rtb, rta := c.b.net.SubnetRouteTables(), c.a.net.SubnetRouteTables()
	aclb, acla := c.b.net.SubnetACLs(), c.a.net.SubnetACLs()
	for _, p := range pair(c, func(n *model.Network) []*model.Subnet { return n.Subnets }, meta) {
		b, a := p[0], p[1]
		elementChange(c, "subnet", p, meta, false)
		if b == nil || a == nil {
			continue
		}
		key := c.ka.Of(a.ID)
		ifaces := c.subnetInterfaces(b.ID, a.ID)
		oldRT, newRT := tableKey(rtb[b.ID], c.kb), tableKey(rta[a.ID], c.ka)
		if oldRT != newRT {
			ch := Change{Kind: ChangeAssociation, Element: refOf("subnet", &a.Meta), Key: key,
				Detail: fmt.Sprintf("route table %s -> %s", tableLabel(rtb[b.ID]), tableLabel(rta[a.ID])),
				elems:  []string{key, oldRT, newRT}, ifaces: ifaces}
			if m := rtAssociation(rta[a.ID], a.ID); m != nil {
				ch.Resource, ch.Pos = m.Address, m.Pos
			} else if m := rtAssociation(rtb[b.ID], b.ID); m != nil {
				ch.Resource, ch.Pos, ch.Gone = m.Address, m.Pos, true
			}
			c.add(ch)
		}
		oldACL, newACL := aclKeyOf(aclb[b.ID], c.kb), aclKeyOf(acla[a.ID], c.ka)
		if oldACL != newACL {
			ch := Change{Kind: ChangeAssociation, Element: refOf("subnet", &a.Meta), Key: key,
				Detail: fmt.Sprintf("network ACL %s -> %s", aclLabel(aclb[b.ID]), aclLabel(acla[a.ID])),
				elems:  []string{key, oldACL, newACL}, ifaces: ifaces}
			if m := aclAssociation(acla[a.ID], a.ID); m != nil {
				ch.Resource, ch.Pos = m.Address, m.Pos
			} else if m := aclAssociation(aclb[b.ID], b.ID); m != nil {
				ch.Resource, ch.Pos, ch.Gone = m.Address, m.Pos, true
			}
			c.add(ch)
		}
	}
}

func (c *changeSet) subnetInterfaces(b, a string) []string {
	out := slices.Concat(c.bySubnet["b "+b], c.bySubnet["a "+a])
	slices.Sort(out)
	return slices.Compact(out)
}

func tableKey(rt *model.RouteTable, k *model.Keys) string {
	if rt == nil {
		return ""
	}
	return k.Of(rt.ID)
}

func tableLabel(rt *model.RouteTable) string {
	if rt == nil {
		return "(none)"
	}
	return rt.Label()
}

func aclKeyOf(a *model.NetworkACL, k *model.Keys) string {
	if a == nil {
		return ""
	}
	return k.Of(a.ID)
}

func aclLabel(a *model.NetworkACL) string {
	if a == nil {
		return "(none)"
	}
	return a.Label()
}

func rtAssociation(rt *model.RouteTable, subnet string) *model.Meta {
	if rt == nil {
		return nil
	}
	for i := range rt.Associations {
		if rt.Associations[i].SubnetID == subnet && !rt.Associations[i].Pos.IsZero() {
			return &rt.Associations[i].Meta
		}
	}
	return nil
}

func aclAssociation(a *model.NetworkACL, subnet string) *model.Meta {
	if a == nil {
		return nil
	}
	for i := range a.Associations {
		if a.Associations[i].SubnetID == subnet && !a.Associations[i].Pos.IsZero() {
			return &a.Associations[i].Meta
		}
	}
	return nil
}

// interfaces records interfaces added or removed, and those whose
// addresses or security groups differ.
func (c *changeSet) interfaces() {
	meta := func(x *model.NetworkInterface) *model.Meta { return &x.Meta }
	for _, p := range pair(c, func(n *model.Network) []*model.NetworkInterface { return n.Interfaces }, meta) {
		b, a := p[0], p[1]
		switch {
		case b == nil:
			o := c.owner(c.a, a)
			c.add(Change{Kind: ChangeAdded, Element: o, Key: c.ka.Of(a.ID), Detail: "network interface added",
				Resource: o.Address, Pos: o.Pos, ifaces: []string{c.ka.Of(a.ID)}})
			continue
		case a == nil:
			o := c.owner(c.b, b)
			c.add(Change{Kind: ChangeRemoved, Element: o, Key: c.kb.Of(b.ID), Detail: "network interface removed",
				Resource: o.Address, Pos: o.Pos, Gone: true, ifaces: []string{c.kb.Of(b.ID)}})
			continue
		}
		if c.same(b, a) {
			continue
		}
		key := c.ka.Of(a.ID)
		o := c.owner(c.a, a)
		if gb, ga := c.groups(b, c.kb), c.groups(a, c.ka); gb != ga {
			c.add(Change{Kind: ChangeGroups, Element: o, Key: key, Detail: fmt.Sprintf("security groups %s -> %s", orNone(gb), orNone(ga)),
				Resource: o.Address, Pos: o.Pos, ifaces: []string{key}})
		}
		if pb, pa := publicAddrs(b), publicAddrs(a); pb != pa {
			ch := Change{Kind: ChangeAddress, Element: o, Key: key, Detail: fmt.Sprintf("public address %s -> %s", orNone(pb), orNone(pa)),
				Resource: o.Address, Pos: o.Pos, ifaces: []string{key}}
			if m := c.eipAssociation(c.a, a); m != nil {
				ch.Resource, ch.Pos = m.Address, m.Pos
			} else if m := c.eipAssociation(c.b, b); m != nil && len(a.PublicIPs) == 0 {
				ch.Resource, ch.Pos, ch.Gone = m.Address, m.Pos, true
			}
			c.add(ch)
		}
		if pb, pa := privateAddrs(b), privateAddrs(a); pb != pa {
			c.add(Change{Kind: ChangeAddress, Element: o, Key: key, Detail: fmt.Sprintf("private addresses %s -> %s", orNone(pb), orNone(pa)),
				Resource: o.Address, Pos: o.Pos, ifaces: []string{key}})
		}
		bb, aa := *b, *a
		bb.SecurityGroupIDs, bb.PublicIPs, bb.PrivateIPs, bb.IPv6Addrs, bb.Placeholders, bb.ID = nil, nil, nil, nil, nil, ""
		aa.SecurityGroupIDs, aa.PublicIPs, aa.PrivateIPs, aa.IPv6Addrs, aa.Placeholders, aa.ID = nil, nil, nil, nil, nil, ""
		bb.SubnetID, aa.SubnetID, bb.OwnerID, aa.OwnerID = c.kb.Of(b.SubnetID), c.ka.Of(a.SubnetID), c.kb.Of(b.OwnerID), c.ka.Of(a.OwnerID)
		if contentHash(&bb) != contentHash(&aa) {
			c.add(Change{Kind: ChangeModified, Element: o, Key: key, Detail: "network interface changed (subnet, source/destination check or owner)",
				Resource: o.Address, Pos: o.Pos, ifaces: []string{key}})
		}
	}
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// owner names an interface by what owns it, positioned where the owner is
// declared.
func (c *changeSet) owner(e *Engine, x *model.NetworkInterface) Ref {
	if o := e.ownerRef(x); o != nil && o.Kind != "" {
		return *o
	}
	return refOf("network-interface", &x.Meta)
}

func (c *changeSet) groups(x *model.NetworkInterface, k *model.Keys) string {
	var out []string
	for _, g := range x.SecurityGroupIDs {
		out = append(out, k.Of(g))
	}
	slices.Sort(out)
	return strings.Join(slices.Compact(out), ", ")
}

func publicAddrs(x *model.NetworkInterface) string {
	var out []string
	for _, p := range x.PublicIPs {
		if p.Placeholder {
			out = append(out, "unknown until apply")
		} else {
			out = append(out, p.Public.String())
		}
	}
	slices.Sort(out)
	return strings.Join(out, ", ")
}

func privateAddrs(x *model.NetworkInterface) string {
	var out []string
	for _, a := range slices.Concat(x.PrivateIPs, x.IPv6Addrs) {
		if x.IsPlaceholder(a) {
			out = append(out, "unknown until apply")
		} else {
			out = append(out, a.String())
		}
	}
	return strings.Join(out, ", ")
}

// eipAssociation is where the Elastic IP of an interface is associated
// with it: the aws_eip_association, else the aws_eip.
func (c *changeSet) eipAssociation(e *Engine, x *model.NetworkInterface) *model.Meta {
	for _, p := range x.PublicIPs {
		if p.ElasticIPID == "" {
			continue
		}
		if eip := e.ix.ElasticIPs[p.ElasticIPID]; eip != nil {
			if eip.Association.Address != "" || !eip.Association.Pos.IsZero() {
				return &eip.Association
			}
			return &eip.Meta
		}
	}
	return nil
}

// others compares the elements of the kinds that change as a whole.
func (c *changeSet) others() {
	each := func(kind string, pairs [][2]any, meta func(any) *model.Meta) {
		for _, p := range pairs {
			b, a := p[0], p[1]
			switch {
			case b == nil || a == nil || !c.same(b, a):
				m := meta(cmp.Or(a, b))
				k, gone := c.ka.Of(m.ID), a == nil
				if gone {
					k = c.kb.Of(m.ID)
				}
				ch := Change{Kind: ChangeModified, Element: refOf(kind, m), Key: k, Detail: kind + " changed",
					Resource: m.Address, Pos: m.Pos, Gone: gone, elems: []string{k}}
				switch {
				case b == nil:
					ch.Kind, ch.Detail = ChangeAdded, kind+" added"
				case a == nil:
					ch.Kind, ch.Detail = ChangeRemoved, kind+" removed"
				}
				c.add(ch)
			}
		}
	}
	each("vpc", anyPairs(pair(c, func(n *model.Network) []*model.VPC { return n.VPCs }, func(x *model.VPC) *model.Meta { return &x.Meta })), metaOf)
	each("internet-gateway", anyPairs(pair(c, func(n *model.Network) []*model.InternetGateway { return n.InternetGateways }, func(x *model.InternetGateway) *model.Meta { return &x.Meta })), metaOf)
	each("egress-only-internet-gateway", anyPairs(pair(c, func(n *model.Network) []*model.EgressOnlyInternetGateway { return n.EgressOnlyGateways }, func(x *model.EgressOnlyInternetGateway) *model.Meta { return &x.Meta })), metaOf)
	each("nat-gateway", anyPairs(pair(c, func(n *model.Network) []*model.NATGateway { return n.NATGateways }, func(x *model.NATGateway) *model.Meta { return &x.Meta })), metaOf)
	each("vpn-gateway", anyPairs(pair(c, func(n *model.Network) []*model.VPNGateway { return n.VPNGateways }, func(x *model.VPNGateway) *model.Meta { return &x.Meta })), metaOf)
	each("customer-gateway", anyPairs(pair(c, func(n *model.Network) []*model.CustomerGateway { return n.CustomerGateways }, func(x *model.CustomerGateway) *model.Meta { return &x.Meta })), metaOf)
	each("vpn-connection", anyPairs(pair(c, func(n *model.Network) []*model.VPNConnection { return n.VPNConnections }, func(x *model.VPNConnection) *model.Meta { return &x.Meta })), metaOf)
	each("transit-gateway", anyPairs(pair(c, func(n *model.Network) []*model.TransitGateway { return n.TransitGateways }, func(x *model.TransitGateway) *model.Meta { return &x.Meta })), metaOf)
	each("transit-gateway-attachment", anyPairs(pair(c, func(n *model.Network) []*model.TGWAttachment { return n.TGWAttachments }, func(x *model.TGWAttachment) *model.Meta { return &x.Meta })), metaOf)
	each("transit-gateway-route-table", anyPairs(pair(c, func(n *model.Network) []*model.TGWRouteTable { return n.TGWRouteTables }, func(x *model.TGWRouteTable) *model.Meta { return &x.Meta })), metaOf)
	each("vpc-peering-connection", anyPairs(pair(c, func(n *model.Network) []*model.PeeringConnection { return n.PeeringConnections }, func(x *model.PeeringConnection) *model.Meta { return &x.Meta })), metaOf)
	each("vpc-endpoint", anyPairs(pair(c, func(n *model.Network) []*model.VPCEndpoint { return n.Endpoints }, func(x *model.VPCEndpoint) *model.Meta { return &x.Meta })), metaOf)
	each("prefix-list", anyPairs(pair(c, func(n *model.Network) []*model.PrefixList { return n.PrefixLists }, func(x *model.PrefixList) *model.Meta { return &x.Meta })), metaOf)
	each("elastic-ip", anyPairs(pair(c, func(n *model.Network) []*model.ElasticIP { return n.ElasticIPs }, func(x *model.ElasticIP) *model.Meta { return &x.Meta })), metaOf)
}

// anyPairs erases the element type of pairs, a nil element staying nil.
func anyPairs[T any](ps [][2]*T) [][2]any {
	out := make([][2]any, len(ps))
	for i, p := range ps {
		if p[0] != nil {
			out[i][0] = p[0]
		}
		if p[1] != nil {
			out[i][1] = p[1]
		}
	}
	return out
}

// metaOf returns the Meta every element embeds.
func metaOf(x any) *model.Meta {
	switch v := x.(type) {
	case *model.VPC:
		return &v.Meta
	case *model.InternetGateway:
		return &v.Meta
	case *model.EgressOnlyInternetGateway:
		return &v.Meta
	case *model.NATGateway:
		return &v.Meta
	case *model.VPNGateway:
		return &v.Meta
	case *model.CustomerGateway:
		return &v.Meta
	case *model.VPNConnection:
		return &v.Meta
	case *model.TransitGateway:
		return &v.Meta
	case *model.TGWAttachment:
		return &v.Meta
	case *model.TGWRouteTable:
		return &v.Meta
	case *model.PeeringConnection:
		return &v.Meta
	case *model.VPCEndpoint:
		return &v.Meta
	case *model.PrefixList:
		return &v.Meta
	case *model.ElasticIP:
		return &v.Meta
	}
	return &model.Meta{}
}

// attribute gives each changed unit the changes it is attributed to: those
// that concern its interface directly (its addresses, groups, subnet's
// tables) or, for flows between interfaces, a source interface that gained
// or lost the flow; and those whose element is on the unit's path, before or
// after (a group or network ACL that decides, a route table that routes),
// when they are rules, of a protocol and ports that overlap the unit's (a
// network ACL rule also when its ports hold the client ports replies use).
// When that finds nothing, every change on the path is a cause; when that
// finds nothing either, the unit has no cause and a note says so.
func attribute(d *Delta, before, after *Engine) {
	kb, ka := before.Keys(), after.Keys()
	var unattributed []string
	for i := range d.Units {
		u := &d.Units[i]
		if u.Status == StatusUnchanged {
			continue
		}
		direct := map[string]bool{u.Key: true}
		for _, r := range slices.Concat(u.AddedFrom, u.RemovedFrom) {
			if n := after.byKeyRef(r); n != "" {
				direct[n] = true
			}
			if n := before.byKeyRef(r); n != "" {
				direct[n] = true
			}
		}
		onPath := map[string]bool{}
		for _, side := range []struct {
			f *Finding
			k *model.Keys
		}{{u.Before, kb}, {u.After, ka}} {
			if side.f == nil {
				continue
			}
			if side.f.Subnet.ID != "" {
				onPath[side.k.Of(side.f.Subnet.ID)] = true
			}
			for _, s := range side.f.Path {
				if s.Component.ID != "" {
					onPath[side.k.Of(s.Component.ID)] = true
				}
				for _, r := range s.Rules {
					if r.Owner.ID != "" {
						onPath[side.k.Of(r.Owner.ID)] = true
					}
				}
			}
		}
		var strict, loose []int
		for j := range d.Changes {
			ch := &d.Changes[j]
			if slices.ContainsFunc(ch.ifaces, func(k string) bool { return direct[k] }) {
				strict = append(strict, j)
				continue
			}
			if !slices.ContainsFunc(ch.elems, func(k string) bool { return k != "" && onPath[k] }) {
				continue
			}
			loose = append(loose, j)
			if !ch.rule || ch.relevant(u) {
				strict = append(strict, j)
			}
		}
		u.Causes = strict
		if len(u.Causes) == 0 {
			u.Causes = loose
		}
		if len(u.Causes) == 0 {
			unattributed = append(unattributed, fmt.Sprintf("%s %s (%s)", u.Target.Label(), unitService(u), u.Source))
		}
	}
	if len(unattributed) > 0 {
		d.Notes = append(d.Notes, Explanation{Code: CodeDestinationNotReached, Severity: SeverityNote,
			Message: fmt.Sprintf("no change of the network on the path could be named as the cause of %d changed units: %s", len(unattributed), listNames(unattributed))})
	}
}

// byKeyRef finds the key of an interface owned by the element r names.
func (e *Engine) byKeyRef(r Ref) string {
	k := e.Keys()
	for _, x := range e.net.Interfaces {
		if x.ID == r.ID || x.OwnerID == r.ID && r.ID != "" {
			return k.Of(x.ID)
		}
	}
	return ""
}

// relevant reports whether a rule change can concern the unit's service.
func (ch *Change) relevant(u *DeltaUnit) bool {
	pr := hset.Range8{Lo: uint8(u.Protocols.lo - 1), Hi: uint8(u.Protocols.hi - 1)}
	if ch.proto.Hi < pr.Lo || pr.Hi < ch.proto.Lo {
		return false
	}
	if ch.ports == allPorts || !(pr.Lo == pr.Hi && (pr.Lo == 6 || pr.Lo == 17)) {
		return true
	}
	if ch.ports.Lo <= u.Ports.Last && u.Ports.First <= ch.ports.Hi {
		return true
	}
	// A network ACL rule of client ports decides replies.
	return ch.nacl && ch.ports.Hi >= 1024
}

func unitService(u *DeltaUnit) string {
	p, single := u.Protocols.Single()
	switch {
	case single && p == model.ProtocolAll:
		return "all traffic"
	case single && p.HasPorts():
		return p.String() + " " + u.Ports.String()
	case single:
		return p.String()
	}
	return "protocols " + u.Protocols.String()
}
