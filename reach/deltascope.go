// What a change between two networks can affect: the interfaces whose
// flows a comparison must analyse again (Compare), and the proof obligation
// behind it.

package reach

import (
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"net/netip"
	"reflect"
	"slices"
	"strings"

	"github.com/vpcsim/vpcsim/model"
)

// A flow between two interfaces, or from outside the network to one, is
// decided by the elements its walk crosses, forward and back: the two
// interfaces, their security groups (and the members of groups their rules
// name, and prefix lists), their subnets' network ACLs and route tables, their
// VPCs' gateways, and whatever the route tables send traffic through — NAT
// gateways and their subnets, transit gateways with every attachment and its
// subnets, peering connections, VPN gateways, endpoints, appliance
// interfaces — recursively. An interface's dependency hash covers all of
// these; when an interface's hash is the same in both networks, and so is
// that of every interface it exchanges traffic with, the walks between them
// cross the same elements with the same content and decide the same, so the
// comparison need not analyse them again. TestCompareScopedEqualsFull checks
// this on random one-rule changes against the comparison of everything.

// contentSeed is the seed of every content hash: the same element has the
// same hash in both networks of one comparison.
var contentSeed = maphash.MakeSeed()

// skipFields are the fields of elements that do not change what the data
// plane does: where an element is declared, what it is called, what vpcsim
// knows of its origin.
var skipFields = map[string]bool{"Pos": true, "Tags": true, "Name": true, "Unknown": true, "Synthetic": true,
	"Address": true, "Description": true, "Association": true}

// contentHash hashes what the data plane sees of an element (or of any
// value of the model): every exported field but those of skipFields.
func contentHash(v any) uint64 {
	var h maphash.Hash
	h.SetSeed(contentSeed)
	hashValue(&h, reflect.ValueOf(v))
	return h.Sum64()
}

var (
	addrType   = reflect.TypeFor[netip.Addr]()
	prefixType = reflect.TypeFor[netip.Prefix]()
)

func hashValue(h *maphash.Hash, v reflect.Value) {
	var buf [8]byte
	putInt := func(n uint64) {
		binary.LittleEndian.PutUint64(buf[:], n)
		h.Write(buf[:])
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			putInt(0)
			return
		}
		putInt(1)
		hashValue(h, v.Elem())
	case reflect.Struct:
		switch v.Type() {
		case addrType:
			b, _ := v.Interface().(netip.Addr).MarshalBinary()
			putInt(uint64(len(b)))
			h.Write(b)
			return
		case prefixType:
			b, _ := v.Interface().(netip.Prefix).MarshalBinary()
			putInt(uint64(len(b)))
			h.Write(b)
			return
		}
		t := v.Type()
		for i := range t.NumField() {
			if !t.Field(i).IsExported() {
				// A value type keeping its state private (model.ICMPMatch)
				// says what it is in its String.
				if st, ok := v.Interface().(fmt.Stringer); ok {
					h.WriteString(t.String() + ":" + st.String())
				} else {
					h.WriteString(fmt.Sprintf("%#v", v.Interface()))
				}
				return
			}
		}
		for i := range t.NumField() {
			f := t.Field(i)
			if skipFields[f.Name] {
				continue
			}
			h.WriteString(f.Name)
			hashValue(h, v.Field(i))
		}
	case reflect.Slice, reflect.Array:
		putInt(uint64(v.Len()))
		for i := range v.Len() {
			hashValue(h, v.Index(i))
		}
	case reflect.Map:
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int {
			switch {
			case a.String() < b.String():
				return -1
			case a.String() > b.String():
				return 1
			}
			return 0
		})
		putInt(uint64(len(keys)))
		for _, k := range keys {
			hashValue(h, k)
			hashValue(h, v.MapIndex(k))
		}
	case reflect.String:
		putInt(uint64(v.Len()))
		h.WriteString(v.String())
	case reflect.Bool:
		if v.Bool() {
			putInt(1)
		} else {
			putInt(0)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		putInt(uint64(v.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		putInt(v.Uint())
	default:
		// Kinds the model does not use (floats, funcs, channels): their
		// type stands for them, so that adding one is noticed as a
		// difference only when its type changes. None exists today.
		h.WriteString(v.Type().String())
	}
}

// handledKinds are the fields of model.Network that dependency hashes
// follow. A difference anywhere else in the network (a kind of element a
// later version adds, the unsupported resources) makes a comparison analyse
// everything.
var handledKinds = map[string]bool{"VPCs": true, "Subnets": true, "RouteTables": true, "NetworkACLs": true,
	"SecurityGroups": true, "Interfaces": true, "Instances": true, "InternetGateways": true, "EgressOnlyGateways": true,
	"NATGateways": true, "VPNGateways": true, "CustomerGateways": true, "VPNConnections": true, "TransitGateways": true,
	"TGWAttachments": true, "TGWRouteTables": true, "PeeringConnections": true, "Endpoints": true, "PrefixLists": true,
	"ElasticIPs": true, "Source": true}

// restHash hashes what the dependency hashes do not follow.
func restHash(n *model.Network) uint64 {
	var h maphash.Hash
	h.SetSeed(contentSeed)
	v := reflect.ValueOf(n).Elem()
	t := v.Type()
	for i := range t.NumField() {
		if f := t.Field(i); f.IsExported() && !handledKinds[f.Name] {
			h.WriteString(f.Name)
			hashValue(&h, v.Field(i))
		}
	}
	return h.Sum64()
}

// deps computes dependency hashes of the interfaces of one network.
type deps struct {
	n    *model.Network
	ix   *model.Index
	keys *model.Keys
	rts  map[string]*model.RouteTable
	acls map[string]*model.NetworkACL

	content map[any]uint64
	members map[string]uint64 // security group ID -> hash of its members
	// vpcGateways are, per VPC, the gateways attached to it and the route
	// tables associated with gateways (ingress routing).
	vpcGateways map[string][]any
	natByID     map[string]*model.NATGateway
	natENI      map[string]*model.NetworkInterface
	subnetLocal map[string]uint64
	closure     map[string]uint64
	transits    map[model.RouteTarget]transit
}

func newDeps(n *model.Network, keys *model.Keys) *deps {
	d := &deps{n: n, ix: n.Index(), keys: keys, rts: n.SubnetRouteTables(), acls: n.SubnetACLs(),
		content: map[any]uint64{}, members: map[string]uint64{}, vpcGateways: map[string][]any{},
		natByID: map[string]*model.NATGateway{}, natENI: map[string]*model.NetworkInterface{},
		subnetLocal: map[string]uint64{}, closure: map[string]uint64{}, transits: map[model.RouteTarget]transit{}}
	for _, x := range n.Interfaces {
		m := contentHash(struct {
			ID    string
			Addrs []netip.Addr
			V6    []netip.Addr
		}{x.ID, x.PrivateIPs, x.IPv6Addrs})
		for _, g := range x.SecurityGroupIDs {
			d.members[g] += m // a sum: the order of members does not matter
		}
		if x.OwnerKind == model.OwnerNATGateway {
			d.natENI[x.OwnerID] = x
		}
	}
	for _, g := range n.InternetGateways {
		d.vpcGateways[g.VPCID] = append(d.vpcGateways[g.VPCID], g)
	}
	for _, g := range n.EgressOnlyGateways {
		d.vpcGateways[g.VPCID] = append(d.vpcGateways[g.VPCID], g)
	}
	for _, g := range n.VPNGateways {
		d.vpcGateways[g.VPCID] = append(d.vpcGateways[g.VPCID], g)
	}
	for _, rt := range n.RouteTables {
		for _, a := range rt.Associations {
			if a.GatewayID != "" {
				d.vpcGateways[rt.VPCID] = append(d.vpcGateways[rt.VPCID], rt)
				break
			}
		}
	}
	for _, g := range n.NATGateways {
		d.natByID[g.ID] = g
	}
	return d
}

// of is the content hash of an element, memoised.
func (d *deps) of(x any) uint64 {
	if h, ok := d.content[x]; ok {
		return h
	}
	h := contentHash(x)
	d.content[x] = h
	return h
}

// mix combines hashes in order.
func mix(hs ...uint64) uint64 {
	var h maphash.Hash
	h.SetSeed(contentSeed)
	var buf [8]byte
	for _, x := range hs {
		binary.LittleEndian.PutUint64(buf[:], x)
		h.Write(buf[:])
	}
	return h.Sum64()
}

// local is what a subnet's own traffic crosses: the subnet, its network
// ACL, its route table, its VPC and the VPC's gateways and gateway route
// tables.
func (d *deps) local(subnetID string) uint64 {
	if h, ok := d.subnetLocal[subnetID]; ok {
		return h
	}
	hs := []uint64{contentHash(subnetID)}
	if s := d.ix.Subnets[subnetID]; s != nil {
		hs = append(hs, d.of(s))
		if v := d.ix.VPCs[s.VPCID]; v != nil {
			hs = append(hs, d.of(v))
		}
		for _, g := range d.vpcGateways[s.VPCID] {
			hs = append(hs, d.of(g))
		}
	}
	if a := d.acls[subnetID]; a != nil {
		hs = append(hs, d.of(a))
	}
	if rt := d.rts[subnetID]; rt != nil {
		hs = append(hs, d.of(rt))
	}
	h := mix(hs...)
	d.subnetLocal[subnetID] = h
	return h
}

// transit is one element traffic is routed through; next lists the
// subnets whose routing it continues in.
type transit struct {
	hash    uint64
	subnets []string
	next    []string // other transit elements reached directly (peer transit gateways)
}

// transitOf describes the transit element a route target names, memoised.
func (d *deps) transitOf(t model.RouteTarget) transit {
	if tr, ok := d.transits[t]; ok {
		return tr
	}
	tr := d.transitOfNew(t)
	d.transits[t] = tr
	return tr
}

func (d *deps) transitOfNew(t model.RouteTarget) transit {
	switch t.Kind {
	case model.TargetNATGateway:
		if g := d.natByID[t.ID]; g != nil {
			hs := []uint64{d.of(g), d.local(g.SubnetID)}
			if x := d.natENI[g.ID]; x != nil {
				hs = append(hs, d.of(x))
			}
			return transit{hash: mix(hs...), subnets: []string{g.SubnetID}}
		}
	case model.TargetTransitGateway:
		return d.tgw(t.ID)
	case model.TargetPeering:
		if p := d.ix.Peerings[t.ID]; p != nil {
			hs := []uint64{d.of(p)}
			for _, v := range []string{p.RequesterVPCID, p.AccepterVPCID} {
				if x := d.ix.VPCs[v]; x != nil {
					hs = append(hs, d.of(x))
				}
			}
			return transit{hash: mix(hs...)}
		}
	case model.TargetVPNGateway:
		if g := d.ix.VPNGateways[t.ID]; g != nil {
			hs := []uint64{d.of(g)}
			for _, c := range d.n.VPNConnections {
				if c.VPNGatewayID == g.ID {
					hs = append(hs, d.of(c))
					if cg := d.ix.CustomerGateways[c.CustomerGatewayID]; cg != nil {
						hs = append(hs, d.of(cg))
					}
				}
			}
			return transit{hash: mix(hs...)}
		}
	case model.TargetGatewayEndpoint, model.TargetEndpoint:
		if ep := d.ix.Endpoints[t.ID]; ep != nil {
			hs := []uint64{d.of(ep)}
			if pl := d.ix.PrefixLists[ep.PrefixListID]; pl != nil {
				hs = append(hs, d.of(pl))
			}
			var subnets []string
			for _, id := range ep.InterfaceIDs {
				if x := d.ix.Interfaces[id]; x != nil {
					hs = append(hs, d.iface(x))
					subnets = append(subnets, x.SubnetID)
				}
			}
			return transit{hash: mix(hs...), subnets: subnets}
		}
	case model.TargetNetworkInterface, model.TargetInstance:
		x := d.ix.Interfaces[t.ID]
		if in := d.ix.Instances[t.ID]; x == nil && in != nil && len(in.InterfaceIDs) > 0 {
			x = d.ix.Interfaces[in.InterfaceIDs[0]]
		}
		if x != nil {
			return transit{hash: d.iface(x), subnets: []string{x.SubnetID}}
		}
	case model.TargetInternetGateway, model.TargetEgressOnlyGateway:
		if g := d.ix.InternetGateways[t.ID]; g != nil {
			return transit{hash: d.of(g)}
		}
		if g := d.ix.EgressOnly[t.ID]; g != nil {
			return transit{hash: d.of(g)}
		}
	}
	return transit{hash: contentHash(t)}
}

// tgw is a transit gateway with its tables, its attachments and their
// subnets, and the VPN connections attached to it.
func (d *deps) tgw(id string) transit {
	t := transit{}
	hs := []uint64{contentHash(id)}
	if g := d.ix.TransitGateways[id]; g != nil {
		hs = append(hs, d.of(g))
	}
	for _, rt := range d.n.TGWRouteTables {
		if rt.TransitGatewayID == id {
			hs = append(hs, d.of(rt))
		}
	}
	for _, a := range d.n.TGWAttachments {
		if a.TransitGatewayID != id && a.PeerTransitGatewayID != id {
			continue
		}
		hs = append(hs, d.of(a))
		t.subnets = append(t.subnets, a.SubnetIDs...)
		for _, other := range []string{a.TransitGatewayID, a.PeerTransitGatewayID} {
			if other != "" && other != id {
				t.next = append(t.next, other)
			}
		}
		if c := d.ix.VPNConnections[a.VPNConnectionID]; c != nil {
			hs = append(hs, d.of(c))
		}
	}
	for _, c := range d.n.VPNConnections {
		if c.TransitGatewayID == id {
			hs = append(hs, d.of(c))
		}
	}
	t.hash = mix(hs...)
	return t
}

// closureOf is the hash of everything traffic from or to a subnet's
// interfaces can cross outside the interfaces themselves: the subnet's own
// elements and, recursively, every transit element its route table (and
// those of the subnets traffic continues in) sends traffic to. Subnets that
// share a route table share the transit part, computed once.
func (d *deps) closureOf(subnetID string) uint64 {
	if h, ok := d.closure[subnetID]; ok {
		return h
	}
	rtKey := ""
	if rt := d.rts[subnetID]; rt != nil {
		rtKey = rt.ID
	}
	vpc := ""
	if sn := d.ix.Subnets[subnetID]; sn != nil {
		vpc = sn.VPCID
	}
	tk := rtKey + "|" + vpc
	t, ok := d.closure["rt "+tk]
	if !ok {
		t = d.transitClosure(subnetID)
		d.closure["rt "+tk] = t
	}
	h := mix(d.local(subnetID), t)
	d.closure[subnetID] = h
	return h
}

// transitClosure hashes the transit elements traffic of a subnet can cross
// through its route table and its VPC's gateway route tables, and the
// subnets it continues in, but not the subnet's own elements.
func (d *deps) transitClosure(subnetID string) uint64 {
	var sum uint64
	// The subnet itself is not marked seen: the hash must not depend on
	// which subnet of the route table asks, and traffic can come back
	// through a sibling subnet (a NAT gateway's) whose elements count.
	seenSubnet := map[string]bool{}
	seenTGW := map[string]bool{}
	var queue []string
	var visit func(t transit)
	visit = func(t transit) {
		sum += mix(t.hash)
		queue = append(queue, t.subnets...)
		for _, id := range t.next {
			if !seenTGW[id] {
				seenTGW[id] = true
				visit(d.transitOf(model.RouteTarget{Kind: model.TargetTransitGateway, ID: id}))
			}
		}
	}
	routes := func(s string) {
		if rt := d.rts[s]; rt != nil {
			for _, r := range rt.Routes {
				if r.Target.Kind == model.TargetTransitGateway {
					if seenTGW[r.Target.ID] {
						continue
					}
					seenTGW[r.Target.ID] = true
				}
				if r.DestinationPrefixListID != "" {
					if pl := d.ix.PrefixLists[r.DestinationPrefixListID]; pl != nil {
						sum += mix(d.of(pl))
					}
				}
				visit(d.transitOf(r.Target))
			}
		}
		if sn := d.ix.Subnets[s]; sn != nil {
			// Ingress routing: a gateway route table may send what enters
			// the VPC to an appliance.
			for _, g := range d.vpcGateways[sn.VPCID] {
				if rt, ok := g.(*model.RouteTable); ok {
					for _, r := range rt.Routes {
						visit(d.transitOf(r.Target))
					}
				}
			}
		}
	}
	routes(subnetID)
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		if seenSubnet[s] {
			continue
		}
		seenSubnet[s] = true
		sum += mix(d.local(s))
		routes(s)
	}
	return mix(sum)
}

// iface is the dependency hash of an interface without its subnet's
// closure: itself, its groups, the members of the groups their rules name,
// the prefix lists they name.
func (d *deps) iface(x *model.NetworkInterface) uint64 {
	hs := []uint64{d.of(x)}
	for _, id := range x.SecurityGroupIDs {
		g := d.ix.SecurityGroups[id]
		if g == nil {
			hs = append(hs, contentHash(id))
			continue
		}
		hs = append(hs, d.of(g))
		for _, r := range slices.Concat(g.Ingress, g.Egress) {
			switch r.Peer.Kind {
			case model.PeerSecurityGroup:
				hs = append(hs, d.members[r.Peer.GroupID])
			case model.PeerPrefixList:
				if pl := d.ix.PrefixLists[r.Peer.PrefixListID]; pl != nil {
					hs = append(hs, d.of(pl))
				}
			}
		}
	}
	return mix(hs...)
}

// hashes returns the dependency hash of every interface, by key.
func (d *deps) hashes() map[string]uint64 {
	out := make(map[string]uint64, len(d.n.Interfaces))
	for _, x := range d.n.Interfaces {
		out[d.keys.Of(x.ID)] = mix(d.iface(x), d.closureOf(x.SubnetID))
	}
	return out
}

// affectedKeys returns the keys of the interfaces whose flows may differ
// between the two networks, and whether that is every interface (the
// networks differ in something the dependency hashes do not follow).
//
// It also returns the content hashes it computed, by element, for changes to
// use again.
func affectedKeys(before, after *Engine) (map[string]bool, bool, map[any]uint64) {
	out := map[string]bool{}
	if restHash(before.net) != restHash(after.net) {
		return nil, true, nil
	}
	db, da := newDeps(before.net, before.Keys()), newDeps(after.net, after.Keys())
	var hb, ha map[string]uint64
	parallel(2, func(i int) {
		if i == 0 {
			hb = db.hashes()
		} else {
			ha = da.hashes()
		}
	})
	content := db.content
	for k, v := range da.content {
		content[k] = v
	}
	for k, h := range hb {
		if g, ok := ha[k]; !ok || g != h {
			out[k] = true
		}
	}
	for k := range ha {
		if _, ok := hb[k]; !ok {
			out[k] = true
		}
	}
	lbSpread(out, before, after)
	return out, false, content
}

// lbSpread widens affected to whole load balancers: what reaches a target
// through a load balancer depends on its nodes (their groups, subnets and
// listeners), and what reaches a node on its targets (a Network Load
// Balancer answers through them; health checks choose where a node sends).
// The nodes of one load balancer and the targets of their routes, in either
// network, are affected together.
func lbSpread(affected map[string]bool, engines ...*Engine) {
	parent := map[string]string{}
	var find func(string) string
	find = func(k string) string {
		p, ok := parent[k]
		if !ok || p == k {
			return k
		}
		r := find(p)
		parent[k] = r
		return r
	}
	union := func(a, b string) {
		if ra, rb := find(a), find(b); ra != rb {
			parent[ra] = rb
		}
	}
	for _, e := range engines {
		keys := e.Keys()
		for _, r := range e.lbRoutes {
			lb := "load balancer " + keys.Of(r.n.lb.lb.ID)
			union(keys.Of(r.n.eni.ID), lb)
			if r.target != nil && r.target.eni != nil {
				union(keys.Of(r.target.eni.ID), lb)
			}
		}
	}
	if len(parent) == 0 {
		return
	}
	hit := map[string]bool{}
	for k := range affected {
		if _, ok := parent[k]; ok {
			hit[find(k)] = true
		}
	}
	for k := range parent {
		if hit[find(k)] && !strings.HasPrefix(k, "load balancer ") {
			affected[k] = true
		}
	}
}
