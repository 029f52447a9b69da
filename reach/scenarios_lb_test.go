package reach

import (
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/model"
)

// loadBalancer adds a load balancer with one node per spec "subnet address
// [public]"; its nodes' interfaces are "eni-<id>-<i>".
func (t *tnet) loadBalancer(id string, typ model.LoadBalancerType, sgs []string, nodes ...string) *model.LoadBalancer {
	lb := &model.LoadBalancer{Meta: meta(id), Type: typ, VPCID: t.VPCs[0].ID, SecurityGroupIDs: sgs, CrossZone: typ != model.LBNetwork && typ != model.LBGateway}
	lb.Internal = true
	for i, spec := range nodes {
		f := strings.Fields(spec)
		x := &model.NetworkInterface{Meta: meta("eni-" + id + "-" + string(rune('a'+i))), SubnetID: f[0], SecurityGroupIDs: sgs,
			SourceDestCheck: true, OwnerKind: model.OwnerLoadBalancer, OwnerID: id, PrivateIPs: []netip.Addr{ip(f[1])}}
		if len(f) > 2 {
			x.PublicIPs = []model.PublicIP{{Public: ip(f[2]), Private: ip(f[1])}}
			lb.Internal = false
		}
		t.Interfaces = append(t.Interfaces, x)
		lb.SubnetIDs = append(lb.SubnetIDs, f[0])
		lb.InterfaceIDs = append(lb.InterfaceIDs, x.ID)
	}
	t.LoadBalancers = append(t.LoadBalancers, lb)
	return lb
}

// listen adds a listener forwarding to target groups.
func listen(lb *model.LoadBalancer, proto string, port uint16, tgs ...string) {
	l := model.Listener{Meta: model.Meta{ID: lb.ID + "/listener/" + proto + strconvU16(port), Address: "test.listener." + proto + strconvU16(port)}, Protocol: proto, Port: port}
	for _, tg := range tgs {
		l.Forwards = append(l.Forwards, model.ListenerForward{Rule: "default action", TargetGroupID: tg})
	}
	lb.Listeners = append(lb.Listeners, l)
}

// targetGroup adds a target group; targets are instance IDs, IP addresses
// or "asg:<id>".
func (t *tnet) targetGroup(id, proto string, port uint16, typ model.TargetType, targets ...string) *model.TargetGroup {
	tg := &model.TargetGroup{Meta: meta(id), VPCID: t.VPCs[0].ID, TargetType: typ, Protocol: proto, Port: port, HealthCheckProtocol: proto}
	for _, s := range targets {
		r := model.Target{Kind: model.RegInstance, TargetID: s}
		if strings.HasPrefix(s, "asg:") {
			r.Kind, r.TargetID = model.RegAutoScaling, strings.TrimPrefix(s, "asg:")
		} else if _, err := netip.ParseAddr(s); err == nil {
			r.Kind = model.RegIP
		}
		tg.Targets = append(tg.Targets, r)
	}
	t.TargetGroups = append(t.TargetGroups, tg)
	return tg
}

// lbBase is a VPC over two zones: public subnets 10.0.1.0/24 (a) and
// 10.0.3.0/24 (b) routed to an internet gateway, app subnets 10.0.2.0/24
// (a) and 10.0.4.0/24 (b) with local routes only. An internet-facing ALB
// "alb" (group sg-alb: in 80 and 443 from anywhere, out to the VPC) has
// nodes 10.0.1.50 (54.0.0.50) and 10.0.3.50 (54.0.0.51); its HTTPS 443
// listener forwards to target group tg-web (HTTP 8080), whose targets are
// "app-a" (10.0.2.10) and "app-b" (10.0.4.10), in group sg-app, which
// admits 8080 from the ALB's group only. "web" (10.0.1.10, 54.0.0.10) is an
// instance of the public subnet in group sg-web.
func lbBase(n *tnet) {
	n.vpc("vpc-1", "10.0.0.0/16")
	n.subnet("subnet-pub", "vpc-1", "us-east-1a", "10.0.1.0/24")
	n.subnet("subnet-pub-b", "vpc-1", "us-east-1b", "10.0.3.0/24")
	n.subnet("subnet-app", "vpc-1", "us-east-1a", "10.0.2.0/24")
	n.subnet("subnet-app-b", "vpc-1", "us-east-1b", "10.0.4.0/24")
	n.igw("igw-1", "vpc-1")
	n.rt("rtb-pub", "vpc-1", []string{"subnet-pub", "subnet-pub-b"}, "0.0.0.0/0 igw-1")
	n.mainRT("rtb-main", "vpc-1")
	n.sg("sg-web", "vpc-1", []sgSpec{"tcp 22 0.0.0.0/0"}, []sgSpec{"all - 0.0.0.0/0"})
	n.sg("sg-alb", "vpc-1", []sgSpec{"tcp 443 0.0.0.0/0", "tcp 80 0.0.0.0/0"}, []sgSpec{"all - 10.0.0.0/16"})
	n.sg("sg-app", "vpc-1", []sgSpec{"tcp 8080 sg-alb"}, []sgSpec{"all - 0.0.0.0/0"})
	n.instance("web", "subnet-pub", []string{"sg-web"}, "54.0.0.10", "10.0.1.10")
	n.instance("app-a", "subnet-app", []string{"sg-app"}, "", "10.0.2.10")
	n.instance("app-b", "subnet-app-b", []string{"sg-app"}, "", "10.0.4.10")
	alb := n.loadBalancer("alb", model.LBApplication, []string{"sg-alb"}, "subnet-pub 10.0.1.50 54.0.0.50", "subnet-pub-b 10.0.3.50 54.0.0.51")
	listen(alb, "HTTPS", 443, "tg-web")
	n.targetGroup("tg-web", "HTTP", 8080, model.TargetTypeInstance, "app-a", "app-b")
}

// withNLB adds an internet-facing NLB "nlb" without security groups (nodes
// 10.0.1.60/54.0.0.60 and 10.0.3.60/54.0.0.61) whose TCP 6514 listener
// forwards to tg-ingest (TCP 6514, instance targets, client addresses
// preserved by default): "ingest" (10.0.2.20), whose group admits 6514 from
// the VPC only (the NLB's health checks).
func withNLB(n *tnet) {
	n.sg("sg-ingest", "vpc-1", []sgSpec{"tcp 6514 10.0.0.0/16"}, []sgSpec{"all - 0.0.0.0/0"})
	n.instance("ingest", "subnet-app", []string{"sg-ingest"}, "", "10.0.2.20")
	nlb := n.loadBalancer("nlb", model.LBNetwork, nil, "subnet-pub 10.0.1.60 54.0.0.60", "subnet-pub-b 10.0.3.60 54.0.0.61")
	nlb.CrossZone = true
	listen(nlb, "TCP", 6514, "tg-ingest")
	n.targetGroup("tg-ingest", "TCP", 6514, model.TargetTypeInstance, "ingest")
}

// ingress is the inbound rules specs make, for a group's rules replaced in
// a scenario.
func ingress(n *tnet, specs ...sgSpec) []model.SGRule {
	g := n.sg("sg-rules", "vpc-1", specs, nil)
	n.SecurityGroups = n.SecurityGroups[:len(n.SecurityGroups)-1]
	return g.Ingress
}

// lbAgreement is the agreement networks' load balancers (see
// AgreementNetworks).
func lbAgreement(n *tnet) {
	lbBase(n)
	withNLB(n)
	sgOf(n, "sg-ingest").Ingress = append(sgOf(n, "sg-ingest").Ingress, ingress(n, "tcp 6514 8.0.0.0/5")...)
	tgOf(n, "tg-web").HealthCheckPort = 8081
	sgOf(n, "sg-app").Ingress = ingress(n, "tcp 8080-8081 sg-alb", "tcp 22 10.0.1.10/32")
	n.acl("acl-app-b", "vpc-1", []string{"subnet-app-b"}, []string{"100 allow tcp 8080 10.0.0.0/16", "110 allow tcp 22 10.0.0.0/16"}, []string{"100 allow all - 0.0.0.0/0"})
	// An NLB translating clients' addresses, with security groups.
	n.sg("sg-nlb2", "vpc-1", []sgSpec{"tcp 80 0.0.0.0/0", "tcp 5432 10.0.0.0/16"}, []sgSpec{"all - 10.0.0.0/16"})
	n.sg("sg-db", "vpc-1", []sgSpec{"tcp 5432 sg-nlb2", "tcp 80 sg-nlb2"}, []sgSpec{"all - 0.0.0.0/0"})
	n.instance("db", "subnet-app", []string{"sg-db"}, "", "10.0.2.30")
	nlb2 := n.loadBalancer("nlb2", model.LBNetwork, []string{"sg-nlb2"}, "subnet-app 10.0.2.61", "subnet-pub-b 10.0.3.61 54.0.0.62")
	listen(nlb2, "TCP", 5432, "tg-db")
	listen(nlb2, "TCP", 80, "tg-db80")
	n.targetGroup("tg-db", "TCP", 5432, model.TargetTypeIP, "10.0.2.30")
	n.targetGroup("tg-db80", "TCP", 80, model.TargetTypeInstance, "db")
	alb := n.loadBalancer("alb-int", model.LBApplication, []string{"sg-alb"}, "subnet-app 10.0.2.50", "subnet-app-b 10.0.4.50")
	listen(alb, "HTTP", 80, "tg-web")
	elb := n.loadBalancer("elb", model.LBClassic, []string{"sg-alb"}, "subnet-pub 10.0.1.70 54.0.0.70")
	listen(elb, "TCP", 443, "elb/tg-8080")
	n.targetGroup("elb/tg-8080", "TCP", 8080, model.TargetTypeInstance, "app-a")
}

func lbOf(n *tnet, id string) *model.LoadBalancer {
	return find(n.LoadBalancers, id, func(x *model.LoadBalancer) string { return x.ID })
}
func tgOf(n *tnet, id string) *model.TargetGroup {
	return find(n.TargetGroups, id, func(x *model.TargetGroup) string { return x.ID })
}

// Load balancers: listeners, targets, client addresses. See
// docs/semantics.md, "Load balancers".
func TestLoadBalancerScenarios(t *testing.T) {
	no := false
	runScenarios(t, []scenario{
		{name: "alb listener", doc: "LB-1 the internet reaches an internet-facing ALB's listener", build: lbBase,
			q: tcp("internet", "alb", 443), want: true},
		{name: "alb no listener", doc: "LB-2 a port no listener takes is refused", build: func(n *tnet) {
			lbBase(n)
			sgOf(n, "sg-alb").Ingress = nil
			n.sg("sg-open", "vpc-1", []sgSpec{"all - 0.0.0.0/0"}, nil)
			lbOf(n, "alb").SecurityGroupIDs = []string{"sg-alb", "sg-open"}
			for _, x := range n.Interfaces {
				if x.OwnerID == "alb" {
					x.SecurityGroupIDs = []string{"sg-alb", "sg-open"}
				}
			}
		}, q: tcp("internet", "alb", 22), code: CodeELBV2ListenersMismatch, dir: "forward"},
		{name: "target via alb", doc: "LB-3 a target is reached through the ALB's listener, on the target group's port", build: lbBase,
			q: tcp("internet", "app-a", 8080), want: true, code: CodeViaLoadBalancer},
		{name: "target not addressable directly", doc: "LB-4 a target whose group admits only the ALB's group is not reachable at its own address", build: lbBase,
			q: tcp("web", "10.0.2.10", 8080), code: CodeENISGRulesMismatch, dir: "forward"},
		{name: "alb egress closed", doc: "LB-4 the ALB's own groups must let it reach its targets: clients connect but get an error", build: func(n *tnet) {
			lbBase(n)
			sgOf(n, "sg-alb").Egress = nil
		}, q: tcp("internet", "alb", 443), want: true, code: CodeELBV2ListenerHasNoTG},
		{name: "target through closed alb", doc: "LB-4 nothing reaches a target through an ALB that cannot reach it", build: func(n *tnet) {
			lbBase(n)
			sgOf(n, "sg-alb").Egress = nil
		}, q: tcp("internet", "app-a", 8080), code: CodeSGHasNoRules, dir: "forward"},
		{name: "nlb preserves clients", doc: "LB-5 an NLB keeps the client's address: a target group admitting only the VPC refuses internet clients", build: func(n *tnet) {
			lbBase(n)
			withNLB(n)
		}, q: tcp("internet", "nlb", 6514), code: CodeENISGRulesMismatch, dir: "forward"},
		{name: "nlb target admits clients", doc: "LB-5 an NLB keeps the client's address: the target's group must admit the clients", build: func(n *tnet) {
			lbBase(n)
			withNLB(n)
			sgOf(n, "sg-ingest").Ingress = append(sgOf(n, "sg-ingest").Ingress, ingress(n, "tcp 6514 0.0.0.0/0")...)
		}, q: tcp("internet", "nlb", 6514), want: true},
		{name: "nlb client nacl", doc: "LB-5 an NLB keeps the client's address: the target subnet's network ACL sees it", build: func(n *tnet) {
			lbBase(n)
			withNLB(n)
			sgOf(n, "sg-ingest").Ingress = append(sgOf(n, "sg-ingest").Ingress, ingress(n, "tcp 6514 0.0.0.0/0")...)
			n.acl("acl-app", "vpc-1", []string{"subnet-app"}, []string{"100 allow tcp 6514 10.0.0.0/16", "110 deny tcp 6514 0.0.0.0/0", "120 allow tcp 1024-65535 0.0.0.0/0"}, []string{"100 allow all - 0.0.0.0/0"})
		}, q: tcp("internet", "nlb", 6514), code: CodeSubnetACLRestriction, dir: "forward"},
		{name: "nlb without preservation", doc: "LB-6 with client IP preservation off the target sees the NLB's address", build: func(n *tnet) {
			lbBase(n)
			withNLB(n)
			tgOf(n, "tg-ingest").PreserveClientIP = &no
		}, q: tcp("internet", "nlb", 6514), want: true},
		{name: "nlb ip targets", doc: "LB-6 IP targets over TCP do not keep the client's address by default", build: func(n *tnet) {
			lbBase(n)
			withNLB(n)
			tg := tgOf(n, "tg-ingest")
			tg.TargetType, tg.Targets = model.TargetTypeIP, []model.Target{{Kind: model.RegIP, TargetID: "10.0.2.20"}}
		}, q: tcp("internet", "nlb", 6514), want: true},
		{name: "nlb security group reference", doc: "LB-7 a target rule naming the NLB's group admits what the NLB forwards, client address and all", build: func(n *tnet) {
			lbBase(n)
			withNLB(n)
			n.sg("sg-nlb", "vpc-1", []sgSpec{"tcp 6514 0.0.0.0/0"}, []sgSpec{"all - 10.0.0.0/16"})
			lbOf(n, "nlb").SecurityGroupIDs = []string{"sg-nlb"}
			for _, x := range n.Interfaces {
				if x.OwnerID == "nlb" {
					x.SecurityGroupIDs = []string{"sg-nlb"}
				}
			}
			sgOf(n, "sg-ingest").Ingress = ingress(n, "tcp 6514 sg-nlb")
		}, q: tcp("internet", "nlb", 6514), want: true},
		{name: "internal alb from internet", doc: "LB-8 an internal load balancer has no public address: the internet cannot reach it", build: func(n *tnet) {
			lbBase(n)
			alb := n.loadBalancer("alb-int", model.LBApplication, []string{"sg-alb"}, "subnet-app 10.0.2.50", "subnet-app-b 10.0.4.50")
			listen(alb, "HTTP", 80, "tg-web")
		}, q: tcp("internet", "alb-int", 80), code: CodeIGWPrivateIPForIngress, dir: "forward"},
		{name: "internal alb from inside", doc: "LB-8 an internal load balancer takes connections from inside the VPC", build: func(n *tnet) {
			lbBase(n)
			alb := n.loadBalancer("alb-int", model.LBApplication, []string{"sg-alb"}, "subnet-app 10.0.2.50", "subnet-app-b 10.0.4.50")
			listen(alb, "HTTP", 80, "tg-web")
		}, q: tcp("web", "alb-int", 80), want: true},
		{name: "health check blocked", doc: "LB-9 a target whose subnet's network ACL blocks the health checks gets no traffic while another target is healthy", build: func(n *tnet) {
			lbBase(n)
			tgOf(n, "tg-web").HealthCheckPort = 8081
			sgOf(n, "sg-app").Ingress = ingress(n, "tcp 8080-8081 sg-alb")
			n.acl("acl-app-b", "vpc-1", []string{"subnet-app-b"}, []string{"100 allow tcp 8080 10.0.0.0/16"}, []string{"100 allow all - 0.0.0.0/0"})
		}, q: tcp("internet", "app-b", 8080), code: CodeLBTargetUnhealthy, dir: "forward"},
		{name: "health check blocked, healthy one", doc: "LB-9 the healthy target still gets the traffic", build: func(n *tnet) {
			lbBase(n)
			tgOf(n, "tg-web").HealthCheckPort = 8081
			sgOf(n, "sg-app").Ingress = ingress(n, "tcp 8080-8081 sg-alb")
			n.acl("acl-app-b", "vpc-1", []string{"subnet-app-b"}, []string{"100 allow tcp 8080 10.0.0.0/16"}, []string{"100 allow all - 0.0.0.0/0"})
		}, q: tcp("internet", "app-a", 8080), want: true},
		{name: "no cross-zone", doc: "LB-10 without cross-zone load balancing a node sends only to targets of its zone", build: func(n *tnet) {
			lbBase(n)
			withNLB(n)
			lbOf(n, "nlb").CrossZone = false
			tgOf(n, "tg-ingest").PreserveClientIP = &no
		}, q: tcp("internet", "nlb", 6514), want: true, partial: true, code: CodeELBNotCrossZone},
		{name: "alb target group without cross-zone", doc: "LB-10 an ALB's target group may turn cross-zone load balancing off: the ALB has nodes in both zones, so each target is still reached, from its zone's node", build: func(n *tnet) {
			lbBase(n)
			tgOf(n, "tg-web").CrossZone = &no
		}, q: tcp("internet", "alb", 443), want: true, code: CodeELBNotCrossZone},
		{name: "zone without node", doc: "LB-10 a target in a zone the load balancer has no node in gets nothing", build: func(n *tnet) {
			lbBase(n)
			n.subnet("subnet-app-c", "vpc-1", "us-east-1c", "10.0.5.0/24")
			n.instance("app-c", "subnet-app-c", []string{"sg-app"}, "", "10.0.5.10")
			tg := tgOf(n, "tg-web")
			tg.Targets = []model.Target{{Kind: model.RegInstance, TargetID: "app-c"}}
		}, q: tcp("internet", "app-c", 8080), code: CodeELBInstalledAZ, dir: "forward"},
		{name: "classic elb", doc: "LB-11 a Classic Load Balancer's listener forwards to its instances' port", build: func(n *tnet) {
			lbBase(n)
			elb := n.loadBalancer("elb", model.LBClassic, []string{"sg-alb"}, "subnet-pub 10.0.1.70 54.0.0.70")
			listen(elb, "HTTP", 80, "elb/tg-8080")
			n.targetGroup("elb/tg-8080", "HTTP", 8080, model.TargetTypeInstance, "app-a")
		}, q: tcp("internet", "app-a", 8080), want: true, code: CodeViaLoadBalancer},
		{name: "classic elb no listener", doc: "LB-11 a Classic Load Balancer refuses ports it has no listener for", build: func(n *tnet) {
			lbBase(n)
			n.sg("sg-open", "vpc-1", []sgSpec{"all - 0.0.0.0/0"}, []sgSpec{"all - 0.0.0.0/0"})
			elb := n.loadBalancer("elb", model.LBClassic, []string{"sg-open"}, "subnet-pub 10.0.1.70 54.0.0.70")
			listen(elb, "HTTP", 80, "elb/tg-8080")
			n.targetGroup("elb/tg-8080", "HTTP", 8080, model.TargetTypeInstance, "app-a")
		}, q: tcp("internet", "elb", 25), code: CodeELBListenersMismatch, dir: "forward"},
		{name: "gateway load balancer", doc: "LB-12 a Gateway Load Balancer takes traffic only from its endpoints", build: func(n *tnet) {
			lbBase(n)
			gwlb := n.loadBalancer("gwlb", model.LBGateway, nil, "subnet-app 10.0.2.80")
			listen(gwlb, "GENEVE", 0, "tg-fw")
			n.targetGroup("tg-fw", "GENEVE", 6081, model.TargetTypeInstance, "app-a")
		}, q: udp("web", "gwlb", 6081), code: CodeUnsupportedComponent, dir: "forward"},
		{name: "gateway load balancer to appliance", doc: "LB-12 a Gateway Load Balancer's node reaches its appliances with GENEVE on UDP 6081", build: func(n *tnet) {
			lbBase(n)
			gwlb := n.loadBalancer("gwlb", model.LBGateway, nil, "subnet-app 10.0.2.80")
			listen(gwlb, "GENEVE", 0, "tg-fw")
			n.targetGroup("tg-fw", "GENEVE", 6081, model.TargetTypeInstance, "app-a")
			sgOf(n, "sg-app").Ingress = ingress(n, "udp 6081 10.0.2.80/32")
		}, q: udp("gwlb", "app-a", 6081), want: true},
	})
}

// TestLoadBalancerAgreement checks, for every client (a host on the
// internet, every interface) and every address and listener port of every
// load balancer of the agreement network, that the packet stepper decides
// as the set walker does (forward and reply), and that Trace finds the flow
// reachable exactly when Analyze lists it; and that flows do go through
// each kind of load balancer to targets.
func TestLoadBalancerAgreement(t *testing.T) {
	n := newNet()
	lbAgreement(n)
	e := n.engine(t)
	rnd := rand.New(rand.NewPCG(3, 4))
	froms := []string{"203.0.113.7"}
	for _, x := range e.net.Interfaces {
		froms = append(froms, x.ID)
	}
	var dsts []netip.Addr
	var ports []uint16
	for _, lb := range e.net.LoadBalancers {
		for _, id := range lb.InterfaceIDs {
			x := e.ix.Interfaces[id]
			dsts = append(dsts, x.PrivateIPs...)
			for _, p := range x.PublicIPs {
				dsts = append(dsts, p.Public)
			}
		}
		for _, l := range lb.Listeners {
			ports = append(ports, l.Port)
		}
	}
	ports = append(ports, 22)
	analyses := map[string]*Analysis{}
	through := map[model.LoadBalancerType]int{}
	for _, from := range froms {
		pos, err := e.StartAt(from)
		if err != nil {
			t.Fatal(err)
		}
		a := analyses[from]
		if a == nil {
			if a, err = e.Analyze(AnalyzeOptions{From: from}); err != nil {
				t.Fatal(err)
			}
			analyses[from] = a
		}
		for _, dst := range dsts {
			for _, port := range ports {
				h := Header{Dst: dst, Proto: 6, SrcPort: 40000, DstPort: port}
				if pos.n.eni != nil {
					h.Src = pos.n.eni.PrimaryIP()
				} else {
					h.Src = ip(from)
				}
				if pos.n.eni != nil && pos.n.eni.Owns(dst) {
					continue
				}
				pw := checkPacket(t, e, from, pos, h, rnd)
				if pw.end.Outcome == OutcomeDelivered && pw.end.Next.lb != nil {
					through[pw.end.Next.lb.n.lb.lb.Type]++
				}
				// Trace and Analyze, for the same header.
				p, sp := model.Port(port), model.Port(40000)
				q := Query{From: from, To: dst.String(), Protocol: model.ProtocolTCP, Port: &p, SrcPort: &sp}
				r, err := e.Trace(q)
				if err != nil {
					continue
				}
				listed := false
				for _, x := range a.Exposures {
					listed = listed || x.Passing().Contains(h)
				}
				if r.Verdict.Passes() != listed {
					t.Errorf("%s -> %v: trace says %v, analyze lists it: %v\n%s", from, h, r.Verdict, listed, debugResult(r))
				}
			}
		}
	}
	for _, typ := range []model.LoadBalancerType{model.LBApplication, model.LBNetwork, model.LBClassic} {
		if through[typ] == 0 {
			t.Errorf("no packet reached a target through a %s load balancer", typ)
		}
	}
}
