// Package hcl loads networks into package model from Terraform's files: a
// configuration (a folder of .tf and .tf.json files, evaluated the way
// Terraform would, without running it), a state file (format version 4), and
// the JSON that `terraform show -json` prints for a state or a plan (a plan
// gives the network before and after it).
//
// A load goes one way through its parts:
//
//	hcl.Load ─┬─ tfjson.Read (state, show state, plan) ─┐
//	          └─ config.Evaluate (configuration)       ─┴─ []resource.Instance ─ mapper.Build ─ model.Network
//
// Both readers produce the same intermediate form (package resource):
// resource instances whose attributes have the shape the AWS provider writes
// into state; one mapper turns that form into a model.Network. Values that
// are not known until apply become symbolic IDs or placeholder addresses,
// always recorded in the element's Meta.Unknown, never guessed silently.
package hcl
