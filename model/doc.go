// Package model is vpcsim's description of an AWS network as plain data.
//
// A Network holds every element vpcsim understands — VPCs, subnets, route
// tables, network ACLs, security groups, network interfaces, instances,
// gateways, peering connections, transit gateways, endpoints, prefix lists and
// Elastic IPs — as values that refer to each other by ID, the way AWS's own
// APIs do. References are strings, not pointers, so that a loader can build
// elements in any order and Validate can report a dangling reference instead
// of a loader crashing on one.
//
// Addresses are net/netip values. A zero netip.Prefix or netip.Addr means
// "absent", never "any": "any" is always written out (0.0.0.0/0, ::/0).
//
// Every element carries a Meta: its AWS ID (or a stable symbolic ID when the
// real one is unknown until apply), its Terraform address and the source
// position it came from, so that every explanation can name the exact rule,
// file and line that decided it.
//
// The package imports nothing of vpcsim's own: it is the vocabulary the
// loaders (package hcl), the engines (package reach) and the renderers share.
package model
