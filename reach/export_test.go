package reach

import "fmt"

// Test helpers shared with the external test package.
var (
	NewNetForTest  = newNet
	BaseForTest    = base
	WithNATForTest = withNAT
	HubForTest     = hub
	TCPForTest     = tcp
)

type TNet = tnet

func (t *tnet) EngineForTest(tb interface {
	Helper()
	Fatalf(string, ...any)
}) *Engine {
	t.Synthesize()
	e, err := New(t.Network)
	if err != nil {
		tb.Fatalf("%v", err)
	}
	return e
}

func (t *tnet) ACLForTest(id, vpc string, subnets, in, out []string) {
	t.acl(id, vpc, subnets, in, out)
}

// AgreementNetworks are scenario networks with varied paths, for the
// agreement test.
var AgreementNetworks = map[string]func(*tnet){
	"base": base,
	"nat with acls": func(n *tnet) {
		base(n)
		withNAT(n)
		n.acl("acl-pub", "vpc-1", []string{"subnet-pub"}, []string{"90 deny tcp 22 8.0.0.0/8", "100 allow all - 0.0.0.0/0"}, []string{"100 allow tcp 1024-32767 0.0.0.0/0", "110 allow all - 10.0.0.0/8"})
		n.acl("acl-priv", "vpc-1", []string{"subnet-priv"}, []string{"100 allow tcp 8080 10.0.1.0/24", "110 allow tcp 1024-65535 0.0.0.0/0", "120 allow icmp - 0.0.0.0/0"}, []string{"100 allow all - 0.0.0.0/0"})
		n.Interfaces[1].PublicIPs = nil
	},
	"peering": twoVPCs,
	// Every kind of load balancer: an internet-facing ALB to two targets,
	// one of which fails its health checks; an NLB keeping clients'
	// addresses, one without, and one with security groups whose group
	// its target's rule names; an internal ALB; a Classic ELB.
	"load balancers": lbAgreement,
	"transit":        hub,
	// Interfaces that share groups but that rules tell apart by address:
	// the matrix's classes must split them.
	"classes": func(n *tnet) {
		base(n)
		n.sg("sg-pool", "vpc-1", []sgSpec{"tcp 5432 self", "tcp 22 10.0.1.21/32", "udp 53 10.0.0.0/16"}, []sgSpec{"all - 0.0.0.0/0"})
		for i, a := range []string{"10.0.1.20", "10.0.1.21", "10.0.1.22", "10.0.2.20", "10.0.2.21", "10.0.2.22"} {
			sub := "subnet-pub"
			if i >= 3 {
				sub = "subnet-priv"
			}
			n.instance(fmt.Sprintf("pool%d", i), sub, []string{"sg-pool"}, "", a)
		}
		n.acl("acl-priv", "vpc-1", []string{"subnet-priv"},
			[]string{"90 deny all - 10.0.1.22/32", "100 allow all - 0.0.0.0/0"},
			[]string{"90 deny tcp 1024-65535 10.0.1.20/32", "100 allow all - 0.0.0.0/0"})
	},
}

// ScenarioForTest is one flow of the scenario suite, for the packet
// walker's agreement test.
type ScenarioForTest struct {
	Name, Doc string
	Build     func(*tnet)
	Query     Query
}

// ScenariosForTest are every scenario of the trace suite: the element
// scenarios and the reference scenarios.
func ScenariosForTest() []ScenarioForTest {
	var out []ScenarioForTest
	for _, list := range [][]scenario{securityGroupScenarios(), networkACLScenarios(), routingScenarios(), natScenarios(),
		peeringScenarios(), transitGatewayScenarios(), edgeScenarios(), referenceScenarios()} {
		for _, sc := range list {
			out = append(out, ScenarioForTest{Name: sc.name, Doc: sc.doc, Build: sc.build, Query: sc.q})
		}
	}
	return out
}
