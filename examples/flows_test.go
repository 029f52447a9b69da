package examples_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/examples"
	"github.com/vpcsim/vpcsim/hcl"
	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/packet/packettest"
	"github.com/vpcsim/vpcsim/reach"
	"github.com/vpcsim/vpcsim/reach/reachtest"
)

// flow is one row of an example README's "Flows a reviewer cares about",
// with what AWS does.
type flow struct {
	n        int // the row number in the README
	from, to string
	proto    string
	port     uint16
	want     bool
	partial  bool
	code     reach.Code // expected among the explanations, when set
	dir      string
}

var readmeFlows = map[string][]flow{
	"three-tier": {
		{n: 1, from: "internet", to: "44.210.93.18", proto: "tcp", port: 22, want: true},
		{n: 2, from: "internet", to: "44.210.93.18", proto: "tcp", port: 3389, code: reach.CodeENISGRulesMismatch, dir: "forward"},
		{n: 3, from: "internet", to: "aws_lb.web", proto: "tcp", port: 80, want: true},
		{n: 3, from: "internet", to: "aws_lb.web", proto: "tcp", port: 443, code: reach.CodeELBV2ListenersMismatch, dir: "forward"},
		{n: 3, from: "internet", to: "aws_instance.app[0]", proto: "tcp", port: 8080, want: true, code: reach.CodeViaLoadBalancer},
		{n: 4, from: "internet", to: "10.0.10.71", proto: "tcp", port: 8080, code: reach.CodeIGWPrivateIPForIngress, dir: "forward"},
		{n: 5, from: "10.0.0.57", to: "10.0.10.71", proto: "tcp", port: 22, want: true},
		{n: 5, from: "10.0.0.57", to: "10.0.11.190", proto: "tcp", port: 22, want: true},
		{n: 6, from: "10.0.0.57", to: "10.0.10.71", proto: "tcp", port: 8080, want: true},
		{n: 7, from: "10.0.10.71", to: "10.0.20.45", proto: "tcp", port: 5432, want: true, partial: true, code: reach.CodeEphemeralPartial, dir: "return"},
		{n: 8, from: "10.0.10.71", to: "140.82.112.3", proto: "tcp", port: 443, want: true},
		{n: 9, from: "10.0.10.71", to: "140.82.112.3", proto: "tcp", port: 80, code: reach.CodeENISGRulesMismatch, dir: "forward"},
		{n: 10, from: "10.0.10.71", to: "52.216.8.10", proto: "tcp", port: 443, want: true},
		// The README names two causes; the group stops the flow before the
		// route table is consulted.
		{n: 11, from: "10.0.20.45", to: "140.82.112.3", proto: "tcp", port: 5432, code: reach.CodeENISGRulesMismatch, dir: "forward"},
		{n: 12, from: "10.0.0.57", to: "10.0.20.45", proto: "tcp", port: 22, want: true},
		{n: 12, from: "10.0.0.57", to: "10.0.21.112", proto: "tcp", port: 22, want: true},
		{n: 13, from: "10.0.21.112", to: "10.0.20.45", proto: "tcp", port: 5432, want: true},
		{n: 14, from: "10.0.10.71", to: "10.0.20.45", proto: "tcp", port: 22, code: reach.CodeENISGRulesMismatch, dir: "forward"},
	},
	"web-platform": {
		{n: 1, from: "internet", to: "aws_lb.web", proto: "tcp", port: 443, want: true},
		{n: 1, from: "internet", to: `aws_instance.web["a"]`, proto: "tcp", port: 8080, want: true, code: reach.CodeViaLoadBalancer},
		{n: 2, from: "internet", to: "aws_autoscaling_group.api", proto: "tcp", port: 8080, want: true, code: reach.CodeViaLoadBalancer},
		{n: 3, from: "internet", to: "aws_lb.web", proto: "tcp", port: 80, want: true},
		{n: 4, from: "internet", to: "10.40.10.104", proto: "tcp", port: 8080, code: reach.CodeIGWPrivateIPForIngress, dir: "forward"},
		// Through the node in zone a only: cross-zone load balancing is off.
		{n: 5, from: "198.51.100.7", to: "aws_lb.ingest", proto: "tcp", port: 6514, want: true, partial: true, code: reach.CodeELBNotCrossZone, dir: "forward"},
		{n: 6, from: "8.8.8.8", to: "aws_lb.ingest", proto: "tcp", port: 6514, code: reach.CodeENISGRulesMismatch, dir: "forward"},
		{n: 7, from: `aws_instance.web["a"]`, to: "aws_lb.internal", proto: "tcp", port: 80, want: true},
		{n: 8, from: "aws_lb.internal", to: `aws_instance.orders["a"]`, proto: "tcp", port: 8081, want: true},
		{n: 9, from: "internet", to: "aws_lb.internal", proto: "tcp", port: 80, code: reach.CodeIGWPrivateIPForIngress, dir: "forward"},
		{n: 10, from: "internet", to: "aws_elb.legacy", proto: "tcp", port: 80, want: true},
		{n: 10, from: "internet", to: "aws_instance.legacy", proto: "tcp", port: 8080, want: true, code: reach.CodeViaLoadBalancer},
		{n: 11, from: "internet", to: "aws_autoscaling_group.rdp", proto: "tcp", port: 3389, want: true},
		{n: 12, from: "internet", to: "aws_db_instance.reports", proto: "tcp", port: 3306, want: true},
		{n: 13, from: "internet", to: "aws_db_instance.orders", proto: "tcp", port: 5432, code: reach.CodeIGWPrivateIPForIngress, dir: "forward"},
		{n: 14, from: `aws_instance.orders["a"]`, to: "aws_db_instance.orders", proto: "tcp", port: 5432, want: true},
		{n: 14, from: "aws_autoscaling_group.api", to: "aws_db_instance.orders", proto: "tcp", port: 5432, want: true},
		{n: 14, from: "aws_lambda_function.thumbnails", to: "aws_db_instance.orders", proto: "tcp", port: 5432, want: true},
		{n: 15, from: "aws_lambda_function.thumbnails", to: "140.82.112.3", proto: "tcp", port: 443, want: true},
		{n: 16, from: "aws_autoscaling_group.rdp", to: `aws_instance.web["a"]`, proto: "tcp", port: 22, code: reach.CodeSubnetACLRestriction, dir: "forward"},
	},
	"hub-spoke": {
		{n: 1, from: "10.1.0.23", to: "10.100.10.10", proto: "udp", port: 53, want: true},
		{n: 1, from: "10.1.0.23", to: "10.100.10.10", proto: "tcp", port: 389, want: true},
		{n: 2, from: "10.1.1.87", to: "10.100.11.10", proto: "tcp", port: 636, want: true},
		{n: 3, from: "10.1.0.23", to: "10.2.0.142", proto: "tcp", port: 443, code: reach.CodeBadStateRoute, dir: "forward"},
		{n: 4, from: "10.1.0.23", to: "140.82.112.3", proto: "tcp", port: 443, want: true},
		{n: 5, from: "10.1.0.23", to: "192.168.10.5", proto: "tcp", port: 443, want: true},
		{n: 6, from: "192.168.10.5", to: "10.1.0.23", proto: "tcp", port: 443, want: true},
		{n: 7, from: "192.168.10.5", to: "10.1.0.23", proto: "tcp", port: 22, code: reach.CodeENISGRulesMismatch, dir: "forward"},
		{n: 8, from: "192.168.10.5", to: "10.100.10.10", proto: "tcp", port: 389, want: true},
		{n: 9, from: "10.100.10.10", to: "10.1.0.23", proto: "tcp", port: 22, want: true},
		{n: 10, from: "10.2.0.142", to: "10.100.10.10", proto: "udp", port: 53, want: true},
		{n: 10, from: "10.2.0.142", to: "140.82.112.3", proto: "tcp", port: 443, want: true},
		{n: 10, from: "10.2.0.142", to: "192.168.10.5", proto: "tcp", port: 443, want: true},
		{n: 11, from: "10.2.1.66", to: "10.100.10.10", proto: "udp", port: 53, code: reach.CodeTGWAttachAZRestriction, dir: "forward"},
		{n: 12, from: "10.2.1.66", to: "140.82.112.3", proto: "tcp", port: 443, code: reach.CodeTGWAttachAZRestriction, dir: "forward"},
		{n: 12, from: "10.2.1.66", to: "192.168.10.5", proto: "tcp", port: 443, code: reach.CodeTGWAttachAZRestriction, dir: "forward"},
		{n: 13, from: "10.100.10.10", to: "10.2.1.66", proto: "tcp", port: 22, code: reach.CodeTGWAttachAZRestriction, dir: "return"},
		{n: 14, from: "internet", to: "10.1.0.23", proto: "tcp", port: 443, code: reach.CodeIGWPrivateIPForIngress, dir: "forward"},
		{n: 15, from: "10.1.0.23", to: "10.3.0.5", proto: "tcp", port: 443, code: reach.CodeBadStateRoute, dir: "forward"},
	},
	"peering-endpoints": {
		{n: 1, from: "10.10.0.36", to: "10.20.0.55", proto: "tcp", port: 5432, want: true},
		{n: 2, from: "10.10.1.204", to: "10.20.0.55", proto: "tcp", port: 5432, code: reach.CodeNoRouteToDestination, dir: "return"},
		{n: 3, from: "10.30.0.77", to: "10.20.0.55", proto: "tcp", port: 5432, want: true},
		{n: 4, from: "10.30.0.77", to: "10.10.0.36", proto: "tcp", port: 8443, code: reach.CodePCXRequiresAddressInVPC, dir: "forward"},
		{n: 5, from: "10.10.0.36", to: "52.216.8.10", proto: "tcp", port: 443, want: true},
		{n: 6, from: "10.10.0.36", to: "10.10.0.150", proto: "tcp", port: 443, want: true},
		{n: 6, from: "10.10.1.204", to: "10.10.1.22", proto: "tcp", port: 443, want: true},
		{n: 7, from: "10.10.0.36", to: "140.82.112.3", proto: "tcp", port: 443, code: reach.CodeNoRouteToDestination, dir: "forward"},
		{n: 8, from: "2600:1f18:6a3:e400:4c2e:91a7:3d05:8b1e", to: "2606:4700::6810:84e5", proto: "tcp", port: 443, want: true},
		{n: 9, from: "2606:4700::6810:84e5", to: "2600:1f18:6a3:e400:4c2e:91a7:3d05:8b1e", proto: "tcp", port: 8443, code: reach.CodeEIGWInboundDenied, dir: "forward"},
		{n: 10, from: "10.20.0.55", to: "52.216.8.10", proto: "tcp", port: 443, code: reach.CodeNoRouteToDestination, dir: "forward"},
		{n: 11, from: "10.20.1.140", to: "10.20.0.55", proto: "tcp", port: 5432, want: true},
		{n: 12, from: "10.10.0.36", to: "10.10.1.204", proto: "tcp", port: 8443, want: true},
		{n: 13, from: "10.10.0.36", to: "10.30.0.77", proto: "tcp", port: 443, code: reach.CodeNoRouteToDestination, dir: "forward"},
		{n: 14, from: "10.20.0.55", to: "10.10.0.36", proto: "tcp", port: 8443, code: reach.CodeENISGRulesMismatch, dir: "forward"},
	},
}

// query is the flow as a trace query.
func (f flow) query(t *testing.T) reach.Query {
	t.Helper()
	p, err := model.ParseProtocol(f.proto)
	if err != nil {
		t.Fatal(err)
	}
	port := model.Port(f.port)
	return reach.Query{From: f.from, To: f.to, Protocol: p, Port: &port}
}

func engine(t testing.TB, name string) *reach.Engine {
	t.Helper()
	ex, ok := examples.Lookup(name)
	if !ok {
		t.Fatalf("no example %s", name)
	}
	in, err := hcl.LoadBytes(ex.StatePath, ex.State())
	if err != nil {
		t.Fatal(err)
	}
	e, err := reach.New(in.Network)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestREADMEFlows checks every flow the examples' READMEs list against the
// engine: the verdict AWS gives, and the cause.
func TestREADMEFlows(t *testing.T) {
	for name, flows := range readmeFlows {
		e := engine(t, name)
		for _, f := range flows {
			r, err := e.Trace(f.query(t))
			if err != nil {
				t.Errorf("%s flow %d: %v", name, f.n, err)
				continue
			}
			if r.Verdict.Passes() != f.want || (r.Verdict == reach.PartlyReachable) != f.partial {
				t.Errorf("%s flow %d (%s -> %s %s/%d): %v, README says reachable %v partial %v", name, f.n, f.from, f.to, f.proto, f.port, r.Verdict, f.want, f.partial)
			}
			if f.code != "" {
				found := false
				var codes []string
				for _, x := range r.Explanations {
					codes = append(codes, string(x.Code)+"/"+x.Direction.String())
					if x.Code == f.code && (x.Direction.String() == f.dir || f.dir == "" && x.Direction == 0) {
						found = true
					}
				}
				if !found {
					t.Errorf("%s flow %d: explanations %s, want %s/%s", name, f.n, strings.Join(codes, " "), f.code, f.dir)
				}
			}
		}
	}
}

// TestREADMEFlowsWalked walks every flow the examples' READMEs list as a
// conversation of real packets: the walker must agree with the trace of the
// same flow (verdict, and the leg, code, component and rule that stop it),
// and complete exactly the flows the README says pass (a partly reachable
// flow may go either way with the walker's one client port).
func TestREADMEFlowsWalked(t *testing.T) {
	for name, flows := range readmeFlows {
		e := engine(t, name)
		for _, f := range flows {
			c, err := packettest.Compare(e, f.query(t))
			if err != nil {
				t.Errorf("%s flow %d: %v", name, f.n, err)
				continue
			}
			if c.Disagreement != "" {
				t.Errorf("%s flow %d (%s -> %s %s/%d): %s", name, f.n, f.from, f.to, f.proto, f.port, c.Disagreement)
			}
			if !f.partial && c.Exchange.Complete != f.want {
				t.Errorf("%s flow %d (%s -> %s %s/%d): the conversation completes: %v; the README says %v", name, f.n, f.from, f.to, f.proto, f.port, c.Exchange.Complete, f.want)
			}
		}
	}
}

// TestExamplesAgree checks on every example that the exhaustive analysis and
// the segmentation matrix agree with traces.
func TestExamplesAgree(t *testing.T) {
	for _, ex := range examples.All() {
		t.Run(ex.Name, func(t *testing.T) {
			e := engine(t, ex.Name)
			st, bad, err := reachtest.Agreement(e, rand.New(rand.NewPCG(7, uint64(len(ex.Name)))), 600)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range bad {
				t.Error(d)
			}
			if st.Checked < 100 || st.Reachable == 0 || st.Reachable == st.Checked {
				t.Errorf("%d flows checked, %d reachable: the sample must hold both answers", st.Checked, st.Reachable)
			}
			if testing.Short() {
				return
			}
			checked, mbad, err := reachtest.MatrixAgreement(e)
			if err != nil {
				t.Fatal(err)
			}
			for _, b := range mbad {
				t.Error(b)
			}
			if checked == 0 {
				t.Error("no pair checked")
			}
		})
	}
}
