// Package awsapi reads an AWS API snapshot: a folder of the JSON the AWS CLI
// prints for the describe calls of docs/snapshot.sh (VPCs, subnets, route
// tables, network ACLs, security groups and their rules, interfaces,
// instances, gateways, endpoints, peering, transit gateways, prefix lists,
// load balancers, Auto Scaling groups, databases, functions), for one or
// several accounts and regions. Read turns each answer into the resource
// instances the AWS provider would write into a state for what it
// describes, so that the mapper every reader shares maps each AWS element
// once, whatever the input; every instance carries the file and line of the
// object it comes from.
package awsapi
