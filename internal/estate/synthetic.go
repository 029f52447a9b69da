package estate

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net/netip"
	"runtime"
	"strconv"

	"github.com/vpcsim/vpcsim/internal/estate/tfstate"
)

// Write writes the estate p describes to w as a Terraform state file.
//
// VPC modules are built and encoded in parallel (one goroutine per
// processor) and written in order, with a bounded number in flight, so the
// output is the same bytes whatever the parallelism and memory stays flat.
func Write(w io.Writer, p Params) error {
	if err := p.Validate(); err != nil {
		return fmt.Errorf("invalid parameters: %w", err)
	}
	g := newGenerator(p)
	sw := tfstate.NewWriter(w, tfstate.Header{TerraformVersion: "1.9.8", Serial: int64(300 + p.Seed%700),
		Lineage: g.lineage()})
	// Root module first: Terraform sorts the root ("") before module paths.
	root := g.root()
	tfstate.SortResources(root)
	for _, r := range root {
		if err := sw.Write(r); err != nil {
			return err
		}
	}

	n := len(g.vpcs)
	workers := max(1, min(runtime.GOMAXPROCS(0), n))
	results := make([]chan chunk, n)
	for v := range results {
		results[v] = make(chan chunk, 1)
	}
	jobs := make(chan int)
	inFlight := make(chan struct{}, 2*workers)
	// Buffers go back to the workers once written: a module's encoding is
	// hundreds of kilobytes, and growing a fresh buffer for each dominated
	// the profile.
	free := make(chan []byte, 2*workers+1)
	go func() {
		for v := range n {
			inFlight <- struct{}{}
			jobs <- v
		}
		close(jobs)
	}()
	for range workers {
		go func() {
			enc := tfstate.NewEncoder()
			for v := range jobs {
				var buf []byte
				select {
				case buf = <-free:
				default:
				}
				results[v] <- g.encodeModule(enc, v, buf)
			}
		}()
	}
	var err error
	for v := range n {
		c := <-results[v]
		<-inFlight
		// After an error, keep draining so that no goroutine is left behind.
		if err != nil {
			continue
		}
		if err = c.err; err != nil {
			continue
		}
		start := 0
		for i := range c.heads {
			if err = sw.WriteEncoded(&c.heads[i], c.data[start:c.ends[i]]); err != nil {
				break
			}
			start = c.ends[i]
		}
		select {
		case free <- c.data[:0]:
		default:
		}
	}
	if err != nil {
		return err
	}
	return sw.Close()
}

// chunk is one VPC module, encoded: resource i is data[ends[i-1]:ends[i]].
type chunk struct {
	heads []tfstate.Resource // module, mode, type, name only
	data  []byte
	ends  []int
	err   error
}

func (g *generator) encodeModule(enc *tfstate.Encoder, v int, buf []byte) chunk {
	rs := g.vpcModule(v)
	tfstate.SortResources(rs)
	c := chunk{heads: make([]tfstate.Resource, len(rs)), ends: make([]int, len(rs)), data: buf}
	for i, r := range rs {
		c.heads[i] = tfstate.Resource{Module: r.Module, Mode: r.Mode, Type: r.Type, Name: r.Name}
		if c.data, c.err = enc.Append(c.data, r); c.err != nil {
			return c
		}
		c.ends[i] = len(c.data)
	}
	return c
}

// tfHub is the address of every hub's transit gateway; region, account and
// ami are the examples' (examples_builder.go).
const tfHub = "aws_ec2_transit_gateway.hub"

var zoneNames = []struct{ name, id string }{{"us-east-1a", "use1-az4"}, {"us-east-1b", "use1-az6"}, {"us-east-1c", "use1-az1"}}

// Kinds of generated IDs. An ID is a keyed bijection of (kind, a, b), so IDs
// are unique by construction and can be computed in any order.
const (
	kVPC uint64 = iota + 1
	kMainRTB
	kDefaultACL
	kDefaultSG
	kDHCP
	kSubnet
	kIGW
	kNAT
	kNATENI
	kEIP
	kEIPAssoc
	kRTB
	kRTBAssoc
	kACL
	kSG
	kInstance
	kENI
	kVolume
	kTGW
	kTGWRTB
	kAttach
	kPCX
)

type vpcSkel struct {
	key     string // for_each key: net-0001
	cidr    netip.Prefix
	hub     int // -1: none
	segment int // 0 or 1: which of the hub's route tables it is associated with
	peers   []peerRef
}

type peerRef struct {
	pcx       int // peering index
	other     int // the VPC at the other end
	requester bool
}

type generator struct {
	p          Params
	l          layout
	env        tfstate.Env
	key        uint64
	vpcBits    int
	subnetBits int
	vpcs       []vpcSkel
	pairs      [][2]int
	aggregates []string // pools the VPCs use: routed to the hub
	roles      []string // security group roles, in creation order
}

func newGenerator(p Params) *generator {
	g := &generator{p: p, l: p.layout(), key: p.Seed*0x9e3779b97f4a7c15 ^ 0x2545f4914f6cdd1d,
		env: tfstate.Env{Region: region, AccountID: account, DefaultTags: tfstate.Tags{"ManagedBy": "terraform", "Estate": "synthetic"}}}
	g.vpcBits, _ = p.vpcBits()
	g.subnetBits, _ = p.subnetBits()
	width := max(4, len(strconv.Itoa(p.VPCs)))
	used := map[int]bool{}
	for v := range p.VPCs {
		s := vpcSkel{key: fmt.Sprintf("net-%0*d", width, v+1), hub: -1}
		var pool int
		s.cidr, pool = g.vpcCIDR(v)
		if !used[pool] {
			used[pool] = true
			g.aggregates = append(g.aggregates, netip.PrefixFrom(netip.AddrFrom4(vpcPools[pool].first), vpcPools[pool].bits).String())
		}
		if p.TGWHubs > 0 {
			s.hub = v % p.TGWHubs
			s.segment = (v / p.TGWHubs) % 2
		}
		g.vpcs = append(g.vpcs, s)
	}
	// Peering pairs: distinct, drawn by the seed. Drawing stops being cheap
	// when nearly every pair is asked for, so fall back to enumeration.
	rng := rand.New(rand.NewPCG(p.Seed, 0x70ee51))
	seen := map[[2]int]bool{}
	if pairs := p.VPCs * (p.VPCs - 1) / 2; p.Peerings*2 > pairs {
		all := make([][2]int, 0, pairs)
		for a := range p.VPCs {
			for b := a + 1; b < p.VPCs; b++ {
				all = append(all, [2]int{a, b})
			}
		}
		rng.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
		g.pairs = all[:p.Peerings]
	} else {
		for len(g.pairs) < p.Peerings {
			a, b := rng.IntN(p.VPCs), rng.IntN(p.VPCs)
			if a == b {
				continue
			}
			a, b = min(a, b), max(a, b)
			if !seen[[2]int{a, b}] {
				seen[[2]int{a, b}] = true
				g.pairs = append(g.pairs, [2]int{a, b})
			}
		}
	}
	for i, pr := range g.pairs {
		g.vpcs[pr[0]].peers = append(g.vpcs[pr[0]].peers, peerRef{pcx: i, other: pr[1], requester: true})
		g.vpcs[pr[1]].peers = append(g.vpcs[pr[1]].peers, peerRef{pcx: i, other: pr[0]})
	}
	base := []string{"web", "app", "db", "admin"}
	for i := range p.SGsPerVPC {
		if i < len(base) {
			g.roles = append(g.roles, base[i])
		} else {
			g.roles = append(g.roles, fmt.Sprintf("svc-%03d", i-len(base)+1))
		}
	}
	return g
}

func (g *generator) id(prefix string, kind uint64, a, b int) string {
	return tfstate.FormatID(prefix, tfstate.Scramble(kind<<56|uint64(a)<<28|uint64(b), g.key))
}

func (g *generator) lineage() string {
	h := fmt.Sprintf("%016x%016x", tfstate.Scramble(0, g.key), tfstate.Scramble(1, g.key))
	return h[:8] + "-" + h[8:12] + "-4" + h[13:16] + "-8" + h[17:20] + "-" + h[20:32]
}

// vpcCIDR returns the block of VPC v and the pool it comes from.
func (g *generator) vpcCIDR(v int) (netip.Prefix, int) {
	for i, pool := range vpcPools {
		n := 1 << (g.vpcBits - pool.bits)
		if v < n {
			base := uint32(pool.first[0])<<24 | uint32(pool.first[1])<<16 | uint32(pool.first[2])<<8 | uint32(pool.first[3])
			return netip.PrefixFrom(addr4(base+uint32(v)<<(32-g.vpcBits)), g.vpcBits), i
		}
		v -= n
	}
	panic("gen: VPC index beyond the pools; Validate should have refused it")
}

func addr4(v uint32) netip.Addr {
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

func u32(a netip.Addr) uint32 {
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

// subnetCIDR is the i-th subnet block of VPC v.
func (g *generator) subnetCIDR(v, i int) netip.Prefix {
	return netip.PrefixFrom(addr4(u32(g.vpcs[v].cidr.Addr())+uint32(i)<<(32-g.subnetBits)), g.subnetBits)
}

// host returns the address of slot (0 ≤ slot ≤ InstancesPerSubnet; the last
// is the NAT gateway's) of subnet i of VPC v: each slot owns an equal share
// of the usable addresses and takes one of them at random, so addresses look
// like AWS's and never collide or touch the reserved five.
func (g *generator) host(v, i, slot int) string {
	p := g.subnetCIDR(v, i)
	usable := uint64(1)<<(32-g.subnetBits) - 5
	slots := uint64(g.p.InstancesPerSubnet + 1)
	share := usable / slots
	r := tfstate.Scramble(uint64(v)<<40|uint64(i)<<20|uint64(slot), g.key^0x5107) % share
	return addr4(u32(p.Addr()) + 4 + uint32(uint64(slot)*share+r)).String()
}

// Public addresses come from ranges AWS uses in us-east-1. Index n maps to
// a unique address: an odd multiplier is a bijection modulo a power of two.
var publicPools = []struct {
	first [4]byte
	bits  int
}{{[4]byte{3, 208, 0, 0}, 12}, {[4]byte{44, 192, 0, 0}, 11}, {[4]byte{54, 144, 0, 0}, 12}}

const publicCapacity = 1<<20 + 1<<21 + 1<<20

func (g *generator) publicIP(v, slot int) string {
	n := uint64(v*g.p.publicIPsPerVPC() + slot)
	for _, pool := range publicPools {
		size := uint64(1) << (32 - pool.bits)
		if n < size {
			off := (n*0x9e3779b1 + g.key) % size
			base := uint32(pool.first[0])<<24 | uint32(pool.first[1])<<16
			return addr4(base + uint32(off)).String()
		}
		n -= size
	}
	panic("gen: public address index beyond the pools; Validate should have refused it")
}

func managed(module, typ, name string, key any, schema int, attrs any, private string, deps []string) *tfstate.Resource {
	return &tfstate.Resource{Module: module, Mode: "managed", Type: typ, Name: name, Provider: tfstate.AWSProvider,
		Instances: []tfstate.Instance{tfstate.NewInstance(key, schema, attrs, private, deps...)}}
}

// collector merges instances of the same resource.
type collector struct {
	rs    []*tfstate.Resource
	index map[string]*tfstate.Resource
}

func (c *collector) add(module, typ, name string, key any, schema int, attrs any, private string, deps []string) {
	k := typ + "." + name
	if r := c.index[k]; r != nil {
		r.Instances = append(r.Instances, tfstate.NewInstance(key, schema, attrs, private, deps...))
		return
	}
	if c.index == nil {
		c.index = map[string]*tfstate.Resource{}
	}
	r := managed(module, typ, name, key, schema, attrs, private, deps)
	c.index[k] = r
	c.rs = append(c.rs, r)
}

// root returns the root module's resources: hubs, their route tables,
// associations, propagations and blackhole routes, and the peerings.
func (g *generator) root() []*tfstate.Resource {
	var c collector
	env := g.env
	segments := []string{"a", "b"}
	for h := range g.p.TGWHubs {
		tgw := g.id("tgw", kTGW, h, 0)
		name := fmt.Sprintf("hub-%d", h+1)
		c.add("", "aws_ec2_transit_gateway", "hub", h, 0, &tfstate.TransitGateway{
			AmazonSideASN: 64512 + h, ARN: env.ARN("transit-gateway", tgw), AutoAcceptSharedAttachments: "disable",
			DefaultRouteTableAssociation: "disable", DefaultRouteTablePropagation: "disable", Description: name,
			DNSSupport: "enable", ID: tgw, MulticastSupport: "disable", OwnerID: account, SecurityGroupReferencingSupport: "enable",
			Tags: tfstate.Named(name), TagsAll: env.TagsAll(tfstate.Named(name)), TransitGatewayCIDRBlocks: []string{}, VPNECMPSupport: "enable",
		}, tfstate.PrivateTransitGateway, nil)
		for s, seg := range segments {
			rtb := g.id("tgw-rtb", kTGWRTB, h, s)
			key := fmt.Sprintf("%d-%s", h, seg)
			c.add("", "aws_ec2_transit_gateway_route_table", "segment", key, 0, &tfstate.TGWRouteTable{
				ARN: env.ARN("transit-gateway-route-table", rtb), ID: rtb, Tags: tfstate.Named(name + "-" + seg),
				TagsAll: env.TagsAll(tfstate.Named(name + "-" + seg)), TransitGatewayID: tgw,
			}, tfstate.PrivateNull, []string{tfHub})
			// A blackhole per table: the first VPC of the other segment is
			// quarantined from this one (static beats propagated).
			dest := "198.51.100.0/24"
			for v := h; v < len(g.vpcs); v += g.p.TGWHubs {
				if g.vpcs[v].segment != s {
					dest = g.vpcs[v].cidr.String()
					break
				}
			}
			c.add("", "aws_ec2_transit_gateway_route", "blackhole", key, 0, &tfstate.TGWRoute{
				Blackhole: true, DestinationCIDRBlock: dest, ID: rtb + "_" + dest, TransitGatewayRouteTableID: rtb,
			}, tfstate.PrivateNull, []string{tfHub, "aws_ec2_transit_gateway_route_table.segment"})
		}
	}
	no := false
	attachDeps := []string{tfHub, "aws_ec2_transit_gateway_route_table.segment", "module.vpc.aws_ec2_transit_gateway_vpc_attachment.this",
		"module.vpc.aws_subnet.app", "module.vpc.aws_subnet.public", "module.vpc.aws_vpc.this"}
	for v, s := range g.vpcs {
		if s.hub < 0 {
			continue
		}
		attach, vpc := g.id("tgw-attach", kAttach, v, 0), g.id("vpc", kVPC, v, 0)
		rtb := g.id("tgw-rtb", kTGWRTB, s.hub, s.segment)
		c.add("", "aws_ec2_transit_gateway_route_table_association", "vpc", s.key, 0, &tfstate.TGWRouteTableLink{
			ID: rtb + "_" + attach, ReplaceExistingAssociation: &no, ResourceID: vpc, ResourceType: "vpc",
			TransitGatewayAttachmentID: attach, TransitGatewayRouteTableID: rtb,
		}, tfstate.PrivateNull, attachDeps)
		for seg := range segments {
			rtb := g.id("tgw-rtb", kTGWRTB, s.hub, seg)
			c.add("", "aws_ec2_transit_gateway_route_table_propagation", "vpc", s.key+"/"+segments[seg], 0, &tfstate.TGWRouteTableLink{
				ID: rtb + "_" + attach, ResourceID: vpc, ResourceType: "vpc", TransitGatewayAttachmentID: attach, TransitGatewayRouteTableID: rtb,
			}, tfstate.PrivateNull, attachDeps)
		}
	}
	for i, pr := range g.pairs {
		a, b := g.vpcs[pr[0]], g.vpcs[pr[1]]
		pcx := g.id("pcx", kPCX, i, 0)
		name := a.key + "-to-" + b.key
		c.add("", "aws_vpc_peering_connection", "this", a.key+"--"+b.key, 0, &tfstate.VPCPeeringConnection{
			AcceptStatus: "active", Accepter: []tfstate.PeeringOptions{{}}, AutoAccept: true, ID: pcx, PeerOwnerID: account,
			PeerRegion: region, PeerVPCID: g.id("vpc", kVPC, pr[1], 0), Requester: []tfstate.PeeringOptions{{}},
			Tags: tfstate.Named(name), TagsAll: env.TagsAll(tfstate.Named(name)), VPCID: g.id("vpc", kVPC, pr[0], 0),
		}, tfstate.PrivateVPCPeeringConnection, []string{"module.vpc.aws_vpc.this"})
	}
	return c.rs
}

// Dependency lists of the resources of a VPC module (configuration
// addresses: no instance keys). They are shared, never modified.
var (
	depVPC       = []string{"module.vpc.aws_vpc.this"}
	depIGW       = []string{"module.vpc.aws_internet_gateway.this", "module.vpc.aws_vpc.this"}
	depNAT       = []string{"module.vpc.aws_eip.nat", "module.vpc.aws_internet_gateway.this", "module.vpc.aws_subnet.public", "module.vpc.aws_vpc.this"}
	depEIPPublic = []string{"module.vpc.aws_instance.public", "module.vpc.aws_internet_gateway.this", "module.vpc.aws_security_group.this", "module.vpc.aws_subnet.public", "module.vpc.aws_vpc.this"}
	depSG        = []string{"aws_vpc_peering_connection.this", "module.vpc.aws_vpc.this"}
	depACL       = []string{"module.vpc.aws_subnet.app", "module.vpc.aws_subnet.db", "module.vpc.aws_subnet.public", "module.vpc.aws_vpc.this"}
	depAttach    = []string{tfHub, "module.vpc.aws_subnet.app", "module.vpc.aws_subnet.public", "module.vpc.aws_vpc.this"}
	depTable     = map[string][]string{
		"public": depIGW,
		"app": {tfHub, "aws_vpc_peering_connection.this", "module.vpc.aws_eip.nat", "module.vpc.aws_internet_gateway.this",
			"module.vpc.aws_nat_gateway.this", "module.vpc.aws_subnet.public", "module.vpc.aws_vpc.this"},
		"db": {tfHub, "aws_vpc_peering_connection.this", "module.vpc.aws_vpc.this"},
	}
	depAssoc = map[string][]string{
		"public": {"module.vpc.aws_internet_gateway.this", "module.vpc.aws_route_table.public", "module.vpc.aws_subnet.public", "module.vpc.aws_vpc.this"},
		"app":    {"module.vpc.aws_route_table.app", "module.vpc.aws_subnet.app", "module.vpc.aws_vpc.this"},
		"db":     {"module.vpc.aws_route_table.db", "module.vpc.aws_subnet.db", "module.vpc.aws_vpc.this"},
	}
	depInstance = map[string][]string{
		"public": {"module.vpc.aws_security_group.this", "module.vpc.aws_subnet.public", "module.vpc.aws_vpc.this"},
		"app":    {"module.vpc.aws_security_group.this", "module.vpc.aws_subnet.app", "module.vpc.aws_vpc.this"},
		"db":     {"module.vpc.aws_security_group.this", "module.vpc.aws_subnet.db", "module.vpc.aws_vpc.this"},
	}
	tierIndex = map[string]int{"public": 0, "app": 1, "db": 2}
)

type subnetRef struct {
	index, tierKey int
	tier           string
	zone           int
	id             string
}

// vpcModule returns the resources of module.vpc[key] for VPC v.
func (g *generator) vpcModule(v int) []*tfstate.Resource {
	s := &g.vpcs[v]
	p := g.p
	env := g.env
	mod := `module.vpc["` + s.key + `"]`
	var c collector
	vpcID := g.id("vpc", kVPC, v, 0)
	mainRTB, defACL, defSG := g.id("rtb", kMainRTB, v, 0), g.id("acl", kDefaultACL, v, 0), g.id("sg", kDefaultSG, v, 0)
	vpc := env.VPC(vpcID, s.cidr.String(), tfstate.Named(s.key), mainRTB, defACL, defSG, g.id("dopt", kDHCP, 0, 0))
	c.add(mod, "aws_vpc", "this", nil, 1, vpc, tfstate.PrivateVPC, nil)

	// Subnets.
	var subnets []subnetRef
	byTier := map[string][]subnetRef{}
	for i := range p.SubnetsPerVPC {
		tier := g.l.tierOf(i)
		ref := subnetRef{index: i, tier: tier, tierKey: len(byTier[tier]), zone: i % g.l.zones, id: g.id("subnet", kSubnet, v, i)}
		subnets = append(subnets, ref)
		byTier[tier] = append(byTier[tier], ref)
		z := zoneNames[ref.zone]
		name := fmt.Sprintf("%s-%s-%s%d", s.key, tier, z.name[len(z.name)-1:], ref.tierKey/g.l.zones+1)
		c.add(mod, "aws_subnet", tier, ref.tierKey, 1, env.Subnet(ref.id, vpcID, g.subnetCIDR(v, i).String(), z.name, z.id,
			tier == "public", tfstate.Named(name, "Tier", tier)), tfstate.PrivateSubnet, depVPC)
	}

	// Internet gateway, and the NAT gateway in the first public subnet.
	igw := g.id("igw", kIGW, v, 0)
	c.add(mod, "aws_internet_gateway", "this", nil, 0, env.InternetGateway(igw, vpcID, tfstate.Named(s.key+"-igw")), tfstate.PrivateInternetGateway, depVPC)
	natSubnet := byTier["public"][0]
	nat, natENI := g.id("nat", kNAT, v, 0), g.id("eni", kNATENI, v, 0)
	natAlloc, natAssoc := g.id("eipalloc", kEIP, v, 0), g.id("eipassoc", kEIPAssoc, v, 0)
	natPrivate, natPublic := g.host(v, natSubnet.index, p.InstancesPerSubnet), g.publicIP(v, 0)
	c.add(mod, "aws_eip", "nat", nil, 0, env.EIP(natAlloc, natAssoc, natPublic, natENI, "", natPrivate, tfstate.Named(s.key+"-nat")),
		tfstate.PrivateEIP, depIGW)
	c.add(mod, "aws_nat_gateway", "this", nil, 0, env.NATGateway(nat, natSubnet.id, natAlloc, natAssoc, natENI, natPrivate, natPublic,
		tfstate.Named(s.key+"-nat")), tfstate.PrivateNATGateway, depNAT)

	// Route tables: public → igw; app → NAT; db stays inside. Hub
	// aggregates and peer VPCs go on the app and db tables (on the public
	// one when the VPC has no other).
	tgw := ""
	if s.hub >= 0 {
		tgw = g.id("tgw", kTGW, s.hub, 0)
	}
	for _, tier := range []string{"public", "app", "db"} {
		if len(byTier[tier]) == 0 {
			continue
		}
		rtb := g.id("rtb", kRTB, v, tierIndex[tier])
		var routes []tfstate.RouteTableRoute
		switch tier {
		case "public":
			routes = append(routes, tfstate.RouteTableRoute{CIDRBlock: "0.0.0.0/0", GatewayID: igw})
		case "app":
			routes = append(routes, tfstate.RouteTableRoute{CIDRBlock: "0.0.0.0/0", NATGatewayID: nat})
		}
		if tier != "public" || g.l.peerTables == 1 && g.l.tables == 1 {
			if tgw != "" {
				for _, agg := range g.aggregates {
					routes = append(routes, tfstate.RouteTableRoute{CIDRBlock: agg, TransitGatewayID: tgw})
				}
			}
			for _, pr := range s.peers {
				routes = append(routes, tfstate.RouteTableRoute{CIDRBlock: g.vpcs[pr.other].cidr.String(),
					VPCPeeringConnectionID: g.id("pcx", kPCX, pr.pcx, 0)})
			}
		}
		c.add(mod, "aws_route_table", tier, nil, 0, env.RouteTable(rtb, vpcID, routes, tfstate.Named(s.key+"-"+tier)),
			tfstate.PrivateRouteTable, depTable[tier])
		for _, sn := range byTier[tier] {
			c.add(mod, "aws_route_table_association", tier, sn.tierKey, 0, &tfstate.RouteTableAssociation{
				ID: g.id("rtbassoc", kRTBAssoc, v, sn.index), RouteTableID: rtb, SubnetID: sn.id,
			}, tfstate.PrivateRouteTable, depAssoc[tier])
		}
	}

	// The database tier's network ACL (the app or public tier's when there
	// is no database tier).
	aclTier := "db"
	for _, t := range []string{"db", "app", "public"} {
		if len(byTier[t]) > 0 {
			aclTier = t
			break
		}
	}
	var aclSubnets []string
	for _, sn := range byTier[aclTier] {
		aclSubnets = append(aclSubnets, sn.id)
	}
	in, out := g.aclRules(v)
	c.add(mod, "aws_network_acl", aclTier, nil, 0, env.NetworkACL(g.id("acl", kACL, v, 0), vpcID, aclSubnets, in, out,
		tfstate.Named(s.key+"-"+aclTier)), tfstate.PrivateNull, depACL)

	// Security groups.
	sgID := func(role string) string {
		for i, r := range g.roles {
			if r == role {
				return g.id("sg", kSG, v, i)
			}
		}
		return ""
	}
	for i, role := range g.roles {
		id := g.id("sg", kSG, v, i)
		name := s.key + "-" + role
		c.add(mod, "aws_security_group", "this", role, 1, env.SecurityGroup(id, vpcID, name, "Managed by Terraform: "+role,
			g.sgIngress(v, i, role, sgID), []tfstate.SecurityGroupRule{tfstate.SGRule("-1", 0, 0, "", "0.0.0.0/0")},
			tfstate.Named(name, "Role", role)), tfstate.PrivateSecurityGroup, depSG)
	}
	groupsFor := func(tier string, first bool) []string {
		role := map[string]string{"public": "web", "app": "app", "db": "db"}[tier]
		var out []string
		if id := sgID(role); id != "" {
			out = append(out, id)
		} else if len(g.roles) > 0 {
			out = append(out, g.id("sg", kSG, v, len(g.roles)-1))
		}
		if first && tier == "public" {
			if id := sgID("admin"); id != "" {
				out = append(out, id)
			}
		}
		if len(out) == 0 {
			out = []string{defSG}
		}
		return out
	}

	// Instances. Public ones get a public address; the first of each public
	// subnet an Elastic IP.
	types := map[string]string{"public": "t3.small", "app": "m6i.large", "db": "r6i.large"}
	pubSlot := 1
	for _, sn := range subnets {
		z := zoneNames[sn.zone]
		for j := range p.InstancesPerSubnet {
			n := sn.tierKey*p.InstancesPerSubnet + j
			ip := g.host(v, sn.index, j)
			public := ""
			if sn.tier == "public" {
				public = g.publicIP(v, pubSlot)
				pubSlot++
			}
			key := v<<12 | sn.index
			inst := env.Instance(g.id("i", kInstance, key, j), ami, types[sn.tier], z.name, sn.id, g.id("eni", kENI, key, j),
				g.id("vol", kVolume, key, j), "", ip, public, groupsFor(sn.tier, j == 0),
				tfstate.Named(fmt.Sprintf("%s-%s-%d", s.key, sn.tier, n+1), "Tier", sn.tier))
			inst.RootBlockDevice[0].KMSKeyID = ""
			inst.RootBlockDevice[0].Encrypted = false
			c.add(mod, "aws_instance", sn.tier, n, 1, inst, tfstate.PrivateInstance, depInstance[sn.tier])
			if sn.tier == "public" && j == 0 {
				c.add(mod, "aws_eip", "public", sn.tierKey, 0, env.EIP(g.id("eipalloc", kEIP, v, sn.index+1),
					g.id("eipassoc", kEIPAssoc, v, sn.index+1), public, inst.PrimaryNetworkInterfaceID, inst.ID, ip,
					tfstate.Named(fmt.Sprintf("%s-public-%d", s.key, n+1))), tfstate.PrivateEIP, depEIPPublic)
			}
		}
	}

	// The hub attachment: one subnet per zone, from the app tier (public
	// when there is none). Every eleventh VPC's misses its last zone.
	if s.hub >= 0 {
		attachTier := "app"
		if len(byTier["app"]) == 0 {
			attachTier = "public"
		}
		var ids []string
		for zone := range g.l.zones {
			for _, sn := range byTier[attachTier] {
				if sn.zone == zone {
					ids = append(ids, sn.id)
					break
				}
			}
		}
		if v%11 == 5 && len(ids) > 1 {
			ids = ids[:len(ids)-1]
		}
		attach := g.id("tgw-attach", kAttach, v, 0)
		c.add(mod, "aws_ec2_transit_gateway_vpc_attachment", "this", nil, 0, &tfstate.TGWVPCAttachment{
			ApplianceModeSupport: "disable", ARN: env.ARN("transit-gateway-attachment", attach), DNSSupport: "enable", ID: attach,
			IPv6Support: "disable", SecurityGroupReferencingSupport: "enable", SubnetIDs: ids, Tags: tfstate.Named(s.key),
			TagsAll: env.TagsAll(tfstate.Named(s.key)), TransitGatewayID: tgw, VPCID: vpcID, VPCOwnerID: account,
		}, tfstate.PrivateTransitGateway, depAttach)
	}
	return c.rs
}

// aclRules returns the network ACL rules of VPC v: NACLRules per direction,
// numbered 100, 110, …, from a realistic mix of allows, denies and ephemeral
// return ranges (one of them, in every fifth VPC, too narrow).
func (g *generator) aclRules(v int) (in, out []tfstate.NetworkACLEntry) {
	vpc := g.vpcs[v].cidr.String()
	ingress := []func(n int) tfstate.NetworkACLEntry{
		func(n int) tfstate.NetworkACLEntry { return tfstate.ACLEntry(n, "deny", "-1", "203.0.113.0/24", 0, 0) },
		func(n int) tfstate.NetworkACLEntry { return tfstate.ACLEntry(n, "allow", "6", vpc, 5432, 5432) },
		func(n int) tfstate.NetworkACLEntry { return tfstate.ACLEntry(n, "allow", "6", vpc, 3306, 3306) },
		func(n int) tfstate.NetworkACLEntry { return tfstate.ACLEntry(n, "allow", "6", vpc, 22, 22) },
		func(n int) tfstate.NetworkACLEntry { return tfstate.ACLEntry(n, "deny", "6", "0.0.0.0/0", 3389, 3389) },
		func(n int) tfstate.NetworkACLEntry {
			return tfstate.ACLEntry(n, "allow", "6", "0.0.0.0/0", 1024, 65535)
		},
		func(n int) tfstate.NetworkACLEntry {
			e := tfstate.ACLEntry(n, "allow", "1", vpc, 0, 0)
			e.ICMPType, e.ICMPCode = -1, -1
			return e
		},
		func(n int) tfstate.NetworkACLEntry { return tfstate.ACLEntry(n, "allow", "17", vpc, 53, 53) },
	}
	returnHi := 65535
	if v%5 == 2 {
		returnHi = 32767
	}
	egress := []func(n int) tfstate.NetworkACLEntry{
		func(n int) tfstate.NetworkACLEntry { return tfstate.ACLEntry(n, "deny", "-1", "203.0.113.0/24", 0, 0) },
		func(n int) tfstate.NetworkACLEntry { return tfstate.ACLEntry(n, "allow", "6", vpc, 1024, returnHi) },
		func(n int) tfstate.NetworkACLEntry { return tfstate.ACLEntry(n, "allow", "6", "0.0.0.0/0", 443, 443) },
		func(n int) tfstate.NetworkACLEntry { return tfstate.ACLEntry(n, "allow", "6", vpc, 5432, 5432) },
		func(n int) tfstate.NetworkACLEntry { return tfstate.ACLEntry(n, "deny", "6", "0.0.0.0/0", 25, 25) },
		func(n int) tfstate.NetworkACLEntry { return tfstate.ACLEntry(n, "allow", "17", vpc, 1024, 65535) },
		func(n int) tfstate.NetworkACLEntry { return tfstate.ACLEntry(n, "allow", "6", "0.0.0.0/0", 80, 80) },
		func(n int) tfstate.NetworkACLEntry {
			e := tfstate.ACLEntry(n, "allow", "1", vpc, 0, 0)
			e.ICMPType, e.ICMPCode = -1, -1
			return e
		},
	}
	in = make([]tfstate.NetworkACLEntry, 0, g.p.NACLRules)
	out = make([]tfstate.NetworkACLEntry, 0, g.p.NACLRules)
	for k := range g.p.NACLRules {
		n := 100 + 10*k
		if k < len(ingress) {
			in = append(in, ingress[k](n))
			out = append(out, egress[k](n))
			continue
		}
		// Beyond the templates: service ports inside the VPC.
		port := 9000 + k
		in = append(in, tfstate.ACLEntry(n, "allow", "6", vpc, port, port))
		out = append(out, tfstate.ACLEntry(n, "allow", "6", vpc, port, port))
	}
	return in, out
}

// sgIngress returns the ingress rules of group i (role) of VPC v: the
// role's own rules first, then service rules referencing other groups and
// the VPC, up to RulesPerSG; plus, on a peered VPC's db group, a reference
// to the requester's app group.
func (g *generator) sgIngress(v, i int, role string, sgID func(string) string) []tfstate.SecurityGroupRule {
	vpc := g.vpcs[v].cidr.String()
	var own []tfstate.SecurityGroupRule
	worldAdmin := v%7 == 3 // a mistake some teams make
	switch role {
	case "web":
		own = append(own, tfstate.SGRule("tcp", 443, 443, "HTTPS", "0.0.0.0/0", "::/0"), tfstate.SGRule("tcp", 80, 80, "HTTP", "0.0.0.0/0"))
	case "app":
		own = append(own, tfstate.SGRule("tcp", 8080, 8080, "From the web tier", sgID("web")))
	case "db":
		own = append(own, tfstate.SGRule("tcp", 5432, 5432, "From the app tier", sgID("app")),
			tfstate.SGRule("tcp", 5432, 5432, "Replication", "self"))
	case "admin":
		if worldAdmin {
			own = append(own, tfstate.SGRule("tcp", 22, 22, "SSH (temporary)", "0.0.0.0/0"),
				tfstate.SGRule("tcp", 3389, 3389, "RDP (temporary)", "0.0.0.0/0"))
		} else {
			own = append(own, tfstate.SGRule("tcp", 22, 22, "SSH from the corporate network", "198.51.100.0/24"))
		}
	default:
		// Services call each other in a chain.
		own = append(own, tfstate.SGRule("tcp", 8000+i, 8000+i, "From the previous service", g.id("sg", kSG, v, i-1)))
	}
	rules := make([]tfstate.SecurityGroupRule, 0, g.p.RulesPerSG+1)
	for k := 0; len(rules) < g.p.RulesPerSG; k++ {
		if k < len(own) {
			rules = append(rules, own[k])
			continue
		}
		port := 9100 + k
		switch k % 3 {
		case 0:
			rules = append(rules, tfstate.SGRule("tcp", port, port, "Internal service", vpc))
		case 1:
			if id := sgID("admin"); id != "" && role != "admin" {
				rules = append(rules, tfstate.SGRule("tcp", port, port, "Management", id))
			} else {
				rules = append(rules, tfstate.SGRule("udp", port, port, "Internal service", vpc))
			}
		default:
			rules = append(rules, tfstate.SGRule("tcp", port, port+9, "Service range", vpc))
		}
	}
	if role == "db" && g.p.SGsPerVPC >= 3 {
		for _, pr := range g.vpcs[v].peers {
			if !pr.requester {
				rules = append(rules, tfstate.SGRule("tcp", 5432, 5432, "From the app tier of peered "+g.vpcs[pr.other].key,
					g.id("sg", kSG, pr.other, 1)))
			}
		}
	}
	return rules
}
