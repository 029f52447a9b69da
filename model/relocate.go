package model

import "fmt"

// Relocate gives the elements of n, and their rules, routes and
// associations, the positions the same elements have in cfg — the network
// of the Terraform configuration n was planned or applied from — so that
// what a plan or a state describes points at the .tf file and line that
// declares it instead of at a JSON object. Elements are matched by key
// (Keys); rules and routes by owner and content, associations by subnet or
// gateway. What cfg does not have (a resource the configuration no longer
// declares) keeps its position. It returns how many positions it moved.
func (n *Network) Relocate(cfg *Network) int {
	if cfg == nil {
		return 0
	}
	kn, kc := n.Keys(), cfg.Keys()
	moved := 0
	take := func(dst *Meta, src *Meta) {
		if src.Pos.File != "" && src.Pos != dst.Pos {
			dst.Pos = src.Pos
			moved++
		}
	}
	byKey := map[string]*Meta{}
	for _, el := range cfg.elements() {
		if el.meta.ID != "" {
			byKey[el.kind+" "+kc.Of(el.meta.ID)] = el.meta
		}
	}
	for _, el := range n.elements() {
		if m := byKey[el.kind+" "+kn.Of(el.meta.ID)]; m != nil && el.meta.ID != "" {
			take(el.meta, m)
		}
	}
	ix := cfg.Index()
	// Rules, routes and associations, matched within their owners.
	for _, sg := range n.SecurityGroups {
		other := ix.SecurityGroups[cfgID(kc, kn.Of(sg.ID), cfg.SecurityGroups, func(x *SecurityGroup) *Meta { return &x.Meta })]
		if other == nil {
			continue
		}
		relocateList(sg.Ingress, other.Ingress, func(r *SGRule) *Meta { return &r.Meta }, (*Keys).SGRule, kn, kc, take)
		relocateList(sg.Egress, other.Egress, func(r *SGRule) *Meta { return &r.Meta }, (*Keys).SGRule, kn, kc, take)
	}
	for _, acl := range n.NetworkACLs {
		other := ix.NetworkACLs[cfgID(kc, kn.Of(acl.ID), cfg.NetworkACLs, func(x *NetworkACL) *Meta { return &x.Meta })]
		if other == nil {
			continue
		}
		ruleKey := func(_ *Keys, r *ACLRule) string { return fmt.Sprintf("%s %d", r.Direction, r.Number) }
		relocateList(acl.Ingress, other.Ingress, func(r *ACLRule) *Meta { return &r.Meta }, ruleKey, kn, kc, take)
		relocateList(acl.Egress, other.Egress, func(r *ACLRule) *Meta { return &r.Meta }, ruleKey, kn, kc, take)
		relocateList(acl.Associations, other.Associations, func(a *ACLAssociation) *Meta { return &a.Meta },
			func(k *Keys, a *ACLAssociation) string { return k.Of(a.SubnetID) }, kn, kc, take)
	}
	for _, rt := range n.RouteTables {
		other := ix.RouteTables[cfgID(kc, kn.Of(rt.ID), cfg.RouteTables, func(x *RouteTable) *Meta { return &x.Meta })]
		if other == nil {
			continue
		}
		relocateList(rt.Routes, other.Routes, func(r *Route) *Meta { return &r.Meta }, (*Keys).Route, kn, kc, take)
		relocateList(rt.Associations, other.Associations, func(a *RouteTableAssociation) *Meta { return &a.Meta },
			func(k *Keys, a *RouteTableAssociation) string { return k.Of(a.SubnetID) + "|" + k.Of(a.GatewayID) }, kn, kc, take)
	}
	for _, rt := range n.TGWRouteTables {
		other := ix.TGWRouteTables[cfgID(kc, kn.Of(rt.ID), cfg.TGWRouteTables, func(x *TGWRouteTable) *Meta { return &x.Meta })]
		if other == nil {
			continue
		}
		relocateList(rt.Routes, other.Routes, func(r *TGWRoute) *Meta { return &r.Meta },
			func(_ *Keys, r *TGWRoute) string { return r.Destination.String() }, kn, kc, take)
	}
	for _, eip := range n.ElasticIPs {
		for _, o := range cfg.ElasticIPs {
			if eip.Association.Address != "" && eip.Association.Address == o.Association.Address {
				take(&eip.Association, &o.Association)
			}
		}
	}
	return moved
}

// cfgID is the ID in cfg of the element of key k, among list.
func cfgID[T any](kc *Keys, k string, list []*T, meta func(*T) *Meta) string {
	for _, x := range list {
		if m := meta(x); kc.Of(m.ID) == k {
			return m.ID
		}
	}
	return ""
}

// relocateList moves the positions of items of dst to those of the items of
// src with the same key, each src item used once.
func relocateList[T any](dst, src []T, meta func(*T) *Meta, key func(*Keys, *T) string, kn, kc *Keys, take func(dst, src *Meta)) {
	avail := map[string][]*Meta{}
	for i := range src {
		k := key(kc, &src[i])
		avail[k] = append(avail[k], meta(&src[i]))
	}
	for i := range dst {
		k := key(kn, &dst[i])
		if ms := avail[k]; len(ms) > 0 {
			take(meta(&dst[i]), ms[0])
			avail[k] = ms[1:]
		}
	}
}

// SGRule identifies a security group rule by what it allows, with the
// group or prefix list it names by key: the same rule in two networks
// (a configuration and its state) has the same string.
func (k *Keys) SGRule(r *SGRule) string {
	peer := r.Peer.CIDR.String()
	switch r.Peer.Kind {
	case PeerPrefixList:
		peer = "pl:" + k.Of(r.Peer.PrefixListID)
	case PeerSecurityGroup:
		peer = "sg:" + k.Of(r.Peer.GroupID)
	}
	return fmt.Sprintf("%s|%s|%s|%s|%s", r.Direction, r.Protocol, r.Ports, r.ICMP, peer)
}

// Route identifies a route by destination and target, by key.
func (k *Keys) Route(r *Route) string {
	dest := r.Destination.String()
	if r.DestinationPrefixListID != "" {
		dest = "pl:" + k.Of(r.DestinationPrefixListID)
	}
	return fmt.Sprintf("%s|%s|%s|%t", dest, r.Target.Kind, k.Of(r.Target.ID), r.Blackhole)
}
