package scenario

import (
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/packet"
)

var update = flag.Bool("update", false, "rewrite the golden files")

const example = `# A day's start in the shop.
start    = "2024-06-03T09:00:00Z"
duration = "15m"
seed     = 7

traffic "shoppers" {
  from     = "internet"
  to       = "aws_instance.web"
  protocol = "tcp"
  port     = 443
  rate     = "5/s"
  clients  = 200
  request  = 900
  response = 48000
}

traffic "app to db" {
  from     = ["10.0.10.0/24", "aws_instance.app"]
  to       = "10.0.20.45"
  port     = 5432
  rate     = "30/m"
  teardown = "rst"
  start    = "1m"
  end      = "14m"
}

traffic "dns" {
  from     = "aws_instance.app"
  to       = "10.0.0.2"
  protocol = "udp"
  port     = 53
  count    = 2
}

traffic "monitoring" {
  from     = "198.51.100.10"
  to       = ["aws_instance.web", "aws_instance.bastion"]
  protocol = "icmp"
  rate     = "1/m"
  count    = 3
}

scan "recon" {
  from  = "203.0.113.66"
  to    = "aws_instance.web"
  ports = ["1-1024", 3389, "8080"]
  rate  = "50/s"
  start = "5m"
}
`

func TestParse(t *testing.T) {
	sc, ds := Parse("shop.hcl", []byte(example))
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	if !sc.Start.Equal(time.Date(2024, 6, 3, 9, 0, 0, 0, time.UTC)) || sc.Duration != 15*time.Minute || !sc.HasSeed || sc.Seed != 7 {
		t.Errorf("header: %+v", sc)
	}
	if len(sc.Traffic) != 4 || len(sc.Scans) != 1 {
		t.Fatalf("%d traffic, %d scans", len(sc.Traffic), len(sc.Scans))
	}
	shop := sc.Traffic[0]
	if shop.Name != "shoppers" || shop.Rate != 5 || shop.Port != 443 || shop.Clients != 200 || shop.Response != 48000 || shop.Pos.String() != "shop.hcl:6:1" || shop.ToPos.String() != "shop.hcl:8:14" {
		t.Errorf("shoppers: %+v", shop)
	}
	db := sc.Traffic[1]
	if !reflect.DeepEqual(db.From, []string{"10.0.10.0/24", "aws_instance.app"}) || db.Rate != 0.5 || db.Teardown != packet.CloseRST || db.Start != time.Minute || db.End != 14*time.Minute || db.Protocol != model.ProtocolTCP {
		t.Errorf("app to db: %+v", db)
	}
	if dns := sc.Traffic[2]; dns.Protocol != model.ProtocolUDP || dns.Count != 2 || dns.Rate != 1 {
		t.Errorf("dns: %+v", dns)
	}
	if mon := sc.Traffic[3]; mon.Protocol != model.ProtocolICMP || mon.Port != 0 || len(mon.To) != 2 {
		t.Errorf("monitoring: %+v", mon)
	}
	scan := sc.Scans[0]
	if scan.Probes() != 1026 || scan.Rate != 50 || scan.Start != 5*time.Minute {
		t.Errorf("scan: %+v (%d probes)", scan, scan.Probes())
	}
}

// TestParseErrors: every problem is reported with its position.
func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{"syntax", "traffic \"x\" {\n  from = \n}", []string{"bad.hcl:2:"}},
		{"unknown attribute", "traffic \"x\" {\n  from = \"internet\"\n  to = \"a\"\n  port = 443\n  rtae = \"5/s\"\n}", []string{`bad.hcl:5:3: error: unsupported argument: an argument named "rtae" is not expected here. Did you mean "rate"?`}},
		{"missing", "traffic \"x\" {\n  from = \"internet\"\n}", []string{`bad.hcl:1:13: error: missing required argument: the argument "to" is required, but no definition was found`, `bad.hcl:1:1: error: traffic "x": port is required for tcp`}},
		{"bad values", "duration = \"ten minutes\"\ntraffic \"x\" {\n  from = \"10.0.0.0/33\"\n  to = \"a\"\n  port = 70000\n  rate = \"fast\"\n  protocol = \"gre\"\n}",
			[]string{`bad.hcl:1:12: error: duration: "ten minutes" is not a duration`, `bad.hcl:3:10: error: from: "10.0.0.0/33" is not a CIDR block`, `bad.hcl:5:10: error: port: want a whole number from 1 to 65535, not 70000`,
				`bad.hcl:6:10: error: rate: "fast" is not a rate`, `bad.hcl:7:14: error: protocol: "gre" is not one of tcp, udp, icmp, icmpv6`}},
		{"duplicate", "traffic \"x\" {\n  from = \"a\"\n  to = \"b\"\n  port = 1\n}\ntraffic \"x\" {\n  from = \"a\"\n  to = \"b\"\n  port = 1\n}", []string{`bad.hcl:6:9: error: traffic "x" is declared twice (first at bad.hcl:1:1)`}},
		{"scan", "scan \"s\" {\n  from = [\"a\", \"b\"]\n  to = \"c\"\n  ports = \"0\"\n  start = \"20m\"\n}", []string{`bad.hcl:2:10: error: from: a scan comes from one host`, `bad.hcl:4:11: error: ports: "0" is not a port`, `bad.hcl:5:11: error: start: 20m0s is not within the run's duration (10m0s)`}},
		{"variables", "traffic \"x\" {\n  from = var.clients\n  to = \"b\"\n  port = 1\n}", []string{"bad.hcl:2:10: error: variables not allowed"}},
		{"icmp port", "traffic \"x\" {\n  from = \"a\"\n  to = \"b\"\n  protocol = \"icmp\"\n  port = 8\n}", []string{"bad.hcl:5:3: error: port: icmp has no ports"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc, ds := Parse("bad.hcl", []byte(tc.src))
			if sc != nil || len(ds) == 0 {
				t.Fatalf("no error")
			}
			var got []string
			for _, d := range ds {
				got = append(got, d.String())
			}
			all := strings.Join(got, "\n")
			for _, w := range tc.want {
				if !strings.Contains(all, w) {
					t.Errorf("diagnostics lack %q:\n%s", w, all)
				}
			}
		})
	}
}

// TestWriteRoundTrip: what HCL writes, Parse reads back the same.
func TestWriteRoundTrip(t *testing.T) {
	sc, ds := Parse("shop.hcl", []byte(example))
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	out := sc.HCL("written by the test")
	back, ds := Parse("again.hcl", out)
	if len(ds) > 0 {
		t.Fatalf("%v\n%s", ds, out)
	}
	strip := func(s *Scenario) {
		for i := range s.Traffic {
			s.Traffic[i].Pos, s.Traffic[i].FromPos, s.Traffic[i].ToPos = model.Pos{}, model.Pos{}, model.Pos{}
		}
		for i := range s.Scans {
			s.Scans[i].Pos, s.Scans[i].FromPos, s.Scans[i].ToPos = model.Pos{}, model.Pos{}, model.Pos{}
		}
	}
	strip(sc)
	strip(back)
	if !reflect.DeepEqual(sc, back) {
		t.Errorf("round trip differs:\n%+v\n%+v\n%s", sc, back, out)
	}
	golden(t, "shop.hcl", out)
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./packet/scenario -update)", err)
	}
	if string(want) != string(got) {
		t.Errorf("%s differs (go test ./packet/scenario -update):\n%s", path, got)
	}
}

func TestRates(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want float64
		back string
	}{{"5/s", 5, "5/s"}, {"30/m", 0.5, "30/m"}, {"2", 2, "2/s"}, {"90/h", 0.025, "90/h"}, {"1.5/s", 1.5, "90/m"}} {
		r, err := ParseRate(tc.in)
		if err != nil || r != tc.want || FormatRate(r) != tc.back {
			t.Errorf("%s: %v %v, prints %s", tc.in, r, err, FormatRate(r))
		}
	}
	for _, bad := range []string{"0/s", "-1", "5/d", "x/s", "2000000/s", ""} {
		if _, err := ParseRate(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(example))
	f.Add([]byte("scan \"s\" {\n from = \"1.2.3.4\"\n to = [\"a\"]\n ports = [1, \"2-3\"]\n}"))
	f.Add([]byte("duration = \"1h\"\nseed = 3\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		sc, ds := Parse("fuzz.hcl", src)
		if sc == nil && len(ds) == 0 {
			t.Fatal("no scenario and no diagnostic")
		}
		for _, d := range ds {
			if d.Pos.IsZero() {
				t.Errorf("a diagnostic without a position: %v", d)
			}
		}
		if sc == nil {
			return
		}
		// What parses writes and parses again.
		if _, ds := Parse("again.hcl", sc.HCL()); len(ds) > 0 {
			t.Fatalf("written scenario does not parse: %v\n%s", ds, sc.HCL())
		}
	})
}

// TestParseNodeNames: a name holding "/" is a CIDR block only when an
// address comes before the "/": load balancer nodes and Auto Scaling
// groups' interfaces are named by owner and subnet.
func TestParseNodeNames(t *testing.T) {
	src := "traffic \"x\" {\n  from = \"10.0.0.0/16\"\n  to = [\"aws_lb.web/subnet-0abc\", \"aws_autoscaling_group.api/subnet-0def\"]\n  port = 443\n}"
	sc, ds := Parse("lb.hcl", []byte(src))
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	if got := sc.Traffic[0].To; !reflect.DeepEqual(got, []string{"aws_lb.web/subnet-0abc", "aws_autoscaling_group.api/subnet-0def"}) {
		t.Errorf("to: %q", got)
	}
}
