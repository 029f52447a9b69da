package hcl

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/model"
)

// TestRealWorldFolders loads public Terraform folders that nobody here wrote
// (testdata/tfaws-tgw, testdata/realworld; their ORIGIN.md says where each
// comes from) and checks what each holds: transit gateway hubs, stacks split
// across accounts, a peer attachment to another account's gateway, a
// firewall on another account's gateway.
func TestRealWorldFolders(t *testing.T) {
	accountVars := []Option{WithVar("aws_region", "us-east-1"), WithVar("aws_first_access_key", "x"), WithVar("aws_first_secret_key", "x"),
		WithVar("aws_second_access_key", "x"), WithVar("aws_second_secret_key", "x")}
	for _, tt := range []struct {
		dir  string
		opts []Option
		// counts are element counts (declared, synthesised) by kind.
		counts map[string][2]int
		// warnings are substrings of warnings the load must give.
		warnings []string
	}{
		{dir: "tfaws-tgw/examples/complete", counts: map[string][2]int{
			"vpc": {2, 0}, "subnet": {6, 0}, "transit_gateway": {1, 0}, "transit_gateway_attachment": {2, 0},
			"transit_gateway_route_table": {2, 1}},
			warnings: []string{"ipv6_cidr_block is not known until apply (an Amazon-provided block"}},
		{dir: "tfaws-tgw/examples/multi-account", counts: map[string][2]int{
			"vpc": {2, 0}, "subnet": {6, 0}, "transit_gateway": {1, 0}, "transit_gateway_attachment": {3, 0}},
			warnings: []string{`module "tgw_peer": provider mappings are ignored`}},
		{dir: "realworld/tgw-cross-account-vpc-attachment", opts: accountVars, counts: map[string][2]int{
			"vpc": {1, 0}, "subnet": {1, 0}, "transit_gateway": {1, 0}, "transit_gateway_attachment": {1, 0},
			"transit_gateway_route_table": {1, 1}},
			warnings: []string{"data.aws_caller_identity.second: account_id is unknown"}},
		{dir: "realworld/network-firewall-cross-account-tgw", opts: accountVars, counts: map[string][2]int{
			"transit_gateway": {1, 0}, "transit_gateway_route_table": {1, 1}},
			warnings: []string{"zone_ids is unknown"}},
	} {
		t.Run(tt.dir, func(t *testing.T) {
			in, err := Load(filepath.Join("testdata", filepath.FromSlash(tt.dir)), append([]Option{WithEnv([]string{})}, tt.opts...)...)
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			for _, c := range in.Network.Counts() {
				if want, ok := tt.counts[c.Kind]; ok && (c.Count != want[0] || c.Synthetic != want[1]) {
					t.Errorf("%s: %d (%d synthesised), want %d (%d)", c.Kind, c.Count, c.Synthetic, want[0], want[1])
				}
			}
			for _, w := range tt.warnings {
				found := false
				for _, d := range in.Diagnostics {
					found = found || (d.Severity == model.SeverityWarning && strings.Contains(d.String(), w))
				}
				if !found {
					t.Errorf("no warning containing %q", w)
				}
			}
		})
	}
}
