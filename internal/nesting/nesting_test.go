package nesting

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	hhcl "github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// realSources are the configuration and intent files of the repository:
// examples and test data, real Terraform among them.
func realSources(t testing.TB) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, root := range []string{"../../examples", "../../hcl/testdata", "../../hcl/config/testdata", "../../intent/testdata"} {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			if strings.HasSuffix(p, ".tf") || strings.HasSuffix(p, ".tfvars") || strings.HasSuffix(p, ".tftpl") ||
				strings.HasSuffix(p, ".hcl") {
				b, err := os.ReadFile(p)
				if err == nil {
					out[p] = b
				}
			}
			return nil
		})
	}
	if len(out) < 20 {
		t.Fatalf("found only %d configuration files", len(out))
	}
	return out
}

// TestNestingOfRealConfigurations checks that no real configuration comes
// near the nesting limit, by the quick scan or by tokens.
func TestNestingOfRealConfigurations(t *testing.T) {
	for name, src := range realSources(t) {
		if _, may := mayNestTooDeep(src, false, Max/4); may {
			t.Errorf("%s: the quick scan says it may nest more than %d levels", name, Max/4)
		}
		tokens, _ := hclsyntax.LexConfig(src, name, hhcl.InitialPos)
		if rng, deep := tooDeep(tokens, Max/4); deep {
			t.Errorf("%s: nests more than %d levels at %s", name, Max/4, rng)
		}
	}
}

func TestNesting(t *testing.T) {
	cases := []struct {
		name string
		src  string
		deep bool
	}{
		{"brackets", "x = " + strings.Repeat("[", 600) + strings.Repeat("]", 600), true},
		{"brackets in a string", `x = "` + strings.Repeat("[", 600) + `"`, false},
		{"brackets in a comment", "# " + strings.Repeat("(", 600) + "\nx = 1", false},
		{"brackets in a block comment", "/* " + strings.Repeat("(", 600) + " */ x = 1", false},
		// HCL's lexer reads a comment that never ends as / and * and goes on.
		{"brackets after a comment that never ends", "x = 1 /* " + strings.Repeat("(", 600), true},
		{"comments that never end", "x = 1 " + strings.Repeat("/* ", 600), true},
		// The lexer ends a template sequence at its brace even when a
		// parenthesis is open, which tooDeep keeps open.
		{"a parenthesis left open in a template sequence", `x = "${(}"` + strings.Repeat("!", 600) + "0", true},
		{"~} closing a brace", "x = {~}" + strings.Repeat("!", 600) + "0", true},
		{"brackets in a heredoc", "x = <<EOT\n" + strings.Repeat("(", 600) + "\nEOT\n", false},
		{"brackets in an interpolation", `x = "${` + strings.Repeat("(", 600) + "1" + strings.Repeat(")", 600) + `}"`, true},
		{"escaped interpolation", `x = "$${` + strings.Repeat("(", 600) + `}"`, false},
		{"unary operators", "x = " + strings.Repeat("!", 600) + "true", true},
		{"a chain of additions", "x = 1" + strings.Repeat(" + 1", 600), true},
		{"a chain over lines inside parentheses", "x = (1" + strings.Repeat("\n+ 1", 600) + ")", true},
		{"many attributes", strings.Repeat("x = 1 + 1\n", 2000), false},
		{"many attributes, each with a comment", strings.Repeat("x = 1 + 1 # one\n", 2000), false},
		{"a long list", "x = [" + strings.Repeat("-1, ", 2000) + "]", false},
		{"conditionals", "x = " + strings.Repeat("true ? 1 : ", 600) + "2", true},
		{"index chain", "x = f()" + strings.Repeat("[0]", 600), true},
		{"templates in templates", `x = "` + strings.Repeat(`${"`, 300) + strings.Repeat(`"}`, 300) + `"`, true},
	}
	for _, c := range cases {
		tokens, _ := hclsyntax.LexConfig([]byte(c.src), "t.tf", hhcl.InitialPos)
		if _, deep := tooDeep(tokens, Max); deep != c.deep {
			t.Errorf("%s: tooDeep = %v, want %v", c.name, deep, c.deep)
		}
		if _, may := mayNestTooDeep([]byte(c.src), false, Max); c.deep && !may {
			t.Errorf("%s: the quick scan misses it", c.name)
		}
		if _, may := mayNestTooDeep([]byte(c.src), false, Max); !c.deep && may {
			t.Errorf("%s: the quick scan reports it", c.name)
		}
	}
}

// FuzzNestingScan checks that the quick scan never reports less than the
// token count: what it lets through without lexing nests no deeper than
// tooDeep allows. Small limits make the fuzzer's inputs matter.
func FuzzNestingScan(f *testing.F) {
	for _, src := range realSources(f) {
		if len(src) < 4000 {
			f.Add(src, false)
		}
	}
	for _, s := range []string{`x = "${a}${"${(b)}"}"`, "x = <<-EOT\n  ${[1]}\n  EOT\n", "/* ( */ x = (1)", `x = "$$${(1)}"`, "%{ for x in y }(${x})%{ endfor }"} {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, src []byte, template bool) {
		lex := hclsyntax.LexConfig
		if template {
			lex = hclsyntax.LexTemplate
		}
		tokens, _ := lex(src, "f.tf", hhcl.InitialPos)
		for _, limit := range []int{3, 8, 20} {
			rng, deep := tooDeep(tokens, limit)
			if _, may := mayNestTooDeep(src, template, limit); deep && !may {
				t.Fatalf("tokens nest more than %d levels at %s, but the quick scan says they do not", limit, rng)
			}
			// What HCL says, lexing only the bytes the scan read when it
			// can, is what the tokens of the whole source say, at the
			// same token (whose end the cut can shorten: ${ of ${~).
			// A source it refuses for its encoding is not UTF-8.
			got, problem := HCL(src, "f.tf", hhcl.InitialPos, template, limit)
			if strings.HasPrefix(problem, "invalid character encoding") {
				if utf8.Valid(src) {
					t.Fatalf("limit %d: HCL says %q at %s of UTF-8", limit, problem, got)
				}
				continue
			}
			if gotDeep := problem != ""; gotDeep != deep || got.Start != rng.Start {
				t.Fatalf("limit %d: HCL says %q at %s, the tokens %v at %s", limit, problem, got, deep, rng)
			}
		}
	})
}

// TestNotUTF8 checks that a source with a byte that is not UTF-8 outside
// comments is refused at that byte (HCL's lexer, which the scan cannot
// follow past it, would be run on the whole source), and one with such a
// byte in a comment only is read.
func TestNotUTF8(t *testing.T) {
	src := "# caf\xe9 is fine here\nx = 1\ny = \"a\xffb\"\nz = " + strings.Repeat("(", 100)
	rng, problem := HCL([]byte(src), "f.tf", hhcl.InitialPos, false, Max)
	if !strings.HasPrefix(problem, "invalid character encoding") || rng.Start.Line != 3 || rng.Start.Column != 7 {
		t.Errorf("got %q at %s, want invalid character encoding at f.tf:3,7", problem, rng)
	}
	if _, problem := HCL([]byte("# caf\xe9\nx = 1\n"), "f.tf", hhcl.InitialPos, false, Max); problem != "" {
		t.Errorf("a comment not in UTF-8: %q", problem)
	}
}
