package reach

import (
	"net/netip"
	"testing"

	"github.com/vpcsim/vpcsim/model"
)

func svcTCP(ports ...uint16) []Service {
	var out []Service
	for _, p := range ports {
		out = append(out, Service{Protocols: ProtocolsOf(model.ProtocolTCP), Ports: model.Port(p)})
	}
	return out
}

// TestExpectations checks each kind of expectation on the base network
// (web public with 22, 80, 443 open to the world; app private with 8080
// from web's group), holding and failing; every violation's witness, traced,
// shows the violation: reachable for deny and only, not (fully) reachable
// for allow.
func TestExpectations(t *testing.T) {
	web, app := Ends{Interfaces: []string{"eni-web"}}, Ends{Interfaces: []string{"eni-app"}}
	cases := []struct {
		name  string
		build func(*tnet)
		x     Expectation
		// violations is how many violations; 0 means the expectation holds.
		violations int
		from, to   string // the first violation's ends (labels)
	}{
		{name: "deny holds: the internet does not reach app", build: base,
			x: Expectation{Kind: ExpectDeny, From: Ends{Internet: true}, To: app}},
		{name: "deny fails: the internet reaches web", build: base,
			x:          Expectation{Kind: ExpectDeny, From: Ends{Internet: true}, To: web, Services: svcTCP(22)},
			violations: 1, from: "internet", to: "test.web"},
		{name: "deny fails: web reaches app on 8080", build: base,
			x:          Expectation{Kind: ExpectDeny, From: web, To: app},
			violations: 1, from: "test.web", to: "test.app"},
		{name: "allow holds: web reaches app on 8080", build: base,
			x: Expectation{Kind: ExpectAllow, From: web, To: app, Services: svcTCP(8080)}},
		{name: "allow fails: app does not reach web on 22", build: base,
			x:          Expectation{Kind: ExpectAllow, From: app, To: web, Services: svcTCP(22, 8080)},
			violations: 1, from: "test.app", to: "test.web"},
		{name: "allow fails for part of the client ports", build: func(n *tnet) {
			base(n)
			n.acl("acl-priv", "vpc-1", []string{"subnet-priv"}, []string{"100 allow all - 0.0.0.0/0"}, []string{"100 allow tcp 1024-32767 10.0.1.0/24"})
		}, x: Expectation{Kind: ExpectAllow, From: web, To: app, Services: svcTCP(8080)}, violations: 1, from: "test.web", to: "test.app"},
		{name: "only holds: app is reached only from web, only on 8080", build: base,
			x: Expectation{Kind: ExpectOnly, From: web, To: app, Services: svcTCP(8080)}},
		{name: "only fails: SSH to web from anywhere but the VPN block", build: base,
			x: Expectation{Kind: ExpectOnly, From: Ends{Blocks: []netip.Prefix{pfx("198.51.100.0/24")}}, To: web, Scope: svcTCP(22)},
			// The internet (all but 198.51.100.0/24) and app, inside.
			violations: 2, from: "internet", to: "test.web"},
		{name: "only fails: web reaches app on another port", build: func(n *tnet) {
			base(n)
			sgOf(n, "sg-app").Ingress = append(sgOf(n, "sg-app").Ingress, n.sg("sg-tmp", "vpc-1", []sgSpec{"tcp 9000 sg-web"}, nil).Ingress...)
		}, x: Expectation{Kind: ExpectOnly, From: web, To: app, Services: svcTCP(8080)}, violations: 1, from: "test.web", to: "test.app"},
		{name: "deny across VPCs holds: a never reaches b once b stops routing back", build: func(n *tnet) {
			twoVPCs(n)
			rtOf(n, "rtb-b").Routes = nil
		}, x: Expectation{Kind: ExpectDeny, From: Ends{Interfaces: []string{"eni-a"}}, To: Ends{Interfaces: []string{"eni-b"}}}},
		{name: "deny to the internet fails: web reaches it", build: base,
			x:          Expectation{Kind: ExpectDeny, From: web, To: Ends{Internet: true}, Services: svcTCP(443)},
			violations: 1, from: "test.web", to: "internet"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := newNet()
			c.build(n)
			e := n.engine(t)
			res, err := e.Expect(c.x)
			if err != nil {
				t.Fatal(err)
			}
			if res.Holds != (c.violations == 0) || len(res.Violations) != c.violations {
				var got []string
				for _, v := range res.Violations {
					got = append(got, v.From.Label()+" -> "+v.To.Label())
				}
				t.Fatalf("holds %v with %d violations %v, want %d", res.Holds, len(res.Violations), got, c.violations)
			}
			if c.violations == 0 {
				return
			}
			v := res.Violations[0]
			if v.From.Label() != c.from || v.To.Label() != c.to {
				t.Errorf("first violation %s -> %s, want %s -> %s", v.From.Label(), v.To.Label(), c.from, c.to)
			}
			for _, v := range res.Violations {
				if v.Witness == nil || v.Witness.Trace == nil || len(v.Services) == 0 {
					t.Fatalf("violation without witness or services: %+v", v)
				}
				got := v.Witness.Trace.Verdict
				switch c.x.Kind {
				case ExpectAllow:
					if got == Reachable {
						t.Errorf("allow violation's witness %v is reachable", v.Witness.Header)
					}
				default:
					if !got.Passes() {
						t.Errorf("%s violation's witness %v is %s", c.x.Kind, v.Witness.Header, got)
					}
				}
			}
		})
	}
}

func TestExpectErrors(t *testing.T) {
	n := newNet()
	base(n)
	e := n.engine(t)
	for _, x := range []Expectation{
		{Kind: ExpectDeny, From: Ends{Interfaces: []string{"eni-nope"}}, To: Ends{Internet: true}},
		{Kind: ExpectDeny, From: Ends{}, To: Ends{Internet: true}},
		{Kind: ExpectDeny, From: Ends{Internet: true}, To: Ends{Internet: true}},
		{Kind: 0, From: Ends{Internet: true}, To: Ends{Interfaces: []string{"eni-web"}}},
	} {
		if _, err := e.Expect(x); err == nil {
			t.Errorf("%+v: want an error", x)
		}
	}
}
