package reach

import (
	"maps"
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach/hset"
)

// seenAt is what the packet stepper reported at one interface in one
// direction: the filters that decided there and the header they saw.
type seenAt struct {
	h                  Header
	acl, sg            *PacketEvent
	crossed, continued bool
}

// TestCheckRecordAgreesWithStepper is the proof that CheckRecord decides a
// record's packets with the filters the packet stepper applies at that
// interface: for random packets through several networks, every security
// group and network ACL decision the stepper logs at an interface is
// CheckRecord's for the header seen there (same verdict, same rule), and
// where the stepper crosses an interface without a network ACL, CheckRecord
// applies none.
func TestCheckRecordAgreesWithStepper(t *testing.T) {
	nets := packetNetworks()
	for _, name := range slices.Sorted(maps.Keys(nets)) {
		t.Run(name, func(t *testing.T) {
			rnd := rand.New(rand.NewPCG(11, uint64(len(name))))
			n := newNet()
			nets[name](n)
			e := n.engine(t)
			checks := 0
			randomPackets(t, e, rnd, 1500, func(from string, pos Position, h Header) {
				seen := stepRecords(e, pos, h, rnd)
				for k, s := range seen {
					rc, ok := e.CheckRecord(k.iface, k.dir, s.h, RoleOpens)
					if !ok {
						t.Fatalf("%s -> %v: interface %d is not checkable", from, h, k.iface)
					}
					checks++
					if s.acl != nil {
						if msg := sameVerdict(rc.ACL, s.acl); msg != "" {
							t.Fatalf("%s -> %v at interface %d %s: network ACL: %s", from, h, k.iface, k.dir, msg)
						}
					} else if s.crossed && s.continued && rc.ACL.Applies {
						t.Fatalf("%s -> %v at interface %d %s: the stepper crosses no network ACL, CheckRecord applies %s", from, h, k.iface, k.dir, rc.ACL.Component.Label())
					}
					if s.sg != nil {
						if msg := sameVerdict(rc.SG, s.sg); msg != "" {
							t.Fatalf("%s -> %v at interface %d %s: security groups: %s", from, h, k.iface, k.dir, msg)
						}
					}
				}
			})
			if checks < 500 {
				t.Errorf("only %d interface decisions checked", checks)
			}
		})
	}
}

type ifaceDir struct {
	iface int32
	dir   model.Direction
}

// stepRecords steps h from pos to its end, as a walker would that lets
// security groups pass (the stepper reports them and goes on), and returns
// what it saw at each interface.
func stepRecords(e *Engine, pos Position, h Header, rnd *rand.Rand) map[ifaceDir]*seenAt {
	out := map[ifaceDir]*seenAt{}
	at := func(iface int32, d model.Direction) *seenAt {
		k := ifaceDir{iface, d}
		if out[k] == nil {
			out[k] = &seenAt{}
		}
		return out[k]
	}
	var hop PacketHop
	var lastEgress *seenAt
	for i := 0; i < 2*maxDepth; i++ {
		e.Step(pos, h, false, &hop)
		if lastEgress != nil {
			lastEgress.continued = true
			lastEgress = nil
		}
		cur := h
		for _, ev := range hop.Events() {
			switch {
			case ev.Kind == StepTranslate:
				cur = hop.Header
			case ev.Cross:
				s := at(ev.Iface, ev.Direction)
				s.crossed = true
				if ev.Direction == model.Egress {
					lastEgress = s // its network ACL is the next hop's
				} else {
					s.continued = true // its network ACL came before
				}
			case (ev.Kind == StepSecurityGroup || ev.Kind == StepNetworkACL) && ev.Iface >= 0:
				s := at(ev.Iface, ev.Direction)
				s.h = cur
				ev := ev
				if ev.Kind == StepSecurityGroup {
					s.sg = &ev
				} else {
					s.acl = &ev
				}
			}
		}
		h = hop.Header
		if tr := hop.Translation; tr.Session && tr.Ports != (model.PortRange{}) {
			h.SrcPort = tr.Ports.First + uint16(rnd.IntN(tr.Ports.Size()))
		}
		if hop.Outcome != OutcomeForward {
			break
		}
		pos = hop.Next
	}
	// Only interfaces with a decision (or crossed) are checked, each with
	// the header its filters saw, or the one it was crossed with.
	for k, s := range out {
		if s.acl == nil && s.sg == nil {
			delete(out, k)
		}
	}
	return out
}

// sameVerdict compares CheckRecord's verdict for one filter with the
// stepper's event; for ICMP, whose records stand for every type, the
// stepper's verdict must be among CheckRecord's.
func sameVerdict(fc FilterCheck, ev *PacketEvent) string {
	if !fc.Applies {
		return "CheckRecord applies none"
	}
	switch ev.Decision {
	case DecisionAllow:
		if !fc.Allow {
			return "the stepper allows, CheckRecord does not"
		}
		if ev.RuleID >= 0 && fc.AllowRule != ev.RuleID && !fc.Deny {
			return "a different allowing rule"
		}
	case DecisionDeny:
		if !fc.Deny {
			return "the stepper denies, CheckRecord does not"
		}
		if ev.RuleID >= 0 && fc.DenyRule != ev.RuleID && !fc.Allow {
			return "a different denying rule"
		}
	}
	return ""
}

// TestCheckRecordStateful checks how CheckRecord reads a record against
// stateful security groups and stateless network ACLs (AWS's ping example:
// the group admits inbound ICMP, the ACL denies outbound ICMP), and the
// connection tracking of replies.
func TestCheckRecordStateful(t *testing.T) {
	n := newNet()
	base(n)
	n.sg("sg-ping", "vpc-1", []sgSpec{"icmp - 0.0.0.0/0", "tcp 22 0.0.0.0/0"}, nil)
	n.Interfaces[0].SecurityGroupIDs = []string{"sg-ping"}
	n.acl("acl-pub", "vpc-1", []string{"subnet-pub"}, []string{"100 allow all - 0.0.0.0/0"}, []string{"100 deny icmp - 0.0.0.0/0", "110 allow all - 0.0.0.0/0"})
	e := n.engine(t)
	web := e.eni["eni-web"].iid
	home := ip("203.0.113.12")
	me := e.eni["eni-web"].eni.PrimaryIP()
	cases := []struct {
		name                  string
		dir                   model.Direction
		h                     Header
		role                  Role
		accept, reject, reply bool
	}{
		{"ping in: the group and the ACL admit it", model.Ingress, Header{Src: home, Dst: me, Proto: 1}, RoleUnknown, true, false, false},
		{"ping reply out: the ACL denies it, stateful groups would pass it", model.Egress, Header{Src: me, Dst: home, Proto: 1}, RoleUnknown, false, true, false},
		{"ssh in, opening", model.Ingress, Header{Src: home, Dst: me, Proto: 6, SrcPort: 50000, DstPort: 22}, RoleOpens, true, false, false},
		{"ssh reply out: no egress rule, passes as a reply", model.Egress, Header{Src: me, Dst: home, Proto: 6, SrcPort: 22, DstPort: 50000}, RoleAnswers, true, true, true},
		{"a SYN out to 22 is no reply", model.Egress, Header{Src: me, Dst: home, Proto: 6, SrcPort: 50000, DstPort: 22}, RoleOpens, false, true, false},
		{"rdp in: no rule", model.Ingress, Header{Src: home, Dst: me, Proto: 6, SrcPort: 49761, DstPort: 3389}, RoleUnknown, false, true, false},
	}
	for _, c := range cases {
		rc, ok := e.CheckRecord(web, c.dir, c.h, c.role)
		if !ok {
			t.Fatalf("%s: not checkable", c.name)
		}
		if rc.Accept != c.accept || rc.Reject != c.reject || rc.Reply != c.reply {
			t.Errorf("%s: accept %v reject %v reply %v; want %v %v %v", c.name, rc.Accept, rc.Reject, rc.Reply, c.accept, c.reject, c.reply)
		}
	}
	// The ICMP deny names the ACL rule.
	rc, _ := e.CheckRecord(web, model.Egress, Header{Src: me, Dst: home, Proto: 1}, RoleUnknown)
	if r, _ := e.Rule(rc.ACL.DenyRule); r.Kind != RuleNetworkACL || r.Text != "egress rule 100 deny icmp all to 0.0.0.0/0" {
		t.Errorf("the ping reply is denied by %+v", r)
	}
}

// TestFilterSetsAgreeWithCheckRecord checks that the exact sets give every
// header CheckRecord's decision.
func TestFilterSetsAgreeWithCheckRecord(t *testing.T) {
	n := newNet()
	packetNetworks()["nat, ipv6 and endpoints"](n)
	e := n.engine(t)
	rnd := rand.New(rand.NewPCG(3, 4))
	addrs := []netip.Addr{ip("10.0.1.10"), ip("10.0.2.10"), ip("10.0.1.5"), ip("8.8.8.8"), ip("203.0.113.9"), ip("10.0.3.3"), ip("2600:1f18:1:101::10"), ip("2001:db8::1")}
	for iface := int32(0); iface < int32(e.Interfaces()); iface++ {
		for _, d := range []model.Direction{model.Ingress, model.Egress} {
			fs, ok := e.FilterSets(iface, d)
			if !ok {
				continue
			}
			for i := 0; i < 300; i++ {
				h := Header{Src: addrs[rnd.IntN(len(addrs))], Dst: addrs[rnd.IntN(len(addrs))], Proto: []uint8{6, 17, 47}[rnd.IntN(3)],
					SrcPort: uint16(rnd.IntN(65536)), DstPort: []uint16{22, 443, 8080, 30000, 50000}[rnd.IntN(5)]}
				if h.Src.Is4() != h.Dst.Is4() {
					continue
				}
				rc, _ := e.CheckRecord(iface, d, h, RoleOpens)
				p := hset.Point(h)
				sgAllow := !fs.HasSG || !fs.SGDenied.ContainsPoint(p)
				if sgAllow != rc.SG.Allow {
					t.Fatalf("interface %d %s %v: sets say SG allow %v, CheckRecord %v", iface, d, h, sgAllow, rc.SG.Allow)
				}
				aclAllow, aclRule := fs.NoACL.ContainsPoint(p), int32(-1)
				for _, r := range fs.ACL {
					if r.Set.ContainsPoint(p) {
						aclAllow, aclRule = r.Allow, r.Rule
					}
				}
				if aclAllow != rc.ACL.Allow || aclRule >= 0 && aclRule != rc.ACL.AllowRule && aclRule != rc.ACL.DenyRule {
					t.Fatalf("interface %d %s %v: sets say ACL allow %v by %d, CheckRecord %+v", iface, d, h, aclAllow, aclRule, rc.ACL)
				}
			}
		}
	}
}
