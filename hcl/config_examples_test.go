package hcl

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/model"
)

// TestExamplesConfigMatchesState loads every example twice, from its .tf
// configuration and from its terraform.tfstate, and checks that both give
// the same network: the same elements by Terraform address, with the same
// blocks, rules, routes and links, up to AWS IDs (unknown until apply, so
// symbolic in the configuration) and placeholder values (addresses AWS
// assigns at apply, which the configuration leaves to AWS).
func TestExamplesConfigMatchesState(t *testing.T) {
	dirs, _ := filepath.Glob("../examples/*")
	n := 0
	for _, dir := range dirs {
		tfs, _ := filepath.Glob(filepath.Join(dir, "*.tf"))
		if _, err := os.Stat(filepath.Join(dir, "terraform.tfstate")); err != nil || len(tfs) == 0 {
			continue
		}
		n++
		t.Run(filepath.Base(dir), func(t *testing.T) {
			st, err := Load(filepath.Join(dir, "terraform.tfstate"))
			if err != nil {
				t.Fatalf("state: %v", err)
			}
			// A user gives the account the state names with --account,
			// and what data sources read with --data-values.
			opts := []Option{WithAccountID(st.Network.AccountID)}
			if values := filepath.Join(dir, "data-values.json"); fileExists(values) {
				opts = append(opts, WithDataValues(values))
			}
			cf, err := Load(dir, opts...)
			if err != nil {
				t.Fatalf("configuration: %v", err)
			}
			for _, d := range cf.Diagnostics {
				t.Logf("configuration: %s", d)
			}
			_, ignore := canonicalNetwork(t, cf.Network, nil)
			want, _ := canonicalNetwork(t, st.Network, ignore)
			got, _ := canonicalNetwork(t, cf.Network, ignore)
			for _, k := range compareCanonical(t, got, want, filepath.Base(dir)) {
				t.Logf("known difference %s: %s", k, knownDifferences[filepath.Base(dir)+"/"+k])
			}
			for k := range knownDifferences {
				ex, label, _ := strings.Cut(k, "/")
				if ex == filepath.Base(dir) && got[label] == want[label] {
					// Logged, not failed: the states are generated
					// elsewhere, and fixing one must not break this test.
					t.Logf("%s no longer differs: remove it from knownDifferences", k)
				}
			}
		})
	}
	if n == 0 {
		t.Skip("no example has both a configuration and a state")
	}
}

// canonicalNetwork describes every element of n as JSON, keyed by a label
// that does not depend on IDs: its Terraform address, else its name, else
// what synthesised it and for which VPC. IDs in the description are
// replaced by the labels of the elements they name; positions, tags and
// the unknown lists are left out, and so are the fields ignore lists for
// the element's label. It returns, for a network whose elements carry
// placeholders or unknown attributes, the fields to ignore in both.
func canonicalNetwork(t *testing.T, n *model.Network, ignore map[string][]string) (map[string]string, map[string][]string) {
	t.Helper()
	b, err := json.Marshal(n)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	type elem struct {
		kind string
		obj  map[string]any
	}
	var elems []elem
	for kind, v := range doc {
		list, ok := v.([]any)
		if !ok {
			continue
		}
		for _, e := range list {
			if obj, ok := e.(map[string]any); ok {
				elems = append(elems, elem{kind, obj})
			}
		}
	}
	str := func(o map[string]any, k string) string { s, _ := o[k].(string); return s }
	// Names may embed IDs ("interface of … in subnet-0abc"): the address
	// of what the ID names stands for it. Only words shaped like AWS IDs:
	// an Auto Scaling group's or Classic Load Balancer's ID is its name,
	// which other elements' names may share.
	addrOf := map[string]string{}
	awsID := regexp.MustCompile(`^[a-z0-9]+-[0-9a-f]{8,17}$`)
	for _, e := range elems {
		if id, a := str(e.obj, "id"), str(e.obj, "address"); id != "" && a != "" {
			addrOf[id] = a
		}
	}
	for _, e := range elems {
		if name := str(e.obj, "name"); name != "" {
			for _, w := range strings.Fields(name) {
				if a, ok := addrOf[w]; ok && awsID.MatchString(w) {
					name = strings.ReplaceAll(name, w, a)
				}
			}
			e.obj["name"] = name
		}
	}
	labels := map[string]string{}
	// label names an element; synthesised ones by what made them and for
	// which VPC, once the VPCs have labels.
	pass := 0
	label := func(e elem) string {
		switch {
		case str(e.obj, "address") != "":
			return e.kind + " " + str(e.obj, "address")
		case str(e.obj, "synthetic") != "":
			if pass == 0 {
				return ""
			}
			for _, k := range []string{"vpc_id", "owner_id", "subnet_id", "transit_gateway_id"} {
				if v := labels[str(e.obj, k)]; v != "" {
					return e.kind + " " + str(e.obj, "synthetic") + " of " + v
				}
			}
			if name := str(e.obj, "name"); name != "" {
				return e.kind + " " + name
			}
			return ""
		case str(e.obj, "name") != "":
			return e.kind + " " + str(e.obj, "name")
		}
		return ""
	}
	for ; pass < 2; pass++ {
		for _, e := range elems {
			if id := str(e.obj, "id"); id != "" && labels[id] == "" {
				if l := label(e); l != "" {
					labels[id] = l
				}
			}
		}
	}
	// VPCs whose IPv6 block is unknown: what AWS synthesises for their
	// IPv6 block (local routes, default rules) cannot be known either.
	v6Unknown := map[string]bool{}
	for _, e := range elems {
		if e.kind == "vpcs" && slices.Contains(anySlice(e.obj["unknown"]), any("ipv6_cidr_block")) {
			v6Unknown[str(e.obj, "id")] = true
		}
	}
	netRegion, _ := doc["region"].(string)
	out := map[string]string{}
	fields := map[string][]string{}
	for _, e := range elems {
		l := labels[str(e.obj, "id")]
		if l == "" {
			l = label(e)
		}
		fields[l] = placeholderFields(e.obj)
		if v6Unknown[str(e.obj, "vpc_id")] {
			fields[l] = append(fields[l], synthesisedIPv6)
		}
		if str(e.obj, "region") == netRegion {
			// Empty means the network's region.
			delete(e.obj, "region")
		}
		clean := canonicalValue(e.obj, labels, append(slices.Clone(ignore[l]), "id", "pos", "tags", "unknown", "placeholder", "placeholders", "source",
			// Zone IDs are account-specific IDs AWS reports.
			"availability_zone_id"))
		b, _ := json.MarshalIndent(clean, "", "  ")
		if _, dup := out[l]; dup {
			t.Errorf("two elements are labelled %s", l)
		}
		out[l] = string(b)
	}
	return out, fields
}

// placeholderFields lists the fields of an element that hold placeholders
// or values unknown until apply, which the other network may know.
func placeholderFields(obj map[string]any) []string {
	var out []string
	if _, ok := obj["placeholders"]; ok {
		out = append(out, "private_ips", "ipv6_addrs")
	}
	if u, _ := obj["entries_unknown"].(bool); u {
		// An AWS-managed list the input does not describe: whether the
		// loader made it from the endpoint or Synthesize did is no
		// difference.
		out = append(out, "entries", "entries_unknown", "synthetic")
	}
	if p, _ := obj["placeholder"].(bool); p {
		out = append(out, "private_ip", "public_ip")
	}
	if list, ok := obj["public_ips"].([]any); ok {
		for _, e := range list {
			if m, ok := e.(map[string]any); ok && m["placeholder"] == true {
				out = append(out, "public_ips")
			}
		}
	}
	unknown, _ := obj["unknown"].([]any)
	for _, u := range unknown {
		if u, ok := u.(string); ok {
			out = append(out, u)
		}
		switch u {
		case "ipv6_cidr_block":
			out = append(out, "ipv6_cidrs", "ipv6_cidr")
		case "ipv6_addresses":
			out = append(out, "ipv6_addrs")
		case "entries":
			out = append(out, "entries", "entries_unknown")
		}
	}
	return out
}

// synthesisedIPv6 asks canonicalValue to leave out synthesised IPv6 rules
// and routes.
const synthesisedIPv6 = "@synthesised-ipv6"

func anySlice(v any) []any { s, _ := v.([]any); return s }

// canonicalValue copies v with IDs replaced by labels and the drop keys
// left out of every object.
func canonicalValue(v any, labels map[string]string, drop []string) any {
	if v6 := slices.Contains(drop, synthesisedIPv6); v6 {
		if list, ok := v.([]any); ok {
			v = slices.DeleteFunc(slices.Clone(list), func(e any) bool {
				o, _ := e.(map[string]any)
				syn, _ := o["synthetic"].(string)
				cidr, _ := o["cidr"].(string)
				dst, _ := o["destination"].(string)
				if peer, ok := o["peer"].(map[string]any); ok {
					cidr, _ = peer["cidr"].(string)
				}
				return syn != "" && (strings.Contains(cidr, ":") || strings.Contains(dst, ":"))
			})
		}
	}
	switch v := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range v {
			switch {
			case slices.Contains(drop, k):
			case k == "address" || k == "name" || k == "group_name" || k == "description" || k == "synthetic":
				// Not references: in a configuration an address is also
				// the element's symbolic ID.
				out[k] = e
			default:
				out[k] = canonicalValue(e, labels, drop)
			}
		}
		return out
	case []any:
		out := make([]any, len(v))
		objects, refs := len(v) > 0, len(v) > 0
		for i, e := range v {
			out[i] = canonicalValue(e, labels, drop)
			_, isObj := e.(map[string]any)
			objects = objects && isObj
			s, _ := out[i].(string)
			refs = refs && strings.HasPrefix(s, "<")
		}
		if refs {
			// A list of references (subnets, groups, interfaces) is a set:
			// a state lists it by ID, a configuration as written.
			slices.SortFunc(out, func(a, b any) int { return strings.Compare(a.(string), b.(string)) })
		}
		if objects {
			// Rules, routes and links keep their own numbers and
			// addresses; the order an input lists them in means nothing.
			slices.SortFunc(out, func(a, b any) int {
				ja, _ := json.Marshal(a)
				jb, _ := json.Marshal(b)
				return strings.Compare(string(ja), string(jb))
			})
		}
		return out
	case string:
		if l, ok := labels[v]; ok {
			return "<" + l + ">"
		}
	}
	return v
}

// knownDifferences are the differences that come from an example's state,
// or from what its configuration cannot know, not from the loaders, with why. The test says so when one disappears, so
// that the list can be kept true.
var knownDifferences = map[string]string{
	"peering-endpoints/route_tables module.analytics.aws_route_table.main":                                  analyticsMainTable,
	"peering-endpoints/route_tables every VPC has a main route table of vpcs module.analytics.aws_vpc.this": analyticsMainTable,
	"peering-endpoints/vpcs module.analytics.aws_vpc.this":                                                  analyticsMainTable,
	`web-platform/network_interfaces interface of aws_db_instance.orders in aws_subnet.data["b"]`:           databaseZone,
	`web-platform/network_interfaces interface of aws_db_instance.reports in aws_subnet.public["a"]`:        databaseZone,
}

const databaseZone = "RDS picks a single-AZ database's zone at apply: the configuration has an interface in each " +
	"subnet of the subnet group (the database's interface_ids are unknown), the state the one AWS placed"

const analyticsMainTable = "the state gives the analytics VPC's main_route_table_id the ID of aws_route_table.main, " +
	"which Terraform never does for an aws_route_table without an aws_main_route_table_association: the configuration " +
	"has AWS's main table and the declared table apart"

// compareCanonical reports the elements that differ, except the known
// differences of example, which it returns.
func compareCanonical(t *testing.T, got, want map[string]string, example string) (known []string) {
	t.Helper()
	var keys []string
	for k := range want {
		keys = append(keys, k)
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		g, gok := got[k]
		w, wok := want[k]
		if _, ok := knownDifferences[example+"/"+k]; ok && g != w {
			known = append(known, k)
			continue
		}
		switch {
		case !gok:
			t.Errorf("%s: only in the state", k)
		case !wok:
			t.Errorf("%s: only in the configuration", k)
		case g != w:
			t.Errorf("%s differs:\n%s", k, lineDiff(w, g))
		}
	}
	return known
}

// lineDiff shows the lines of want and got that differ, marked - and +.
func lineDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			fmt.Fprintf(&b, "  line %d:\n  - state:  %s\n  + config: %s\n", i+1, w, g)
		}
	}
	return b.String()
}

func fileExists(name string) bool {
	_, err := os.Stat(name)
	return err == nil
}
