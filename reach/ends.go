package reach

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach/hset"
)

// Endpoint kinds.
const (
	EndpointInterface = "network-interface" // an interface of the estate (an instance's, an endpoint's …)
	EndpointInternet  = "internet"          // a host, or every host, on the internet
	EndpointOnPrem    = "on-premises"       // a host behind a VPN connection
	EndpointAddress   = "address"           // an address of the estate that nothing owns
	// EndpointLoadBalancer is a load balancer: its nodes, the addresses
	// clients connect to.
	EndpointLoadBalancer = "load-balancer"
)

// Endpoint is one end of a flow, resolved from what the user named.
type Endpoint struct {
	Kind string `json:"kind"`
	// Input is the name as given: a Terraform address, an AWS ID, an IP
	// address or "internet".
	Input string `json:"input"`
	// Component is the network interface (Kind network-interface) or the VPN
	// connection (on-premises); for an element standing for several
	// interfaces (a load balancer's nodes, an Auto Scaling group's
	// instances), the first.
	Component *Ref `json:"component,omitempty"`
	// Owner is what owns the interface (an instance, a NAT gateway…).
	Owner *Ref `json:"owner,omitempty"`
	// Addresses are the addresses the flow uses at this end: CIDRs for
	// "internet" as a whole.
	Addresses []AddrRange `json:"addresses"`
	// Placeholder is set when an address is a placeholder for one unknown
	// until apply.
	Placeholder bool `json:"placeholder,omitempty"`

	nodes []*node
	addrs []hset.AddrRange
	eni   *model.NetworkInterface
	ip    netip.Addr // the literal address, when one was given
	// own are, when the end stands for several interfaces, each one's
	// addresses: what each may send from.
	own map[*node][]hset.AddrRange
	lb  *model.LoadBalancer
}

// AddrChoice forces which address of a named element a flow uses.
type AddrChoice string

// Address choices. An IP literal is also accepted.
const (
	AddrAuto    AddrChoice = ""
	AddrPublic  AddrChoice = "public"
	AddrPrivate AddrChoice = "private"
	AddrIPv6    AddrChoice = "ipv6"
)

// named is what a name resolves to before the other end is known.
type named struct {
	kind  string
	input string
	eni   *model.NetworkInterface
	owner *Ref
	ip    netip.Addr // IP literal
	// publicOf is set when ip is a public address of eni.
	publicOf bool
	onprem   []*node
	// members are the interfaces an element stands for (a load
	// balancer's nodes, an Auto Scaling group's instances, a service's
	// interfaces); eni is the first.
	members []*model.NetworkInterface
	lb      *model.LoadBalancer
}

// lookup resolves a name without choosing addresses.
func (e *Engine) lookup(name string) (*named, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, fmt.Errorf("empty endpoint name")
	}
	if strings.EqualFold(name, "internet") {
		return &named{kind: EndpointInternet, input: name}, nil
	}
	if ip, err := netip.ParseAddr(name); err == nil {
		return e.lookupIP(name, ip.Unmap())
	}
	id := name
	if x, ok := e.ix.Addresses[name]; ok {
		id = x
	}
	if in := e.ix.Instances[id]; in != nil {
		if len(in.InterfaceIDs) == 0 || e.ix.Interfaces[in.InterfaceIDs[0]] == nil {
			return nil, fmt.Errorf("%s has no network interface in the network", in.Label())
		}
		r := refOf("instance", &in.Meta)
		return &named{kind: EndpointInterface, input: name, eni: e.ix.Interfaces[in.InterfaceIDs[0]], owner: &r}, nil
	}
	if x := e.ix.Interfaces[id]; x != nil {
		return &named{kind: EndpointInterface, input: name, eni: x, owner: e.ownerRef(x)}, nil
	}
	if g := e.ix.NATGateways[id]; g != nil {
		if x := e.ix.Interfaces[g.InterfaceID]; x != nil {
			r := refOf("nat-gateway", &g.Meta)
			return &named{kind: EndpointInterface, input: name, eni: x, owner: &r}, nil
		}
	}
	if ep := e.ix.Endpoints[id]; ep != nil && len(ep.InterfaceIDs) > 0 {
		if x := e.ix.Interfaces[ep.InterfaceIDs[0]]; x != nil {
			r := refOf("vpc-endpoint", &ep.Meta)
			return &named{kind: EndpointInterface, input: name, eni: x, owner: &r}, nil
		}
	}
	if eip := e.ix.ElasticIPs[id]; eip != nil && eip.PublicIP.IsValid() {
		return e.lookupIP(name, eip.PublicIP)
	}
	if n, err := e.lookupGroup(name, id); n != nil || err != nil {
		return n, err
	}
	if sn := e.ix.Subnets[id]; sn != nil {
		// A subnet is many addresses; a trace follows one flow between two
		// hosts, so it names the hosts there are to choose from.
		return nil, fmt.Errorf("%s is a subnet, not one host: name one of its interfaces%s, or give an address in %s; report --from and matrix answer for the whole subnet", sn.Label(), e.interfacesIn(sn.ID), sn.CIDR)
	}
	if _, known := e.ix.Addresses[name]; known {
		return nil, fmt.Errorf("%s is an element of the network but not an endpoint: name an instance, network interface, NAT gateway, VPC endpoint, load balancer, Auto Scaling group, managed service or Elastic IP, an IP address, or \"internet\"", name)
	}
	return nil, fmt.Errorf("unknown endpoint %q: not an instance, network interface, NAT gateway, VPC endpoint, load balancer, Auto Scaling group, managed service or Elastic IP of the network, an IP address, or \"internet\"%s", name, e.suggest(name))
}

// lookupGroup resolves the name of an element that stands for several
// interfaces: a load balancer (its nodes), an Auto Scaling group (its
// instances) or a managed service (its interfaces). Nil when id names none.
func (e *Engine) lookupGroup(name, id string) (*named, error) {
	var ids []string
	var r Ref
	n := &named{kind: EndpointInterface, input: name}
	switch {
	case e.ix.LoadBalancers[id] != nil:
		lb := e.ix.LoadBalancers[id]
		ids, r, n.kind, n.lb = lb.InterfaceIDs, refOf("load-balancer", &lb.Meta), EndpointLoadBalancer, lb
	case e.ix.AutoScaling[id] != nil:
		g := e.ix.AutoScaling[id]
		ids, r = g.InterfaceIDs, refOf("autoscaling-group", &g.Meta)
	case e.ix.Services[id] != nil:
		s := e.ix.Services[id]
		ids, r = s.InterfaceIDs, refOf(string(s.Kind), &s.Meta)
	default:
		return nil, nil
	}
	for _, xid := range ids {
		if x := e.ix.Interfaces[xid]; x != nil && e.eni[x.ID] != nil && e.eni[x.ID].subnet != nil {
			n.members = append(n.members, x)
		}
	}
	if len(n.members) == 0 {
		return nil, fmt.Errorf("%s has no network interface in the network", r.Label())
	}
	n.eni, n.owner = n.members[0], &r
	return n, nil
}

// interfacesIn lists a few of the interfaces of a subnet by their owner's
// name, for an error that asks to choose one.
func (e *Engine) interfacesIn(subnetID string) string {
	var names []string
	for _, x := range e.net.Interfaces {
		if x.SubnetID != subnetID {
			continue
		}
		name := x.Label()
		if r := e.ownerRef(x); r != nil && r.Address != "" {
			name = r.Address
		}
		names = append(names, name)
	}
	switch {
	case len(names) == 0:
		return " (it has none)"
	case len(names) > 4:
		return fmt.Sprintf(" (%s and %d more)", strings.Join(names[:4], ", "), len(names)-4)
	}
	return " (" + strings.Join(names, ", ") + ")"
}

func (e *Engine) ownerRef(x *model.NetworkInterface) *Ref {
	var r Ref
	switch x.OwnerKind {
	case model.OwnerInstance:
		if in := e.ix.Instances[x.OwnerID]; in != nil {
			r = refOf("instance", &in.Meta)
		}
	case model.OwnerNATGateway:
		if g := e.ix.NATGateways[x.OwnerID]; g != nil {
			r = refOf("nat-gateway", &g.Meta)
		}
	case model.OwnerEndpoint:
		if ep := e.ix.Endpoints[x.OwnerID]; ep != nil {
			r = refOf("vpc-endpoint", &ep.Meta)
		}
	case model.OwnerLoadBalancer:
		if lb := e.ix.LoadBalancers[x.OwnerID]; lb != nil {
			r = refOf("load-balancer", &lb.Meta)
		}
	case model.OwnerAutoScaling:
		if g := e.ix.AutoScaling[x.OwnerID]; g != nil {
			r = refOf("autoscaling-group", &g.Meta)
		}
	case model.OwnerService, model.OwnerLambda:
		if s := e.ix.Services[x.OwnerID]; s != nil {
			r = refOf(string(s.Kind), &s.Meta)
		}
	}
	if r.Kind == "" {
		if x.OwnerID == "" {
			return nil
		}
		r = Ref{Kind: x.OwnerKind.String(), ID: x.OwnerID}
	}
	return &r
}

func (e *Engine) lookupIP(input string, ip netip.Addr) (*named, error) {
	n := &named{input: input, ip: ip}
	var owners []*model.NetworkInterface
	for _, v := range e.net.VPCs {
		if x := e.owners[v.ID][ip]; x != nil {
			owners = append(owners, x)
		}
	}
	switch {
	case len(owners) > 1:
		return nil, fmt.Errorf("address %s is used by %s and %s in different VPCs: name the interface or instance instead", ip, owners[0].Label(), owners[1].Label())
	case len(owners) == 1:
		n.kind, n.eni, n.owner = EndpointInterface, owners[0], e.ownerRef(owners[0])
		return n, nil
	}
	if x := e.publicOwner[ip]; x != nil {
		n.kind, n.eni, n.owner, n.publicOf = EndpointInterface, x, e.ownerRef(x), true
		return n, nil
	}
	for _, v := range e.net.VPCs {
		if v.Contains(ip) {
			n.kind = EndpointAddress
			return n, nil
		}
	}
	for _, c := range e.net.VPNConnections {
		for _, p := range c.OnPremCIDRs {
			if p.Contains(ip) {
				n.onprem = append(n.onprem, e.onprem[c.ID])
				break
			}
		}
	}
	if len(n.onprem) > 0 {
		n.kind = EndpointOnPrem
		return n, nil
	}
	n.kind = EndpointInternet
	return n, nil
}

// suggest proposes the closest known names for a misspelt one.
func (e *Engine) suggest(name string) string {
	type cand struct {
		s string
		d int
	}
	var cs []cand
	// A resource with count or for_each is named by instance: the address
	// without its index names them all.
	base := name
	if i := strings.IndexByte(name, '['); i > 0 {
		base = name[:i]
	}
	var instances []string
	for a := range e.ix.Addresses {
		if strings.HasPrefix(a, base+"[") && a != name {
			instances = append(instances, a)
		}
	}
	if len(instances) > 0 {
		slices.Sort(instances)
		more := ""
		if len(instances) > 4 {
			more = fmt.Sprintf(" and %d more", len(instances)-4)
			instances = instances[:4]
		}
		return fmt.Sprintf(" (%s has instances %s%s)", base, strings.Join(instances, ", "), more)
	}
	for a := range e.ix.Addresses {
		if a == name {
			continue // never suggest the name just rejected
		}
		if d := editDistance(name, a); d <= max(2, len(name)/4) {
			cs = append(cs, cand{a, d})
		}
	}
	if len(cs) == 0 {
		return ""
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].d < cs[j].d || cs[i].d == cs[j].d && cs[i].s < cs[j].s })
	return fmt.Sprintf(" (did you mean %s?)", cs[0].s)
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := 1
			if a[i-1] == b[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Ends resolves the two ends of q as Trace does: the packet walker builds a
// conversation between the addresses they name (a single address each, unless
// an end is the whole internet).
func (e *Engine) Ends(q Query) (src, dst *Endpoint, err error) {
	return e.resolvePair(q.From, q.To, q.FromAddr, q.ToAddr)
}

// resolvePair resolves both ends, choosing for each named interface the
// address a real client would use: from the internet its public address,
// from inside the estate its private address in the other end's family.
func (e *Engine) resolvePair(from, to string, fromAddr, toAddr AddrChoice) (src, dst *Endpoint, err error) {
	a, err := e.lookup(from)
	if err != nil {
		return nil, nil, fmt.Errorf("--from: %w", err)
	}
	b, err := e.lookup(to)
	if err != nil {
		return nil, nil, fmt.Errorf("--to: %w", err)
	}
	if a.kind == EndpointInternet && b.kind == EndpointInternet {
		return nil, nil, fmt.Errorf("both ends are on the internet: at least one end must be in the network")
	}
	// The family follows whichever end is pinned to one address.
	fam := 0 // 4, 6 or 0 (either)
	for _, x := range []*named{a, b} {
		if x.ip.IsValid() {
			fam = famOf(x.ip)
		}
	}
	for _, c := range []AddrChoice{fromAddr, toAddr} {
		switch c {
		case AddrIPv6:
			fam = 6
		case AddrPublic, AddrPrivate:
			fam = 4
		default:
			if ip, err := netip.ParseAddr(string(c)); err == nil {
				fam = famOf(ip)
			}
		}
	}
	if fam == 0 {
		fam = 4
		for _, x := range []*named{a, b} {
			if x.eni != nil && len(x.eni.PrivateIPs) == 0 && len(x.eni.IPv6Addrs) > 0 {
				fam = 6
			}
		}
	}
	if src, err = e.endpoint(a, fromAddr, fam, b.kind, true); err != nil {
		return nil, nil, fmt.Errorf("--from: %w", err)
	}
	if dst, err = e.endpoint(b, toAddr, fam, a.kind, false); err != nil {
		return nil, nil, fmt.Errorf("--to: %w", err)
	}
	return src, dst, nil
}

func famOf(a netip.Addr) int {
	if a.Unmap().Is4() {
		return 4
	}
	return 6
}

func (e *Engine) endpoint(x *named, choice AddrChoice, fam int, peerKind string, isSrc bool) (*Endpoint, error) {
	ep := &Endpoint{Kind: x.kind, Input: x.input, Owner: x.owner, eni: x.eni, ip: x.ip}
	switch x.kind {
	case EndpointInternet:
		if x.ip.IsValid() {
			if !IsPublic(x.ip) && isSrc {
				return nil, fmt.Errorf("%s is a private or reserved address outside every VPC and on-premises network: it cannot send traffic into the network", x.ip)
			}
			ep.addrs = []hset.AddrRange{addrRange(x.ip)}
		} else {
			for _, r := range e.internetSpace {
				is4 := !r.Lo.Less(v4Block.Lo) && !v4Block.Hi.Less(r.Hi)
				if is4 == (fam == 4) {
					ep.addrs = append(ep.addrs, r)
				}
			}
		}
		ep.nodes = []*node{e.internet}
	case EndpointOnPrem:
		ep.addrs = []hset.AddrRange{addrRange(x.ip)}
		ep.nodes = x.onprem
		r := x.onprem[0].ref
		ep.Component = &r
	case EndpointAddress:
		if isSrc {
			return nil, fmt.Errorf("%s lies in the network but no network interface uses it: name an instance or interface as the source", x.ip)
		}
		ep.addrs = []hset.AddrRange{addrRange(x.ip)}
	case EndpointInterface, EndpointLoadBalancer:
		xi := x.eni
		r := eniRef(xi)
		ep.Component = &r
		n := e.eni[xi.ID]
		if n == nil || n.subnet == nil {
			return nil, fmt.Errorf("%s is in no subnet of the network", xi.Label())
		}
		if !isSrc && n.kind == nodeLB && x.lb == nil {
			// An address of a load balancer's node: the load balancer
			// answers there (or its targets do).
			ep.Kind, ep.lb = EndpointLoadBalancer, n.lb.lb
		}
		ep.lb = cmp.Or(x.lb, ep.lb)
		if len(x.members) > 1 {
			return e.groupEndpoint(ep, x, choice, fam, peerKind, isSrc)
		}
		ep.nodes = []*node{n}
		addr, err := e.pickAddr(x, choice, fam, peerKind, isSrc)
		if err != nil {
			return nil, err
		}
		ep.addrs = []hset.AddrRange{addrRange(addr)}
		ep.Placeholder = xi.IsPlaceholder(addr)
		if isSrc {
			// A source sends from its private address; a public address
			// given for it is what the internet gateway translates that to.
			ep.ip = addr
		}
	}
	for _, r := range ep.addrs {
		ep.Addresses = append(ep.Addresses, blocksOf(r)...)
	}
	return ep, nil
}

// groupEndpoint is endpoint for an element standing for several interfaces:
// each contributes the address a client would use, and as a source each
// sends from its own.
func (e *Engine) groupEndpoint(ep *Endpoint, x *named, choice AddrChoice, fam int, peerKind string, isSrc bool) (*Endpoint, error) {
	ep.own = map[*node][]hset.AddrRange{}
	var firstErr error
	for _, m := range x.members {
		one := *x
		one.eni, one.members = m, nil
		addr, err := e.pickAddr(&one, choice, fam, peerKind, isSrc)
		if err != nil {
			firstErr = cmp.Or(firstErr, err)
			continue
		}
		n := e.eni[m.ID]
		ep.nodes = append(ep.nodes, n)
		ep.addrs = append(ep.addrs, addrRange(addr))
		ep.own[n] = append(ep.own[n], addrRange(addr))
		ep.Placeholder = ep.Placeholder || m.IsPlaceholder(addr)
	}
	if len(ep.nodes) == 0 {
		return nil, firstErr
	}
	ep.addrs = mergeRanges(nil, ep.addrs)
	for _, r := range ep.addrs {
		ep.Addresses = append(ep.Addresses, blocksOf(r)...)
	}
	return ep, nil
}

// pickAddr chooses the address of a named interface.
func (e *Engine) pickAddr(x *named, choice AddrChoice, fam int, peerKind string, isSrc bool) (netip.Addr, error) {
	xi := x.eni
	first := func(as []netip.Addr, what string) (netip.Addr, error) {
		if len(as) == 0 {
			return netip.Addr{}, fmt.Errorf("%s has no %s address", xi.Label(), what)
		}
		return as[0], nil
	}
	publics := func() []netip.Addr {
		var out []netip.Addr
		for _, p := range xi.PublicIPs {
			out = append(out, p.Public)
		}
		return out
	}
	privateFor := func(pub netip.Addr) netip.Addr {
		for _, p := range xi.PublicIPs {
			if p.Public == pub {
				return p.Private
			}
		}
		return netip.Addr{}
	}
	if x.ip.IsValid() && choice == AddrAuto {
		if isSrc && x.publicOf {
			return privateFor(x.ip), nil
		}
		return x.ip, nil
	}
	switch choice {
	case AddrPublic:
		a, err := first(publics(), "public IPv4")
		if err == nil && isSrc {
			return privateFor(a), nil
		}
		return a, err
	case AddrPrivate:
		return first(xi.PrivateIPs, "private IPv4")
	case AddrIPv6:
		return first(xi.IPv6Addrs, "IPv6")
	case AddrAuto:
	default:
		ip, err := netip.ParseAddr(string(choice))
		if err != nil {
			return netip.Addr{}, fmt.Errorf("invalid address choice %q: want public, private, ipv6 or an IP address", choice)
		}
		ip = ip.Unmap()
		if xi.Owns(ip) {
			return ip, nil
		}
		if slices.Contains(publics(), ip) {
			if isSrc {
				return privateFor(ip), nil
			}
			return ip, nil
		}
		return netip.Addr{}, fmt.Errorf("%s is not an address of %s", ip, xi.Label())
	}
	if fam == 6 {
		return first(xi.IPv6Addrs, "IPv6")
	}
	if !isSrc && peerKind == EndpointInternet {
		if ps := publics(); len(ps) > 0 {
			return ps[0], nil
		}
	}
	return first(xi.PrivateIPs, "private IPv4")
}
