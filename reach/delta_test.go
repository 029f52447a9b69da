package reach_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"

	"github.com/vpcsim/vpcsim/hcl"
	"github.com/vpcsim/vpcsim/internal/estate"
	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
)

// smallEstate is a generated estate small enough to compare in full: four
// VPCs behind a transit gateway, a peering, NAT gateways, public addresses.
var smallEstate = estate.Params{VPCs: 4, SubnetsPerVPC: 9, InstancesPerSubnet: 1, SGsPerVPC: 5, RulesPerSG: 4,
	NACLRules: 4, TGWHubs: 1, Peerings: 2, Seed: 3}

func estateState(t testing.TB, p estate.Params) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := estate.Write(&b, p); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func loadNet(t testing.TB, state []byte) *model.Network {
	t.Helper()
	in, err := hcl.LoadBytes("estate.tfstate", state)
	if err != nil {
		t.Fatal(err)
	}
	return in.Network
}

// oneChange makes one random change of the kinds a plan makes to n: a
// security group rule added or removed, a network ACL rule added, removed or
// flipped, a route added or removed, a subnet moved to another route table,
// a public address added or removed, an interface's groups changed. It
// returns what it did.
func oneChange(r *rand.Rand, n *model.Network) string {
	pick := func(k int) int { return r.IntN(k) }
	ports := []uint16{22, 80, 443, 3389, 5432, 8080}
	cidrs := []string{"0.0.0.0/0", "10.0.0.0/8", "203.0.113.0/24"}
	for {
		switch pick(8) {
		case 0: // add an ingress rule
			sg := n.SecurityGroups[pick(len(n.SecurityGroups))]
			p := ports[pick(len(ports))]
			sg.Ingress = append(sg.Ingress, model.SGRule{Direction: model.Ingress, Protocol: model.ProtocolTCP,
				Ports: model.PortRange{First: p, Last: p}, Peer: model.SGPeer{Kind: model.PeerCIDR, CIDR: netip.MustParsePrefix(cidrs[pick(len(cidrs))])}})
			return fmt.Sprintf("rule tcp %d added to %s", p, sg.Label())
		case 1: // remove a rule
			sg := n.SecurityGroups[pick(len(n.SecurityGroups))]
			if len(sg.Ingress) == 0 {
				continue
			}
			i := pick(len(sg.Ingress))
			sg.Ingress = slices.Delete(sg.Ingress, i, i+1)
			return fmt.Sprintf("ingress rule %d removed from %s", i, sg.Label())
		case 2: // flip a network ACL rule
			acl := n.NetworkACLs[pick(len(n.NetworkACLs))]
			rules := &acl.Ingress
			if pick(2) == 1 {
				rules = &acl.Egress
			}
			var real []int
			for i, x := range *rules {
				if !x.IsStar() {
					real = append(real, i)
				}
			}
			if len(real) == 0 {
				continue
			}
			i := real[pick(len(real))]
			if (*rules)[i].Action == model.Allow {
				(*rules)[i].Action = model.Deny
			} else {
				(*rules)[i].Action = model.Allow
			}
			return fmt.Sprintf("rule %d of %s flipped", (*rules)[i].Number, acl.Label())
		case 3: // add a network ACL deny rule in front
			acl := n.NetworkACLs[pick(len(n.NetworkACLs))]
			p := ports[pick(len(ports))]
			acl.Ingress = append(acl.Ingress, model.ACLRule{Number: 1, Direction: model.Ingress, Action: model.Deny, Protocol: model.ProtocolTCP,
				Ports: model.PortRange{First: p, Last: p}, CIDR: netip.MustParsePrefix(cidrs[pick(len(cidrs))])})
			return fmt.Sprintf("deny tcp %d added to %s", p, acl.Label())
		case 4: // remove a declared route
			rt := n.RouteTables[pick(len(n.RouteTables))]
			var declared []int
			for i, x := range rt.Routes {
				if x.Origin == model.OriginDeclared && x.Target.Kind != model.TargetLocal {
					declared = append(declared, i)
				}
			}
			if len(declared) == 0 {
				continue
			}
			i := declared[pick(len(declared))]
			d := rt.Routes[i].Destination
			rt.Routes = slices.Delete(rt.Routes, i, i+1)
			return fmt.Sprintf("route %s removed from %s", d, rt.Label())
		case 5: // move a subnet to another table of its VPC
			s := n.Subnets[pick(len(n.Subnets))]
			var others []*model.RouteTable
			var from *model.RouteTable
			for _, rt := range n.RouteTables {
				if rt.VPCID != s.VPCID {
					continue
				}
				if slices.ContainsFunc(rt.Associations, func(a model.RouteTableAssociation) bool { return a.SubnetID == s.ID }) {
					from = rt
				} else if !rt.Main {
					others = append(others, rt)
				}
			}
			if from == nil || len(others) == 0 {
				continue
			}
			to := others[pick(len(others))]
			i := slices.IndexFunc(from.Associations, func(a model.RouteTableAssociation) bool { return a.SubnetID == s.ID })
			a := from.Associations[i]
			from.Associations = slices.Delete(from.Associations, i, i+1)
			to.Associations = append(to.Associations, a)
			return fmt.Sprintf("%s moved from %s to %s", s.Label(), from.Label(), to.Label())
		case 6: // a public address appears or goes
			x := n.Interfaces[pick(len(n.Interfaces))]
			if x.OwnerKind != model.OwnerInstance || len(x.PrivateIPs) == 0 {
				continue
			}
			if len(x.PublicIPs) > 0 {
				x.PublicIPs = nil
				return fmt.Sprintf("public address of %s removed", x.Label())
			}
			x.PublicIPs = []model.PublicIP{{Public: netip.AddrFrom4([4]byte{198, 51, 100, byte(1 + pick(200))}), Private: x.PrivateIPs[0]}}
			return fmt.Sprintf("public address added to %s", x.Label())
		case 7: // an interface joins another group of its VPC
			x := n.Interfaces[pick(len(n.Interfaces))]
			if x.OwnerKind != model.OwnerInstance {
				continue
			}
			var vpc string
			for _, s := range n.Subnets {
				if s.ID == x.SubnetID {
					vpc = s.VPCID
				}
			}
			var groups []string
			for _, g := range n.SecurityGroups {
				if g.VPCID == vpc && !slices.Contains(x.SecurityGroupIDs, g.ID) {
					groups = append(groups, g.ID)
				}
			}
			if len(groups) == 0 {
				continue
			}
			g := groups[pick(len(groups))]
			x.SecurityGroupIDs = append(x.SecurityGroupIDs, g)
			return fmt.Sprintf("%s joins %s", x.Label(), g)
		}
	}
}

// changed is what a comparison says changed, as comparable lines.
func changed(d *reach.Delta) []string {
	var out []string
	for _, u := range d.Units {
		if u.Status == reach.StatusUnchanged {
			continue
		}
		out = append(out, fmt.Sprintf("%s %s %s %s %s +%v -%v +%v -%v +%v -%v", u.Source, u.Key, u.Protocols, u.Ports, u.Status,
			u.Added, u.Removed, labels(u.AddedFrom), labels(u.RemovedFrom), u.AddedPorts, u.RemovedPorts))
	}
	return out
}

func labels(rs []reach.Ref) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Label())
	}
	return out
}

// The scoped comparison analyses only the interfaces a change can affect;
// on random one-rule changes of a generated estate it says exactly what the
// comparison of every interface says, and analyses fewer interfaces for
// most of them.
func TestCompareScopedEqualsFull(t *testing.T) {
	state := estateState(t, smallEstate)
	before := loadNet(t, state)
	eb, err := reach.New(before)
	if err != nil {
		t.Fatal(err)
	}
	runs := 24
	if testing.Short() {
		runs = 8
	}
	r := rand.New(rand.NewPCG(1, 2))
	narrower, nonEmpty := 0, 0
	for i := range runs {
		after := loadNet(t, state)
		what := oneChange(r, after)
		ea, err := reach.New(after)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		scoped, err := reach.Compare(eb, ea, reach.CompareOptions{Internal: true})
		if err != nil {
			t.Fatal(err)
		}
		full, err := reach.Compare(eb, ea, reach.CompareOptions{Internal: true, Full: true})
		if err != nil {
			t.Fatal(err)
		}
		got, want := changed(scoped), changed(full)
		if !slices.Equal(got, want) {
			t.Errorf("run %d, %s: the scoped comparison (%d of %d interfaces) differs from the full one:\nscoped %q\nfull   %q",
				i, what, scoped.Scope.Analysed, scoped.Scope.Interfaces, got, want)
		}
		if scoped.Scope.Analysed < scoped.Scope.Interfaces {
			narrower++
		}
		if len(want) > 0 {
			nonEmpty++
		}
		t.Logf("run %d, %s: %d units changed, %d of %d interfaces analysed", i, what, len(want), scoped.Scope.Analysed, scoped.Scope.Interfaces)
	}
	if narrower < runs/2 {
		t.Errorf("only %d of %d changes were scoped to fewer interfaces than all", narrower, runs)
	}
	if nonEmpty < runs/4 {
		t.Errorf("only %d of %d random changes changed reachability: the test proves little", nonEmpty, runs)
	}
}

// Comparing a network with itself finds nothing, analyses nothing, and
// leaves nothing unattributed.
func TestCompareSameNetwork(t *testing.T) {
	state := estateState(t, smallEstate)
	eb, err := reach.New(loadNet(t, state))
	if err != nil {
		t.Fatal(err)
	}
	ea, err := reach.New(loadNet(t, state))
	if err != nil {
		t.Fatal(err)
	}
	d, err := reach.Compare(eb, ea, reach.CompareOptions{Internal: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := changed(d); len(got) > 0 || len(d.Changes) > 0 || d.Scope.Analysed != 0 {
		t.Errorf("a network compared with itself: %d analysed, changes %v, units %q", d.Scope.Analysed, d.Changes, got)
	}
}
