package main

import (
	"github.com/vpcsim/vpcsim/hcl"
)

// loadInput loads the network a command works on. The error is a usage
// error when no input is named, else the load's error (its diagnostics are
// in the returned Input).
func loadInput(path string, opts ...hcl.Option) (*hcl.Input, error) {
	if path == "" {
		// The embedded default network (package examples) is wired here: without --in, commands will load it.
		return nil, usageErrorf("no input: pass --in PATH (a folder of Terraform configuration, a terraform.tfstate, the JSON of `terraform show -json`, or - for standard input)")
	}
	return hcl.Load(path, opts...)
}
