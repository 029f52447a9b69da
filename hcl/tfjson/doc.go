// Package tfjson reads the JSON documents Terraform writes: a state file in
// format version 4, and the JSON of `terraform show -json` for a state or a
// saved plan. Read tells the format from the content, refuses what is not
// one of these with a message that says what to do instead, and returns the
// resource instances (for a plan: before and after it, with the values not
// known until apply marked, and the references the plan's configuration
// section lists resolved to symbolic IDs).
//
// Its JSON parser is its own: encoding/json cannot say where a value came
// from, and every diagnostic must name a line and column.
package tfjson
