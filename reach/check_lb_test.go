package reach

import (
	"slices"
	"strings"
	"testing"
)

// checkDefects runs the built-in checks ids on the network build makes.
func checkDefects(t *testing.T, build func(*tnet), ids ...CheckID) []Defect {
	t.Helper()
	n := newNet()
	build(n)
	e := n.engine(t)
	res, err := e.Check(CheckOptions{Checks: ids})
	if err != nil {
		t.Fatal(err)
	}
	return res.Defects
}

// defectOn is the defect of check id about rule text rule of group subject.
func defectOn(ds []Defect, id CheckID, subject, rule string) *Defect {
	for i := range ds {
		d := &ds[i]
		if d.Check == id && d.Subject.Label() == subject && d.Rule != nil && strings.Contains(d.Rule.Text, rule) {
			return d
		}
	}
	return nil
}

func involved(d *Defect, role string) []string {
	var out []string
	for _, v := range d.Involved {
		if v.Role == role {
			out = append(out, v.Component.Label())
		}
	}
	slices.Sort(out)
	return out
}

// The design checks see exposures through load balancers (docs/checks.md,
// internet-exposure; docs/semantics.md, LB-3 and LB-5) and name the way
// through: the listener, the target group and the targets.
func TestCheckThroughLoadBalancers(t *testing.T) {
	t.Run("alb group open to the world", func(t *testing.T) {
		ds := checkDefects(t, lbBase, CheckInternetExposure, CheckLatentExposure)
		d := defectOn(ds, CheckInternetExposure, "test.sg-alb", "tcp 443 from 0.0.0.0/0")
		if d == nil {
			t.Fatalf("no internet-exposure on the ALB's 443 rule: %v", ds)
		}
		for _, want := range []string{"the internet reaches test.alb", "test.app-a via load balancer test.alb listener HTTPS 443 → target group test.tg-web port 8080",
			"test.app-b via load balancer test.alb listener HTTPS 443 → target group test.tg-web port 8080"} {
			if !strings.Contains(d.Message, want) {
				t.Errorf("message %q lacks %q", d.Message, want)
			}
		}
		if got := involved(d, "through-load-balancer"); !slices.Equal(got, []string{"test.app-a", "test.app-b"}) {
			t.Errorf("targets involved %v", got)
		}
		if d.Witness == nil || d.Witness.Trace == nil || !d.Witness.Trace.Verdict.Passes() {
			t.Errorf("witness %+v does not pass", d.Witness)
		}
		// Port 80 has no listener: the rule is latent, and no path is named.
		if d := defectOn(ds, CheckLatentExposure, "test.sg-alb", "tcp 80 from 0.0.0.0/0"); d == nil || strings.Contains(d.Message, "via load balancer") {
			t.Errorf("port 80: %+v", d)
		}
		if d := defectOn(ds, CheckInternetExposure, "test.sg-alb", "tcp 80"); d != nil {
			t.Errorf("port 80 without a listener is exposed: %s", d.Message)
		}
		// The targets' own group admits only the ALB's group: nothing on it.
		for _, d := range ds {
			if d.Subject.Label() == "test.sg-app" {
				t.Errorf("%s on the targets' group: %s", d.Check, d.Message)
			}
		}
	})
	t.Run("alb group closed", func(t *testing.T) {
		ds := checkDefects(t, func(n *tnet) {
			lbBase(n)
			sgOf(n, "sg-alb").Ingress = ingress(n, "tcp 443 10.0.0.0/16")
		}, CheckInternetExposure, CheckLatentExposure)
		for _, d := range ds {
			if strings.Contains(d.Message, "via load balancer") {
				t.Errorf("%s names a way through the closed ALB: %s", d.Check, d.Message)
			}
		}
	})
	t.Run("nlb keeping clients' addresses, target group open to the world", func(t *testing.T) {
		ds := checkDefects(t, func(n *tnet) {
			lbBase(n)
			withNLB(n)
			sgOf(n, "sg-ingest").Ingress = ingress(n, "tcp 6514 0.0.0.0/0")
		}, CheckInternetExposure, CheckLatentExposure)
		// The target has no public address: only the NLB brings the
		// internet to its rule, which is then an exposure, not latent.
		d := defectOn(ds, CheckInternetExposure, "test.sg-ingest", "tcp 6514 from 0.0.0.0/0")
		if d == nil {
			t.Fatalf("no internet-exposure on the target's rule: %v", ds)
		}
		if want := "test.ingest via load balancer test.nlb listener TCP 6514 → target group test.tg-ingest port 6514 (client address preserved)"; !strings.Contains(d.Message, want) {
			t.Errorf("message %q lacks %q", d.Message, want)
		}
		if d := defectOn(ds, CheckLatentExposure, "test.sg-ingest", "6514"); d != nil {
			t.Errorf("the target's rule is called latent: %s", d.Message)
		}
	})
	t.Run("nlb proxying: the target's world rule is not reached from the internet", func(t *testing.T) {
		ds := checkDefects(t, func(n *tnet) {
			lbBase(n)
			withNLB(n)
			off := false
			tgOf(n, "tg-ingest").PreserveClientIP = &off
			sgOf(n, "sg-ingest").Ingress = ingress(n, "tcp 6514 0.0.0.0/0")
		}, CheckInternetExposure, CheckLatentExposure)
		if d := defectOn(ds, CheckInternetExposure, "test.sg-ingest", "6514"); d != nil {
			t.Errorf("the internet is said to reach the target's rule through a proxy: %s", d.Message)
		}
		if d := defectOn(ds, CheckLatentExposure, "test.sg-ingest", "6514"); d == nil {
			t.Errorf("the target's world rule is not latent: %v", ds)
		}
	})
	t.Run("a target's rule for the clients an nlb brings is reached", func(t *testing.T) {
		// lbAgreement's ingest admits 6514 from 8.0.0.0/5 too: internet
		// clients the NLB brings with their addresses.
		ds := checkDefects(t, lbAgreement, CheckRuleUnreachable)
		if d := defectOn(ds, CheckRuleUnreachable, "test.sg-ingest", "8.0.0.0/5"); d != nil {
			t.Errorf("rule-unreachable on a rule the NLB's clients reach: %s", d.Message)
		}
	})
}

// A comparison sees what changes through a load balancer: opening the
// ALB's group opens its node and, through its listener, its targets, each
// unit naming the way; the comparison scoped to what the change can affect
// equals the full one.
func TestCompareThroughLoadBalancer(t *testing.T) {
	before, after := newNet(), newNet()
	lbBase(before)
	sgOf(before, "sg-alb").Ingress = ingress(before, "tcp 443 198.51.100.0/24")
	lbBase(after)
	eb, ea := before.engine(t), after.engine(t)
	full, err := Compare(eb, ea, CompareOptions{Full: true})
	if err != nil {
		t.Fatal(err)
	}
	scoped, err := Compare(eb, ea, CompareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	opened := func(d *Delta) map[string]*DeltaUnit {
		out := map[string]*DeltaUnit{}
		for i := range d.Units {
			u := &d.Units[i]
			if u.Source == "internet" && u.Status.Opens() {
				out[u.Target.Label()+"@"+u.Interface.Label()] = u
			}
		}
		return out
	}
	of, os := opened(full), opened(scoped)
	if len(of) != len(os) {
		t.Errorf("scoped comparison opens %d units, the full one %d", len(os), len(of))
	}
	for _, target := range []string{"test.app-a@test.eni-app-a", "test.app-b@test.eni-app-b"} {
		u := of[target]
		if u == nil {
			t.Fatalf("%s: no opened unit in %v", target, of)
		}
		if u.Status != StatusWidened || u.After == nil || len(u.After.Via) != 1 || !u.After.OnlyViaLoadBalancer {
			t.Fatalf("%s: %+v", target, u)
		}
		if v := u.After.Via[0]; v.LoadBalancer.Label() != "test.alb" || v.Port != 443 || v.TargetPort != 8080 || v.TargetGroup.Label() != "test.tg-web" {
			t.Errorf("%s: via %s", target, v)
		}
		if s := os[target]; s == nil || s.Status != u.Status {
			t.Errorf("%s: the scoped comparison says %+v", target, s)
		}
	}
	nodes := 0
	for k := range of {
		if strings.HasPrefix(k, "test.alb@test.eni-alb-") {
			nodes++
		}
	}
	if nodes != 2 {
		t.Errorf("%d of the ALB's nodes opened: %v", nodes, of)
	}
	// Each opened unit is attributed to the ALB's group's rules: the one
	// added (and the one it replaces).
	for k, u := range of {
		added := false
		for _, i := range u.Causes {
			c := full.Changes[i]
			if c.Element.Label() != "test.sg-alb" {
				t.Errorf("%s: caused by %+v", k, c)
			}
			added = added || c.Kind == ChangeRuleAdded && c.Rule != nil && strings.Contains(c.Rule.Text, "0.0.0.0/0")
		}
		if !added {
			t.Errorf("%s: not attributed to the rule opening 443 to the world: %v", k, u.Causes)
		}
	}
}
