// Package reach is vpcsim's data plane: it builds, from a validated
// model.Network, a directed graph (gonum) of the network's elements —
// interfaces, subnets, VPC fabrics, gateways, peering connections, transit
// gateway route tables and the worlds outside (the internet, on-premises
// networks, AWS services) — whose edges carry the semantics of each hop: the
// set of headers routed along it, the filters (security groups, network ACLs)
// it crosses and the translations (NAT) it applies.
//
// Every security group, network ACL, route and gateway decision is
// implemented once, here, as an operation on header sets (package
// reach/hset). The concrete trace of one flow (Trace) and the exhaustive
// analysis of all flows (Analyze) are the same walk over the same edges with
// sets of different sizes, so they cannot disagree about a rule.
//
// Semantics follow AWS's documentation; docs/semantics.md lists each rule
// with its source, and docs/explanation-codes.md the codes that explain why a
// flow does not pass.
package reach
