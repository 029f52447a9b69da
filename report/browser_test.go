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
	if *screenshot != "" {
		out, err := filepath.Abs(*screenshot)
		if err != nil {
			t.Fatal(err)
		}
		runChromium(t, bin, "--hide-scrollbars", "--window-size=1400,1000", "--screenshot="+out, "file://"+page)
		if fi, err := os.Stat(out); err != nil || fi.Size() == 0 {
			t.Fatalf("no screenshot written to %s: %v", out, err)
		}
		t.Logf("screenshot written to %s", out)
	}
}
