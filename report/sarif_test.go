package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
)

// The SARIF 2.1.0 schema, for the objects vpcsim writes: the properties
// each may hold (the schema closes every object with additionalProperties
// false, except property bags), those it must hold, and which child is of
// which kind. Written from the OASIS schema; checked offline.
type sarifSpec struct {
	allowed  []string
	required []string
	// anyOf lists alternative required properties: one must be present.
	anyOf    []string
	children map[string]string // property -> kind; "[]kind" for arrays
}

var sarifSchema = map[string]sarifSpec{
	"log": {allowed: []string{"$schema", "version", "runs", "inlineExternalProperties", "properties"},
		required: []string{"version", "runs"}, children: map[string]string{"runs": "[]run", "properties": "bag"}},
	"run": {allowed: []string{"tool", "invocations", "conversion", "language", "versionControlProvenance", "originalUriBaseIds",
		"artifacts", "logicalLocations", "graphs", "results", "automationDetails", "runAggregates", "baselineGuid",
		"redactionTokens", "defaultEncoding", "defaultSourceLanguage", "newlineSequences", "columnKind",
		"externalPropertyFileReferences", "threadFlowLocations", "taxonomies", "addresses", "translations", "policies",
		"webRequests", "webResponses", "specialLocations", "properties"},
		required: []string{"tool"}, children: map[string]string{"tool": "tool", "results": "[]result", "properties": "bag"}},
	"tool": {allowed: []string{"driver", "extensions", "properties"}, required: []string{"driver"},
		children: map[string]string{"driver": "toolComponent", "properties": "bag"}},
	"toolComponent": {allowed: []string{"guid", "name", "organization", "product", "productSuite", "shortDescription",
		"fullDescription", "fullName", "version", "semanticVersion", "dottedQuadFileVersion", "releaseDateUtc", "downloadUri",
		"informationUri", "globalMessageStrings", "notifications", "rules", "taxa", "locations", "language", "contents",
		"isComprehensive", "localizedDataSemanticVersion", "minimumRequiredLocalizedDataSemanticVersion",
		"associatedComponent", "translationMetadata", "supportedTaxonomies", "properties"},
		required: []string{"name"}, children: map[string]string{"rules": "[]reportingDescriptor", "shortDescription": "mfms",
			"fullDescription": "mfms", "properties": "bag"}},
	"reportingDescriptor": {allowed: []string{"id", "deprecatedIds", "guid", "deprecatedGuids", "name", "deprecatedNames",
		"shortDescription", "fullDescription", "messageStrings", "defaultConfiguration", "helpUri", "help", "relationships",
		"properties"},
		required: []string{"id"}, children: map[string]string{"shortDescription": "mfms", "fullDescription": "mfms", "help": "mfms",
			"defaultConfiguration": "reportingConfiguration", "properties": "bag"}},
	"reportingConfiguration": {allowed: []string{"enabled", "level", "rank", "parameters", "properties"},
		children: map[string]string{"properties": "bag"}},
	"mfms":    {allowed: []string{"text", "markdown", "properties"}, required: []string{"text"}, children: map[string]string{"properties": "bag"}},
	"message": {allowed: []string{"text", "markdown", "id", "arguments", "properties"}, anyOf: []string{"text", "id"}, children: map[string]string{"properties": "bag"}},
	"result": {allowed: []string{"ruleId", "ruleIndex", "rule", "kind", "level", "message", "analysisTarget", "locations", "guid",
		"correlationGuid", "occurrenceCount", "partialFingerprints", "fingerprints", "stacks", "codeFlows", "graphs",
		"graphTraversals", "relatedLocations", "suppressions", "baselineState", "rank", "attachments", "hostedViewerUri",
		"workItemUris", "provenance", "fixes", "taxa", "webRequest", "webResponse", "properties"},
		required: []string{"message"}, children: map[string]string{"message": "message", "locations": "[]location",
			"relatedLocations": "[]location", "partialFingerprints": "stringMap", "suppressions": "[]suppression", "properties": "bag"}},
	"suppression": {allowed: []string{"guid", "kind", "status", "justification", "location", "properties"}, required: []string{"kind"},
		children: map[string]string{"location": "location", "properties": "bag"}},
	"location": {allowed: []string{"id", "physicalLocation", "logicalLocations", "message", "annotations", "relationships", "properties"},
		children: map[string]string{"physicalLocation": "physicalLocation", "logicalLocations": "[]logicalLocation",
			"message": "message", "properties": "bag"}},
	"physicalLocation": {allowed: []string{"address", "artifactLocation", "region", "contextRegion", "properties"},
		anyOf: []string{"address", "artifactLocation"}, children: map[string]string{"artifactLocation": "artifactLocation",
			"region": "region", "properties": "bag"}},
	"artifactLocation": {allowed: []string{"uri", "uriBaseId", "index", "description", "properties"},
		children: map[string]string{"properties": "bag"}},
	"region": {allowed: []string{"startLine", "startColumn", "endLine", "endColumn", "charOffset", "charLength", "byteOffset",
		"byteLength", "snippet", "message", "sourceLanguage", "properties"}, children: map[string]string{"properties": "bag"}},
	"logicalLocation": {allowed: []string{"name", "index", "fullyQualifiedName", "decoratedName", "parentIndex", "kind", "properties"},
		children: map[string]string{"properties": "bag"}},
}

// checkSARIF returns every way v, a decoded object of kind, breaks the
// schema: unknown or missing properties, wrong enum values, bad numbers and
// URIs.
func checkSARIF(path, kind string, v any) []string {
	var errs []string
	bad := func(format string, args ...any) { errs = append(errs, path+": "+fmt.Sprintf(format, args...)) }
	if arr, ok := strings.CutPrefix(kind, "[]"); ok {
		items, isArr := v.([]any)
		if !isArr {
			bad("want an array")
			return errs
		}
		for i, it := range items {
			errs = append(errs, checkSARIF(fmt.Sprintf("%s[%d]", path, i), arr, it)...)
		}
		return errs
	}
	obj, ok := v.(map[string]any)
	if !ok {
		bad("want an object")
		return errs
	}
	switch kind {
	case "bag":
		if tags, ok := obj["tags"]; ok {
			if _, isArr := tags.([]any); !isArr {
				bad("tags must be an array of strings")
			}
		}
		return errs
	case "stringMap":
		for k, x := range obj {
			if _, isStr := x.(string); !isStr {
				bad("%s must be a string", k)
			}
		}
		return errs
	}
	spec, ok := sarifSchema[kind]
	if !ok {
		bad("no schema for %s", kind)
		return errs
	}
	for k := range obj {
		if !slices.Contains(spec.allowed, k) {
			bad("property %q is not allowed in %s", k, kind)
		}
	}
	for _, k := range spec.required {
		if _, ok := obj[k]; !ok {
			bad("%s lacks required property %q", kind, k)
		}
	}
	if len(spec.anyOf) > 0 && !slices.ContainsFunc(spec.anyOf, func(k string) bool { _, ok := obj[k]; return ok }) {
		bad("%s needs one of %v", kind, spec.anyOf)
	}
	str := func(k string) (string, bool) { s, ok := obj[k].(string); return s, ok }
	integer := func(k string, min float64) {
		if x, ok := obj[k]; ok {
			n, isNum := x.(float64)
			if !isNum || n != float64(int64(n)) || n < min {
				bad("%s must be an integer >= %v, is %v", k, min, x)
			}
		}
	}
	switch kind {
	case "log":
		if s, _ := str("version"); s != "2.1.0" {
			bad("version %q, want 2.1.0", s)
		}
		if s, ok := str("$schema"); ok {
			if u, err := url.Parse(s); err != nil || !u.IsAbs() {
				bad("$schema %q is not an absolute URI", s)
			}
		}
	case "toolComponent", "reportingDescriptor":
		for _, k := range []string{"name", "id", "fullName"} {
			if x, ok := obj[k]; ok {
				if s, isStr := x.(string); !isStr || s == "" {
					bad("%s must be a non-empty string", k)
				}
			}
		}
	case "reportingConfiguration", "result":
		if x, ok := obj["level"]; ok && !slices.Contains([]any{"none", "note", "warning", "error"}, x) {
			bad("level %v is not none, note, warning or error", x)
		}
		integer("ruleIndex", -1)
		if x, ok := obj["kind"]; ok && !slices.Contains([]any{"notApplicable", "pass", "fail", "review", "open", "informational"}, x) {
			bad("kind %v is not a result kind", x)
		}
		if x, ok := obj["baselineState"]; ok && !slices.Contains([]any{"new", "unchanged", "updated", "absent"}, x) {
			bad("baselineState %v is not new, unchanged, updated or absent", x)
		}
	case "suppression":
		if x := obj["kind"]; !slices.Contains([]any{"inSource", "external"}, x) {
			bad("suppression kind %v is not inSource or external", x)
		}
		if x, ok := obj["status"]; ok && !slices.Contains([]any{"accepted", "underReview", "rejected"}, x) {
			bad("suppression status %v", x)
		}
	case "location":
		integer("id", -1)
	case "region":
		integer("startLine", 1)
		integer("startColumn", 1)
	case "artifactLocation":
		if s, ok := str("uri"); ok {
			if _, err := url.Parse(s); err != nil {
				bad("uri %q is not a URI reference: %v", s, err)
			}
		}
		integer("index", -1)
	}
	for k, child := range spec.children {
		if x, ok := obj[k]; ok {
			errs = append(errs, checkSARIF(path+"."+k, child, x)...)
		}
	}
	return errs
}

// TestSARIFSchema validates the SARIF of every report case against the
// schema's rules, and the cross-references the schema cannot express.
func TestSARIFSchema(t *testing.T) {
	located := 0
	for name, a := range reportCases(t) {
		r := NewReport(a, nil, "in")
		var b bytes.Buffer
		if err := WriteReport(&b, r, "sarif"); err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(b.Bytes(), &v); err != nil {
			t.Fatal(err)
		}
		for _, e := range checkSARIF("$", "log", v) {
			t.Errorf("%s: %s", name, e)
		}
		var s sarifLog
		if err := json.Unmarshal(b.Bytes(), &s); err != nil {
			t.Fatal(err)
		}
		rules := s.Runs[0].Tool.Driver.Rules
		ids := map[string]bool{}
		for _, ru := range rules {
			if ids[ru.ID] {
				t.Errorf("rule %s twice", ru.ID)
			}
			ids[ru.ID] = true
		}
		for i, res := range s.Runs[0].Results {
			if res.RuleIndex >= len(rules) || rules[res.RuleIndex].ID != res.RuleID {
				t.Errorf("%s: result %d: ruleIndex %d does not name %s", name, i, res.RuleIndex, res.RuleID)
			}
			seen := map[int]bool{}
			for _, l := range res.RelatedLocations {
				if l.ID < 1 || seen[l.ID] {
					t.Errorf("%s: result %d: related location ids must be unique and positive: %d", name, i, l.ID)
				}
				seen[l.ID] = true
			}
			if len(res.Locations) > 0 && res.Locations[0].PhysicalLocation != nil {
				located++
			}
		}
	}
	if located == 0 {
		t.Error("no result has a physical location")
	}
}

// TestSARIFSchemaCatchesErrors makes sure the checker is not a rubber stamp.
func TestSARIFSchemaCatchesErrors(t *testing.T) {
	for _, doc := range []string{
		`{"runs": []}`,
		`{"version": "2.0.0", "runs": []}`,
		`{"version": "2.1.0", "runs": [{}]}`,
		`{"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]}`,
		`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"ruleId": "a"}]}]}`,
		`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "level": "critical"}]}]}`,
		`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.tf"}, "region": {"startLine": 0}}}]}]}]}`,
		`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "severity": "high"}]}]}`,
		`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x", "rules": [{"name": "n"}]}}}]}`,
	} {
		var v any
		if err := json.Unmarshal([]byte(doc), &v); err != nil {
			t.Fatal(err)
		}
		if errs := checkSARIF("$", "log", v); len(errs) == 0 {
			t.Errorf("accepted %s", doc)
		}
	}
}

func TestSARIFLocations(t *testing.T) {
	r := sampleReport(t)
	var b bytes.Buffer
	if err := WriteReport(&b, r, "sarif"); err != nil {
		t.Fatal(err)
	}
	var s sarifLog
	if err := json.Unmarshal(b.Bytes(), &s); err != nil {
		t.Fatal(err)
	}
	// Each result points at the security group rule that opens it.
	want := map[string]int{
		"aws_instance.bastion tcp 22": 178, "aws_instance.web tcp 22": 161, "aws_instance.web tcp 443": 149,
		"eni-0legacy udp 161": 238, "aws_instance.debug all traffic": 193,
	}
	for i, res := range s.Runs[0].Results {
		f := r.Findings[i]
		k := f.Target + " " + f.ServiceText()
		line, ok := want[k]
		if !ok {
			continue
		}
		delete(want, k)
		pl := res.Locations[0].PhysicalLocation
		if pl == nil || pl.ArtifactLocation.URI != "main.tf" || pl.ArtifactLocation.URIBaseID != "%SRCROOT%" || pl.Region.StartLine != line {
			t.Errorf("%s: location %+v, want main.tf:%d", k, pl, line)
		}
		if !strings.Contains(res.Message.Text, f.Target) || !strings.Contains(res.Message.Text, f.SourcesSummary) {
			t.Errorf("%s: message %q must name the target and the sources", k, res.Message.Text)
		}
	}
	if len(want) > 0 {
		t.Errorf("no results for %v", want)
	}
	for _, tc := range []struct{ file, uri, base string }{
		{"main.tf", "main.tf", "%SRCROOT%"},
		{"./net/a b.tf", "net/a%20b.tf", "%SRCROOT%"},
		{"/srv/infra/main.tf", "file:///srv/infra/main.tf", ""},
	} {
		if a := artifact(tc.file); a.URI != tc.uri || a.URIBaseID != tc.base {
			t.Errorf("artifact(%q) = %+v, want %s %s", tc.file, a, tc.uri, tc.base)
		}
	}
}

// TestOpenedBy checks which rule a finding points at: the target's own
// security group rule, not the source's egress rule; else the ACL rule
// into the target's subnet; else the target; else nothing.
func TestOpenedBy(t *testing.T) {
	e := sample(t)
	a, err := e.Analyze(reach.AnalyzeOptions{From: "aws_subnet.private"})
	if err != nil {
		t.Fatal(err)
	}
	r := NewReport(a, nil, "")
	checked := 0
	for _, f := range r.Findings {
		if f.Target != "aws_instance.bastion" || f.Protocol != "tcp" || f.FromPort != 22 {
			continue
		}
		checked++
		if f.OpenedBy == nil || f.OpenedBy.Line != 178 || f.OpenedBy.Owner != "aws_security_group.bastion" {
			t.Errorf("from inside, SSH to the bastion is opened by %+v, want aws_security_group.bastion at main.tf:178", f.OpenedBy)
		}
		if r, pos := primaryRule(&f); r == nil || pos.Line != 178 {
			t.Errorf("SARIF points at %+v", pos)
		}
	}
	if checked != 1 {
		t.Fatalf("%d findings for SSH to the bastion from the private subnet, want 1", checked)
	}

	// Where SARIF points when the opening rule is written nowhere: the
	// network ACL rule admitting the traffic into the target's subnet, else
	// the target.
	aclStep := func(dir reach.Leg, owner string, line int) Step {
		return Step{Direction: dir, Kind: reach.StepNetworkACL, Component: owner, Decision: reach.DecisionAllow,
			Rules: []Rule{{Kind: reach.RuleNetworkACL, Text: "rule", Owner: owner, File: "net.tf", Line: line}}}
	}
	synthetic := Rule{Kind: reach.RuleSecurityGroup, Text: "rule 100", Synthetic: "default"}
	for _, tc := range []struct {
		name   string
		opened *Rule
		path   []Step
		tpos   model.Pos
		want   string
		wantR  bool
	}{
		{"the opening rule", &Rule{Kind: reach.RuleSecurityGroup, File: "sg.tf", Line: 4}, nil, model.Pos{}, "sg.tf:4", true},
		{"opened by a synthetic rule: the ACL into the subnet", &synthetic,
			[]Step{aclStep(reach.LegForward, "acl-src", 2), aclStep(reach.LegForward, "acl-dst", 3), aclStep(reach.LegReturn, "acl-dst", 5)}, model.Pos{}, "net.tf:3", true},
		{"no rule in a file: the target", &synthetic, nil, model.Pos{File: "main.tf", Line: 9}, "main.tf:9", false},
		{"nothing", nil, nil, model.Pos{}, "", false},
	} {
		f := Finding{Interface: "eni-dst", OpenedBy: tc.opened, Path: tc.path, targetPos: tc.tpos}
		r, pos := primaryRule(&f)
		if pos.String() != tc.want || (r != nil) != tc.wantR {
			t.Errorf("%s: points at %q (rule %v), want %q", tc.name, pos, r, tc.want)
		}
	}
}

// TestSARIFGoldensSchema validates the SARIF that the commands write — the
// goldens of plan-check and diff on every plan pre-check case (intent
// violations included) and of check on every example — against the
// schema's rules, with unique rule IDs and ruleIndex naming ruleId.
func TestSARIFGoldensSchema(t *testing.T) {
	files, _ := filepath.Glob("../cmd/vpcsim/testdata/plancheck/*/*.sarif")
	more, _ := filepath.Glob("../cmd/vpcsim/testdata/check/*.sarif")
	files = append(files, more...)
	if len(files) < 10 {
		t.Fatalf("found only %d SARIF goldens", len(files))
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, e := range checkSARIF("$", "log", v) {
			t.Errorf("%s: %s", f, e)
		}
		var s sarifLog
		if err := json.Unmarshal(b, &s); err != nil {
			t.Fatal(err)
		}
		run := s.Runs[0]
		if run.Tool.Driver.Version == "" {
			t.Errorf("%s: no tool.driver.version", f)
		}
		ids := map[string]bool{}
		for _, ru := range run.Tool.Driver.Rules {
			if ids[ru.ID] {
				t.Errorf("%s: rule %s twice", f, ru.ID)
			}
			ids[ru.ID] = true
		}
		for i, res := range run.Results {
			if res.RuleIndex >= len(run.Tool.Driver.Rules) || run.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID {
				t.Errorf("%s: result %d: ruleIndex %d does not name %s", f, i, res.RuleIndex, res.RuleID)
			}
		}
	}
}
