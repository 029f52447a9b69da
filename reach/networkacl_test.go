package reach

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"testing"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach/hset"
)

// inTurn is the network ACL's first-match rule written as AWS states it,
// the oracle of aclProg.apply: each rule, in number order, decides what
// the rules before it left.
func inTurn(p *aclProg, s hset.Set) (hits []hset.Set, rest hset.Set) {
	hits = make([]hset.Set, len(p.rules))
	rest = s
	for i := range p.rules {
		hits[i] = rest.Intersect(p.rules[i].set)
		rest = rest.Subtract(p.rules[i].set)
	}
	return hits, rest
}

// randomACL is an ACL of n rules over a small space (a /16 of remote
// addresses, a few ports and protocols), so that rules overlap often.
func randomACL(rng *rand.Rand, n int, dir model.Direction) *model.NetworkACL {
	acl := &model.NetworkACL{Meta: model.Meta{ID: "acl-1"}}
	protos := []model.Protocol{model.ProtocolTCP, model.ProtocolUDP, model.ProtocolAll, model.ProtocolICMP}
	for k := range n {
		bits := 16 + rng.IntN(17)
		addr := netip.AddrFrom4([4]byte{10, 0, byte(rng.IntN(256)), byte(rng.IntN(256))})
		lo := uint16(rng.IntN(40))
		r := model.ACLRule{Number: k + 1, Direction: dir, Action: model.Deny, Protocol: protos[rng.IntN(len(protos))],
			Ports: model.PortRange{First: lo, Last: lo + uint16(rng.IntN(20))}, CIDR: netip.PrefixFrom(addr, bits).Masked()}
		if rng.IntN(3) == 0 {
			r.Action = model.Allow
		}
		if rng.IntN(10) == 0 {
			r.CIDR = netip.MustParsePrefix("0.0.0.0/0")
		}
		if dir == model.Ingress {
			acl.Ingress = append(acl.Ingress, r)
		} else {
			acl.Egress = append(acl.Egress, r)
		}
	}
	return acl
}

// TestACLApplyAgreesWithRulesInTurn checks apply, which splits the headers
// before deciding them, against the rules applied in turn, on random ACLs
// larger than one split leaf and random header sets.
func TestACLApplyAgreesWithRulesInTurn(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 32766))
	for trial := range 200 {
		dir := model.Ingress
		if trial%2 == 1 {
			dir = model.Egress
		}
		p := compileACL(randomACL(rng, 1+rng.IntN(120), dir), dir)
		var in hset.Set
		for range 1 + rng.IntN(4) {
			a := hset.AddrFrom(netip.AddrFrom4([4]byte{10, 0, byte(rng.IntN(256)), 0}))
			b := hset.AddrFrom(netip.AddrFrom4([4]byte{10, 0, byte(rng.IntN(256)), 255}))
			if b.Less(a) {
				a, b = b, a
			}
			port := uint16(rng.IntN(50))
			box := hset.Box{Src: full, Dst: full, Proto: allProto, SrcPort: allPorts, DstPort: hset.Range16{Lo: port, Hi: port + uint16(rng.IntN(30))}}
			if dir == model.Ingress {
				box.Src = hset.AddrRange{Lo: a, Hi: b}
			} else {
				box.Dst = hset.AddrRange{Lo: a, Hi: b}
			}
			in = in.Union(hset.Of(box))
		}
		hits, rest := inTurn(p, in)
		allowed, denied := p.apply(in)
		got := map[string]hset.Set{}
		var gotRest hset.Set
		for _, pc := range append(allowed, denied...) {
			if len(pc.rules) == 0 {
				gotRest = pc.set
				continue
			}
			got[pc.rules[0].Text] = pc.set
		}
		for i, h := range hits {
			text := p.rules[i].ref.Text
			if !got[text].Equal(h) {
				t.Fatalf("trial %d: %s decides %v, want %v", trial, text, got[text], h)
			}
			delete(got, text)
		}
		if len(got) != 0 || !gotRest.Equal(rest) {
			t.Fatalf("trial %d: extra pieces %v, rest %v want %v", trial, got, gotRest, rest)
		}
		// Pieces come in rule order.
		last := -1
		for _, pc := range allowed {
			var n int
			fmt.Sscanf(pc.rules[0].Text[len(dir.String())+len(" rule "):], "%d", &n)
			if n <= last {
				t.Fatalf("trial %d: allowed pieces out of rule order", trial)
			}
			last = n
		}
	}
}
