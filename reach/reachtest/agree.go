// Package reachtest holds test drivers for package reach shared by the test
// suites of several packages.
package reachtest

import (
	"fmt"
	"math/rand/v2"
	"net/netip"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
	"github.com/vpcsim/vpcsim/reach/hset"
)

// Disagreement is one flow on which Trace and Analyze answer differently.
type Disagreement struct {
	From, To string
	Header   hset.Header
	Trace    bool
	Analyze  bool
}

func (d Disagreement) String() string {
	return fmt.Sprintf("%s -> %s %v: trace says %v, analyze says %v", d.From, d.To, d.Header, d.Trace, d.Analyze)
}

// Stats counts the flows Agreement checked.
type Stats struct {
	Checked, Reachable int
}

// Agreement draws n random flows from the internet and from interfaces of
// the network to interfaces of the network, traces each with one client port
// and checks that Trace finds it reachable exactly when Analyze, from the
// same source, lists its header. It returns how many flows it checked and
// the disagreements.
func Agreement(e *reach.Engine, rnd *rand.Rand, n int) (st Stats, bad []Disagreement, err error) {
	net := e.Network()
	var targets []*model.NetworkInterface
	for _, x := range net.Interfaces {
		if len(x.PrivateIPs)+len(x.IPv6Addrs) > 0 {
			targets = append(targets, x)
		}
	}
	if len(targets) == 0 {
		return st, nil, nil
	}
	analyses := Analyses{E: e}
	protos := []model.Protocol{model.ProtocolTCP, model.ProtocolTCP, model.ProtocolUDP, model.ProtocolICMP, 47}
	ports := []uint16{22, 80, 443, 3306, 5432, 6514, 8080, 8443, 1, 65535}
	for i := 0; i < n; i++ {
		dst := targets[rnd.IntN(len(targets))]
		var from string
		var srcAddr netip.Addr
		fromInternet := rnd.IntN(2) == 0
		if fromInternet {
			from = "internet"
			srcAddr = randomPublic(rnd)
		} else {
			src := targets[rnd.IntN(len(targets))]
			if src == dst || len(src.PrivateIPs) == 0 {
				continue
			}
			from = src.ID
			srcAddr = src.PrivateIPs[0]
		}
		// From the internet the destination is a public address; from inside,
		// the private one.
		var dstAddr netip.Addr
		switch {
		case fromInternet && len(dst.PublicIPs) > 0:
			dstAddr = dst.PublicIPs[rnd.IntN(len(dst.PublicIPs))].Public
		case len(dst.PrivateIPs) > 0:
			dstAddr = dst.PrivateIPs[0]
		default:
			continue
		}
		if !srcAddr.Is4() || !dstAddr.Is4() {
			continue
		}
		p := protos[rnd.IntN(len(protos))]
		h := hset.Header{Src: srcAddr, Dst: dstAddr, Proto: uint8(p)}
		q := reach.Query{From: srcAddr.String(), To: dstAddr.String(), Protocol: p}
		if !fromInternet {
			q.From = from
		}
		switch {
		case p.HasPorts():
			port := ports[rnd.IntN(len(ports))]
			sp := uint16(1024 + rnd.IntN(65535-1024))
			h.DstPort, h.SrcPort = port, sp
			pr, spr := model.Port(port), model.Port(sp)
			q.Port, q.SrcPort = &pr, &spr
		case p.IsICMP():
			h.DstPort, h.SrcPort = 8, 0
		default:
			h.SrcPort, h.DstPort = uint16(rnd.IntN(65536)), uint16(rnd.IntN(65536))
		}
		r, err := e.Trace(q)
		if err != nil {
			continue // the flow cannot be named (an address nothing owns): nothing to compare
		}
		inAnalysis, err := analyses.Passes(from, h)
		if err != nil {
			return st, bad, err
		}
		// A trace with one client port is partial only through a NAT
		// gateway's port choice; Analyze keeps such flows too.
		traced := r.Verdict.Passes()
		st.Checked++
		if traced {
			st.Reachable++
		}
		if traced != inAnalysis {
			bad = append(bad, Disagreement{From: from, To: dstAddr.String(), Header: h, Trace: traced, Analyze: inAnalysis})
		}
	}
	return st, bad, nil
}

// Analyses answers from an engine's analyses, one per source, computed once.
type Analyses struct {
	E    *reach.Engine
	from map[string]*reach.Analysis
}

// Passes reports whether the analysis from the source named from (as
// AnalyzeOptions.From takes it) lists header h as reaching an interface and
// getting its replies back.
func (as *Analyses) Passes(from string, h hset.Header) (bool, error) {
	a, ok := as.from[from]
	if !ok {
		var err error
		if a, err = as.E.Analyze(reach.AnalyzeOptions{From: from}); err != nil {
			return false, err
		}
		if as.from == nil {
			as.from = map[string]*reach.Analysis{}
		}
		as.from[from] = a
	}
	for _, x := range a.Exposures {
		if x.Passing().Contains(h) {
			return true, nil
		}
	}
	return false, nil
}

// randomPublic draws a public IPv4 address outside the documentation and
// private blocks.
func randomPublic(rnd *rand.Rand) netip.Addr {
	for {
		a := netip.AddrFrom4([4]byte{byte(1 + rnd.IntN(222)), byte(rnd.IntN(256)), byte(rnd.IntN(256)), byte(1 + rnd.IntN(254))})
		if reach.IsPublic(a) {
			return a
		}
	}
}

// MatrixAgreement checks the segmentation matrix by subnet against traces:
// for every ordered pair of interfaces in different or equal subnets and each
// of a few services, a reachable trace must show the service in its cell,
// and every service a cell shows must be reachable by some pair of its
// groups' interfaces.
func MatrixAgreement(e *reach.Engine) (checked int, bad []string, err error) {
	m, err := e.Matrix(reach.MatrixOptions{By: reach.BySubnet})
	if err != nil {
		return 0, nil, err
	}
	cells := map[[2]string][]reach.Service{}
	for _, c := range m.Cells {
		cells[[2]string{c.From, c.To}] = c.Services
	}
	net := e.Network()
	subnetOf := map[string]string{}
	for _, s := range net.Subnets {
		subnetOf[s.ID] = s.Label()
	}
	type svc struct {
		p    model.Protocol
		port uint16
	}
	services := []svc{{model.ProtocolTCP, 22}, {model.ProtocolTCP, 80}, {model.ProtocolTCP, 443}, {model.ProtocolTCP, 5432}, {model.ProtocolTCP, 6514}, {model.ProtocolTCP, 8080}, {model.ProtocolUDP, 53}}
	seen := map[[2]string]map[svc]bool{}
	for _, a := range net.Interfaces {
		for _, b := range net.Interfaces {
			if a == b || a.OwnerKind == model.OwnerNATGateway || b.OwnerKind == model.OwnerNATGateway || len(a.PrivateIPs) == 0 || len(b.PrivateIPs) == 0 {
				continue
			}
			key := [2]string{subnetOf[a.SubnetID], subnetOf[b.SubnetID]}
			for _, s := range services {
				port := model.Port(s.port)
				r, err := e.Trace(reach.Query{From: a.ID, To: b.PrivateIPs[0].String(), Protocol: s.p, Port: &port})
				if err != nil {
					continue
				}
				checked++
				if r.Verdict.Passes() {
					if seen[key] == nil {
						seen[key] = map[svc]bool{}
					}
					seen[key][s] = true
					if !cellCovers(cells[key], s.p, s.port) {
						bad = append(bad, fmt.Sprintf("%s -> %s %s %d is reachable but the cell %s -> %s says %v", a.ID, b.ID, s.p, s.port, key[0], key[1], cells[key]))
					}
				}
			}
		}
	}
	for key, svcs := range cells {
		for _, s := range services {
			if cellCovers(svcs, s.p, s.port) && !seen[key][s] {
				bad = append(bad, fmt.Sprintf("the cell %s -> %s says %v but no pair reaches %s %d", key[0], key[1], svcs, s.p, s.port))
			}
		}
	}
	return checked, bad, nil
}

// cellCovers reports whether a cell's services cover a protocol and port.
func cellCovers(svcs []reach.Service, p model.Protocol, port uint16) bool {
	for _, sv := range svcs {
		if sv.Covers(p, port) {
			return true
		}
	}
	return false
}
