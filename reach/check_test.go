package reach

import (
	"fmt"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/model"
)

// checkCase is a small network and what one built-in check must say of it:
// a defect whose subject (and rule, when given) match, or none at all.
type checkCase struct {
	name  string
	check CheckID
	build func(n *tnet)
	// subject and rule, when the check must fire: substrings of the
	// defect's subject label and rule text. Empty subject: the check must
	// stay quiet.
	subject, rule string
	// witness is the verdict the witness's trace must have, when the
	// defect carries one: the witness shows the defect.
	witness Verdict
}

func runCheckCases(t *testing.T, cases []checkCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(string(c.check)+"/"+c.name, func(t *testing.T) {
			n := newNet()
			c.build(n)
			e := n.engine(t)
			res, err := e.Check(CheckOptions{Checks: []CheckID{c.check}})
			if err != nil {
				t.Fatal(err)
			}
			var got []Defect
			for _, d := range res.Defects {
				if d.Check != c.check {
					t.Errorf("ran %s only, got a %s defect", c.check, d.Check)
				}
				got = append(got, d)
			}
			if c.subject == "" {
				for _, d := range got {
					t.Errorf("want no %s defect, got %s %s: %s", c.check, d.Subject.Label(), ruleText(d.Rule), d.Message)
				}
				return
			}
			var hit *Defect
			for i := range got {
				d := &got[i]
				if strings.Contains(d.Subject.Label(), c.subject) && (c.rule == "" || d.Rule != nil && strings.Contains(d.Rule.Text, c.rule)) {
					hit = d
				}
			}
			if hit == nil {
				var ls []string
				for _, d := range got {
					ls = append(ls, fmt.Sprintf("%s %s", d.Subject.Label(), ruleText(d.Rule)))
				}
				t.Fatalf("want a %s defect on %s %q, got %v", c.check, c.subject, c.rule, ls)
			}
			if hit.Message == "" || hit.Fix == "" || len(hit.Involved) == 0 {
				t.Errorf("defect without message, fix or elements: %+v", hit)
			}
			if c.witness != 0 {
				if hit.Witness == nil || hit.Witness.Trace == nil {
					t.Fatalf("want a traced witness, got %+v", hit.Witness)
				}
				if got := hit.Witness.Trace.Verdict; got != c.witness {
					t.Errorf("witness %v traced %s, want %s", hit.Witness.Header, got, c.witness)
				}
				// The witness is exactly one packet: trace says so again.
				r, err := e.Trace(hit.Witness.Query)
				if err != nil || r.Verdict != c.witness {
					t.Errorf("tracing the witness query again: %v, %v", r, err)
				}
			}
		})
	}
}

// private8080 gives app an inbound rule for tcp 8080 from the whole
// internet.
func private8080(n *tnet) {
	base(n)
	sgOf(n, "sg-app").Ingress = n.sg("sg-tmp", "vpc-1", []sgSpec{"tcp 8080 0.0.0.0/0"}, nil).Ingress
	n.SecurityGroups = n.SecurityGroups[:len(n.SecurityGroups)-1]
}

// threeVPCs peers vpc-a with vpc-b and vpc-b with vpc-c (10.3.0.0/16, "c"
// 10.3.1.10); a and c are not peered.
func threeVPCs(n *tnet) {
	twoVPCs(n)
	n.vpc("vpc-c", "10.3.0.0/16")
	n.subnet("subnet-c", "vpc-c", "us-east-1a", "10.3.1.0/24")
	n.peering("pcx-bc", "vpc-b", "vpc-c", true)
	n.rt("rtb-c", "vpc-c", []string{"subnet-c"}, "10.2.0.0/16 pcx-bc")
	addRoute(n, "rtb-b", "10.3.0.0/16 pcx-bc")
	n.sg("sg-c", "vpc-c", []sgSpec{"all - 10.0.0.0/8"}, []sgSpec{"all - 0.0.0.0/0"})
	n.instance("c", "subnet-c", []string{"sg-c"}, "", "10.3.1.10")
}

func TestExposureChecks(t *testing.T) { runCheckCases(t, exposureCases()) }

func exposureCases() []checkCase {
	return []checkCase{
		{name: "ssh open to the world on a public host", check: CheckInternetExposure, build: base,
			subject: "test.sg-web", rule: "tcp 22 from 0.0.0.0/0", witness: Reachable},
		{name: "quiet: the host has no public address", check: CheckInternetExposure, build: func(n *tnet) {
			base(n)
			n.Interfaces[0].PublicIPs = nil
		}},
		{name: "quiet: a network ACL denies it inbound", check: CheckInternetExposure, build: func(n *tnet) {
			base(n)
			n.acl("acl-pub", "vpc-1", []string{"subnet-pub"}, []string{"100 deny all - 0.0.0.0/0"}, []string{"100 allow all - 0.0.0.0/0"})
		}},
		{name: "open to the world, kept closed by addressing and routing", check: CheckLatentExposure, build: private8080,
			subject: "test.sg-app", rule: "tcp 8080 from 0.0.0.0/0", witness: Unreachable},
		{name: "public address but no route back to the internet", check: CheckLatentExposure, build: func(n *tnet) {
			private8080(n)
			n.Interfaces[1].PublicIPs = []model.PublicIP{{Public: ip("54.0.0.20"), Private: ip("10.0.2.10")}}
			n.acl("acl-priv", "vpc-1", []string{"subnet-priv"}, []string{"100 deny tcp 8080 0.0.0.0/0", "200 allow all - 0.0.0.0/0"}, []string{"100 allow all - 0.0.0.0/0"})
		}, subject: "test.sg-app", rule: "tcp 8080", witness: Unreachable},
		{name: "quiet: the rule names the VPC, not the world", check: CheckLatentExposure, build: func(n *tnet) {
			base(n)
			sgOf(n, "sg-app").Ingress = n.sg("sg-tmp", "vpc-1", []sgSpec{"tcp 8080 10.0.0.0/16"}, nil).Ingress
		}},
		{name: "quiet: exposed, not latent", check: CheckLatentExposure, build: base},
	}
}

func TestPathChecks(t *testing.T) { runCheckCases(t, pathCases()) }

func pathCases() []checkCase {
	return []checkCase{
		{name: "network ACL drops the replies", check: CheckAsymmetricPath, build: func(n *tnet) {
			base(n)
			n.acl("acl-priv", "vpc-1", []string{"subnet-priv"}, []string{"100 allow tcp 8080 10.0.1.0/24"}, []string{"100 allow tcp 443 0.0.0.0/0"})
		}, subject: "test.acl-priv", rule: "egress rule *", witness: Unreachable},
		{name: "missing return route over a peering", check: CheckAsymmetricPath, build: func(n *tnet) {
			twoVPCs(n)
			rtOf(n, "rtb-b").Routes = nil
		}, subject: "test.rtb-b", witness: Unreachable},
		{name: "reply routed to a NAT gateway", check: CheckAsymmetricPath, build: func(n *tnet) {
			private8080(n)
			withNAT(n)
			n.Interfaces[1].PublicIPs = []model.PublicIP{{Public: ip("54.0.0.20"), Private: ip("10.0.2.10")}}
		}, subject: "test.nat-1", witness: Unreachable},
		{name: "quiet: replies come back", check: CheckAsymmetricPath, build: base},
		{name: "quiet: the request itself is blocked (not a return problem)", check: CheckAsymmetricPath, build: func(n *tnet) {
			base(n)
			n.acl("acl-priv", "vpc-1", []string{"subnet-priv"}, []string{"100 deny all - 0.0.0.0/0"}, []string{"100 allow all - 0.0.0.0/0"})
		}},
		{name: "quiet: the rule names the whole internet, and inside traffic is not its intent", check: CheckAsymmetricPath, build: func(n *tnet) {
			// web's 22 from 0.0.0.0/0 admits app, whose replies would
			// come back anyway; nothing intends app -> web.
			base(n)
			n.acl("acl-pub", "vpc-1", []string{"subnet-pub"}, []string{"100 allow all - 0.0.0.0/0"}, []string{"100 allow tcp 1024-65535 0.0.0.0/0", "110 allow tcp 8080 10.0.2.0/24"})
		}},
		{name: "replies pass for part of the client ports", check: CheckEphemeralPartial, build: func(n *tnet) {
			base(n)
			n.acl("acl-priv", "vpc-1", []string{"subnet-priv"}, []string{"100 allow all - 0.0.0.0/0"}, []string{"100 allow tcp 1024-32767 10.0.1.0/24"})
		}, subject: "test.acl-priv", rule: "egress rule 100", witness: Unreachable},
		{name: "a deny rule for one port on the way back, where the rest dies at a NAT gateway", check: CheckEphemeralPartial, build: func(n *tnet) {
			// The replies of internet -> app:8080 are routed to nat-1 and
			// cross acl-pub inbound first: rule 90 stops the replies to client
			// port 3389, the NAT gateway the rest. Each cause is reported
			// with the part it stops: this one is a narrow return range.
			private8080(n)
			withNAT(n)
			n.Interfaces[1].PublicIPs = []model.PublicIP{{Public: ip("54.0.0.20"), Private: ip("10.0.2.10")}}
			n.acl("acl-pub", "vpc-1", []string{"subnet-pub"}, []string{"90 deny tcp 3389 0.0.0.0/0", "100 allow all - 0.0.0.0/0"}, []string{"100 allow all - 0.0.0.0/0"})
		}, subject: "test.acl-pub", rule: "ingress rule 90", witness: Unreachable},
		{name: "quiet: the whole ephemeral range passes", check: CheckEphemeralPartial, build: func(n *tnet) {
			base(n)
			n.acl("acl-priv", "vpc-1", []string{"subnet-priv"}, []string{"100 allow all - 0.0.0.0/0"}, []string{"100 allow tcp 1024-65535 10.0.1.0/24"})
		}},
	}
}

func TestRouteChecks(t *testing.T) { runCheckCases(t, routeCases()) }

func routeCases() []checkCase {
	return []checkCase{
		{name: "target gone", check: CheckRouteBlackhole, build: func(n *tnet) {
			base(n)
			addRoute(n, "rtb-main", "0.0.0.0/0 blackhole")
		}, subject: "test.rtb-main", rule: "blackhole"},
		{name: "route to a transit gateway the VPC is not attached to", check: CheckRouteBlackhole, build: func(n *tnet) {
			base(n)
			n.TransitGateways = append(n.TransitGateways, &model.TransitGateway{Meta: meta("tgw-9")})
			addRoute(n, "rtb-main", "10.9.0.0/16 tgw-9")
		}, subject: "test.rtb-main", rule: "tgw-9"},
		{name: "quiet: a transit gateway blackhole is deliberate", check: CheckRouteBlackhole, build: func(n *tnet) {
			hub(n)
			n.TGWRouteTables = append(n.TGWRouteTables, &model.TGWRouteTable{Meta: meta("tgw-rtb-1"), TransitGatewayID: "tgw-1", Default: true,
				Routes: []model.TGWRoute{{Destination: pfx("10.3.0.0/16"), Blackhole: true}}})
		}},
		{name: "route to a third VPC through a peer", check: CheckRouteNonTransitive, build: func(n *tnet) {
			threeVPCs(n)
			addRoute(n, "rtb-a", "10.3.0.0/16 pcx-ab")
		}, subject: "test.rtb-a", rule: "10.3.0.0/16", witness: Unreachable},
		{name: "default route through a peer (edge to edge)", check: CheckRouteNonTransitive, build: func(n *tnet) {
			twoVPCs(n)
			n.igw("igw-b", "vpc-b")
			addRoute(n, "rtb-a", "0.0.0.0/0 pcx-ab")
		}, subject: "test.rtb-a", rule: "0.0.0.0/0"},
		{name: "quiet: the peer's own block", check: CheckRouteNonTransitive, build: threeVPCs},
		{name: "zone without an attachment subnet", check: CheckRouteTGWZone, build: func(n *tnet) {
			hub(n)
			n.subnet("subnet-s2b", "vpc-2", "us-east-1b", "10.2.2.0/24")
			n.instance("s2b", "subnet-s2b", []string{"sg-s2"}, "", "10.2.2.10")
		}, subject: "test.tgw-attach-s2", witness: Unreachable},
		{name: "quiet: every zone covered", check: CheckRouteTGWZone, build: hub},
		{name: "transit gateway table routes none of it", check: CheckRouteDeadEnd, build: func(n *tnet) {
			hub(n)
			addRoute(n, "rtb-s1", "192.168.0.0/16 tgw-1")
		}, subject: "test.rtb-s1", rule: "192.168.0.0/16", witness: Unreachable},
		{name: "quiet: the table routes part of it", check: CheckRouteDeadEnd, build: hub},
		{name: "covered by more specific routes", check: CheckRouteShadowed, build: func(n *tnet) {
			base(n)
			addRoute(n, "rtb-pub", "0.0.0.0/1 igw-1")
			addRoute(n, "rtb-pub", "128.0.0.0/1 igw-1")
		}, subject: "test.rtb-pub", rule: "0.0.0.0/0"},
		{name: "quiet: a more specific route leaves the rest to it", check: CheckRouteShadowed, build: func(n *tnet) {
			base(n)
			addRoute(n, "rtb-pub", "10.5.0.0/16 igw-1")
		}},
	}
}

func TestRuleChecks(t *testing.T) { runCheckCases(t, ruleCases()) }

func ruleCases() []checkCase {
	return []checkCase{
		{name: "shadowed the other way", check: CheckNACLRuleShadowed, build: func(n *tnet) {
			base(n)
			n.acl("acl-pub", "vpc-1", []string{"subnet-pub"}, []string{"100 allow tcp 22 0.0.0.0/0", "110 deny tcp 22 198.51.100.0/24", "120 allow all - 0.0.0.0/0"}, []string{"100 allow all - 0.0.0.0/0"})
		}, subject: "test.acl-pub", rule: "ingress rule 110 deny"},
		{name: "quiet: redundant, not shadowed the other way", check: CheckNACLRuleShadowed, build: func(n *tnet) {
			base(n)
			n.acl("acl-pub", "vpc-1", []string{"subnet-pub"}, []string{"100 allow all - 0.0.0.0/0", "110 allow tcp 443 0.0.0.0/0"}, []string{"100 allow all - 0.0.0.0/0"})
		}},
		{name: "redundant", check: CheckNACLRuleRedundant, build: func(n *tnet) {
			base(n)
			n.acl("acl-pub", "vpc-1", []string{"subnet-pub"}, []string{"100 allow all - 0.0.0.0/0", "110 allow tcp 443 0.0.0.0/0"}, []string{"100 allow all - 0.0.0.0/0"})
		}, subject: "test.acl-pub", rule: "ingress rule 110 allow"},
		{name: "quiet: partly decided first", check: CheckNACLRuleRedundant, build: func(n *tnet) {
			base(n)
			n.acl("acl-pub", "vpc-1", []string{"subnet-pub"}, []string{"100 deny tcp 22 198.51.100.0/24", "110 allow tcp 22 0.0.0.0/0", "120 allow all - 0.0.0.0/0"}, []string{"100 allow all - 0.0.0.0/0"})
		}},
		{name: "inbound rule whose traffic a network ACL stops", check: CheckRuleUnreachable, build: func(n *tnet) {
			base(n)
			sgOf(n, "sg-app").Ingress = append(sgOf(n, "sg-app").Ingress, n.sg("sg-tmp", "vpc-1", []sgSpec{"tcp 9000 10.0.1.0/24"}, nil).Ingress...)
			n.acl("acl-priv", "vpc-1", []string{"subnet-priv"}, []string{"100 deny tcp 9000 0.0.0.0/0", "110 allow all - 0.0.0.0/0"}, []string{"100 allow all - 0.0.0.0/0"})
		}, subject: "test.sg-app", rule: "tcp 9000", witness: Unreachable},
		{name: "inbound rule for a VPC reached only through a peer", check: CheckRuleUnreachable, build: func(n *tnet) {
			threeVPCs(n)
			addRoute(n, "rtb-a", "10.3.0.0/16 pcx-ab")
			sgOf(n, "sg-c").Ingress = n.sg("sg-tmp", "vpc-c", []sgSpec{"tcp 5432 10.1.0.0/16"}, nil).Ingress
		}, subject: "test.sg-c", rule: "10.1.0.0/16", witness: Unreachable},
		{name: "outbound rule with no route", check: CheckRuleUnreachable, build: func(n *tnet) {
			base(n)
			n.PrefixLists = append(n.PrefixLists, &model.PrefixList{Meta: meta("pl-s3"), Entries: []netipPrefix{pfx("52.216.0.0/15")}})
			sgOf(n, "sg-app").Egress = n.sg("sg-tmp", "vpc-1", nil, []sgSpec{"tcp 443 pl-s3"}).Egress
		}, subject: "test.sg-app", rule: "pl-s3", witness: Unreachable},
		{name: "quiet: the rule's traffic arrives", check: CheckRuleUnreachable, build: base},
		{name: "quiet: its peer group is another stack's", check: CheckRuleUnreachable, build: func(n *tnet) {
			base(n)
			g := n.sg("sg-other", "vpc-1", nil, nil)
			g.Outside = "a rule of test.sg-app names it"
			sgOf(n, "sg-app").Ingress = append(sgOf(n, "sg-app").Ingress, n.sg("sg-tmp", "vpc-1", []sgSpec{"tcp 8080 sg-other"}, nil).Ingress...)
		}},
		{name: "quiet: its peer group belongs to a load balancer vpcsim does not see", check: CheckRuleUnreachable, build: func(n *tnet) {
			base(n)
			n.sg("sg-lb", "vpc-1", []sgSpec{"tcp 443 0.0.0.0/0"}, []sgSpec{"all - 0.0.0.0/0"})
			sgOf(n, "sg-app").Ingress = append(sgOf(n, "sg-app").Ingress, n.sg("sg-tmp", "vpc-1", []sgSpec{"tcp 8080 sg-lb"}, nil).Ingress...)
			n.UnsupportedResources = append(n.UnsupportedResources, model.UnsupportedResource{Meta: meta("lb-1"), Type: "aws_lb", SecurityGroupIDs: []string{"sg-lb"}})
		}},
	}
}

func TestConfigChecks(t *testing.T) { runCheckCases(t, configCases()) }

func configCases() []checkCase {
	return []checkCase{
		{name: "VPCs on one transit gateway overlap", check: CheckOverlappingCIDRs, build: func(n *tnet) {
			// Peered VPCs cannot overlap: AWS refuses the peering, and so
			// does Validate.
			hub(n)
			n.VPCs[1].CIDRs = append(n.VPCs[1].CIDRs, pfx("10.1.128.0/17"))
		}, subject: "test.vpc-1"},
		{name: "quiet: disjoint", check: CheckOverlappingCIDRs, build: hub},
		{name: "group attached to nothing", check: CheckUnusedSG, build: func(n *tnet) {
			base(n)
			n.sg("sg-orphan", "vpc-1", []sgSpec{"tcp 22 10.0.0.0/8"}, nil)
		}, subject: "test.sg-orphan"},
		{name: "quiet: a load balancer's group, and AWS's default group", check: CheckUnusedSG, build: func(n *tnet) {
			base(n)
			n.sg("sg-lb", "vpc-1", []sgSpec{"tcp 443 0.0.0.0/0"}, nil)
			n.UnsupportedResources = append(n.UnsupportedResources, model.UnsupportedResource{Meta: meta("lb-1"), Type: "aws_lb", SecurityGroupIDs: []string{"sg-lb"}})
		}},
		{name: "quiet: a group of another stack, which a rule names", check: CheckUnusedSG, build: func(n *tnet) {
			base(n)
			g := n.sg("sg-other", "vpc-1", nil, nil)
			g.Outside = "a rule of test.sg-app names it"
		}},
		{name: "subnet holding nothing", check: CheckUnusedSubnet, build: func(n *tnet) {
			base(n)
			n.subnet("subnet-empty", "vpc-1", "us-east-1b", "10.0.9.0/24")
		}, subject: "test.subnet-empty"},
		{name: "quiet: a subnet holding only a NAT gateway", check: CheckUnusedSubnet, build: func(n *tnet) {
			base(n)
			n.subnet("subnet-nat", "vpc-1", "us-east-1b", "10.0.9.0/24")
			n.nat("nat-2", "subnet-nat", "10.0.9.5", "54.0.0.9")
		}},
		{name: "route table associated with nothing", check: CheckUnusedRouteTable, build: func(n *tnet) {
			base(n)
			n.rt("rtb-spare", "vpc-1", nil, "0.0.0.0/0 igw-1")
		}, subject: "test.rtb-spare"},
		{name: "quiet: the main table", check: CheckUnusedRouteTable, build: base},
		{name: "network ACL associated with nothing", check: CheckUnusedNetworkACL, build: func(n *tnet) {
			base(n)
			n.acl("acl-spare", "vpc-1", nil, []string{"100 allow all - 0.0.0.0/0"}, nil)
		}, subject: "test.acl-spare"},
		{name: "quiet: the default ACL", check: CheckUnusedNetworkACL, build: base},
		{name: "NAT gateway no route uses", check: CheckUnusedGateway, build: func(n *tnet) {
			base(n)
			n.nat("nat-1", "subnet-pub", "10.0.1.5", "54.0.0.5")
		}, subject: "test.nat-1"},
		{name: "quiet: the internet gateway is routed to", check: CheckUnusedGateway, build: base},
		{name: "Elastic IP associated with nothing", check: CheckUnusedElasticIP, build: func(n *tnet) {
			base(n)
			n.ElasticIPs = append(n.ElasticIPs, &model.ElasticIP{Meta: meta("eipalloc-2"), PublicIP: ip("3.3.3.4")})
		}, subject: "test.eipalloc-2"},
		{name: "quiet: the Elastic IP of an interface", check: CheckUnusedElasticIP, build: func(n *tnet) {
			base(n)
			n.ElasticIPs = append(n.ElasticIPs, &model.ElasticIP{Meta: meta("eipalloc-1"), PublicIP: ip("3.3.3.3"), InterfaceID: "eni-web"})
		}},
	}
}

// TestEveryCheckHasScenarios keeps the scenario tables honest: every
// built-in check has a case that fires and one that stays quiet.
func TestEveryCheckHasScenarios(t *testing.T) {
	fires, quiet := map[CheckID]bool{}, map[CheckID]bool{}
	for _, cs := range [][]checkCase{exposureCases(), pathCases(), routeCases(), ruleCases(), configCases()} {
		for _, c := range cs {
			if c.subject == "" {
				quiet[c.check] = true
			} else {
				fires[c.check] = true
			}
		}
	}
	for _, c := range Checks {
		if !fires[c.ID] || !quiet[c.ID] {
			t.Errorf("check %s: a scenario that fires: %v, one that stays quiet: %v", c.ID, fires[c.ID], quiet[c.ID])
		}
	}
}
