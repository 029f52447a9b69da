// Package reach is vpcsim's data plane: it builds, from a validated
// model.Network, a directed graph of the network's elements — interfaces,
// subnets, VPC fabrics, gateways, peering connections, transit gateway route
// tables and the worlds outside (the internet, on-premises networks, AWS
// services) — whose edges carry the semantics of each hop: the set of
// headers routed along it, the filters (security groups, network ACLs) it
// crosses and the translations (NAT) it applies.
//
// Every security group, network ACL, route and gateway decision is
// implemented once, here, organised by AWS element: each element's file
// holds how New compiles it and how a walk crosses it (docs/semantics.md has
// one section per file, docs/architecture.md lists them). The compiled rules
// are operations on header sets (package reach/hset) with a point form for
// one header over the same data, so that every query answers with the same
// rules:
//
//   - Trace follows one flow and its replies, hop by hop;
//   - Analyze computes every flow from a source that reaches an interface
//     and gets its replies back, exactly, and Findings splits it by service;
//   - Matrix computes what passes between groups of interfaces;
//   - Step moves one concrete packet one hop, for packet walkers;
//   - Topology and Loops describe the graph itself.
//
// New does all the work once; queries only read the Engine, so one Engine
// serves concurrent queries. Semantics follow AWS's documentation;
// docs/semantics.md lists each rule with its source, and
// docs/explanation-codes.md the codes that explain why a flow does not pass.
package reach
