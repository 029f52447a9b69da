package hcl

import (
	"bytes"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/model"
)

var update = flag.Bool("update", false, "rewrite golden files with the current output")

// golden compares got with testdata/golden/name, or rewrites it with
// -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run go test ./hcl -update and review the diff.\n%s", path, firstDiff(string(want), string(got)))
	}
}

func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\n  want %q\n  got  %q", i+1, w, g)
		}
	}
	return ""
}

// res is one resource of a hand-written state: attributes as JSON text.
type res struct {
	typ, name string
	attrs     string
	mode      string // "" means managed
	key       string // index_key as JSON ("0", `"a"`), "" for none
	module    string
}

func r(typ, name, attrs string) res { return res{typ: typ, name: name, attrs: attrs} }

func data(typ, name, attrs string) res { return res{typ: typ, name: name, attrs: attrs, mode: "data"} }

// stateJSON writes a state v4 with one resource a line, from line 3 on, and
// returns the position of each instance's object.
func stateJSON(rs ...res) ([]byte, []model.Pos) {
	var b strings.Builder
	b.WriteString("{\"version\": 4, \"terraform_version\": \"1.9.5\", \"serial\": 1,\n\"resources\": [\n")
	var pos []model.Pos
	for i, x := range rs {
		mode := x.mode
		if mode == "" {
			mode = "managed"
		}
		line := fmt.Sprintf(`{"mode": %q, "type": %q, "name": %q, `, mode, x.typ, x.name)
		if x.module != "" {
			line += fmt.Sprintf(`"module": %q, `, x.module)
		}
		line += `"instances": [`
		pos = append(pos, model.Pos{File: "test.tfstate", Line: 3 + i, Col: len(line) + 1})
		line += "{"
		if x.key != "" {
			line += `"index_key": ` + x.key + ", "
		}
		line += `"attributes": ` + x.attrs + "}]}"
		if i < len(rs)-1 {
			line += ","
		}
		b.WriteString(line + "\n")
	}
	b.WriteString("]}\n")
	return []byte(b.String()), pos
}

// diagWant is one expected diagnostic: its severity, a part of its message,
// and the index of the resource it must be positioned at (-1: do not check
// the position).
type diagWant struct {
	sev  model.Severity
	msg  string
	at   int
	elem string
}

func (d diagWant) String() string {
	return fmt.Sprintf("%s containing %q", d.sev, d.msg)
}

// checkDiags asserts that every wanted diagnostic is present (at its
// resource's line) and that there are no unexpected errors or warnings.
func checkDiags(t *testing.T, in *Input, pos []model.Pos, want []diagWant) {
	t.Helper()
	used := make([]bool, len(in.Diagnostics))
	for _, w := range want {
		found := false
		for i, d := range in.Diagnostics {
			if used[i] || d.Severity != w.sev || !strings.Contains(d.Message, w.msg) {
				continue
			}
			if w.at >= 0 && (d.Pos.File != pos[w.at].File || d.Pos.Line != pos[w.at].Line) {
				continue
			}
			if w.elem != "" && d.Element != w.elem {
				continue
			}
			used[i], found = true, true
			break
		}
		if !found {
			t.Errorf("missing diagnostic: %s (at resource %d); got:\n%s", w, w.at, diagText(in.Diagnostics))
		}
	}
	for i, d := range in.Diagnostics {
		if !used[i] && d.Severity != model.SeverityNote {
			t.Errorf("unexpected diagnostic: %s", d)
		}
	}
}

func diagText(ds model.Diagnostics) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString("  " + d.String() + "\n")
	}
	return b.String()
}

func pfx(s string) netip.Prefix { return netip.MustParsePrefix(s) }

func ip(s string) netip.Addr { return netip.MustParseAddr(s) }

// Small finders, by ID or Terraform address.

func findVPC(n *model.Network, id string) *model.VPC {
	for _, x := range n.VPCs {
		if x.ID == id || x.Address == id {
			return x
		}
	}
	return nil
}

func findSubnet(n *model.Network, id string) *model.Subnet {
	for _, x := range n.Subnets {
		if x.ID == id || x.Address == id {
			return x
		}
	}
	return nil
}

func findRT(n *model.Network, id string) *model.RouteTable {
	for _, x := range n.RouteTables {
		if x.ID == id || x.Address == id {
			return x
		}
	}
	return nil
}

func findACL(n *model.Network, id string) *model.NetworkACL {
	for _, x := range n.NetworkACLs {
		if x.ID == id || x.Address == id {
			return x
		}
	}
	return nil
}

func findSG(n *model.Network, id string) *model.SecurityGroup {
	for _, x := range n.SecurityGroups {
		if x.ID == id || x.Address == id {
			return x
		}
	}
	return nil
}

func findENI(n *model.Network, id string) *model.NetworkInterface {
	for _, x := range n.Interfaces {
		if x.ID == id || x.Address == id {
			return x
		}
	}
	return nil
}

func findInstance(n *model.Network, id string) *model.Instance {
	for _, x := range n.Instances {
		if x.ID == id || x.Address == id {
			return x
		}
	}
	return nil
}

func findTGWAtt(n *model.Network, id string) *model.TGWAttachment {
	for _, x := range n.TGWAttachments {
		if x.ID == id || x.Address == id {
			return x
		}
	}
	return nil
}

func findTGWRT(n *model.Network, id string) *model.TGWRouteTable {
	for _, x := range n.TGWRouteTables {
		if x.ID == id || x.Address == id {
			return x
		}
	}
	return nil
}

func findEndpoint(n *model.Network, id string) *model.VPCEndpoint {
	for _, x := range n.Endpoints {
		if x.ID == id || x.Address == id {
			return x
		}
	}
	return nil
}

func findPL(n *model.Network, id string) *model.PrefixList {
	for _, x := range n.PrefixLists {
		if x.ID == id || x.Address == id {
			return x
		}
	}
	return nil
}

func routeTo(rt *model.RouteTable, dest string) *model.Route {
	for i := range rt.Routes {
		r := &rt.Routes[i]
		if r.Destination.String() == dest || r.DestinationPrefixListID == dest {
			return r
		}
	}
	return nil
}

func declaredACL(rules []model.ACLRule) []model.ACLRule {
	var out []model.ACLRule
	for _, r := range rules {
		if r.Synthetic == "" {
			out = append(out, r)
		}
	}
	return out
}

// Attribute snippets for the elements most tests need.
const (
	vpcA    = `{"id": "vpc-a", "arn": "arn:aws:ec2:us-east-1:123456789012:vpc/vpc-a", "owner_id": "123456789012", "cidr_block": "10.0.0.0/16", "main_route_table_id": "rtb-main", "default_route_table_id": "rtb-main", "default_network_acl_id": "acl-def", "default_security_group_id": "sg-def", "ipv6_cidr_block": "", "tags": {"Name": "a"}}`
	subnetA = `{"id": "subnet-a", "vpc_id": "vpc-a", "cidr_block": "10.0.1.0/24", "availability_zone": "us-east-1a", "availability_zone_id": "use1-az1", "map_public_ip_on_launch": false, "ipv6_cidr_block": ""}`
	subnetB = `{"id": "subnet-b", "vpc_id": "vpc-a", "cidr_block": "10.0.2.0/24", "availability_zone": "us-east-1b", "map_public_ip_on_launch": true, "ipv6_cidr_block": ""}`
)
