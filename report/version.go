package report

import "runtime/debug"

// version is set at build time with
// -ldflags "-X github.com/vpcsim/vpcsim/report.version=v1.2.3" when the
// build info does not carry the module's version.
var version = ""

// Version is vpcsim's version, as `vpcsim version` prints it and SARIF's
// tool.driver.version carries it: the -X flag's when given, else the main
// module's version from the build info (a tag, or the pseudo-version
// `go build` derives from the commit), else — for a build from a work tree
// without version control information, such as `go run` or a test —
// "devel", with the commit when the build info has one.
func Version() string {
	if version != "" {
		return version
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	return versionOf(bi)
}

func versionOf(bi *debug.BuildInfo) string {
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	rev, dirty := "", false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "devel"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "-dirty"
	}
	return "devel+" + rev
}
