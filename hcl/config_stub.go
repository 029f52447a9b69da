package hcl

import (
	"io/fs"

	"github.com/vpcsim/vpcsim/model"
)

// LoadConfig reads a folder of Terraform configuration. This placeholder
// refuses every folder; the configuration loader replaces it.
func LoadConfig(fsys fs.FS, dir string, opts ...Option) (*Input, error) {
	in := &Input{Path: dir, Format: FormatConfig, Network: &model.Network{Source: dir}}
	in.Diagnostics = model.Diagnostics{{Severity: model.SeverityError, Pos: model.Pos{File: dir},
		Message: "Terraform configuration folders are not supported yet: load a terraform.tfstate, or the JSON of `terraform show -json`"}}
	return in, in.Diagnostics.Errors()
}
