package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// planCases are the plan pre-check cases of examples/plancheck, made with
// real Terraform, with what their READMEs say a correct gate answers: the
// exit status of plan-check with the default --fail-on, and the exposures
// that open, each with the .tf line it points at.
var planCases = []struct {
	name     string
	exit     int
	opened   []string // "target protocol port status location"
	closed   []string
	anyExit  int // exit status with --fail-on any-change
	internal bool
}{
	{name: "open-ssh-world", exit: 3, anyExit: 3,
		opened: []string{"aws_instance.web tcp 22 new examples/plancheck/open-ssh-world/sg_web.tf:28"}},
	{name: "peering-route", exit: 0, anyExit: 3},
	{name: "nacl-deny-removed", exit: 3, anyExit: 3,
		opened: []string{"aws_instance.bastion tcp 3389 new examples/plancheck/nacl-deny-removed/sg_bastion.tf:13"}},
	{name: "subnet-to-public-rt", exit: 3, anyExit: 3,
		opened: []string{"aws_instance.batch tcp 443 new examples/plancheck/subnet-to-public-rt/routing_app.tf:16"}},
	{name: "attach-eip", exit: 3, anyExit: 3,
		opened: []string{"aws_instance.vpn tcp 443 new examples/plancheck/attach-eip/hosts_public.tf:40",
			"aws_instance.vpn udp 1194 new examples/plancheck/attach-eip/hosts_public.tf:40"}},
	{name: "close-ssh-world", exit: 0, anyExit: 3,
		closed: []string{"aws_instance.bastion tcp 22 closed examples/plancheck/base/sg_bastion.tf:6"}},
	{name: "touch-exposed", exit: 0, anyExit: 0},
}

// atRoot runs the test from the module's root, so that paths in outputs
// read as a user at the root of the repository sees them.
func atRoot(t *testing.T) {
	t.Helper()
	t.Chdir("../..")
}

func caseArgs(name string) []string {
	return []string{"examples/plancheck/" + name + "/plan.json", "--before-config", "examples/plancheck/base"}
}

// Goldens pin diff and plan-check in every format for every plan pre-check
// case; go test ./cmd/vpcsim -update rewrites them.
func TestPlanCheckGoldens(t *testing.T) {
	atRoot(t)
	exts := map[string]string{"text": "txt", "json": "json", "markdown": "md", "sarif": "sarif", "github": "github.txt"}
	for _, c := range planCases {
		for _, command := range []string{"diff", "plan-check"} {
			for _, format := range []string{"text", "json", "markdown", "sarif", "github"} {
				t.Run(c.name+"/"+command+"/"+format, func(t *testing.T) {
					args := append([]string{command}, caseArgs(c.name)...)
					args = append(args, "--format", format)
					if command == "plan-check" {
						args = append(args, "--today", "2026-06-01")
					}
					out, errOut, code := runCmd("", args...)
					want := 0
					if command == "plan-check" {
						want = c.exit
					}
					if code != want {
						t.Fatalf("exit %d, want %d\n%s", code, want, errOut)
					}
					goldenFile(t, filepath.Join("cmd/vpcsim/testdata/plancheck", c.name, command+"."+exts[format]), out)
				})
			}
		}
	}
	// With an intent file: the peering route violates an expectation the
	// base already violates elsewhere (unchanged) and breaks a new one.
	for _, format := range []string{"text", "json", "markdown", "sarif", "github"} {
		t.Run("peering-route/plan-check-intent/"+format, func(t *testing.T) {
			args := append(append([]string{"plan-check"}, caseArgs("peering-route")...), "--intent", "cmd/vpcsim/testdata/plancheck/shop.intent.hcl",
				"--fail-on", "medium", "--format", format)
			out, errOut, code := runCmd("", args...)
			if code != 3 {
				t.Fatalf("exit %d, want 3\n%s", code, errOut)
			}
			goldenFile(t, filepath.Join("cmd/vpcsim/testdata/plancheck/peering-route", "plan-check-intent."+exts[format]), out)
		})
	}
}

type diffJSON struct {
	Gate     *struct{ Failed bool } `json:"gate"`
	Findings []struct {
		Fingerprint string `json:"fingerprint"`
		Status      string `json:"status"`
		Source      string `json:"source"`
		Target      string `json:"target"`
		Protocol    string `json:"protocol"`
		FromPort    int    `json:"from_port"`
		ToPort      int    `json:"to_port"`
		Fails       bool   `json:"fails"`
		Location    *struct {
			File string `json:"file"`
			Line int    `json:"line"`
		} `json:"location"`
		Suppressed *struct {
			Kind    string `json:"kind"`
			Rule    string `json:"rule"`
			Expired bool   `json:"expired"`
		} `json:"suppressed"`
		Causes []struct {
			Where string `json:"where"`
			Gone  bool   `json:"gone"`
		} `json:"causes"`
	} `json:"findings"`
	ExpiredSuppressions []struct {
		Rule string `json:"rule"`
	} `json:"expired_suppressions"`
	Summary struct {
		Unchanged  int `json:"unchanged"`
		Suppressed int `json:"suppressed"`
	} `json:"summary"`
}

func planCheckJSON(t *testing.T, wantExit int, args ...string) diffJSON {
	t.Helper()
	out, errOut, code := runCmd("", append(append([]string{"plan-check"}, args...), "--format", "json")...)
	if code != wantExit {
		t.Fatalf("plan-check %s: exit %d, want %d\n%s", strings.Join(args, " "), code, wantExit, errOut)
	}
	var d diffJSON
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	return d
}

// exposures lists the exposures of a status class as the cases write them.
func (d diffJSON) exposures(opens bool) []string {
	var out []string
	for _, f := range d.Findings {
		if f.Source != "internet" || f.Status == "unchanged" {
			continue
		}
		if (f.Status == "new" || f.Status == "widened") != opens {
			continue
		}
		loc := ""
		if f.Location != nil {
			loc = fmt.Sprintf("%s:%d", f.Location.File, f.Location.Line)
		}
		out = append(out, fmt.Sprintf("%s %s %d %s %s", f.Target, f.Protocol, f.FromPort, f.Status, loc))
	}
	slices.Sort(out)
	return out
}

// Each case's gate says what its README says: which exposures open, and
// where the cause is written; what is unchanged never fails, whatever the
// threshold; --fail-on any-change fails every plan that changes
// reachability, and only those.
func TestPlanCheckCases(t *testing.T) {
	atRoot(t)
	for _, c := range planCases {
		t.Run(c.name, func(t *testing.T) {
			d := planCheckJSON(t, c.exit, caseArgs(c.name)...)
			if got := d.exposures(true); !slices.Equal(got, c.opened) {
				t.Errorf("opened exposures %q, want %q", got, c.opened)
			}
			if got := d.exposures(false); !slices.Equal(got, c.closed) {
				t.Errorf("closed exposures %q, want %q", got, c.closed)
			}
			for _, f := range d.Findings {
				if f.Status == "unchanged" && f.Fails {
					t.Errorf("an unchanged finding fails the gate: %+v", f)
				}
			}
			// The most demanding threshold fails no more plans: only new
			// exposures count.
			info := planCheckJSON(t, c.exit, append(caseArgs(c.name), "--fail-on", "info")...)
			for _, f := range info.Findings {
				if f.Fails != (f.Source == "internet" && (f.Status == "new" || f.Status == "widened")) {
					t.Errorf("--fail-on info: %s %s %d %s fails=%v", f.Target, f.Protocol, f.FromPort, f.Status, f.Fails)
				}
			}
			planCheckJSON(t, c.anyExit, append(caseArgs(c.name), "--fail-on", "any-change")...)
			planCheckJSON(t, 0, append(caseArgs(c.name), "--fail-on", "none")...)
		})
	}
}

// Comparing a network with itself (the base configuration and its state)
// passes at any threshold, though the base exposes SSH to the world: the
// gate judges what changes, and a configuration and its state agree.
func TestPlanCheckUnchangedNeverFails(t *testing.T) {
	atRoot(t)
	// The folder's IDs are symbolic, the state's real: every interface is
	// analysed, and everything is unchanged.
	for _, args := range [][]string{
		{"--before", "examples/plancheck/base", "--after", "examples/plancheck/base/terraform.tfstate", "--fail-on", "any-change"},
		{"--before", "examples/plancheck/base/terraform.tfstate", "--after", "examples/plancheck/base", "--fail-on", "info"},
	} {
		d := planCheckJSON(t, 0, args...)
		for _, f := range d.Findings {
			if f.Status != "unchanged" {
				t.Errorf("%s: %s %s %d %s (%s)", args[1], f.Target, f.Protocol, f.FromPort, f.Status, f.Source)
			}
		}
		if d.Summary.Unchanged != 3 {
			t.Errorf("%s: the base's 3 exposures are listed as unchanged: %d", args[1], d.Summary.Unchanged)
		}
	}
}

// copyCase copies a plan pre-check case (its links followed) into a
// temporary folder, so that a test can add comments to its .tf files.
func copyCase(t *testing.T, name string) string {
	t.Helper()
	dst := t.TempDir()
	src := filepath.Join("examples/plancheck", name)
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, d.Name()), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// insertAbove writes line above the first line of file that starts with
// prefix.
func insertAbove(t *testing.T, file, prefix, line string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	i := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, prefix) })
	if i < 0 {
		t.Fatalf("%s has no line starting with %q", file, prefix)
	}
	lines = slices.Insert(lines, i, line)
	if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
}

// An inline comment on the rule that opens SSH accepts exactly that
// finding, and says so; a comment for another port, or one that has
// expired, accepts nothing, and the expired one is reported.
func TestPlanCheckInlineSuppression(t *testing.T) {
	atRoot(t)
	const rule = `resource "aws_vpc_security_group_ingress_rule" "web_ssh"`
	tests := []struct {
		comment string
		exit    int
		expired bool
	}{
		{"# vpcsim:ignore:tcp/22 the deploy pipeline needs it until the VPN is up", 0, false},
		{"# vpcsim:ignore:22:exp:2027-01-31 temporary", 0, false},
		{"# vpcsim:ignore:high-risk-port", 0, false},
		{"# vpcsim:ignore:tcp/80 not this one", 3, false},
		{"# vpcsim:ignore:tcp/22:exp:2026-01-31 expired", 3, true},
	}
	for _, tc := range tests {
		t.Run(tc.comment, func(t *testing.T) {
			dir := copyCase(t, "open-ssh-world")
			insertAbove(t, filepath.Join(dir, "sg_web.tf"), rule, tc.comment)
			d := planCheckJSON(t, tc.exit, filepath.Join(dir, "plan.json"), "--config", dir, "--today", "2026-06-01")
			suppressed := 0
			for _, f := range d.Findings {
				if f.Suppressed == nil {
					continue
				}
				suppressed++
				if f.Target != "aws_instance.web" || f.FromPort != 22 || f.Suppressed.Kind != "inline" {
					t.Errorf("the comment accepts %s %s %d (%s)", f.Target, f.Protocol, f.FromPort, f.Source)
				}
			}
			if want := map[bool]int{true: 0, false: 2}[tc.exit == 3]; suppressed != want {
				t.Errorf("%d findings suppressed, want %d (SSH from the internet and from the estate)", suppressed, want)
			}
			if got := len(d.ExpiredSuppressions) > 0; got != tc.expired {
				t.Errorf("expired suppressions %v, want %v", d.ExpiredSuppressions, tc.expired)
			}
		})
	}
}

// A baseline written from a plan accepts that plan's findings and no
// others; an entry whose sources are narrower than the finding's does not
// accept it.
func TestPlanCheckBaseline(t *testing.T) {
	atRoot(t)
	dir := t.TempDir()
	base := filepath.Join(dir, "baseline.json")
	ssh := caseArgs("open-ssh-world")
	d := planCheckJSON(t, 0, append(ssh, "--write-baseline", base)...)
	if d.Summary.Suppressed == 0 {
		t.Fatal("writing the baseline accepted nothing")
	}
	d = planCheckJSON(t, 0, append(ssh, "--baseline", base)...)
	for _, f := range d.Findings {
		if f.Status == "new" && (f.Suppressed == nil || f.Suppressed.Kind != "baseline") {
			t.Errorf("%s %s %d is not accepted by the baseline written from its own plan", f.Target, f.Protocol, f.FromPort)
		}
	}
	// Another plan's new exposure is not in it.
	planCheckJSON(t, 3, append(caseArgs("nacl-deny-removed"), "--baseline", base)...)

	// Narrow the accepted sources of SSH to an office: the world is more.
	data, err := os.ReadFile(base)
	if err != nil {
		t.Fatal(err)
	}
	narrowed := bytes.ReplaceAll(data, []byte(`"0.0.0.0/0"`), []byte(`"198.51.100.0/24"`))
	if bytes.Equal(narrowed, data) {
		t.Fatal("the baseline lists no 0.0.0.0/0 source")
	}
	if err := os.WriteFile(base, narrowed, 0o644); err != nil {
		t.Fatal(err)
	}
	planCheckJSON(t, 3, append(ssh, "--baseline", base)...)
}

// Command lines that contradict themselves are usage errors; inputs that
// cannot be compared are errors.
func TestPlanCheckRefusals(t *testing.T) {
	atRoot(t)
	dir := t.TempDir()
	binary := filepath.Join(dir, "tfplan")
	if err := os.WriteFile(binary, []byte("PK\x03\x04 a zip"), 0o644); err != nil {
		t.Fatal(err)
	}
	plan := "examples/plancheck/open-ssh-world/plan.json"
	tests := []struct {
		args []string
		exit int
		msg  string
	}{
		{[]string{"plan-check"}, 2, "nothing to compare"},
		{[]string{"plan-check", plan, "--before", plan}, 2, "not both"},
		{[]string{"plan-check", "--before", plan}, 2, "--before needs --after"},
		{[]string{"plan-check", plan, "--fail-on", "severe"}, 2, "--fail-on"},
		{[]string{"plan-check", plan, "--fail-on", "none", "--fail-internal"}, 2, "give one of them"},
		{[]string{"plan-check", plan, "--internal=false", "--fail-on", "any-change"}, 2, "--internal=false"},
		{[]string{"plan-check", plan, "--format", "html"}, 2, "invalid format"},
		{[]string{"plan-check", binary}, 1, "terraform show -json"},
		{[]string{"plan-check", "examples/plancheck/base/terraform.tfstate"}, 1, "not a plan"},
		{[]string{"plan-check", plan, "--baseline", plan}, 1, "not a vpcsim baseline"},
		{[]string{"plan-check", plan, "--baseline", plan, "--write-baseline", filepath.Join(dir, "b.json")}, 2, "give one of them"},
		{[]string{"plan-check", plan, "--today", "2026-13-01"}, 2, "--today"},
		{[]string{"plan-check", plan + ".missing"}, 1, "no such file"},
		{[]string{"plan-check", plan, "--config", "examples/plancheck/nope"}, 1, "--config examples/plancheck/nope: cannot read the configuration folder: no such file or directory"},
		{[]string{"plan-check", plan, "--before-config", plan}, 2, "not a folder"},
		{[]string{"diff", "--after", plan}, 2, "--after needs --before"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			_, errOut, code := runCmd("", tc.args...)
			if code != tc.exit || !strings.Contains(errOut, tc.msg) {
				t.Errorf("exit %d, want %d; stderr %q, want it to say %q", code, tc.exit, errOut, tc.msg)
			}
		})
	}
}

// Intent files are evaluated on both networks: a violation the plan
// introduces fails the gate at its expectation's severity, one that was
// there before does not, and one the plan ends is reported as resolved.
func TestPlanCheckIntents(t *testing.T) {
	atRoot(t)
	const file = "cmd/vpcsim/testdata/plancheck/shop.intent.hcl"
	type intentsJSON struct {
		Gate    struct{ Failed bool }
		Intents []struct {
			Check  string `json:"check"`
			Status string `json:"status"`
			Fails  bool   `json:"fails"`
		} `json:"intents"`
	}
	tests := []struct {
		name, failOn string
		exit         int
		want         []string // "check status fails"
	}{
		// SSH opened to the web server: a new violation of ssh-from-inside;
		// the bastion's, there before, does not fail.
		{"open-ssh-world", "high", 3, []string{"intent/ssh-from-inside new true", "intent/ssh-from-inside unchanged false"}},
		// The peering route lets the reporting VPC reach the app tier: new
		// violations, medium, which fail at medium and not at high.
		{"peering-route", "medium", 3, []string{"intent/reporting-not-to-app new true", "intent/reporting-not-to-app new true", "intent/ssh-from-inside unchanged false"}},
		{"peering-route", "high", 0, []string{"intent/reporting-not-to-app new false", "intent/reporting-not-to-app new false", "intent/ssh-from-inside unchanged false"}},
		// Closing SSH to the bastion resolves the violation.
		{"close-ssh-world", "info", 0, []string{"intent/ssh-from-inside resolved false"}},
	}
	for _, tc := range tests {
		t.Run(tc.name+"/"+tc.failOn, func(t *testing.T) {
			args := append(caseArgs(tc.name), "--intent", file, "--fail-on", tc.failOn, "--format", "json")
			out, errOut, code := runCmd("", append([]string{"plan-check"}, args...)...)
			if code != tc.exit {
				t.Fatalf("exit %d, want %d\n%s", code, tc.exit, errOut)
			}
			var d intentsJSON
			if err := json.Unmarshal([]byte(out), &d); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range d.Intents {
				got = append(got, fmt.Sprintf("%s %s %v", c.Check, c.Status, c.Fails))
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("intents %q, want %q", got, tc.want)
			}
		})
	}
	// An intent file with an error stops the gate before any comparison.
	bad := filepath.Join(t.TempDir(), "bad.hcl")
	if err := os.WriteFile(bad, []byte(`deny "x" { from = nowhere }`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := runCmd("", append([]string{"plan-check"}, append(caseArgs("open-ssh-world"), "--intent", bad)...)...); code != 1 || !strings.Contains(errOut, "bad.hcl:1") {
		t.Errorf("a bad intent file: exit %d, stderr %q", code, errOut)
	}
}

// The gate's fingerprints are the report's: an exposure has the same one in
// plan-check's output, in the report of the configuration folder, of the
// plan and of the state — so a baseline or a code-scanning alert follows it
// from a folder to its plan to its state.
func TestPlanCheckFingerprintsMatchReport(t *testing.T) {
	atRoot(t)
	report := func(in string) []string {
		out, errOut, code := runCmd("", "report", "--in", in, "--format", "json")
		if code != 0 {
			t.Fatalf("report --in %s: exit %d\n%s", in, code, errOut)
		}
		var r struct {
			Findings []struct{ Fingerprint, Target, Protocol string } `json:"findings"`
		}
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		var fps []string
		for _, f := range r.Findings {
			fps = append(fps, f.Fingerprint+" "+f.Target)
		}
		slices.Sort(fps)
		return fps
	}
	// --full: the unchanged exposures of every target, not only of those
	// the change can affect.
	gate := func(c string, exit int, keep func(status string) bool) []string {
		var fps []string
		for _, f := range planCheckJSON(t, exit, append(caseArgs(c), "--full")...).Findings {
			if f.Source == "internet" && keep(f.Status) {
				fps = append(fps, f.Fingerprint+" "+f.Target)
			}
		}
		slices.Sort(fps)
		return fps
	}
	base := report("examples/plancheck/base/terraform.tfstate")
	if len(base) != 3 {
		t.Fatalf("the base state exposes %q, want the 3 its README lists", base)
	}
	if folder := report("examples/plancheck/base"); !slices.Equal(folder, base) {
		t.Errorf("report of the base folder %q, of its state %q", folder, base)
	}
	// What a plan leaves exposed is the state's, by fingerprint.
	if got := gate("touch-exposed", 0, func(s string) bool { return s == "unchanged" }); !slices.Equal(got, base) {
		t.Errorf("touch-exposed's unchanged exposures %q, the state's %q", got, base)
	}
	// What it opens is what the report finds in the changed folder and in
	// the plan, and nothing else.
	after := gate("open-ssh-world", 3, func(s string) bool { return s != "closed" })
	for _, in := range []string{"examples/plancheck/open-ssh-world", "examples/plancheck/open-ssh-world/plan.json"} {
		if got := report(in); !slices.Equal(got, after) {
			t.Errorf("report --in %s: %q; plan-check's exposures after the plan: %q", in, got, after)
		}
	}
}

// A plan given as --after takes its .tf lines from its own folder, as a
// plan given alone does: the gate points at the configuration, not at the
// JSON of a state or plan.
func TestPlanCheckAfterPlanLocations(t *testing.T) {
	atRoot(t)
	d := planCheckJSON(t, 3, "--before", "examples/plancheck/base/terraform.tfstate", "--after", "examples/plancheck/open-ssh-world/plan.json")
	got := d.exposures(true)
	want := []string{"aws_instance.web tcp 22 new examples/plancheck/open-ssh-world/sg_web.tf:28"}
	if !slices.Equal(got, want) {
		t.Errorf("opened exposures %q, want %q", got, want)
	}
}

// A plan without its configuration still gets an answer, and the user is
// told what is missing: the .tf lines and the inline suppressions.
func TestPlanCheckWithoutConfiguration(t *testing.T) {
	atRoot(t)
	data, err := os.ReadFile("examples/plancheck/open-ssh-world/plan.json")
	if err != nil {
		t.Fatal(err)
	}
	plan := filepath.Join(t.TempDir(), "plan.json")
	if err := os.WriteFile(plan, data, 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := runCmd("", "plan-check", plan)
	if code != 3 || !strings.Contains(errOut, "no Terraform configuration (--config DIR)") || !strings.Contains(errOut, "vpcsim:ignore comments are not read") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	if _, errOut, _ := runCmd("", "plan-check", "examples/plancheck/open-ssh-world/plan.json"); strings.Contains(errOut, "no Terraform configuration") {
		t.Errorf("the plan's folder holds its configuration, yet: %q", errOut)
	}
}
