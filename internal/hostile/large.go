package hostile

import (
	"encoding/json"
	"fmt"
)

// Large is a network at the edge of what AWS allows, which vpcsim must load
// and analyse quickly, with flows whose answers are known.
type Large struct {
	Name  string
	State []byte
	// Flows are trace questions and their answers.
	Flows []Flow
}

// Flow is one trace question about a Large network.
type Flow struct {
	From, To string
	Port     int
	// Reachable is the answer; Rule, when set, is the rule or route the
	// trace must name (a network ACL rule number, a route destination).
	Reachable bool
	Rule      string
}

// state writes a Terraform state (format version 4) with one instance per
// resource; attrs are in the shape the AWS provider writes.
type state struct {
	resources []any
}

func (s *state) add(typ, name string, attrs map[string]any) {
	s.resources = append(s.resources, map[string]any{
		"mode": "managed", "type": typ, "name": name,
		"provider":  `provider["registry.terraform.io/hashicorp/aws"]`,
		"instances": []any{map[string]any{"schema_version": 0, "attributes": attrs}},
	})
}

func (s *state) bytes() []byte {
	b, err := json.MarshalIndent(map[string]any{
		"version": 4, "terraform_version": "1.9.8", "serial": 1, "lineage": "00000000-0000-0000-0000-000000000000",
		"outputs": map[string]any{}, "resources": s.resources,
	}, "", "  ")
	if err != nil {
		panic(err)
	}
	return b
}

// base is a VPC with one public subnet, an internet gateway, a route table
// with a default route to it, and a web server at 10.0.1.10 (public
// 54.240.0.10) whose group allows tcp 443 from sgSource (a CIDR block or a
// prefix list ID) and everything out.
func base(routes []any, sgSource string) *state {
	s := &state{}
	s.add("aws_vpc", "main", map[string]any{"id": "vpc-0a000000000000001", "cidr_block": "10.0.0.0/16",
		"arn": "arn:aws:ec2:us-east-1:111122223333:vpc/vpc-0a000000000000001", "owner_id": "111122223333"})
	s.add("aws_subnet", "web", map[string]any{"id": "subnet-0a000000000000001", "vpc_id": "vpc-0a000000000000001",
		"cidr_block": "10.0.1.0/24", "availability_zone": "us-east-1a", "map_public_ip_on_launch": true})
	s.add("aws_internet_gateway", "main", map[string]any{"id": "igw-0a000000000000001", "vpc_id": "vpc-0a000000000000001"})
	s.add("aws_route_table", "web", map[string]any{"id": "rtb-0a000000000000001", "vpc_id": "vpc-0a000000000000001",
		"route": append([]any{map[string]any{"cidr_block": "0.0.0.0/0", "gateway_id": "igw-0a000000000000001"}}, routes...)})
	s.add("aws_route_table_association", "web", map[string]any{"id": "rtbassoc-0a000000000000001",
		"subnet_id": "subnet-0a000000000000001", "route_table_id": "rtb-0a000000000000001"})
	rule := map[string]any{"from_port": 443, "to_port": 443, "protocol": "tcp", "cidr_blocks": []any{}, "prefix_list_ids": []any{},
		"ipv6_cidr_blocks": []any{}, "security_groups": []any{}, "self": false}
	if len(sgSource) > 3 && sgSource[:3] == "pl-" {
		rule["prefix_list_ids"] = []any{sgSource}
	} else {
		rule["cidr_blocks"] = []any{sgSource}
	}
	s.add("aws_security_group", "web", map[string]any{"id": "sg-0a000000000000001", "vpc_id": "vpc-0a000000000000001", "name": "web",
		"ingress": []any{rule},
		"egress": []any{map[string]any{"from_port": 0, "to_port": 0, "protocol": "-1", "cidr_blocks": []any{"0.0.0.0/0"},
			"prefix_list_ids": []any{}, "ipv6_cidr_blocks": []any{}, "security_groups": []any{}, "self": false}}})
	s.add("aws_instance", "web", map[string]any{"id": "i-0a000000000000001", "subnet_id": "subnet-0a000000000000001",
		"private_ip": "10.0.1.10", "public_ip": "54.240.0.10", "primary_network_interface_id": "eni-0a000000000000001",
		"vpc_security_group_ids": []any{"sg-0a000000000000001"}, "source_dest_check": true})
	return s
}

// LargeNACL is a network ACL with 32,766 inbound rules, every rule number
// AWS allows: rules 1 to 32,765 deny a /24 of 11.0.0.0/8 each, in turn on
// every port and on tcp 443 alone, and rule 32,766 allows everything; the
// web server's subnet uses it.
func LargeNACL() Large {
	s := base(nil, "0.0.0.0/0")
	ingress := make([]any, 0, 32766)
	for n := 1; n <= 32765; n++ {
		e := map[string]any{"rule_no": n, "action": "deny", "protocol": "6", "cidr_block": fmt.Sprintf("11.%d.%d.0/24", n/256, n%256),
			"from_port": 0, "to_port": 65535, "icmp_type": 0, "icmp_code": 0, "ipv6_cidr_block": ""}
		if n%2 == 0 {
			e["from_port"], e["to_port"] = 443, 443
		}
		ingress = append(ingress, e)
	}
	ingress = append(ingress, map[string]any{"rule_no": 32766, "action": "allow", "protocol": "-1", "cidr_block": "0.0.0.0/0",
		"from_port": 0, "to_port": 0, "icmp_type": 0, "icmp_code": 0, "ipv6_cidr_block": ""})
	s.add("aws_network_acl", "web", map[string]any{"id": "acl-0a000000000000001", "vpc_id": "vpc-0a000000000000001",
		"subnet_ids": []any{"subnet-0a000000000000001"}, "ingress": ingress,
		"egress": []any{map[string]any{"rule_no": 100, "action": "allow", "protocol": "-1", "cidr_block": "0.0.0.0/0",
			"from_port": 0, "to_port": 0, "icmp_type": 0, "icmp_code": 0, "ipv6_cidr_block": ""}}})
	return Large{Name: "network ACL with 32,766 rules", State: s.bytes(), Flows: []Flow{
		{From: "8.8.8.8", To: "aws_instance.web", Port: 443, Reachable: true, Rule: "32766"},
		{From: "11.0.1.9", To: "aws_instance.web", Port: 443, Reachable: false, Rule: "1"},
		{From: "11.0.2.9", To: "aws_instance.web", Port: 443, Reachable: false, Rule: "2"},
		{From: "11.127.253.9", To: "aws_instance.web", Port: 443, Reachable: false, Rule: "32765"},
		{From: "11.127.254.9", To: "aws_instance.web", Port: 443, Reachable: true, Rule: "32766"},
	}}
}

// LargeRouteTable is a route table with 1,000 routes, the most AWS
// allows: the default route to the internet gateway, and 999 /24s of
// 20.0.0.0/8, every third one through a NAT gateway, the others through
// the internet gateway, and one of 10.0.0.0/8's to a peering connection
// that does not exist.
func LargeRouteTable() Large {
	var routes []any
	for i := range 998 {
		r := map[string]any{"cidr_block": fmt.Sprintf("20.%d.%d.0/24", i/250, i%250)}
		if i%3 == 2 {
			r["nat_gateway_id"] = "nat-0a000000000000001"
		} else {
			r["gateway_id"] = "igw-0a000000000000001"
		}
		routes = append(routes, r)
	}
	routes = append(routes, map[string]any{"cidr_block": "10.9.0.0/16", "vpc_peering_connection_id": "pcx-0a000000000000001"})
	s := base(routes, "0.0.0.0/0")
	s.add("aws_eip", "nat", map[string]any{"id": "eipalloc-0a000000000000001", "allocation_id": "eipalloc-0a000000000000001",
		"public_ip": "54.240.0.20", "domain": "vpc"})
	// The NAT gateway lives in a subnet of its own, whose table sends
	// everything to the internet gateway.
	s.add("aws_subnet", "nat", map[string]any{"id": "subnet-0a000000000000002", "vpc_id": "vpc-0a000000000000001",
		"cidr_block": "10.0.2.0/24", "availability_zone": "us-east-1a"})
	s.add("aws_route_table", "nat", map[string]any{"id": "rtb-0a000000000000002", "vpc_id": "vpc-0a000000000000001",
		"route": []any{map[string]any{"cidr_block": "0.0.0.0/0", "gateway_id": "igw-0a000000000000001"}}})
	s.add("aws_route_table_association", "nat", map[string]any{"id": "rtbassoc-0a000000000000002",
		"subnet_id": "subnet-0a000000000000002", "route_table_id": "rtb-0a000000000000002"})
	s.add("aws_nat_gateway", "main", map[string]any{"id": "nat-0a000000000000001", "subnet_id": "subnet-0a000000000000002",
		"allocation_id": "eipalloc-0a000000000000001", "private_ip": "10.0.2.20", "public_ip": "54.240.0.20",
		"network_interface_id": "eni-0a000000000000002", "connectivity_type": "public"})
	return Large{Name: "route table with 1,000 routes", State: s.bytes(), Flows: []Flow{
		{From: "aws_instance.web", To: "20.0.0.9", Port: 443, Reachable: true, Rule: "20.0.0.0/24"},
		{From: "aws_instance.web", To: "20.0.2.9", Port: 443, Reachable: true, Rule: "20.0.2.0/24"},
		{From: "aws_instance.web", To: "20.3.247.9", Port: 443, Reachable: true, Rule: "20.3.247.0/24"},
		{From: "aws_instance.web", To: "8.8.8.8", Port: 443, Reachable: true, Rule: "0.0.0.0/0"},
		{From: "aws_instance.web", To: "10.9.0.9", Port: 443, Reachable: false, Rule: "10.9.0.0/16"},
	}}
}

// LargePrefixList is a customer-managed prefix list of 10,000 entries (the
// /28s of 30.0.0.0/14 in turn) that the web server's group allows tcp 443
// from.
func LargePrefixList() Large {
	s := base(nil, "pl-0a000000000000001")
	entries := make([]any, 0, 10000)
	for i := range 10000 {
		entries = append(entries, map[string]any{"cidr": fmt.Sprintf("30.%d.%d.%d/28", i/4096, (i/16)%256, (i%16)*16), "description": ""})
	}
	s.add("aws_ec2_managed_prefix_list", "partners", map[string]any{"id": "pl-0a000000000000001", "name": "partners",
		"address_family": "IPv4", "max_entries": 10000, "entry": entries})
	return Large{Name: "prefix list of 10,000 entries", State: s.bytes(), Flows: []Flow{
		{From: "30.0.0.1", To: "aws_instance.web", Port: 443, Reachable: true},
		{From: "30.2.112.255", To: "aws_instance.web", Port: 443, Reachable: true},
		{From: "30.2.113.0", To: "aws_instance.web", Port: 443, Reachable: false},
		{From: "8.8.8.8", To: "aws_instance.web", Port: 443, Reachable: false},
	}}
}

// LargeElements are the three large networks.
func LargeElements() []Large { return []Large{LargeNACL(), LargeRouteTable(), LargePrefixList()} }
