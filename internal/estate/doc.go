// Package estate is vpcsim's one estate generator: it writes AWS estates as
// Terraform state files (format version 4, shaped exactly as terraform 1.9
// with the hashicorp/aws provider 5.x writes them, through package tfstate).
// It makes two kinds:
//
//   - the example estates of package examples (Example, ExampleNames): the
//     state files under examples/*/terraform.tfstate are their output
//     (`go generate ./examples`), so that every ID, reference and address in
//     them is consistent by construction and a change to an estate is a
//     reviewable change of code;
//   - synthetic estates of any size (Write, Params), for `vpcsim gen`,
//     benchmarks and tests that need more than the hand-made examples.
//
// Package estatetest checks what either writes, independently of vpcsim's
// loader.
//
// A synthetic estate is realistic in shape: each VPC (one module instance,
// module.vpc["net-0001"]) has public, app and database subnets spread over up
// to three zones, an internet gateway, a NAT gateway with its Elastic IP,
// route tables per tier, a network ACL on the database tier with numbered
// allow and deny rules and ephemeral return ranges, security groups that
// reference each other (web → app → db, admin for SSH), and instances in
// every subnet. Transit gateway hubs attach VPCs with one subnet per zone and
// route them through two route tables per hub; peerings connect pairs of VPCs
// with routes on both sides. Some mistakes are planted, as in real estates:
// admin ports open to the world, blackhole routes on the hubs, an attachment
// that misses a zone, security groups that reference a group in a peered
// VPC.
//
// Everything derives from Params: the same Params give the same bytes (no
// map iteration order, no clock). IDs are unique by construction (a keyed
// bijection of each element's position), addresses are valid, unique, in
// their subnets and outside the five AWS reserves, and VPC blocks never
// overlap (10.0.0.0/8, then 172.16.0.0/12, 192.168.0.0/16 and
// 100.64.0.0/10, with smaller VPCs when more than 337 are asked for).
//
// Write streams: one VPC is built in memory at a time and each resource is
// encoded on its own, so memory stays flat whatever the size.
package estate
