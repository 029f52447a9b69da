package main

import (
	"github.com/spf13/cobra"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
)

// ephemeralFlag is --ephemeral: the client port range replies must reach,
// read when the flag is set (a bad range is a usage error), by default
// model.DefaultEphemeral.
type ephemeralFlag struct{ value model.PortRange }

func (f *ephemeralFlag) String() string { return f.value.String() }
func (f *ephemeralFlag) Type() string   { return "range" }
func (f *ephemeralFlag) Set(v string) error {
	r, err := model.ParsePortRange(v)
	if err != nil {
		return err
	}
	f.value = r
	return nil
}

// addEphemeralFlag registers --ephemeral on cmd.
func addEphemeralFlag(cmd *cobra.Command) *ephemeralFlag {
	f := &ephemeralFlag{value: model.DefaultEphemeral}
	cmd.Flags().Var(f, "ephemeral", "client ephemeral port `RANGE` replies must reach")
	return f
}

// groupByFlag is --by, read with reach.ParseGroupBy when it is set.
type groupByFlag struct{ value reach.GroupBy }

func (f *groupByFlag) String() string { return string(f.value) }
func (f *groupByFlag) Type() string   { return "grouping" }
func (f *groupByFlag) Set(v string) error {
	by, err := reach.ParseGroupBy(v)
	if err != nil {
		return err
	}
	f.value = by
	return nil
}
