package scenario

import (
	"cmp"
	"fmt"
	"iter"
	"slices"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
	"github.com/vpcsim/vpcsim/reach/hset"
)

// Bounds of a derived scenario, so that it stays a sample on a large estate.
const (
	maxExposed   = 30 // interfaces exposed to the internet given traffic
	maxPerTarget = 4  // services per exposed interface
	maxTiers     = 30 // tier-to-tier traffic blocks
	maxScanned   = 3  // exposed interfaces the internet scan probes
)

// commonPorts are the ports a derived scenario prefers within a range its
// rules open: what clients use most.
var commonPorts = []uint16{443, 80, 22, 8080, 8443, 5432, 3306, 53, 25, 3389}

// Default derives a scenario from the network's own rules: internet
// clients to every service the network exposes to the internet (Analyze
// from the internet), each tier to the tiers its security groups let in
// (rules that name another group, or blocks of the network), and probes
// the network should refuse: a port scan from the internet of the exposed
// interfaces and one from inside across tiers. It runs ten minutes.
func Default(e *reach.Engine) (*Scenario, error) {
	sc := &Scenario{Start: DefaultStart, Duration: DefaultDuration}
	a, err := e.Analyze(reach.AnalyzeOptions{From: "internet"})
	if err != nil {
		return nil, err
	}
	var exposed []string
	seen := map[string]bool{}
	for _, x := range spread(a.Exposures, maxExposed) {
		if x.Interface.ID == "" {
			continue
		}
		// What reaches the interface only through a load balancer is the
		// load balancer's traffic: its node's exposure has it.
		svcs := services(x.Direct().All())
		if len(svcs) == 0 {
			continue
		}
		target := nameOf(e.Network(), x.Interface.ID)
		if x.Target.Kind == reach.EndpointLoadBalancer {
			// Clients connect to the load balancer, whichever node
			// answers: one block for all its nodes.
			target = cmp.Or(x.Target.Address, x.Target.ID)
		}
		if seen[target] {
			continue
		}
		seen[target] = true
		exposed = append(exposed, target)
		for _, s := range svcs[:min(len(svcs), maxPerTarget)] {
			t := Traffic{Name: fmt.Sprintf("internet to %s %s", x.Target.Label(), s), From: []string{"internet"}, To: []string{target},
				Protocol: s.proto, Port: s.port, Clients: 25, Count: 1}
			sizeFor(&t)
			sc.Traffic = append(sc.Traffic, t)
		}
	}
	sc.Traffic = append(sc.Traffic, tiers(e.Network())...)
	if len(exposed) > 0 {
		sc.Scans = append(sc.Scans, Scan{Name: "port scan from the internet", From: "203.0.113.66", To: exposed[:min(len(exposed), maxScanned)],
			Protocol: model.ProtocolTCP, Ports: []model.PortRange{{First: 1, Last: 1024}}, Rate: 20, Start: DefaultDuration / 10})
	}
	if s, ok := internalScan(e.Network()); ok {
		sc.Scans = append(sc.Scans, s)
	}
	return sc, nil
}

type service struct {
	proto model.Protocol
	port  uint16
}

func (s service) String() string {
	if s.proto.HasPorts() {
		return fmt.Sprintf("%s/%d", s.proto, s.port)
	}
	return s.proto.String()
}

// services picks, for each protocol and port range a set of headers holds,
// one service a client would use: TCP and UDP on a common port of the
// range, else its first; ICMP echo when the set holds echo requests.
func services(all iter.Seq[hset.Box]) []service {
	var out []service
	seen := map[service]bool{}
	add := func(s service) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for b := range all {
		for _, p := range []struct {
			n    uint8
			pr   model.Protocol
			echo uint16
		}{{6, model.ProtocolTCP, 0}, {17, model.ProtocolUDP, 0}, {1, model.ProtocolICMP, 8}, {58, model.ProtocolICMPv6, 128}} {
			if b.Proto.Lo > p.n || p.n > b.Proto.Hi {
				continue
			}
			if !p.pr.HasPorts() {
				if b.DstPort.Lo <= p.echo && p.echo <= b.DstPort.Hi {
					add(service{proto: p.pr})
				}
				continue
			}
			port := b.DstPort.Lo
			for _, c := range commonPorts {
				if b.DstPort.Lo <= c && c <= b.DstPort.Hi {
					port = c
					break
				}
			}
			if port == 0 {
				port = 1
			}
			add(service{proto: p.pr, port: port})
		}
	}
	slices.SortStableFunc(out, func(x, y service) int {
		return rank(x) - rank(y)
	})
	return out
}

// rank orders services: common ports first, in commonPorts' order.
func rank(s service) int {
	if i := slices.Index(commonPorts, s.port); i >= 0 && s.proto.HasPorts() {
		return i
	}
	return len(commonPorts) + int(s.port)
}

// sizeFor gives a traffic block sizes that look like its service.
func sizeFor(t *Traffic) {
	switch {
	case !t.Protocol.HasPorts():
		t.Rate, t.Count = 0.2, 3
	case t.Protocol == model.ProtocolUDP:
		t.Rate, t.Request, t.Response = 0.5, 80, 200
	case t.Port == 443 || t.Port == 80 || t.Port == 8080 || t.Port == 8443:
		t.Rate, t.Request, t.Response = 2, 800, 24000
	case t.Port == 22:
		t.Rate, t.Request, t.Response = 0.1, 3000, 4000
	default:
		t.Rate, t.Request, t.Response = 0.5, 400, 2000
	}
}

// tiers are the traffic security groups intend between the network's
// interfaces: a rule naming another group (or its own) lets that group's
// members in; a rule naming a private block lets the interfaces there in.
func tiers(n *model.Network) (out []Traffic) {
	members := map[string][]*model.NetworkInterface{}
	var senders []*model.NetworkInterface
	for _, x := range n.Interfaces {
		if x.OwnerKind == model.OwnerNATGateway || len(x.PrivateIPs) == 0 {
			continue
		}
		senders = append(senders, x)
		for _, g := range x.SecurityGroupIDs {
			members[g] = append(members[g], x)
		}
	}
	seen := map[string]bool{}
	defer func() { out = spread(out, maxTiers) }()
	for _, g := range n.SecurityGroups {
		targets := members[g.ID]
		if len(targets) == 0 {
			continue
		}
		for _, r := range g.Ingress {
			var clients []*model.NetworkInterface
			switch {
			case r.Peer.Kind == model.PeerSecurityGroup:
				clients = members[r.Peer.GroupID]
			case r.Peer.Kind == model.PeerCIDR && r.Peer.CIDR.Addr().IsPrivate() && r.Peer.CIDR.Bits() > 0:
				for _, x := range senders {
					if r.Peer.CIDR.Contains(x.PrivateIPs[0]) {
						if clients = append(clients, x); len(clients) == 2 {
							break // pair needs one that is not the target
						}
					}
				}
			}
			client, target := pair(clients, targets)
			if client == nil || client.OwnerKind == model.OwnerLoadBalancer {
				// A load balancer connects to its targets for its clients'
				// traffic, which the walker carries on: no traffic of its own.
				continue
			}
			s := ruleService(r)
			key := client.ID + " " + target.ID + " " + s.String()
			if seen[key] {
				continue
			}
			seen[key] = true
			t := Traffic{Name: fmt.Sprintf("%s to %s %s", label(n, client), label(n, target), s), From: []string{nameOf(n, client.ID)}, To: []string{target.PrivateIPs[0].String()},
				Protocol: s.proto, Port: s.port, Clients: 1, Count: 1}
			sizeFor(&t)
			out = append(out, t)
		}
	}
	return out
}

// spread keeps at most n of xs, evenly spaced, so that a large estate's
// sample covers all of it rather than its first VPC.
func spread[T any](xs []T, n int) []T {
	if len(xs) <= n {
		return xs
	}
	out := make([]T, 0, n)
	for i := range n {
		out = append(out, xs[i*len(xs)/n])
	}
	return out
}

// pair picks a client and a target that are different interfaces.
func pair(clients, targets []*model.NetworkInterface) (c, t *model.NetworkInterface) {
	for _, c := range clients {
		for _, t := range targets {
			if c != t {
				return c, t
			}
		}
	}
	return nil, nil
}

// ruleService is the service a client of a rule would use.
func ruleService(r model.SGRule) service {
	switch {
	case r.Protocol.HasPorts():
		port := r.Ports.First
		for _, c := range commonPorts {
			if r.Ports.Contains(c) {
				port = c
				break
			}
		}
		return service{proto: r.Protocol, port: max(port, 1)}
	case r.Protocol.IsICMP():
		return service{proto: r.Protocol}
	}
	return service{proto: model.ProtocolTCP, port: 443} // all traffic: the most common service
}

// nameOf names an interface for a scenario: by the Terraform address of the
// instance whose first interface it is (what people write), else by its ID.
func nameOf(n *model.Network, id string) string {
	for _, in := range n.Instances {
		if len(in.InterfaceIDs) > 0 && in.InterfaceIDs[0] == id && in.Address != "" {
			return in.Address
		}
	}
	return id
}

// label names an interface by what owns it, for traffic names.
func label(n *model.Network, x *model.NetworkInterface) string {
	for _, in := range n.Instances {
		if slices.Contains(in.InterfaceIDs, x.ID) {
			return in.Label()
		}
	}
	return x.Label()
}

// internalScan probes, from one interface, an interface in another subnet
// with other security groups: the ports attackers inside look for.
func internalScan(n *model.Network) (Scan, bool) {
	var xs []*model.NetworkInterface
	for _, x := range n.Interfaces {
		if x.OwnerKind != model.OwnerNATGateway && len(x.PrivateIPs) > 0 {
			xs = append(xs, x)
		}
	}
	for _, a := range xs {
		for _, b := range xs {
			if a.SubnetID != b.SubnetID && !slices.Equal(a.SecurityGroupIDs, b.SecurityGroupIDs) {
				return Scan{Name: "lateral scan from " + label(n, a), From: nameOf(n, a.ID), To: []string{b.PrivateIPs[0].String()}, Protocol: model.ProtocolTCP,
					Ports: ports("22", "23", "25", "135-139", "445", "1433", "3306", "3389", "5432", "5900", "6379", "8080", "9200", "27017"),
					Rate:  5, Start: DefaultDuration / 5}, true
			}
		}
	}
	return Scan{}, false
}

func ports(specs ...string) []model.PortRange {
	var out []model.PortRange
	for _, s := range specs {
		r, err := model.ParsePortRange(s)
		if err != nil {
			panic(err)
		}
		out = append(out, r)
	}
	return out
}
