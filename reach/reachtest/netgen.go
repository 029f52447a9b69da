package reachtest

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"strings"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
)

// GenConfig bounds the random networks RandomNetwork builds.
type GenConfig struct {
	// VPCs is the most VPCs (at least 2; zero means 4).
	VPCs int
	// IPv6 is the chance that a VPC has an IPv6 block (zero means 0.5).
	IPv6 float64
}

// RandomNetwork builds a random network of several VPCs that exercises
// every element the engines model: public and private subnets in two zones,
// internet, egress-only and NAT gateways, peering connections, a transit
// gateway whose attachments miss some zones, a gateway endpoint, blackhole
// routes, network ACLs with allow and deny rules and partial ephemeral
// ranges, security groups referring to CIDRs, prefix lists, other groups and
// themselves, groups with no egress rule, and instances with public, private
// and IPv6 addresses. The same seed gives the same network; the network is
// valid (Validate reports no error).
func RandomNetwork(rnd *rand.Rand, cfg GenConfig) *Net {
	if cfg.VPCs < 2 {
		cfg.VPCs = 4
	}
	if cfg.IPv6 == 0 {
		cfg.IPv6 = 0.5
	}
	g := &gen{rnd: rnd, n: NewNet("us-east-1")}
	g.n.AccountID = "123456789012"
	nv := 2 + rnd.IntN(cfg.VPCs-1)
	var tgw bool
	if rnd.Float64() < 0.6 {
		g.n.TGW("tgw-1")
		tgw = true
	}
	for i := range nv {
		g.vpc(i, rnd.Float64() < cfg.IPv6, tgw)
	}
	g.peerings()
	g.routesBetween()
	return g.n
}

type gen struct {
	rnd  *rand.Rand
	n    *Net
	vpcs []*genVPC
	ips  int
}

type genVPC struct {
	id        string
	i         int
	cidr      netip.Prefix
	v6        netip.Prefix
	pub, priv *model.RouteTable // route tables of public and private subnets
	subnets   []*model.Subnet
	groups    []string
	tgw       bool // attached to the transit gateway
	hasIGW    bool
}

func (g *gen) chance(p float64) bool { return g.rnd.Float64() < p }

func (g *gen) pick(xs []string) string { return xs[g.rnd.IntN(len(xs))] }

func (g *gen) vpc(i int, v6, tgw bool) {
	v := &genVPC{id: fmt.Sprintf("vpc-%d", i), i: i, cidr: netip.MustParsePrefix(fmt.Sprintf("10.%d.0.0/16", i))}
	cidrs := []string{v.cidr.String()}
	if v6 {
		v.v6 = netip.MustParsePrefix(fmt.Sprintf("2600:1f18:%x::/56", 0x100+i))
		cidrs = append(cidrs, v.v6.String())
	}
	g.n.VPC(v.id, cidrs...)
	g.vpcs = append(g.vpcs, v)
	v.hasIGW = g.chance(0.75)
	if v.hasIGW {
		g.n.IGW("igw-"+v.id, v.id)
	}
	var pubRoutes, privRoutes []string
	if v.hasIGW {
		pubRoutes = append(pubRoutes, "0.0.0.0/0 igw-"+v.id)
		if v6 {
			pubRoutes = append(pubRoutes, "::/0 igw-"+v.id)
		}
	}
	if v6 && g.chance(0.6) {
		g.n.EIGW("eigw-"+v.id, v.id)
		privRoutes = append(privRoutes, "::/0 eigw-"+v.id)
	}
	v.pub = g.n.RouteTable("rtb-pub-"+v.id, v.id, nil, pubRoutes...)
	v.priv = g.n.MainRouteTable("rtb-main-"+v.id, v.id, privRoutes...)
	zones := []string{"us-east-1a", "us-east-1b"}
	kinds := []string{"pub", "priv", "priv", "pub"}[:2+g.rnd.IntN(3)]
	for k, kind := range kinds {
		cidrs := []string{fmt.Sprintf("10.%d.%d.0/24", i, k+1)}
		if v6 {
			cidrs = append(cidrs, fmt.Sprintf("2600:1f18:%x:%x::/64", 0x100+i, k+1))
		}
		s := g.n.Subnet(fmt.Sprintf("subnet-%d-%d", i, k+1), v.id, zones[k%2], cidrs...)
		v.subnets = append(v.subnets, s)
		if kind == "pub" {
			v.pub.Associations = append(v.pub.Associations, model.RouteTableAssociation{SubnetID: s.ID})
		}
	}
	if v.hasIGW && g.chance(0.6) {
		// A NAT gateway in the first subnet (public), serving the private
		// subnets; sometimes in a subnet without the internet route.
		s := v.subnets[0]
		if g.chance(0.15) {
			s = v.subnets[1]
		}
		nat := fmt.Sprintf("nat-%d", i)
		g.n.NAT(nat, s.ID, fmt.Sprintf("10.%d.%d.5", i, slices.Index(v.subnets, s)+1), fmt.Sprintf("54.%d.0.5", 100+i))
		g.n.AddRoute(v.priv, "0.0.0.0/0 "+nat)
	}
	if g.chance(0.2) {
		g.n.AddRoute(v.priv, fmt.Sprintf("10.%d.200.0/24 blackhole", i))
	}
	if g.chance(0.3) {
		// A VPN to an on-premises network, routed from the private
		// subnets by propagation or a static route, sometimes from neither.
		vgw := fmt.Sprintf("vgw-%d", i)
		g.n.VPN(vgw, v.id, fmt.Sprintf("192.168.%d.0/24", i))
		switch r := g.rnd.IntN(3); r {
		case 0:
			v.priv.PropagatingVGWs = append(v.priv.PropagatingVGWs, vgw)
		case 1:
			g.n.AddRoute(v.priv, fmt.Sprintf("192.168.%d.0/24 %s", i, vgw))
		}
	}
	if g.chance(0.25) {
		g.n.GatewayEndpoint("vpce-s3-"+v.id, v.id, "s3", []string{"52.216.0.0/15"}, v.priv.ID)
	}
	if tgw && g.chance(0.7) {
		v.tgw = true
		var subs []string
		for k, s := range v.subnets {
			// Some attachments miss a zone: traffic from there cannot enter.
			if k < 2 && (k == 0 || g.chance(0.6)) {
				subs = append(subs, s.ID)
			}
		}
		g.n.TGWAttachment("tgw-attach-"+v.id, "tgw-1", v.id, subs...)
	}
	g.groups(v)
	g.acls(v)
	for _, s := range v.subnets {
		for k := range 1 + g.rnd.IntN(2) {
			g.instance(v, s, k)
		}
	}
}

// ports are the services rules and flows use.
var ports = []string{"22", "80", "443", "5432", "8080", "1024-65535", "0-1023", "3306"}

func (g *gen) groups(v *genVPC) {
	for k := range 2 + g.rnd.IntN(2) {
		id := fmt.Sprintf("sg-%d-%d", v.i, k)
		var in, out []string
		for range 1 + g.rnd.IntN(3) {
			in = append(in, g.sgRule(v, id))
		}
		if g.chance(0.4) {
			in = append(in, "all - 10.0.0.0/8")
		}
		if g.chance(0.4) {
			in = append(in, "tcp "+g.pick([]string{"80", "443", "22"})+" 0.0.0.0/0")
		}
		switch r := g.rnd.Float64(); {
		case r < 0.1: // no egress rule at all (Terraform's default)
		case r < 0.3:
			out = append(out, "tcp 443 0.0.0.0/0", "udp 53 0.0.0.0/0", g.sgRule(v, id))
		default:
			out = append(out, "all - 0.0.0.0/0")
			if v.v6.IsValid() {
				out = append(out, "all - ::/0")
			}
		}
		if g.chance(0.1) {
			// Open every way: AWS tracks none of its TCP and UDP flows.
			in, out = []string{"all - 0.0.0.0/0", "all - ::/0"}, []string{"all - 0.0.0.0/0", "all - ::/0"}
		}
		g.n.SG(id, v.id, in, out)
		v.groups = append(v.groups, id)
	}
}

func (g *gen) sgRule(v *genVPC, self string) string {
	proto := []string{"tcp", "tcp", "tcp", "udp", "icmp", "all"}[g.rnd.IntN(6)]
	svc := "-"
	switch proto {
	case "tcp", "udp":
		svc = g.pick(ports)
	case "icmp":
		if g.chance(0.5) {
			svc = "8"
		}
	}
	var peer string
	switch r := g.rnd.IntN(9); {
	case r == 0, r >= 7:
		peer = "0.0.0.0/0"
	case r == 1:
		peer = v.cidr.String()
	case r == 2:
		peer = fmt.Sprintf("10.%d.0.0/16", g.rnd.IntN(len(g.vpcs)+1))
	case r == 3 && v.v6.IsValid():
		peer = "::/0"
		if proto == "icmp" {
			proto = "icmpv6"
			if svc == "8" {
				svc = "128"
			}
		}
	case r == 4 && len(v.groups) > 0:
		peer = g.pick(v.groups)
	case r == 5:
		peer = "self"
	default:
		peer = fmt.Sprintf("10.%d.%d.0/24", v.i, 1+g.rnd.IntN(3))
	}
	_ = self
	return proto + " " + svc + " " + peer
}

func (g *gen) acls(v *genVPC) {
	for k, s := range v.subnets {
		if !g.chance(0.45) {
			continue // the VPC's default ACL: allows everything
		}
		var in, out []string
		num := 100
		rule := func(list *[]string) {
			action := "allow"
			if g.chance(0.3) {
				action = "deny"
			}
			proto := []string{"tcp", "tcp", "udp", "icmp", "all"}[g.rnd.IntN(5)]
			svc := "-"
			if proto == "tcp" || proto == "udp" {
				svc = g.pick([]string{"22", "80", "443", "5432", "1024-65535", "32768-65535", "8080"})
			}
			cidr := g.pick([]string{"0.0.0.0/0", "0.0.0.0/0", "10.0.0.0/8", v.cidr.String(), fmt.Sprintf("10.%d.0.0/16", g.rnd.IntN(len(g.vpcs)+1))})
			*list = append(*list, fmt.Sprintf("%d %s %s %s %s", num, action, proto, svc, cidr))
			num += 10
		}
		for range 1 + g.rnd.IntN(4) {
			rule(&in)
		}
		for range 1 + g.rnd.IntN(4) {
			rule(&out)
		}
		if g.chance(0.75) {
			in = append(in, fmt.Sprintf("%d allow all - 0.0.0.0/0", num+100))
			out = append(out, fmt.Sprintf("%d allow all - 0.0.0.0/0", num+100))
		}
		if v.v6.IsValid() && g.chance(0.7) {
			in = append(in, fmt.Sprintf("%d allow all - ::/0", num+200))
			out = append(out, fmt.Sprintf("%d allow all - ::/0", num+200))
		}
		g.n.ACL(fmt.Sprintf("acl-%d-%d", v.i, k+1), v.id, []string{s.ID}, in, out)
	}
}

func (g *gen) instance(v *genVPC, s *model.Subnet, k int) {
	id := fmt.Sprintf("i-%d-%s-%d", v.i, s.ID[len(s.ID)-1:], k)
	p := s.CIDR.Addr().As4()
	addrs := []string{fmt.Sprintf("%d.%d.%d.%d", p[0], p[1], p[2], 10+k)}
	if s.IPv6CIDR.IsValid() && g.chance(0.7) {
		a := s.IPv6CIDR.Addr().As16()
		a[15] = byte(0x10 + k)
		addrs = append(addrs, netip.AddrFrom16(a).String())
	}
	public := ""
	if g.chance(0.5) {
		g.ips++
		public = fmt.Sprintf("54.%d.%d.%d", 10+v.i, g.ips/200, 1+g.ips%200)
	}
	sgs := []string{g.pick(v.groups)}
	if g.chance(0.3) {
		sgs = append(sgs, g.pick(v.groups))
	}
	g.n.Instance(id, s.ID, slices.Compact(sgs), public, addrs...)
}

func (g *gen) peerings() {
	k := 0
	for i, a := range g.vpcs {
		for _, b := range g.vpcs[i+1:] {
			if !g.chance(0.4) {
				continue
			}
			id := fmt.Sprintf("pcx-%d", k)
			k++
			p := g.n.Peering(id, a.id, b.id)
			p.Active = !g.chance(0.05)
			// Routes on one side or both, in some of the tables.
			for _, pair := range [][2]*genVPC{{a, b}, {b, a}} {
				if g.chance(0.85) {
					for _, rt := range []*model.RouteTable{pair[0].pub, pair[0].priv} {
						if g.chance(0.8) {
							dst := pair[1].cidr.String()
							if g.chance(0.2) {
								dst = fmt.Sprintf("10.%d.1.0/24", pair[1].i)
							}
							g.n.AddRoute(rt, dst+" "+id)
						}
					}
				}
			}
		}
	}
}

// routesBetween routes other VPCs' blocks to the transit gateway from the
// attached VPCs' tables, where peering does not already.
func (g *gen) routesBetween() {
	if len(g.n.TransitGateways) == 0 {
		return
	}
	for _, v := range g.vpcs {
		if !v.tgw && !g.chance(0.1) {
			continue // a route to a gateway the VPC is not attached to, sometimes
		}
		for _, rt := range []*model.RouteTable{v.pub, v.priv} {
			if g.chance(0.85) {
				g.n.AddRoute(rt, "10.0.0.0/8 tgw-1")
			}
		}
	}
}

// RandomFlow is a random flow of a network: a query naming one flow (one
// source and destination address, one port each), for trace and the
// walker. Most flows go to an interface of the network, often on a port its
// security groups open, so that both answers are common.
func RandomFlow(rnd *rand.Rand, e *reach.Engine) reach.Query {
	n := e.Network()
	var senders, receivers, public []*model.NetworkInterface
	for _, x := range n.Interfaces {
		if x.OwnerKind != model.OwnerNATGateway {
			senders = append(senders, x)
		}
		receivers = append(receivers, x)
		if len(x.PublicIPs) > 0 {
			public = append(public, x)
		}
	}
	q := reach.Query{}
	src := senders[rnd.IntN(len(senders))]
	dst := receivers[rnd.IntN(len(receivers))]
	fromInternet := rnd.IntN(10) < 3
	v6 := rnd.IntN(4) == 0
	var onPrem []string
	for _, c := range n.VPNConnections {
		for _, p := range c.OnPremCIDRs {
			onPrem = append(onPrem, p.Addr().Next().Next().String())
		}
	}
	switch {
	case len(onPrem) > 0 && rnd.IntN(8) == 0:
		// From an on-premises host: the source is the IP literal.
		q.From = onPrem[rnd.IntN(len(onPrem))]
		v6 = false
		if len(dst.PrivateIPs) == 0 {
			dst = src
		}
		q.To = dst.PrivateIPs[0].String()
	case len(onPrem) > 0 && rnd.IntN(8) == 0:
		q.From, q.FromAddr = src.ID, reach.AddrPrivate
		q.To, v6 = onPrem[rnd.IntN(len(onPrem))], false
	}
	if q.To != "" {
		// An on-premises end: the other end is set.
	} else if fromInternet {
		q.From = "198.51.100.23"
		if v6 {
			q.From = "2001:db8:feed::23"
		}
		if !v6 && len(public) > 0 && rnd.IntN(4) > 0 {
			dst = public[rnd.IntN(len(public))]
		}
	} else {
		v6 = v6 && len(src.IPv6Addrs) > 0
		q.From, q.FromAddr = src.ID, reach.AddrPrivate
		if v6 {
			q.FromAddr = reach.AddrIPv6
		}
	}
	switch r := rnd.IntN(12); {
	case q.To != "":
	case r == 0 && !fromInternet:
		q.To = "203.0.113.80"
		if v6 {
			q.To = "2001:db8:beef::80"
		}
	case r == 1 && !fromInternet && !v6:
		q.To = "52.216.8.10" // S3, behind a gateway endpoint where there is one
	case r == 2 && !v6 && !(fromInternet && len(dst.PublicIPs) > 0):
		q.To = fmt.Sprintf("10.%d.%d.99", rnd.IntN(5), rnd.IntN(4)) // often nobody's
	case v6 && len(dst.IPv6Addrs) > 0:
		q.To = dst.IPv6Addrs[0].String()
	case v6 && fromInternet:
		q.From, v6 = "198.51.100.23", false
		q.To = dst.PrivateIPs[0].String()
	case v6:
		q.To = "2001:db8:beef::80"
	case len(dst.PublicIPs) > 0 && (fromInternet || rnd.IntN(4) == 0):
		q.To = dst.PublicIPs[0].Public.String()
	default:
		q.To = dst.PrivateIPs[0].String()
	}
	if q.From == src.ID && (dst.ID == src.ID && !strings.HasPrefix(q.To, "203.") && !strings.HasPrefix(q.To, "2001:db8:beef")) {
		q.To = "203.0.113.80"
		if v6 {
			q.To = "2001:db8:beef::80"
		}
	}
	protos := []model.Protocol{model.ProtocolTCP, model.ProtocolTCP, model.ProtocolTCP, model.ProtocolUDP, model.ProtocolICMP, 47}
	q.Protocol = protos[rnd.IntN(len(protos))]
	if v6 && q.Protocol == model.ProtocolICMP {
		q.Protocol = model.ProtocolICMPv6
	}
	if q.Protocol == model.ProtocolICMP && rnd.IntN(3) == 0 {
		// Not only echo: a timestamp request, or a destination unreachable.
		m := []model.ICMPMatch{model.ICMPTypeCode(13, 0), model.ICMPTypeCode(3, 3)}[rnd.IntN(2)]
		q.ICMP = &m
	}
	if q.Protocol.HasPorts() {
		dp := model.Port([]uint16{22, 80, 443, 5432, 8080, 3306, 53, 1000}[rnd.IntN(8)])
		if p, ok := openPort(rnd, n, dst, q.Protocol); ok && rnd.IntN(10) < 6 {
			dp = model.Port(p)
		}
		sp := model.Port(uint16(1024 + rnd.IntN(64512)))
		q.Port, q.SrcPort = &dp, &sp
	}
	return q
}

// openPort picks a port an inbound rule of x's security groups opens for
// protocol p.
func openPort(rnd *rand.Rand, n *model.Network, x *model.NetworkInterface, p model.Protocol) (uint16, bool) {
	var open []model.PortRange
	for _, g := range n.SecurityGroups {
		if !slices.Contains(x.SecurityGroupIDs, g.ID) {
			continue
		}
		for _, r := range g.Ingress {
			if r.Protocol == p {
				open = append(open, r.Ports)
			}
		}
	}
	if len(open) == 0 {
		return 0, false
	}
	r := open[rnd.IntN(len(open))]
	return r.First + uint16(rnd.IntN(int(r.Last-r.First)+1)), true
}
