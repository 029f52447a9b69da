package suppress

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vpcsim/vpcsim/report"
)

// Inline finds the vpcsim:ignore comments of Terraform files.
//
// A comment applies to a block — a resource, or a rule or route block inside
// one — when it is on the block's first line (after the "{") or in the run
// of comment lines directly above it:
//
//	# vpcsim:ignore:SPEC[,SPEC…][:exp:YYYY-MM-DD] [reason…]
//	// vpcsim:ignore:SPEC … (the // and /* forms too)
//
// SPEC names what it accepts: a port (22) or range (8000-8080), a protocol
// and port (tcp/22, udp/1194, tcp/8000-8080), a protocol alone (tcp, udp,
// icmp, icmpv6), a kind of exposure (exposure/high-risk-port, or
// high-risk-port), a fingerprint (16 hex digits), or * for every finding. A
// finding matches a port SPEC when all its ports lie within it. "exp:DATE"
// may also stand apart, after the SPEC. The comment accepts the findings the
// block opens: those whose opening rule, group or network ACL holding it,
// target, or attributed change is declared by the block.
type Inline struct {
	read  func(string) ([]byte, error)
	today time.Time
	files map[string][]string
	// problems are comments that could not be read, once each.
	problems []report.Note
	seen     map[string]bool
}

// NewInline returns a scanner reading files with read (nil: os.ReadFile)
// and judging expiry dates against today.
func NewInline(read func(string) ([]byte, error), today time.Time) *Inline {
	if read == nil {
		read = os.ReadFile
	}
	return &Inline{read: read, today: today, files: map[string][]string{}, seen: map[string]bool{}}
}

// directive is one vpcsim:ignore comment.
type directive struct {
	specs   []string
	expires string
	reason  string
	line    int
}

var directiveRE = regexp.MustCompile(`vpcsim:ignore:(\S+)(.*)$`)

// lines returns the lines of a file, cached; nil when it cannot be read.
func (in *Inline) lines(file string) []string {
	if ls, ok := in.files[file]; ok {
		return ls
	}
	data, err := in.read(file)
	var ls []string
	if err == nil {
		ls = strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	}
	in.files[file] = ls
	return ls
}

// commentOf returns the comment part of a line: what follows #, // or /*
// outside a string, or "" when there is none.
func commentOf(line string) string {
	inString := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '"' && (i == 0 || line[i-1] != '\\'):
			inString = !inString
		case inString:
		case c == '#':
			return line[i+1:]
		case c == '/' && i+1 < len(line) && (line[i+1] == '/' || line[i+1] == '*'):
			return strings.TrimSuffix(strings.TrimSpace(line[i+2:]), "*/")
		}
	}
	return ""
}

// isComment reports whether a line holds only a comment.
func isComment(line string) bool {
	t := strings.TrimSpace(line)
	return strings.HasPrefix(t, "#") || strings.HasPrefix(t, "//") || strings.HasPrefix(t, "/*") || strings.HasPrefix(t, "*")
}

// directives are the vpcsim:ignore comments that apply to the block
// starting at line (1-based) of file.
func (in *Inline) directives(file string, line int) []directive {
	ls := in.lines(file)
	if line < 1 || line > len(ls) {
		return nil
	}
	var out []directive
	add := func(n int) {
		c := commentOf(ls[n-1])
		m := directiveRE.FindStringSubmatch(c)
		if m == nil {
			return
		}
		d, err := parseDirective(m[1], m[2])
		if err != nil {
			key := fmt.Sprintf("%s:%d", file, n)
			if !in.seen[key] {
				in.seen[key] = true
				in.problems = append(in.problems, report.Note{Code: "SUPPRESSION", Severity: "warning",
					Message: "vpcsim:ignore comment not understood, it accepts nothing: " + err.Error(), File: file, Line: n})
			}
			return
		}
		d.line = n
		out = append(out, d)
	}
	add(line)
	for n := line - 1; n >= 1 && isComment(ls[n-1]); n-- {
		add(n)
	}
	return out
}

var dateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// parseDirective reads "SPEC[,SPEC][:exp:DATE]" and the rest of the comment.
func parseDirective(head, rest string) (directive, error) {
	var d directive
	if i := strings.Index(head, ":exp:"); i >= 0 {
		head, d.expires = head[:i], head[i+len(":exp:"):]
	}
	fields := strings.Fields(rest)
	if len(fields) > 0 && strings.HasPrefix(fields[0], "exp:") && d.expires == "" {
		d.expires, fields = strings.TrimPrefix(fields[0], "exp:"), fields[1:]
	}
	d.reason = strings.TrimSpace(strings.TrimSuffix(strings.Join(fields, " "), "*/"))
	if d.expires != "" {
		if !dateRE.MatchString(d.expires) {
			return d, fmt.Errorf("expiry %q is not a date (YYYY-MM-DD)", d.expires)
		}
		if _, err := time.Parse(time.DateOnly, d.expires); err != nil {
			return d, fmt.Errorf("expiry %q is not a date (YYYY-MM-DD)", d.expires)
		}
	}
	for _, s := range strings.Split(head, ",") {
		if _, err := parseSpec(s); err != nil {
			return d, err
		}
		d.specs = append(d.specs, s)
	}
	return d, nil
}

// spec is what one SPEC accepts.
type spec struct {
	any         bool
	fingerprint string
	kind        string
	protocol    string
	from, to    int
}

var protocols = []string{"tcp", "udp", "icmp", "icmpv6", "all"}

// kinds are the kinds of exposure and flow a SPEC may name, without their
// "exposure/" or "flow/" prefix.
var kinds = func() []string {
	var out []string
	for _, k := range []string{report.KindAllTraffic, report.KindHighRiskPort, report.KindWidePortRange, report.KindOpenPort,
		report.KindWeb, report.KindOtherProtocol, report.KindICMP, report.KindICMPEcho, report.KindFlowEgress} {
		_, name, _ := strings.Cut(k, "/")
		out = append(out, name)
	}
	return out
}()

func parseSpec(s string) (spec, error) {
	switch {
	case s == "*" || s == "all":
		return spec{any: true}, nil
	case len(s) == 16 && strings.Trim(s, "0123456789abcdef") == "":
		return spec{fingerprint: s}, nil
	case slices.Contains(protocols, s):
		return spec{protocol: s, from: 0, to: 65535}, nil
	}
	if k := strings.TrimPrefix(strings.TrimPrefix(s, "exposure/"), "flow/"); slices.Contains(kinds, k) {
		return spec{kind: k}, nil
	}
	proto, ports := "", s
	if i := strings.Index(s, "/"); i >= 0 {
		proto, ports = s[:i], s[i+1:]
		if !slices.Contains(protocols, proto) {
			return spec{}, fmt.Errorf("%q: unknown protocol %q (want tcp, udp, icmp or icmpv6)", s, proto)
		}
	}
	lo, hi, ok := strings.Cut(ports, "-")
	if !ok {
		hi = lo
	}
	from, err1 := strconv.Atoi(lo)
	to, err2 := strconv.Atoi(hi)
	if err1 != nil || err2 != nil || from < 0 || to > 65535 || from > to {
		return spec{}, fmt.Errorf("%q is not a port, a protocol and port (tcp/22), a kind of exposure (%s), a fingerprint or *", s, strings.Join(kinds, ", "))
	}
	return spec{protocol: proto, from: from, to: to}, nil
}

// matches reports whether the SPEC accepts f.
func (s spec) matches(f *report.DiffFinding) bool {
	switch {
	case s.any:
		return true
	case s.fingerprint != "":
		return s.fingerprint == f.Fingerprint
	case s.kind != "":
		return f.Kind == "exposure/"+s.kind || f.Kind == "flow/"+s.kind
	}
	return f.Covers(s.protocol, s.from, s.to)
}

// Match returns the inline suppression that accepts f, nil when none does;
// expired lists the comments that would accept f but have expired.
func (in *Inline) Match(f *report.DiffFinding) (*report.Suppression, []report.Suppression) {
	var expired []report.Suppression
	for _, site := range f.SuppressionSites() {
		for _, d := range in.directives(site.File, site.Line) {
			for _, raw := range d.specs {
				sp, _ := parseSpec(raw)
				if !sp.matches(f) {
					continue
				}
				sup := &report.Suppression{Kind: "inline", Rule: raw, Reason: d.reason, Expires: d.expires, File: site.File, Line: d.line,
					Resource: in.blockName(site.File, site.Line)}
				if d.expires != "" {
					if t, _ := time.Parse(time.DateOnly, d.expires); in.today.After(t.Add(24*time.Hour - time.Nanosecond)) {
						sup.Expired = true
						expired = append(expired, *sup)
						continue
					}
				}
				return sup, expired
			}
		}
	}
	return nil, expired
}

var resourceRE = regexp.MustCompile(`^\s*resource\s+"([^"]+)"\s+"([^"]+)"`)

// blockName names the block starting at a line: the resource's address, or
// the block's type ("ingress").
func (in *Inline) blockName(file string, line int) string {
	ls := in.lines(file)
	if line < 1 || line > len(ls) {
		return ""
	}
	if m := resourceRE.FindStringSubmatch(ls[line-1]); m != nil {
		return m[1] + "." + m[2]
	}
	return strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(ls[line-1]), "{"))
}

// Problems are the vpcsim:ignore comments that could not be read: each
// accepts nothing, and the answer says so.
func (in *Inline) Problems() []report.Note { return slices.Clone(in.problems) }
