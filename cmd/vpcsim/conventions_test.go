package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// leafCommands are the commands of the root that run (not groups such as
// export, nor cobra's help and completion), found by walking the tree, so
// that a command added to root is held to the conventions at once.
func leafCommands() []*cobra.Command {
	root := newRootCmd(&streams{in: strings.NewReader(""), out: &bytes.Buffer{}, err: &bytes.Buffer{}}, &profiler{})
	var out []*cobra.Command
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if sub.Hidden || sub.Name() == "help" || sub.Name() == "completion" {
				continue
			}
			if sub.Runnable() {
				out = append(out, sub)
			}
			walk(sub)
		}
	}
	walk(root)
	return out
}

// commandArgs are the words that name c on the command line: export sql.
func commandArgs(c *cobra.Command) []string {
	return strings.Fields(strings.TrimPrefix(c.CommandPath(), "vpcsim"))
}

// conventionRun is, for every command, a command line that answers on the
// embedded example or a fixture of the repository. A command without one
// fails TestConventions: it must be run to be held to the conventions.
func conventionRuns(t *testing.T) map[string][]string {
	logs, _ := exampleLogs(t, 50, false)
	plan := "../../examples/plancheck/attach-eip/plan.json"
	return map[string][]string{
		"inspect":        {},
		"version":        {},
		"trace":          {"--from", "internet", "--to", "aws_instance.bastion", "--protocol", "tcp", "--port", "22"},
		"report":         {},
		"matrix":         {},
		"graph":          {},
		"check":          {"--fail-on", "none"},
		"diff":           {plan},
		"plan-check":     {plan, "--fail-on", "none"},
		"gen":            {"--vpcs", "1", "--subnets-per-vpc", "1", "--instances-per-subnet", "1"},
		"verify-logs":    {"--logs", logs},
		"export allowed": {"--format", "csv"},
		"export sql":     {"--format", "duckdb"},
		"walk":           {"--from", "internet", "--to", "aws_instance.bastion", "--protocol", "tcp", "--port", "22"},
		"simulate":       {"--logs", t.TempDir(), "--flow-logs", "text", "--seed", "1"},
	}
}

// TestConventions holds every command of the root to the conventions of
// docs/cli.md: help with a description, examples and the exit status;
// --format, case-insensitive, on every command with more than one way to
// write its answer; -o/--output FILE written atomically with the bytes
// standard output would get; several formats in one run with --output-dir;
// progress on standard error only; errors as "vpcsim: error: …" and a usage
// error pointing to the command's own help, exit 2.
func TestConventions(t *testing.T) {
	runs := conventionRuns(t)
	seen := map[string]bool{}
	for _, c := range leafCommands() {
		name := strings.Join(commandArgs(c), " ")
		seen[name] = true
		t.Run(name, func(t *testing.T) {
			words := commandArgs(c)
			if c.Short == "" || c.Long == "" || c.Example == "" {
				t.Errorf("help lacks a description or examples")
			}
			if !strings.Contains(c.Long, "Exit status:") {
				t.Errorf("help does not state the exit status")
			}
			out, errOut, code := runCmd("", append(words, "--help")...)
			if code != 0 || errOut != "" || !strings.Contains(out, "Examples:") {
				t.Errorf("--help: exit %d, stderr %q", code, errOut)
			}
			_, errOut, code = runCmd("", append(words, "--no-such-flag")...)
			if want := "vpcsim: error: unknown flag: --no-such-flag\nRun '" + c.CommandPath() + " --help' for usage.\n"; code != 2 || errOut != want {
				t.Errorf("unknown flag: exit %d, stderr %q, want %q", code, errOut, want)
			}

			format := c.Flags().Lookup("format")
			if format == nil {
				if name != "gen" { // gen writes a Terraform state: there is no other way to write it
					t.Fatalf("no --format")
				}
			} else {
				ff := format.Value.(*formatFlag)
				if err := ff.Set(strings.ToUpper(ff.allowed[0])); err != nil {
					t.Errorf("--format %s: %v", strings.ToUpper(ff.allowed[0]), err)
				}
				_, errOut, code = runCmd("", append(words, "--format", "nope")...)
				if code != 2 || !strings.HasPrefix(errOut, `vpcsim: error: --format: invalid format "nope": want one of `+strings.Join(ff.allowed, ", ")) {
					t.Errorf("--format nope: exit %d, stderr %q", code, errOut)
				}
			}
			if name == "version" {
				return // it prints a line
			}
			if c.Flags().Lookup("output") == nil || format != nil && c.Flags().Lookup("output-dir") == nil {
				t.Fatalf("no -o/--output, or --format without --output-dir")
			}
			if c.Flags().ShorthandLookup("o") == nil || c.Flags().ShorthandLookup("o").Name != "output" {
				t.Errorf("-o is not --output")
			}

			args, ok := runs[name]
			if !ok {
				t.Fatalf("no command line in conventionRuns: add one so that the command is run")
			}
			// The answer on standard output (- names it), nothing but the
			// answer even when progress is asked for.
			want, _, wantCode := runCmd("", append(args2(words, args), "-o", "-")...)
			if wantCode != 0 && wantCode != 3 || want == "" {
				t.Fatalf("%v: exit %d, no answer", args, wantCode)
			}
			t.Setenv("VPCSIM_PROGRESS", "1")
			got, progressOut, code := runCmd("", append(args2(words, args), "-o", "-")...)
			t.Setenv("VPCSIM_PROGRESS", "")
			if code != wantCode || got != want {
				t.Errorf("with progress: exit %d, standard output differs", code)
			}
			for _, l := range strings.Split(strings.TrimSpace(progressOut), "\n") {
				if l != "" && !strings.HasPrefix(l, "vpcsim: ") && !regexp.MustCompile(`^\S+:\d+:\d+: `).MatchString(l) {
					t.Errorf("with progress: stderr line %q is neither vpcsim's nor a diagnostic", l)
				}
			}

			// -o FILE: the same bytes, nothing on standard output, no
			// temporary file left.
			dir := t.TempDir()
			path := filepath.Join(dir, "answer")
			out, errOut, code = runCmd("", append(args2(words, args), "-o", path)...)
			b, err := os.ReadFile(path)
			if code != wantCode || out != "" || err != nil || !bytes.Equal(b, []byte(want)) {
				t.Errorf("-o FILE: exit %d (want %d), stdout %d bytes, file %d bytes (%v), want %d", code, wantCode, len(out), len(b), err, len(want))
			}
			if !strings.Contains(errOut, "vpcsim: wrote "+path) {
				t.Errorf("-o FILE: stderr %q does not say what it wrote", errOut)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 1 {
				t.Errorf("-o FILE: %d files in the folder, want 1", len(entries))
			}

			// Several formats in one run, each file what the format alone
			// writes.
			if format == nil {
				return
			}
			ff := format.Value.(*formatFlag)
			if !ff.multi || len(ff.allowed) < 2 {
				t.Fatalf("--format takes one format: several, comma-separated, with --output-dir, is every command's")
			}
			two := ff.allowed[:2]
			outDir := filepath.Join(dir, "out")
			out, errOut, code = runCmd("", append(withFormat(args2(words, args), strings.ToUpper(strings.Join(two, ","))), "--output-dir", outDir)...)
			if code != wantCode || out != "" {
				t.Errorf("--output-dir: exit %d, stdout %d bytes, stderr %q", code, len(out), errOut)
			}
			entries, _ := os.ReadDir(outDir)
			if len(entries) != 2 {
				t.Errorf("--output-dir: %d files, want 2", len(entries))
			}
			for _, f := range two {
				single, _, _ := runCmd("", append(withFormat(args2(words, args), f), "-o", "-")...)
				got, err := os.ReadFile(filepath.Join(outDir, outputName(c, f)))
				if err != nil || string(got) != single {
					t.Errorf("--output-dir: %s: %d bytes (%v), want the %d of --format %s alone", outputName(c, f), len(got), err, len(single), f)
				}
			}
			// -o and --output-dir together, several formats to one stream:
			// usage errors, before any work.
			for _, bad := range [][]string{
				append(args2(words, args), "-o", path, "--output-dir", outDir),
				withFormat(args2(words, args), strings.Join(two, ",")),
			} {
				out, errOut, code = runCmd("", bad...)
				if code != 2 || out != "" || !strings.HasPrefix(errOut, "vpcsim: error: ") || !strings.HasSuffix(errOut, "Run '"+c.CommandPath()+" --help' for usage.\n") {
					t.Errorf("%v: exit %d, stdout %d bytes, stderr %q; want a usage error", bad, code, len(out), errOut)
				}
			}
		})
	}
	for name := range runs {
		if !seen[name] {
			t.Errorf("conventionRuns names %q, which root does not register", name)
		}
	}
}

// outputName is the file --output-dir writes for format: the command's name
// and the format's extension.
func outputName(c *cobra.Command, format string) string {
	o := c.Flags().Lookup("output-dir")
	stem := c.Name()
	// The stem is in the flag's help: "(report.json, report.sarif…)".
	if m := regexp.MustCompile(`\(([\w.-]+?)\.`).FindStringSubmatch(o.Usage); m != nil {
		stem = m[1]
	}
	return stem + "." + formatExt(format)
}

func args2(words, args []string) []string {
	return append(append([]string{}, words...), args...)
}

// withFormat is args with --format set to format, replacing any given.
func withFormat(args []string, format string) []string {
	out := append([]string{}, args...)
	for i := 0; i+1 < len(out); i++ {
		if out[i] == "--format" {
			out[i+1] = format
			return out
		}
	}
	return append(out, "--format", format)
}

// TestCLIDocExitCodes runs every "$ vpcsim …  # exit N" line of
// docs/cli.md and checks that the command exits as the documentation says.
func TestCLIDocExitCodes(t *testing.T) {
	doc, err := os.ReadFile("../../docs/cli.md")
	if err != nil {
		t.Fatal(err)
	}
	examples, err := filepath.Abs("../../examples")
	if err != nil {
		t.Fatal(err)
	}
	line := regexp.MustCompile(`(?m)^\$ vpcsim (.*?)\s+# exit (\d)\b`)
	ms := line.FindAllStringSubmatch(string(doc), -1)
	if len(ms) < 10 {
		t.Fatalf("%d command lines with an exit code in docs/cli.md", len(ms))
	}
	t.Chdir(t.TempDir()) // the lines write files
	for _, m := range ms {
		args := splitQuoted(m[1])
		for i, a := range args {
			// The documentation's paths are relative to docs/.
			args[i] = strings.Replace(a, "../examples", examples, 1)
		}
		want := int(m[2][0] - '0')
		_, errOut, code := runCmd("", args...)
		if code != want {
			t.Errorf("vpcsim %s: exit %d, docs/cli.md says %d; stderr:\n%s", m[1], code, want, errOut)
		}
	}
}

// splitQuoted splits a command line as a shell would, for the quoting the
// documentation uses ("", '…').
func splitQuoted(s string) []string {
	var out []string
	var cur strings.Builder
	inWord, quote := false, rune(0)
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '"' || r == '\'':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out
}
