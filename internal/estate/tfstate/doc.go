// Package tfstate writes Terraform state files (format version 4) with the
// attribute sets the hashicorp/aws provider (5.x) stores for the networking
// resources vpcsim reads.
//
// It exists so that the estates package estate writes (the examples and the
// synthetic estates of `vpcsim gen`) are shaped exactly like what `terraform
// apply` leaves behind: every attribute the provider writes (nulls and empty lists included), keys
// in the order Terraform writes them (alphabetical inside attributes,
// Terraform's fixed order around them), resources sorted the way Terraform
// sorts them, two-space indentation and a final newline. A loader that reads
// these files therefore reads real states, not a simplified dialect.
//
// The attribute types in aws.go declare their fields in alphabetical order of
// their JSON names, because encoding/json writes struct fields in declaration
// order and Terraform writes object attributes sorted; a test keeps it so.
//
// Writer streams: each resource is encoded on its own and written out, so a
// state of any size is written in constant memory.
package tfstate
