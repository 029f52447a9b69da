package report

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vpcsim/vpcsim/hcl"
	"github.com/vpcsim/vpcsim/internal/estate"
	"github.com/vpcsim/vpcsim/reach"
)

var screenshot = flag.String("screenshot", "", "also save a 1400x1000 screenshot of the sample HTML report to this PNG file (docs/report-screenshot.png)")

// chromium finds the browser, or skips the test; with
// VPCSIM_REQUIRE_CHROMIUM=1 (CI) a missing browser fails it instead.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("VPCSIM_REQUIRE_CHROMIUM") == "1" {
		t.Fatal("chromium is not on PATH and VPCSIM_REQUIRE_CHROMIUM=1: install Debian's chromium package")
	}
	t.Skip("chromium is not on PATH (set VPCSIM_REQUIRE_CHROMIUM=1 to make this a failure)")
	return ""
}

// runChromium runs headless Chromium with a profile of its own, offline,
// and returns its standard output.
func runChromium(t *testing.T, bin string, args ...string) []byte {
	t.Helper()
	profile := t.TempDir()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
		"--user-data-dir=" + profile}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	// Chromium looks for a session bus and a home; neither must leak in
	// from the developer's desktop.
	cmd.Env = append(os.Environ(), "HOME="+profile, "DBUS_SESSION_BUS_ADDRESS=disabled:")
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, tail(stderr.String(), 2000))
	}
	return stdout.Bytes()
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// TestHTMLInBrowser opens the sample report in headless Chromium and checks
// the DOM the browser built: the findings table with one row per finding,
// in order, with its severity, and the diagram.
func TestHTMLInBrowser(t *testing.T) {
	bin := chromium(t)
	r := sampleReport(t)
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	var b bytes.Buffer
	if err := WriteReport(&b, r, "html"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(page, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	dom := string(runChromium(t, bin, "--dump-dom", "file://"+page))
	table := regexp.MustCompile(`(?s)<table id="findings">.*?</table>`).FindString(dom)
	if table == "" {
		t.Fatalf("the DOM has no findings table:\n%s", tail(dom, 3000))
	}
	rows := regexp.MustCompile(`<tr class="finding sev-(\w+)"[^>]*data-target="([^"]*)" data-protocol="([^"]*)" data-from-port="(\d+)" data-to-port="(\d+)"`).FindAllStringSubmatch(table, -1)
	if len(rows) != len(r.Findings) {
		t.Fatalf("the browser shows %d finding rows, the report has %d", len(rows), len(r.Findings))
	}
	for i, m := range rows {
		f := r.Findings[i]
		if m[1] != f.Severity.String() || m[2] != f.Target || m[3] != f.Protocol || m[4] != itoa(f.FromPort) || m[5] != itoa(f.ToPort) {
			t.Errorf("row %d shows %v, want %s %s %s %d-%d", i+1, m[1:], f.Severity, f.Target, f.Protocol, f.FromPort, f.ToPort)
		}
	}
	for _, want := range []string{`<svg`, `class="edge hot sev-critical"`, `main.tf:178`, `<section id="summary">`} {
		if !strings.Contains(dom, want) {
			t.Errorf("the DOM lacks %s", want)
		}
	}
	takeScreenshot(t, bin, *screenshot, "1400,1000", page)
}

// takeScreenshot saves a screenshot of page to the PNG file path, when a
// path is given.
func takeScreenshot(t *testing.T, bin, path, size, page string) {
	t.Helper()
	if path == "" {
		return
	}
	out, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	runChromium(t, bin, "--hide-scrollbars", "--window-size="+size, "--screenshot="+out, "file://"+page)
	if fi, err := os.Stat(out); err != nil || fi.Size() == 0 {
		t.Fatalf("no screenshot written to %s: %v", out, err)
	}
	t.Logf("screenshot written to %s", out)
}

var matrixScreenshot = flag.String("matrix-screenshot", "", "also save a screenshot of the sample HTML matrix to this PNG file (docs/matrix-screenshot.png)")

// TestMatrixHTMLInBrowser opens the sample matrix's heat map in headless
// Chromium: one row per source and one cell per destination, each with its
// colour class and its hover text naming both groups in full.
func TestMatrixHTMLInBrowser(t *testing.T) {
	bin := chromium(t)
	m, err := sample(t).Matrix(reach.MatrixOptions{By: reach.BySubnet, Internet: true})
	if err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(t.TempDir(), "matrix.html")
	var b bytes.Buffer
	if err := WriteMatrix(&b, m, "html"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(page, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	dom := string(runChromium(t, bin, "--dump-dom", "file://"+page))
	grid := regexp.MustCompile(`(?s)<table class="grid">.*?</table>`).FindString(dom)
	rows := regexp.MustCompile(`(?s)<tr><th class="row"`).FindAllString(grid, -1)
	cells := regexp.MustCompile(`<td class="h(\d)" title="from ([^\n"]+)\nto ([^\n"]+)\n`).FindAllStringSubmatch(grid, -1)
	if len(rows) != len(m.Rows) || len(cells) != len(m.Rows)*len(m.Groups) {
		t.Fatalf("the browser shows %d rows and %d cells, the matrix has %d rows of %d:\n%s", len(rows), len(cells), len(m.Rows), len(m.Groups), tail(dom, 3000))
	}
	hot := 0
	for i, c := range cells {
		if c[2] != m.Rows[i/len(m.Groups)] || c[3] != m.Groups[i%len(m.Groups)] {
			t.Errorf("cell %d is from %s to %s", i, c[2], c[3])
		}
		if c[1] == "4" {
			hot++
		}
	}
	if hot == 0 || !strings.Contains(dom, "<h2>Legend</h2>") {
		t.Errorf("no cell is hot (the sample lets all traffic through), or no legend")
	}
	takeScreenshot(t, bin, *matrixScreenshot, "1000,700", page)
}

var largeScreenshot = flag.String("large-screenshot", "", "also save a screenshot of the HTML report of a large generated estate to this PNG file (docs/report-large-screenshot.png)")

// TestLargeHTMLInBrowser renders the report of a generated estate of a
// few thousand findings and opens it in headless Chromium: the page stays a
// few megabytes, shows the most severe findings with the rules that decide
// them and counts the others, and the browser builds it whole.
func TestLargeHTMLInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("a large estate")
	}
	bin := chromium(t)
	var state bytes.Buffer
	p := estate.Default()
	p.VPCs, p.SubnetsPerVPC, p.InstancesPerSubnet, p.TGWHubs, p.Peerings = 40, 4, 10, 2, 10
	if err := estate.Write(&state, p); err != nil {
		t.Fatal(err)
	}
	in, err := hcl.LoadBytes("estate.tfstate", state.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	e, err := reach.New(in.Network)
	if err != nil {
		t.Fatal(err)
	}
	a, err := e.Analyze(reach.AnalyzeOptions{From: "internet"})
	if err != nil {
		t.Fatal(err)
	}
	r := NewReport(a, e.Topology(), "estate.tfstate")
	if len(r.Findings) <= htmlRows {
		t.Fatalf("%d findings: not a large report", len(r.Findings))
	}
	page := filepath.Join(t.TempDir(), "report.html")
	var b bytes.Buffer
	if err := WriteReport(&b, r, "html"); err != nil {
		t.Fatal(err)
	}
	if b.Len() > 8<<20 {
		t.Errorf("the page of %d findings is %d bytes", len(r.Findings), b.Len())
	}
	if err := os.WriteFile(page, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	dom := string(runChromium(t, bin, "--dump-dom", "file://"+page))
	rows := strings.Count(dom, `<tr class="finding sev-`)
	left := regexp.MustCompile(`<tr id="left-out"><td colspan="7">(\d+) more findings`).FindStringSubmatch(dom)
	if rows != htmlRows || left == nil || left[1] != itoa(len(r.Findings)-htmlRows) || !strings.Contains(dom, "</html>") && !strings.Contains(dom, "<footer>") {
		t.Errorf("the browser shows %d rows and %v left out, of %d findings", rows, left, len(r.Findings))
	}
	if strings.Contains(dom, "full path (") {
		t.Errorf("a large report folds out every step of every path")
	}
	takeScreenshot(t, bin, *largeScreenshot, "1400,1000", page)
}
