package reach

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/model"
)

// scenario is one flow through a small network with the verdict real AWS
// gives. doc names the AWS behaviour checked; docs/semantics.md cites the
// documentation for each.
type scenario struct {
	name  string
	doc   string
	build func(n *tnet)
	q     Query
	// want is the verdict; code, when set, must be among the explanations
	// with direction dir (blocking when want is false).
	want    bool
	partial bool
	code    Code
	dir     string
	// path, when set, is the kinds of the forward hops, space-separated.
	path string
}

func tcp(from, to string, port uint16) Query {
	p := model.Port(port)
	return Query{From: from, To: to, Protocol: model.ProtocolTCP, Port: &p}
}

func udp(from, to string, port uint16) Query {
	q := tcp(from, to, port)
	q.Protocol = model.ProtocolUDP
	return q
}

func proto(from, to string, p model.Protocol) Query { return Query{From: from, To: to, Protocol: p} }

// base is a VPC 10.0.0.0/16 with a public subnet (10.0.1.0/24, 0/0 to an
// internet gateway) holding "web" (10.0.1.10, public 54.0.0.10) and a private
// subnet (10.0.2.0/24, main table: local only) holding "app" (10.0.2.10).
// web's group allows 22, 80 and 443 from anywhere; app's allows 8080 from
// web's group. Both groups allow all egress. Network ACLs are the default.
func base(n *tnet) {
	n.vpc("vpc-1", "10.0.0.0/16")
	n.subnet("subnet-pub", "vpc-1", "us-east-1a", "10.0.1.0/24")
	n.subnet("subnet-priv", "vpc-1", "us-east-1a", "10.0.2.0/24")
	n.igw("igw-1", "vpc-1")
	n.rt("rtb-pub", "vpc-1", []string{"subnet-pub"}, "0.0.0.0/0 igw-1")
	n.mainRT("rtb-main", "vpc-1")
	n.sg("sg-web", "vpc-1", []sgSpec{"tcp 22 0.0.0.0/0", "tcp 80 0.0.0.0/0", "tcp 443 0.0.0.0/0"}, []sgSpec{"all - 0.0.0.0/0"})
	n.sg("sg-app", "vpc-1", []sgSpec{"tcp 8080 sg-web"}, []sgSpec{"all - 0.0.0.0/0"})
	n.instance("web", "subnet-pub", []string{"sg-web"}, "54.0.0.10", "10.0.1.10")
	n.instance("app", "subnet-priv", []string{"sg-app"}, "", "10.0.2.10")
}

// withNAT adds a NAT gateway in the public subnet (10.0.1.5, EIP 54.0.0.5)
// and routes the private subnet's 0/0 to it.
func withNAT(n *tnet) {
	n.nat("nat-1", "subnet-pub", "10.0.1.5", "54.0.0.5")
	for _, rt := range n.RouteTables {
		if rt.ID == "rtb-main" {
			rt.Routes = append(rt.Routes, model.Route{Destination: pfx("0.0.0.0/0"), Target: target("nat-1")})
		}
	}
}

// twoVPCs peers vpc-a (10.1.0.0/16, "a" 10.1.1.10) and vpc-b (10.2.0.0/16,
// "b" 10.2.1.10) with routes both ways; both groups allow all from 10.0.0.0/8.
func twoVPCs(n *tnet) {
	n.vpc("vpc-a", "10.1.0.0/16")
	n.vpc("vpc-b", "10.2.0.0/16")
	n.subnet("subnet-a", "vpc-a", "us-east-1a", "10.1.1.0/24")
	n.subnet("subnet-b", "vpc-b", "us-east-1a", "10.2.1.0/24")
	n.peering("pcx-ab", "vpc-a", "vpc-b", true)
	n.rt("rtb-a", "vpc-a", []string{"subnet-a"}, "10.2.0.0/16 pcx-ab")
	n.rt("rtb-b", "vpc-b", []string{"subnet-b"}, "10.1.0.0/16 pcx-ab")
	n.sg("sg-a", "vpc-a", []sgSpec{"all - 10.0.0.0/8"}, []sgSpec{"all - 0.0.0.0/0"})
	n.sg("sg-b", "vpc-b", []sgSpec{"all - 10.0.0.0/8"}, []sgSpec{"all - 0.0.0.0/0"})
	n.instance("a", "subnet-a", []string{"sg-a"}, "", "10.1.1.10")
	n.instance("b", "subnet-b", []string{"sg-b"}, "", "10.2.1.10")
}

// hub attaches two spoke VPCs to tgw-1 with default association and
// propagation: spoke1 10.1.0.0/16 ("s1" 10.1.1.10, attachment subnet
// 10.1.0.0/28 in zone a) and spoke2 10.2.0.0/16 ("s2" 10.2.1.10, attachment
// subnet 10.2.0.0/28 in zone a). Each spoke routes 10.0.0.0/8 to the gateway.
func hub(n *tnet) {
	n.TransitGateways = append(n.TransitGateways, &model.TransitGateway{Meta: meta("tgw-1"), DefaultAssociation: true, DefaultPropagation: true})
	for i, name := range []string{"s1", "s2"} {
		v := fmt.Sprintf("vpc-%d", i+1)
		n.vpc(v, fmt.Sprintf("10.%d.0.0/16", i+1))
		n.subnet("subnet-"+name, v, "us-east-1a", fmt.Sprintf("10.%d.1.0/24", i+1))
		n.subnet("subnet-tgw-"+name, v, "us-east-1a", fmt.Sprintf("10.%d.0.0/28", i+1))
		n.mainRT("rtb-"+name, v, "10.0.0.0/8 tgw-1")
		n.sg("sg-"+name, v, []sgSpec{"all - 10.0.0.0/8"}, []sgSpec{"all - 0.0.0.0/0"})
		n.instance(name, "subnet-"+name, []string{"sg-" + name}, "", fmt.Sprintf("10.%d.1.10", i+1))
		n.TGWAttachments = append(n.TGWAttachments, &model.TGWAttachment{Meta: meta("tgw-attach-" + name), Kind: model.TGWAttachVPC,
			TransitGatewayID: "tgw-1", VPCID: v, SubnetIDs: []string{"subnet-tgw-" + name}, DefaultAssociation: true, DefaultPropagation: true})
	}
}

func find[T any](items []*T, id string, get func(*T) string) *T {
	for _, it := range items {
		if get(it) == id {
			return it
		}
	}
	panic("no " + id)
}

func subnetOf(n *tnet, id string) *model.Subnet {
	return find(n.Subnets, id, func(s *model.Subnet) string { return s.ID })
}
func rtOf(n *tnet, id string) *model.RouteTable {
	return find(n.RouteTables, id, func(s *model.RouteTable) string { return s.ID })
}
func sgOf(n *tnet, id string) *model.SecurityGroup {
	return find(n.SecurityGroups, id, func(s *model.SecurityGroup) string { return s.ID })
}
func addRoute(n *tnet, rt, spec string) {
	f := strings.Fields(spec)
	r := model.Route{Target: target(f[1])}
	if strings.HasPrefix(f[0], "pl-") {
		r.DestinationPrefixListID = f[0]
	} else {
		r.Destination = pfx(f[0])
	}
	if f[1] == "blackhole" {
		r.Blackhole, r.Target = true, model.RouteTarget{Kind: model.TargetNATGateway, ID: "nat-gone"}
	}
	rtOf(n, rt).Routes = append(rtOf(n, rt).Routes, r)
}

func runScenarios(t *testing.T, scs []scenario) {
	t.Helper()
	for _, sc := range scs {
		t.Run(sc.name, func(t *testing.T) {
			n := newNet()
			sc.build(n)
			e := n.engine(t)
			r, err := e.Trace(sc.q)
			if err != nil {
				t.Fatalf("Trace: %v", err)
			}
			want := Unreachable
			switch {
			case sc.want && sc.partial:
				want = PartlyReachable
			case sc.want:
				want = Reachable
			}
			if r.Verdict != want {
				t.Errorf("%s: verdict %v, want %v\n%s", sc.doc, r.Verdict, want, debugResult(r))
			}
			if sc.code != "" {
				found := false
				xs := slices.Clone(r.Explanations)
				for _, l := range r.LoadBalancing {
					xs = append(xs, l.Explanations...)
				}
				for _, x := range xs {
					if x.Code == sc.code && (sc.dir == "" || x.Direction.String() == sc.dir) {
						found = true
					}
				}
				if !found {
					t.Errorf("%s: no %s explanation (direction %q)\n%s", sc.doc, sc.code, sc.dir, debugResult(r))
				}
			}
			if !sc.want && sc.code == "" {
				t.Errorf("an unreachable scenario must name the code it expects\n%s", debugResult(r))
			}
			if sc.path != "" {
				var kinds []string
				for _, h := range r.Forward {
					kinds = append(kinds, h.Component.Kind)
				}
				if got := strings.Join(kinds, " "); got != sc.path {
					t.Errorf("forward path = %s\nwant %s", got, sc.path)
				}
			}
		})
	}
}

func debugResult(r *Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "flow %s %v passing=%s\n", r.Flow, r.Verdict, r.Passing)
	for _, dir := range []struct {
		name string
		hops []Hop
	}{{"forward", r.Forward}, {"return", r.Return}} {
		fmt.Fprintf(&b, "%s:\n", dir.name)
		for _, h := range dir.hops {
			fmt.Fprintf(&b, "  %s %s  [%s]\n", h.Component.Kind, h.Component.Label(), h.Headers)
			for _, s := range h.Steps {
				var rules []string
				for _, r := range s.Rules {
					rules = append(rules, r.String())
				}
				fmt.Fprintf(&b, "      %s %s %s %s %s\n", s.Kind, s.Direction, s.Decision, s.Detail, strings.Join(rules, "; "))
			}
		}
	}
	for _, x := range r.Explanations {
		fmt.Fprintf(&b, "  %s %s %s: %s (%s)\n", x.Severity, x.Direction, x.Code, x.Message, x.Headers)
	}
	for _, l := range r.LoadBalancing {
		fmt.Fprintf(&b, "leg %s -> %s: %v\n", l.LoadBalancing, l.Target.Label(), l.Verdict)
		for _, x := range l.Explanations {
			fmt.Fprintf(&b, "    %s %s %s: %s (%s)\n", x.Severity, x.Direction, x.Code, x.Message, x.Headers)
		}
	}
	return b.String()
}
