package intent

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/vpcsim/vpcsim/hcl"
	"github.com/vpcsim/vpcsim/reach"
)

var engines sync.Map // example name -> *reach.Engine

func exampleEngine(t testing.TB, name string) *reach.Engine {
	t.Helper()
	if e, ok := engines.Load(name); ok {
		return e.(*reach.Engine)
	}
	in, err := hcl.Load("../examples/" + name + "/terraform.tfstate")
	if err != nil {
		t.Fatal(err)
	}
	e, err := reach.New(in.Network)
	if err != nil {
		t.Fatal(err)
	}
	engines.Store(name, e)
	return e
}

// TestEvaluateExamples evaluates each example's intent file: which
// expectations hold, how many violations the others have and between which
// ends — the README findings they express — and that every violation's
// witness, traced again, shows it.
func TestEvaluateExamples(t *testing.T) {
	want := map[string]map[string]string{
		"three-tier": {
			"db-not-from-internet": "holds",
			// README finding 3: replies for part of the client ports.
			"app-reaches-db": `4: aws_instance.app[0] -> aws_instance.db["primary"]`,
			// README finding 2: the bastion reaches port 8080.
			"app-port-only-from-load-balancer": "2: aws_instance.bastion -> aws_instance.app[0]",
			// README finding 1: SSH from the internet.
			"ssh-only-from-bastion": "1: internet -> aws_instance.bastion",
		},
		"hub-spoke": {
			"prod-never-reaches-dev": "holds",
			"dev-never-reaches-prod": "holds",
			// README finding 1: dev-app-2, in the zone the attachment lacks.
			"spokes-reach-directory":     `2: module.spoke["dev"].aws_instance.app[1] -> module.shared.aws_instance.directory[0]`,
			"on-premises-reaches-spokes": `1: on-premises network of aws_vpn_connection.onprem -> module.spoke["dev"].aws_instance.app[1]`,
			"nothing-from-internet":      "holds",
		},
		"peering-endpoints": {
			// README finding 1: the missing return route for app-2.
			"order-service-reaches-database": "2: module.app.aws_instance.app[1] -> module.data.aws_instance.db[0]",
			// README finding 2: transitive peering.
			"reports-reach-order-api": "2: module.analytics.aws_instance.worker -> module.app.aws_instance.app[0]",
			"database-clients":        "holds",
			"nothing-from-internet":   "holds",
		},
	}
	for name, exps := range want {
		t.Run(name, func(t *testing.T) {
			e := exampleEngine(t, name)
			f, ds := ParseFile("../examples/" + name + "/intent.hcl")
			if f == nil {
				t.Fatal(ds)
			}
			results, ds := Evaluate(e, f, Options{})
			if ds.HasErrors() {
				t.Fatal(ds)
			}
			if len(results) != len(exps) {
				t.Fatalf("%d results, want %d", len(results), len(exps))
			}
			for _, r := range results {
				w, ok := exps[r.Expectation.Name]
				if !ok {
					t.Errorf("unexpected expectation %s", r.Expectation.Name)
					continue
				}
				got := "holds"
				if !r.Holds() {
					v := r.Outcome.Violations[0]
					got = fmt.Sprintf("%d: %s -> %s", len(r.Outcome.Violations), v.From.Label(), v.To.Label())
				}
				if got != w {
					t.Errorf("%s: %s, want %s", r.Expectation.Label(), got, w)
				}
				if r.Outcome == nil {
					continue
				}
				for _, v := range r.Outcome.Violations {
					checkWitness(t, e, r.Expectation, v)
				}
			}
		})
	}
}

// checkWitness traces a violation's witness packet again and checks that it
// shows the violation: a denied or unwanted flow passes, a required one does
// not (fully).
func checkWitness(t *testing.T, e *reach.Engine, x *Expectation, v reach.Violation) {
	t.Helper()
	if v.Witness == nil || v.Witness.Trace == nil {
		t.Fatalf("%s: violation %s -> %s has no traced witness", x.Label(), v.From.Label(), v.To.Label())
	}
	r, err := e.Trace(v.Witness.Query)
	if err != nil {
		t.Fatalf("%s: tracing the witness: %v", x.Label(), err)
	}
	if r.Verdict != v.Witness.Trace.Verdict {
		t.Errorf("%s: the witness traces %s, recorded %s", x.Label(), r.Verdict, v.Witness.Trace.Verdict)
	}
	switch x.Kind {
	case reach.ExpectAllow:
		if r.Verdict == reach.Reachable {
			t.Errorf("%s: the witness %v of a missing flow is reachable", x.Label(), v.Witness.Header)
		}
	default:
		if !r.Verdict.Passes() {
			t.Errorf("%s: the witness %v of an unwanted flow is %s", x.Label(), v.Witness.Header, r.Verdict)
		}
	}
}

// TestEvaluateSelectorProblems checks what happens to selectors that name
// nothing, and to a load balancer's group (its nodes).
func TestEvaluateSelectorProblems(t *testing.T) {
	e := exampleEngine(t, "three-tier")
	src := `deny "typo" {
  from = internet
  to   = resource("aws_instanse.bastion")
}

deny "lb-only" {
  from = security_group("aws_security_group.alb")
  to   = all
}

only "lb-allowed" {
  to   = resource("aws_instance.app")
  from = security_group("aws_security_group.alb")
}

allow "tagged" {
  from = tag("Tire", "app")
  to   = all
}
`
	f, ds := Parse("t.hcl", []byte(src))
	if f == nil {
		t.Fatal(ds)
	}
	results, ds := Evaluate(e, f, Options{})
	want := []string{
		`t.hcl:3:10: error: deny "typo": resource("aws_instanse.bastion") matches nothing in the network (did you mean "aws_instance.bastion"?)`,
		`t.hcl:17:10: error: allow "tagged": tag("Tire", "app") matches nothing in the network (did you mean "Tier"?)`,
	}
	if len(ds) != len(want) {
		t.Fatalf("got %d diagnostics:\n%v", len(ds), ds)
	}
	for i, w := range want {
		if !strings.HasPrefix(ds[i].String(), w) {
			t.Errorf("diagnostic %d:\n%s\nwant\n%s", i, ds[i], w)
		}
	}
	// Only the expectations without errors were evaluated. The load
	// balancer's group selects its nodes: they reach the app servers (so
	// lb-only fails), and the bastion reaches them too (so does lb-allowed).
	for _, r := range results {
		evaluated := r.Expectation.Name == "lb-only" || r.Expectation.Name == "lb-allowed"
		if (r.Outcome != nil) != evaluated {
			t.Errorf("%s evaluated: %v", r.Expectation.Name, r.Outcome != nil)
		}
		if evaluated && r.Holds() {
			t.Errorf("%s holds", r.Expectation.Label())
		}
	}
}

func ExampleEvaluate() {
	in, err := hcl.Load("../examples/hub-spoke/terraform.tfstate")
	if err != nil {
		panic(err)
	}
	e, err := reach.New(in.Network)
	if err != nil {
		panic(err)
	}
	f, _ := Parse("isolation.hcl", []byte(`
deny "prod-never-reaches-dev" {
  from = vpc("module.spoke[\"prod\"].aws_vpc.this")
  to   = vpc("module.spoke[\"dev\"].aws_vpc.this")
}

allow "dev-reaches-directory" {
  from     = vpc("module.spoke[\"dev\"].aws_vpc.this")
  to       = resource("module.shared.aws_instance.directory[0]")
  services = ["udp/53"]
}
`))
	results, _ := Evaluate(e, f, Options{})
	for _, r := range results {
		fmt.Println(r.Expectation.Label(), "holds:", r.Holds())
		for _, v := range r.Outcome.Violations {
			fmt.Println("  ", v.From.Label(), "->", v.To.Label(), "witness:", v.Witness.Header, v.Witness.Trace.Verdict)
		}
	}
	// Output:
	// deny "prod-never-reaches-dev" holds: true
	// allow "dev-reaches-directory" holds: false
	//    module.spoke["dev"].aws_instance.app[1] -> module.shared.aws_instance.directory[0] witness: udp 10.2.1.66:1024 -> 10.100.10.10:53 unreachable
}

// Load balancers, Auto Scaling groups and managed services are selectable
// by address and type: each stands for its interfaces (a load balancer's
// nodes, the instances a group launches, a database's interface).
func TestSelectLoadBalancersGroupsServices(t *testing.T) {
	e := exampleEngine(t, "web-platform")
	src := `deny "db" {
  from = internet
  to   = resource("aws_db_instance.reports")
}

deny "rdp" {
  from     = internet
  to       = resource("aws_autoscaling_group.rdp")
  services = ["tcp/3389"]
}

deny "load-balancers" {
  from = internet
  to   = type("aws_lb")
}

deny "internal" {
  from = internet
  to   = resource("aws_lb.internal")
}
`
	f, ds := Parse("t.hcl", []byte(src))
	if f == nil {
		t.Fatal(ds)
	}
	results, ds := Evaluate(e, f, Options{})
	if len(ds) > 0 {
		t.Fatalf("diagnostics: %v", ds)
	}
	want := map[string]string{"db": "aws_db_instance.reports", "rdp": "aws_autoscaling_group.rdp", "load-balancers": "aws_lb.web"}
	for _, r := range results {
		name := r.Expectation.Name
		if name == "internal" {
			// An internal load balancer has no public address (LB-8).
			if !r.Holds() {
				t.Errorf("internal: %+v", r.Outcome)
			}
			continue
		}
		if r.Holds() {
			t.Errorf("%s holds", name)
			continue
		}
		found := false
		for _, v := range r.Outcome.Violations {
			found = found || v.To.Label() == want[name]
		}
		if !found {
			t.Errorf("%s: no violation reaching %s", name, want[name])
		}
	}
}
