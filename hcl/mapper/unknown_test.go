package mapper

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/hcl/resource"
	"github.com/vpcsim/vpcsim/model"
)

// inst builds an instance the way the configuration evaluator does: IDs
// symbolic, computed values unknown, nested blocks positioned.
func inst(typ, name string, line int, attrs map[string]any) resource.Instance {
	addr := typ + "." + name
	if _, ok := attrs["id"]; !ok {
		attrs["id"] = resource.SymbolicID(addr, "id")
	}
	return resource.Instance{Mode: "managed", Type: typ, Address: addr, Attrs: attrs, Pos: model.Pos{File: "main.tf", Line: line, Col: 1}}
}

func block(line int, attrs map[string]any) map[string]any {
	attrs[resource.PosKey] = model.Pos{File: "main.tf", Line: line, Col: 3}
	return attrs
}

func num(n int) json.Number { return json.Number(itoa(n)) }

// TestMapUnknowns maps instances with values unknown until apply, as a
// configuration or a plan gives them.
func TestMapUnknowns(t *testing.T) {
	insts := []resource.Instance{
		inst("aws_vpc", "main", 1, map[string]any{"cidr_block": "10.0.0.0/16", "ipv6_cidr_block": "2600:1f18::/56",
			"main_route_table_id": resource.SymbolicID("aws_vpc.main", "main_route_table_id"), "default_network_acl_id": resource.SymbolicID("aws_vpc.main", "default_network_acl_id"),
			"default_security_group_id": resource.SymbolicID("aws_vpc.main", "default_security_group_id"), "arn": resource.Unknown}),
		inst("aws_subnet", "a", 10, map[string]any{"vpc_id": "aws_vpc.main", "cidr_block": "10.0.1.0/24", "ipv6_cidr_block": "2600:1f18::/64", "map_public_ip_on_launch": false}),
		inst("aws_subnet", "pool", 20, map[string]any{"vpc_id": "aws_vpc.main", "cidr_block": resource.Unknown}),
		inst("aws_default_route_table", "d", 30, map[string]any{"default_route_table_id": resource.SymbolicID("aws_vpc.main", "default_route_table_id"),
			"route": []any{block(32, map[string]any{"cidr_block": "0.0.0.0/0", "gateway_id": "aws_internet_gateway.gw"})}}),
		inst("aws_default_network_acl", "d", 40, map[string]any{"default_network_acl_id": "aws_vpc.main.default_network_acl_id",
			"ingress": []any{block(42, map[string]any{"rule_no": num(100), "protocol": "-1", "action": "allow", "cidr_block": "0.0.0.0/0", "from_port": num(0), "to_port": num(0)})}}),
		inst("aws_internet_gateway", "gw", 50, map[string]any{"vpc_id": "aws_vpc.main"}),
		inst("aws_security_group", "web", 60, map[string]any{"vpc_id": "aws_vpc.main", "name": "web",
			"ingress": []any{block(63, map[string]any{"protocol": "tcp", "from_port": num(443), "to_port": num(443), "cidr_blocks": []any{"0.0.0.0/0"}, "prefix_list_ids": []any{"aws_vpc_endpoint.s3.prefix_list_id"}})},
			"egress":  []any{}}),
		inst("aws_instance", "web", 70, map[string]any{"subnet_id": "aws_subnet.a", "private_ip": resource.Unknown, "public_ip": resource.Unknown,
			"associate_public_ip_address": true, "vpc_security_group_ids": []any{"aws_security_group.web"}, "ipv6_address_count": num(1),
			"primary_network_interface_id": resource.SymbolicID("aws_instance.web", "primary_network_interface_id")}),
		inst("aws_instance", "pooled", 80, map[string]any{"subnet_id": "aws_subnet.pool", "private_ip": resource.Unknown, "vpc_security_group_ids": []any{"aws_security_group.web"}}),
		inst("aws_eip", "nat", 90, map[string]any{"public_ip": resource.Unknown, "allocation_id": resource.SymbolicID("aws_eip.nat", "allocation_id")}),
		inst("aws_nat_gateway", "nat", 100, map[string]any{"subnet_id": "aws_subnet.a", "allocation_id": resource.SymbolicID("aws_eip.nat", "allocation_id"), "private_ip": resource.Unknown, "public_ip": resource.Unknown}),
		inst("aws_ec2_transit_gateway", "hub", 110, map[string]any{"association_default_route_table_id": resource.SymbolicID("aws_ec2_transit_gateway.hub", "association_default_route_table_id"),
			"propagation_default_route_table_id": resource.SymbolicID("aws_ec2_transit_gateway.hub", "propagation_default_route_table_id")}),
		inst("aws_ec2_transit_gateway_vpc_attachment", "main", 120, map[string]any{"transit_gateway_id": "aws_ec2_transit_gateway.hub", "vpc_id": "aws_vpc.main", "subnet_ids": []any{"aws_subnet.a"}}),
		inst("aws_vpc_endpoint", "s3", 130, map[string]any{"vpc_id": "aws_vpc.main", "service_name": "com.amazonaws.us-east-1.s3", "route_table_ids": []any{"aws_default_route_table.d"}, "prefix_list_id": resource.Unknown}),
		inst("aws_subnet", "lost", 140, map[string]any{"vpc_id": resource.Unknown, "cidr_block": "10.0.9.0/24"}),
	}
	insts[len(insts)-1].Unresolved = map[string]string{"vpc_id": "it refers to local.vpc"}
	b := Build("main.tf", insts, Options{})
	n := b.Network
	if b.Diagnostics.HasErrors() {
		t.Fatalf("errors:\n%s", diagText(b.Diagnostics))
	}

	// aws_default_route_table is the VPC's main table, under both of its
	// names; no other main table is synthesised.
	vpc := n.VPCs[0]
	rt := findRT(n, "aws_default_route_table.d")
	if rt.ID != "aws_vpc.main.main_route_table_id" || !rt.Main || vpc.MainRouteTableID != rt.ID || rt.VPCID != "aws_vpc.main" {
		t.Errorf("main table %+v; VPC says %q", rt, vpc.MainRouteTableID)
	}
	if len(n.RouteTables) != 1 {
		t.Errorf("%d route tables, want 1", len(n.RouteTables))
	}
	if r := routeTo(rt, "0.0.0.0/0"); r.Pos.Line != 32 || r.Target.Kind != model.TargetInternetGateway {
		t.Errorf("route %+v", r)
	}
	if acl := findACL(n, "aws_default_network_acl.d"); acl.ID != "aws_vpc.main.default_network_acl_id" || !acl.Default || len(n.NetworkACLs) != 1 || acl.Ingress[0].Pos.Line != 42 {
		t.Errorf("default ACL %+v", acl)
	}
	// A nested block keeps its own position.
	web := findSG(n, "aws_security_group.web")
	if len(web.Ingress) != 2 || web.Ingress[0].Pos.Line != 63 || web.Ingress[1].Peer.PrefixListID != "aws_vpc_endpoint.s3.prefix_list_id" {
		t.Errorf("web ingress %+v", web.Ingress)
	}
	// The gateway endpoint's list is symbolic, entries unknown; the rule
	// naming it resolves to it.
	if pl := findPL(n, "aws_vpc_endpoint.s3.prefix_list_id"); pl == nil || !pl.EntriesUnknown {
		t.Errorf("endpoint prefix list %+v", pl)
	}
	if r := routeTo(rt, "aws_vpc_endpoint.s3.prefix_list_id"); r == nil || r.Target.ID != "aws_vpc_endpoint.s3" {
		t.Errorf("endpoint route %+v", r)
	}

	// Placeholders: private, IPv6 when asked, public when asked.
	e := findENI(n, "aws_instance.web.primary_network_interface_id")
	if len(e.PrivateIPs) != 1 || !pfx("10.0.1.0/24").Contains(e.PrivateIPs[0]) || !e.IsPlaceholder(e.PrivateIPs[0]) || !e.IsUnknown("private_ip") {
		t.Errorf("private placeholder %+v", e)
	}
	if len(e.PublicIPs) != 1 || !e.PublicIPs[0].Placeholder || !e.IsUnknown("public_ip") {
		t.Errorf("public placeholder %+v", e.PublicIPs)
	}
	// The NAT gateway takes its Elastic IP's placeholder.
	g, eip := n.NATGateways[0], n.ElasticIPs[0]
	if eip.ID != "aws_eip.nat" || !eip.Placeholder || g.AllocationID != "aws_eip.nat" || g.PublicIP != eip.PublicIP || !g.Placeholder {
		t.Errorf("NAT %+v, EIP %+v", g, eip)
	}
	if slices.ContainsFunc(n.Interfaces, func(e *model.NetworkInterface) bool { return e.ID == "" }) {
		t.Errorf("an interface without ID")
	}
	// A subnet whose CIDR is unknown: its instance gets no address, and
	// neither is an error.
	if s := findSubnet(n, "aws_subnet.pool"); !s.IsUnknown("cidr_block") || s.CIDR.IsValid() {
		t.Errorf("unknown CIDR %+v", s)
	}
	// The transit gateway's one default table takes both roles.
	tgw := n.TransitGateways[0]
	if tgw.AssociationRouteTableID != tgw.PropagationRouteTableID {
		t.Errorf("default tables %q %q", tgw.AssociationRouteTableID, tgw.PropagationRouteTableID)
	}
	def := findTGWRT(n, tgw.AssociationRouteTableID)
	if def == nil || len(def.Associations) != 1 || len(def.Propagations) != 1 {
		t.Errorf("default table %+v", def)
	}

	var warnings []string
	for _, d := range b.Diagnostics {
		if d.Severity == model.SeverityWarning {
			warnings = append(warnings, d.String())
		}
	}
	for _, w := range []string{
		"main.tf:20:1: warning: aws_subnet.pool: cidr_block is not known until apply: no address in this subnet can be analysed",
		"main.tf:140:1: warning: aws_subnet.lost: vpc_id is not known until apply (it refers to local.vpc): the subnet cannot be placed in a VPC",
		"main.tf:80:1: warning: aws_instance.pooled.primary_network_interface_id: private_ip is not known until apply and the CIDR block of subnet aws_subnet.pool is not known",
	} {
		if !containsAny(warnings, w) {
			t.Errorf("no warning %q; got:\n%s", w, strings.Join(warnings, "\n"))
		}
	}
	var notes int
	for _, d := range b.Diagnostics {
		if d.Severity == model.SeverityNote && strings.Contains(d.Message, "using placeholder") {
			notes++
		}
	}
	if notes != 5 { // web: private, IPv6, public; EIP public; NAT private; none for pooled
		t.Errorf("%d placeholder notes, want 5:\n%s", notes, diagText(b.Diagnostics))
	}
}
