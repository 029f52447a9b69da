package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/vpcsim/vpcsim/internal/estate"
)

// openEveryGroup adds to every security group of a state written by
// package estate ingress rules from the whole internet on count ports
// 2000, 2002, … (one finding each: no two are contiguous), as a plan that
// opens the estate wholesale would.
func openEveryGroup(t *testing.T, state []byte, count int) []byte {
	t.Helper()
	var st map[string]any
	if err := json.Unmarshal(state, &st); err != nil {
		t.Fatal(err)
	}
	opened := 0
	for _, r := range st["resources"].([]any) {
		res := r.(map[string]any)
		if res["type"] != "aws_security_group" {
			continue
		}
		for _, inst := range res["instances"].([]any) {
			attrs := inst.(map[string]any)["attributes"].(map[string]any)
			ingress, _ := attrs["ingress"].([]any)
			for i := range count {
				port := 2000 + 2*i
				ingress = append(ingress, map[string]any{"cidr_blocks": []any{"0.0.0.0/0"}, "description": "opened by the plan",
					"from_port": port, "to_port": port, "ipv6_cidr_blocks": []any{}, "prefix_list_ids": []any{},
					"protocol": "tcp", "security_groups": []any{}, "self": false})
			}
			attrs["ingress"] = ingress
			opened++
		}
	}
	if opened == 0 {
		t.Fatal("the generated estate has no security group")
	}
	out, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// A plan that opens hundreds of exposures on a generated estate still gets
// a pull request comment GitHub accepts: under 65,536 characters, the
// verdict first, the exposures that open before anything else, each table
// that does not fit ending with the count it leaves out, every section
// accounted for; the JSON has every finding the comment counts.
func TestPlanCheckMarkdownLargeChange(t *testing.T) {
	if testing.Short() {
		t.Skip("a comparison of a generated estate in -short mode")
	}
	p := estate.Params{VPCs: 4, SubnetsPerVPC: 6, InstancesPerSubnet: 4, SGsPerVPC: 3, RulesPerSG: 3, NACLRules: 8, Peerings: 1, Seed: 3}
	var before bytes.Buffer
	if err := estate.Write(&before, p); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	a, b := filepath.Join(dir, "before.tfstate"), filepath.Join(dir, "after.tfstate")
	if err := os.WriteFile(a, before.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(b, openEveryGroup(t, before.Bytes(), 12), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"plan-check", "--before", a, "--after", b, "--internal=false"}
	md, errOut, code := runCmd("", append(args, "--format", "markdown")...)
	if code != 3 {
		t.Fatalf("exit %d, want 3 (the plan opens exposures)\n%s", code, errOut)
	}
	out, errOut, code := runCmd("", append(args, "--format", "json")...)
	if code != 3 {
		t.Fatalf("json: exit %d, want 3\n%s", code, errOut)
	}
	var d struct {
		Summary struct{ New, Widened, Unchanged int }
		Changes []json.RawMessage
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	opened := d.Summary.New + d.Summary.Widened
	if opened < 400 {
		t.Fatalf("the change opens %d exposures: too few to test the comment's limit", opened)
	}

	if n := utf8.RuneCountInString(md); n >= 65536 {
		t.Errorf("the comment is %d characters: GitHub refuses more than 65,536", n)
	}
	if !strings.HasPrefix(md, "## vpcsim plan pre-check: ❌ FAIL\n") {
		t.Errorf("the comment does not start with the verdict: %.80q", md)
	}
	if want := "### Opened or widened exposures (" + strconv.Itoa(opened) + ")"; !strings.Contains(md, want) {
		t.Errorf("the comment does not count the %d opened exposures (%q)", opened, want)
	}
	shown := strings.Count(md, "| ❌ | **")
	m := regexp.MustCompile(`\| (\d+) more not shown: the JSON and SARIF outputs have every one \|`).FindStringSubmatch(md)
	if m == nil {
		t.Fatal("the opened exposures' table does not say how many rows it leaves out")
	}
	if more, _ := strconv.Atoi(m[1]); shown+more != opened {
		t.Errorf("%d rows shown and %d counted as not shown, of %d opened exposures", shown, more, opened)
	}
	// What has no room is named with its count, never dropped in silence.
	for _, sec := range []struct {
		title string
		n     int
	}{{"Unchanged exposures of the targets analysed", d.Summary.Unchanged}, {"Changes in the network", len(d.Changes)}} {
		if sec.n == 0 {
			continue
		}
		if !strings.Contains(md, sec.title+" ("+strconv.Itoa(sec.n)+")") {
			t.Errorf("the comment neither shows nor counts %q (%d)", sec.title, sec.n)
		}
	}
}
