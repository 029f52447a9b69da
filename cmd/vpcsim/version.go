package main

import (
	"encoding/json"
	"fmt"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/vpcsim/vpcsim/report"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3"; the
// module version from the build info (report.Version) is used otherwise.
var version = ""

func versionString() string {
	if version != "" {
		return version
	}
	return report.Version()
}

func newVersionCmd(s *streams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print vpcsim's version",
		Args:  cobra.NoArgs,
	}
	format := addFormatFlag(cmd, "text", "json")
	cmd.RunE = func(*cobra.Command, []string) error {
		if format.value == "json" {
			enc := json.NewEncoder(s.out)
			enc.SetIndent("", "  ")
			return enc.Encode(map[string]string{"version": versionString(), "go": runtime.Version()})
		}
		_, err := fmt.Fprintf(s.out, "vpcsim %s (%s)\n", versionString(), runtime.Version())
		return err
	}
	return cmd
}
