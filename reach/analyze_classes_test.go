package reach

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"reflect"
	"slices"
	"testing"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach/hset"
)

// TestAnalyzeByClassAgrees checks that an analysis from the internet which
// derives the walks to the public addresses of a class's members from one
// member's walk (transplant) answers exactly what walking every public
// address answers: the same exposures with the same headers, path digests
// and findings, on the scenario networks given more members per class and
// on random estates whose rules and routes name some members' own
// addresses (which splits classes) and public addresses.
func TestAnalyzeByClassAgrees(t *testing.T) {
	nets := map[string]*tnet{}
	for name, build := range AgreementNetworks {
		n := newNet()
		build(n)
		crowd(n, rand.New(rand.NewPCG(3, uint64(len(name)))))
		nets[name] = n
	}
	rnd := rand.New(rand.NewPCG(11, 12))
	for i := range 30 {
		nets[fmt.Sprintf("random %d", i)] = randomEstate(rnd)
	}
	derived := 0
	for name, n := range nets {
		e := n.engine(t)
		for _, eph := range []model.PortRange{{}, {First: 32768, Last: 60999}} {
			got, err := e.Analyze(AnalyzeOptions{Ephemeral: eph})
			if err != nil {
				t.Fatal(err)
			}
			want, err := e.Analyze(AnalyzeOptions{Ephemeral: eph, perAddress: true})
			if err != nil {
				t.Fatal(err)
			}
			derived += got.derived
			if d := diffAnalyses(got, want); d != "" {
				t.Errorf("%s (ephemeral %v): %s", name, eph, d)
			}
		}
	}
	if derived < 100 {
		t.Errorf("only %d walks derived: the networks do not exercise the derivation", derived)
	}
}

func diffAnalyses(got, want *Analysis) string {
	if len(got.Exposures) != len(want.Exposures) {
		return fmt.Sprintf("%d exposures, want %d", len(got.Exposures), len(want.Exposures))
	}
	for i, g := range got.Exposures {
		w := want.Exposures[i]
		name := w.Interface.Label()
		switch {
		case g.Target != w.Target || g.Interface != w.Interface || g.Subnet != w.Subnet || g.VPC != w.VPC || g.Placeholder != w.Placeholder:
			return fmt.Sprintf("exposure %d is %s, want %s", i, g.Interface.Label(), name)
		case !g.passing.Equal(w.passing):
			return fmt.Sprintf("%s: passing %v, want %v", name, g.passing, w.passing)
		case !reflect.DeepEqual(g.warnings, w.warnings):
			return fmt.Sprintf("%s: warnings %v, want %v", name, g.warnings, w.warnings)
		case !slices.Equal(g.digest.nodes, w.digest.nodes):
			return fmt.Sprintf("%s: nodes %v, want %v", name, g.digest.nodes, w.digest.nodes)
		case len(g.digest.steps) != len(w.digest.steps):
			return fmt.Sprintf("%s: %d steps, want %d", name, len(g.digest.steps), len(w.digest.steps))
		}
		for k, gs := range g.digest.steps {
			ws := w.digest.steps[k]
			if gs.dir != ws.dir || !sameStep(gs.step, ws.step) {
				return fmt.Sprintf("%s: step %d is %+v, want %+v", name, k, *gs.step, *ws.step)
			}
		}
		if gf, wf := g.Findings(), w.Findings(); !reflect.DeepEqual(gf, wf) {
			return fmt.Sprintf("%s: findings\n%+v\nwant\n%+v", name, gf, wf)
		}
	}
	return ""
}

func sameStep(a, b *Step) bool {
	x, y := *a, *b
	x.sets, y.sets = nil, nil
	return reflect.DeepEqual(x, y) && slices.EqualFunc(a.sets, b.sets, hset.Set.Equal)
}

// crowd adds, to every subnet of n with an instance, instances like the
// first (same groups, addresses next to its), most with public addresses.
func crowd(n *tnet, rnd *rand.Rand) {
	var add []*model.NetworkInterface
	used := map[netip.Addr]bool{}
	for _, x := range n.Interfaces {
		for _, a := range x.PrivateIPs {
			used[a] = true
		}
	}
	for _, x := range slices.Clone(n.Interfaces) {
		if x.OwnerKind != model.OwnerInstance || len(x.PrivateIPs) == 0 {
			continue
		}
		for k := range 2 + rnd.IntN(4) {
			a := x.PrivateIPs[0].As4()
			for a[3] += 20; used[netip.AddrFrom4(a)]; a[3]++ {
			}
			used[netip.AddrFrom4(a)] = true
			public := ""
			if rnd.IntN(5) > 0 {
				public = fmt.Sprintf("54.1.%d.%d", len(add)/200, len(add)%200+1)
			}
			y := n.instance(fmt.Sprintf("%s-%d", x.OwnerID, k), x.SubnetID, slices.Clone(x.SecurityGroupIDs), public, netip.AddrFrom4(a).String())
			add = append(add, y)
		}
	}
}

// randomEstate is one or two VPCs with an internet gateway, public and
// private subnets, random security groups and ACLs, and instances in
// classes, some of whose addresses and public addresses rules or routes
// name.
func randomEstate(rnd *rand.Rand) *tnet {
	n := newNet()
	pick := func(xs ...string) string { return xs[rnd.IntN(len(xs))] }
	var pubs, privs []string
	for v := range 1 + rnd.IntN(2) {
		vpc := fmt.Sprintf("vpc-%d", v)
		n.vpc(vpc, fmt.Sprintf("10.%d.0.0/16", v))
		n.igw("igw-"+vpc, vpc)
		n.mainRT("rtb-main-"+vpc, vpc)
		for s := range 2 + rnd.IntN(2) {
			sub := fmt.Sprintf("subnet-%d-%d", v, s)
			n.subnet(sub, vpc, "us-east-1a", fmt.Sprintf("10.%d.%d.0/24", v, s))
			n.rt("rtb-"+sub, vpc, []string{sub}, "0.0.0.0/0 igw-"+vpc)
			if rnd.IntN(2) == 0 {
				in := []string{fmt.Sprintf("90 %s tcp 22 %s", pick("deny", "allow"), pick("8.0.0.0/8", "0.0.0.0/0", "54.1.0.0/24")), "100 allow all - 0.0.0.0/0"}
				out := []string{fmt.Sprintf("100 allow tcp %s 0.0.0.0/0", pick("1024-65535", "1024-32767", "0-65535")), "110 allow " + pick("udp", "icmp", "all") + " - 0.0.0.0/0"}
				n.acl("acl-"+sub, vpc, []string{sub}, in, out)
			}
		}
		for g := range 3 {
			var in []sgSpec
			for range 1 + rnd.IntN(3) {
				in = append(in, sgSpec(fmt.Sprintf("%s %s %s", pick("tcp", "tcp", "udp", "icmp", "all"), pick("22", "80", "443", "1000-2000", "-"),
					pick("0.0.0.0/0", "0.0.0.0/1", "203.0.113.0/24", "54.1.0.7/32", "8.0.0.0/6", fmt.Sprintf("sg-%d-%d", v, (g+1)%3)))))
			}
			n.sg(fmt.Sprintf("sg-%d-%d", v, g), vpc, in, []sgSpec{sgSpec("all - " + pick("0.0.0.0/0", "10.0.0.0/8"))})
		}
		for s := range 3 {
			sub := fmt.Sprintf("subnet-%d-%d", v, s)
			if !slices.ContainsFunc(n.Subnets, func(x *model.Subnet) bool { return x.ID == sub }) {
				continue
			}
			for i := range 3 + rnd.IntN(6) {
				sgs := []string{fmt.Sprintf("sg-%d-%d", v, rnd.IntN(3))}
				if rnd.IntN(3) == 0 {
					sgs = append(sgs, fmt.Sprintf("sg-%d-%d", v, rnd.IntN(3)))
				}
				priv := fmt.Sprintf("10.%d.%d.%d", v, s, 10+i)
				public := ""
				if rnd.IntN(4) > 0 {
					public = fmt.Sprintf("54.1.0.%d", len(pubs)+1)
					pubs = append(pubs, public)
				}
				n.instance(fmt.Sprintf("i-%d-%d-%d", v, s, i), sub, sgs, public, priv)
				privs = append(privs, priv)
			}
		}
	}
	// Rules and routes naming single members split their classes.
	if len(privs) > 0 && rnd.IntN(2) == 0 {
		n.SecurityGroups[0].Ingress = append(n.SecurityGroups[0].Ingress, model.SGRule{Direction: model.Ingress, Protocol: model.ProtocolTCP,
			Ports: model.Port(8443), ICMP: model.AnyICMP, Peer: model.SGPeer{Kind: model.PeerCIDR, CIDR: pfx(pick(privs...) + "/32")}})
	}
	if len(privs) > 0 && rnd.IntN(2) == 0 {
		addRoute(n, n.RouteTables[0].ID, pick(privs...)+"/32 igw-vpc-0")
	}
	// Ingress routing: the gateway's own route table drops traffic for
	// some members.
	if rnd.IntN(2) == 0 {
		r := n.rt("rtb-edge", "vpc-0", nil, pick(privs...)+"/32 blackhole", "10.0.7.0/24 blackhole")
		r.Associations = []model.RouteTableAssociation{{GatewayID: "igw-vpc-0"}}
	}
	return n
}
