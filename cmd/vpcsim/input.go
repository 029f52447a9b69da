package main

import (
	"github.com/vpcsim/vpcsim/examples"
	"github.com/vpcsim/vpcsim/hcl"
)

// loadInput loads the network a command works on: the file or folder path
// names, or, without one, the embedded example network, so that every
// command shows real output at once. The load's error, if any, comes with
// its diagnostics in the returned Input.
func loadInput(path string, opts ...hcl.Option) (*hcl.Input, error) {
	if path == "" {
		ex := examples.Default()
		return hcl.LoadBytes("examples/"+ex.StatePath+" (embedded)", ex.State(), opts...)
	}
	return hcl.Load(path, opts...)
}
