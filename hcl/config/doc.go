// Package config evaluates a Terraform configuration (a folder of .tf and
// .tf.json files and the modules it calls) the way `terraform plan` would,
// without providers: variables from every source in Terraform's order of
// precedence, count, for_each, dynamic blocks, modules and functions. Values
// known only after apply stay unknown and flow through evaluation as
// Terraform's own unknowns do. Evaluate returns the resource instances in
// the shape package mapper reads; see docs/loading-config.md.
//
// HashiCorp's hcl/v2 is imported as hhcl, so that the name hcl stays that
// of vpcsim's loader.
package config
