package hcl

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/model"
)

type obj = map[string]any

// planResource is one planned resource instance of a hand-written plan.
type planResource struct {
	addr, typ, name string
	index           any // nil, a number or a string
	values          obj
	unknown         obj    // after_unknown
	action          string // "" means create
}

// refs is a configuration expression that references things.
func refs(r ...string) obj {
	l := make([]any, len(r))
	for i, s := range r {
		l[i] = s
	}
	return obj{"references": l}
}

func constant(v any) obj { return obj{"constant_value": v} }

// planJSON builds a minified plan: planned values by module, resource
// changes, a prior state and a configuration.
func planJSON(t *testing.T, rs []planResource, prior []obj, config obj) []byte {
	t.Helper()
	modules := map[string][]any{}
	var order []string
	var changes []any
	for _, x := range rs {
		mod := ""
		if i := strings.LastIndex(x.addr, "module."); i >= 0 {
			rest := x.addr[i:]
			parts := strings.SplitN(rest, ".", 3)
			mod = x.addr[:i] + parts[0] + "." + parts[1]
		}
		if _, ok := modules[mod]; !ok {
			order = append(order, mod)
		}
		action := x.action
		if action == "" {
			action = "create"
		}
		if action != "delete" {
			res := obj{"address": x.addr, "mode": "managed", "type": x.typ, "name": x.name, "values": x.values}
			if x.index != nil {
				res["index"] = x.index
			}
			modules[mod] = append(modules[mod], res)
		}
		ch := obj{"actions": []any{action}, "after_unknown": x.unknown}
		if x.unknown == nil {
			ch["after_unknown"] = obj{}
		}
		changes = append(changes, obj{"address": x.addr, "type": x.typ, "name": x.name, "change": ch})
	}
	root := obj{"resources": modules[""]}
	var children []any
	for _, m := range order {
		if m != "" {
			children = append(children, obj{"address": m, "resources": modules[m]})
		}
	}
	if len(children) > 0 {
		root["child_modules"] = children
	}
	plan := obj{"format_version": "1.2", "terraform_version": "1.9.5", "planned_values": obj{"root_module": root},
		"resource_changes": changes, "configuration": config}
	if prior != nil {
		ps := make([]any, len(prior))
		for i, p := range prior {
			ps[i] = p
		}
		plan["prior_state"] = obj{"format_version": "1.0", "values": obj{"root_module": obj{"resources": ps}}}
	}
	b, err := json.Marshal(plan)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func cfgResource(typ, name string, exprs obj, extra ...any) obj {
	o := obj{"address": typ + "." + name, "mode": "managed", "type": typ, "name": name, "expressions": exprs}
	for i := 0; i+1 < len(extra); i += 2 {
		o[extra[i].(string)] = extra[i+1]
	}
	return o
}

func list(xs ...any) []any { return xs }

func TestPlanReferences(t *testing.T) {
	u := func(attrs ...string) obj {
		o := obj{}
		for _, a := range attrs {
			o[a] = true
		}
		return o
	}
	rs := []planResource{
		{addr: "aws_vpc.main", typ: "aws_vpc", name: "main", values: obj{"cidr_block": "10.0.0.0/16"},
			unknown: u("id", "arn", "main_route_table_id", "default_route_table_id", "default_security_group_id", "default_network_acl_id", "ipv6_cidr_block")},
		{addr: "aws_subnet.public", typ: "aws_subnet", name: "public", values: obj{"cidr_block": "10.0.0.0/24", "availability_zone": "us-east-1a", "map_public_ip_on_launch": true}, unknown: u("id", "vpc_id")},
		{addr: "aws_subnet.private[0]", typ: "aws_subnet", name: "private", index: 0, values: obj{"cidr_block": "10.0.1.0/24"}, unknown: u("id", "vpc_id")},
		{addr: "aws_subnet.private[1]", typ: "aws_subnet", name: "private", index: 1, values: obj{"cidr_block": "10.0.2.0/24"}, unknown: u("id", "vpc_id")},
		{addr: "aws_route_table.private", typ: "aws_route_table", name: "private", values: obj{}, unknown: u("id", "vpc_id", "route", "propagating_vgws")},
		{addr: "aws_route_table_association.private[0]", typ: "aws_route_table_association", name: "private", index: 0, values: obj{}, unknown: u("id", "subnet_id", "route_table_id")},
		{addr: "aws_route_table_association.private[1]", typ: "aws_route_table_association", name: "private", index: 1, values: obj{}, unknown: u("id", "subnet_id", "route_table_id")},
		{addr: "module.nat.aws_eip.this", typ: "aws_eip", name: "this", values: obj{"domain": "vpc"}, unknown: u("id", "allocation_id", "public_ip", "network_interface", "private_ip")},
		{addr: "module.nat.aws_nat_gateway.this", typ: "aws_nat_gateway", name: "this", values: obj{"connectivity_type": "public"}, unknown: u("id", "subnet_id", "allocation_id", "private_ip", "public_ip", "network_interface_id")},
		{addr: "aws_default_security_group.d", typ: "aws_default_security_group", name: "d", values: obj{"ingress": list(), "egress": list()}, unknown: u("id", "vpc_id", "name")},
		{addr: "aws_security_group.web", typ: "aws_security_group", name: "web", values: obj{"name": "web", "ingress": list(obj{"protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": list("0.0.0.0/0"), "security_groups": list(), "self": false})},
			unknown: u("id", "vpc_id", "egress")},
		{addr: "aws_security_group.app", typ: "aws_security_group", name: "app", values: obj{"name": "app", "egress": list(), "ingress": list(obj{"protocol": "tcp", "from_port": 8080, "to_port": 8080, "cidr_blocks": list(), "security_groups": list(nil), "self": false})},
			unknown: obj{"id": true, "vpc_id": true, "ingress": list(obj{"security_groups": list(true)})}},
		{addr: "aws_instance.web[0]", typ: "aws_instance", name: "web", index: 0, values: obj{}, unknown: u("id", "subnet_id", "private_ip", "public_ip", "vpc_security_group_ids", "primary_network_interface_id", "associate_public_ip_address")},
		{addr: "aws_instance.web[1]", typ: "aws_instance", name: "web", index: 1, values: obj{}, unknown: u("id", "subnet_id", "private_ip", "public_ip", "vpc_security_group_ids", "primary_network_interface_id", "associate_public_ip_address")},
		{addr: "aws_instance.web[2]", typ: "aws_instance", name: "web", index: 2, values: obj{}, unknown: u("id", "subnet_id", "private_ip", "public_ip", "vpc_security_group_ids", "primary_network_interface_id", "associate_public_ip_address")},
		{addr: "aws_instance.bastion", typ: "aws_instance", name: "bastion", values: obj{}, unknown: u("id", "subnet_id", "private_ip", "public_ip", "vpc_security_group_ids", "primary_network_interface_id", "associate_public_ip_address")},
		{addr: "aws_internet_gateway.gw", typ: "aws_internet_gateway", name: "gw", values: obj{}, unknown: u("id", "vpc_id")},
		{addr: `aws_route_table_association.each["a"]`, typ: "aws_route_table_association", name: "each", index: "a", values: obj{}, unknown: u("id", "subnet_id", "route_table_id")},
		{addr: `aws_subnet.named["a"]`, typ: "aws_subnet", name: "named", index: "a", values: obj{"cidr_block": "10.0.9.0/24"}, unknown: u("id", "vpc_id")},
		{addr: "aws_subnet.old", typ: "aws_subnet", name: "old", action: "delete"},
		{addr: "aws_vpc.old", typ: "aws_vpc", name: "old", action: "delete"},
	}
	config := obj{"root_module": obj{
		"resources": list(
			cfgResource("aws_vpc", "main", obj{"cidr_block": constant("10.0.0.0/16")}),
			cfgResource("aws_subnet", "public", obj{"vpc_id": refs("aws_vpc.main.id", "aws_vpc.main")}),
			cfgResource("aws_subnet", "private", obj{"vpc_id": refs("aws_vpc.main.id", "aws_vpc.main")}, "count_expression", constant(2)),
			cfgResource("aws_subnet", "named", obj{"vpc_id": refs("aws_vpc.main.id", "aws_vpc.main")}, "for_each_expression", constant(obj{"a": 1})),
			cfgResource("aws_route_table", "private", obj{"vpc_id": refs("aws_vpc.main.id", "aws_vpc.main"),
				"route": list(obj{"cidr_block": constant("0.0.0.0/0"), "nat_gateway_id": refs("module.nat.nat_id", "module.nat")})}),
			cfgResource("aws_route_table_association", "private", obj{
				"subnet_id":      refs("aws_subnet.private", "count.index"),
				"route_table_id": refs("aws_route_table.private.id", "aws_route_table.private")}, "count_expression", constant(2)),
			cfgResource("aws_route_table_association", "each", obj{
				"subnet_id":      refs("each.value.id", "each.value"),
				"route_table_id": refs("aws_route_table.private.id", "aws_route_table.private")}, "for_each_expression", refs("aws_subnet.named")),
			cfgResource("aws_default_security_group", "d", obj{"vpc_id": refs("aws_vpc.main.id", "aws_vpc.main")}),
			cfgResource("aws_security_group", "web", obj{"vpc_id": refs("aws_vpc.main.id", "aws_vpc.main"), "ingress": constant(list(obj{"protocol": "tcp"}))}),
			cfgResource("aws_security_group", "app", obj{"vpc_id": refs("aws_vpc.main.id", "aws_vpc.main"), "ingress": refs("aws_security_group.web.id", "aws_security_group.web")}),
			cfgResource("aws_instance", "web", obj{"subnet_id": refs("aws_subnet.private", "count.index"),
				"vpc_security_group_ids": refs("aws_security_group.web.id", "aws_security_group.web")}, "count_expression", constant(3)),
			cfgResource("aws_instance", "bastion", obj{"subnet_id": refs("aws_subnet.public.id", "aws_subnet.public"), "associate_public_ip_address": constant(true)}),
			cfgResource("aws_internet_gateway", "gw", obj{"vpc_id": refs("local.vpc_id")}),
		),
		"module_calls": obj{"nat": obj{
			"source":      "./nat",
			"expressions": obj{"subnet_id": refs("aws_subnet.public.id", "aws_subnet.public")},
			"module": obj{
				"resources": list(
					cfgResource("aws_eip", "this", obj{"domain": constant("vpc")}),
					cfgResource("aws_nat_gateway", "this", obj{"subnet_id": refs("var.subnet_id"), "allocation_id": refs("aws_eip.this.id", "aws_eip.this")}),
				),
				"outputs": obj{"nat_id": obj{"expression": refs("aws_nat_gateway.this.id", "aws_nat_gateway.this")}},
			},
		}},
	}}
	prior := []obj{
		{"address": "aws_vpc.old", "mode": "managed", "type": "aws_vpc", "name": "old", "values": obj{"id": "vpc-old", "cidr_block": "10.9.0.0/16"}},
		{"address": "aws_subnet.old", "mode": "managed", "type": "aws_subnet", "name": "old", "values": obj{"id": "subnet-old", "vpc_id": "vpc-old", "cidr_block": "10.9.0.5/24"}},
		{"address": "data.aws_region.here", "mode": "data", "type": "aws_region", "name": "here", "values": obj{"id": "us-east-1", "name": "us-east-1"}},
	}
	data := planJSON(t, rs, prior, config)
	in, err := LoadBytes("plan.json", data)
	if err != nil {
		t.Fatalf("load: %v\n%s", err, diagText(in.Diagnostics))
	}
	n := in.Network

	// Every element sits where its JSON object starts, on the one line of
	// the minified plan.
	for _, s := range n.Subnets {
		quoted, _ := json.Marshal(s.Address)
		if s.Pos.Line != 1 || !strings.HasPrefix(string(data[s.Pos.Col-1:]), `{"address":`+string(quoted)) {
			t.Errorf("%s at %v", s.Address, s.Pos)
		}
	}
	for _, id := range []string{"aws_subnet.public", "aws_subnet.private[0]", "aws_subnet.private[1]", `aws_subnet.named["a"]`} {
		if s := findSubnet(n, id); s == nil || s.VPCID != "aws_vpc.main" {
			t.Errorf("%s: %+v", id, s)
		}
	}
	// count.index: each association takes the subnet with its own index.
	rt := findRT(n, "aws_route_table.private")
	got := map[string]string{}
	for _, a := range rt.Associations {
		got[a.Address] = a.SubnetID
	}
	want := map[string]string{"aws_route_table_association.private[0]": "aws_subnet.private[0]", "aws_route_table_association.private[1]": "aws_subnet.private[1]",
		`aws_route_table_association.each["a"]`: `aws_subnet.named["a"]`}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: subnet %q, want %q", k, got[k], v)
		}
	}
	// The route block is rebuilt from the configuration; its target comes
	// out of the module's output.
	if r := routeTo(rt, "0.0.0.0/0"); r == nil || r.Target != (model.RouteTarget{Kind: model.TargetNATGateway, ID: "module.nat.aws_nat_gateway.this"}) {
		t.Errorf("route %+v", r)
	}
	// A module input (var.subnet_id) leads back to the caller's resource.
	g := n.NATGateways[0]
	if g.SubnetID != "aws_subnet.public" || g.AllocationID != "module.nat.aws_eip.this" || !g.Placeholder || !pfx("10.0.0.0/24").Contains(g.PrivateIP) {
		t.Errorf("NAT gateway %+v", g)
	}
	if eip := n.ElasticIPs[0]; !eip.Placeholder || g.PublicIP != eip.PublicIP {
		t.Errorf("NAT public %v, Elastic IP %+v", g.PublicIP, eip)
	}
	// The default group takes the VPC's default_security_group_id.
	var defaults []*model.SecurityGroup
	for _, sg := range n.SecurityGroups {
		if sg.Default {
			defaults = append(defaults, sg)
		}
	}
	if len(defaults) != 1 || defaults[0].Address != "aws_default_security_group.d" || defaults[0].ID != "aws_vpc.main.default_security_group_id" {
		t.Errorf("default groups %+v", defaults)
	}
	if web := findSG(n, "aws_security_group.web"); len(web.Egress) != 0 || len(web.Ingress) != 1 {
		t.Errorf("web group %+v", web)
	}
	// A rule written as an attribute expression takes the one group it
	// refers to.
	if app := findSG(n, "aws_security_group.app"); len(app.Ingress) != 1 || app.Ingress[0].Peer.GroupID != "aws_security_group.web" || app.Ingress[0].Ports != model.Port(8080) {
		t.Errorf("app group %+v", app)
	}
	// The bastion is in the public subnet, asks for a public address, and
	// names no group: it gets the VPC's default one.
	b := findENI(n, findInstance(n, "aws_instance.bastion").InterfaceIDs[0])
	if b.SubnetID != "aws_subnet.public" || len(b.PublicIPs) != 1 || !b.PublicIPs[0].Placeholder || b.SecurityGroupIDs[0] != "aws_vpc.main.default_security_group_id" {
		t.Errorf("bastion interface %+v", b)
	}
	if len(in.Before.Subnets) != 1 || findSubnet(n, "aws_subnet.old") != nil {
		t.Errorf("the deleted subnet: before %d subnets, after %v", len(in.Before.Subnets), findSubnet(n, "aws_subnet.old"))
	}
	if n.Region != "us-east-1" {
		t.Errorf("region %q from the prior state's data source", n.Region)
	}

	var warnings []string
	for _, d := range in.Diagnostics {
		if d.Severity == model.SeverityWarning {
			warnings = append(warnings, d.String())
		}
	}
	for _, w := range []string{
		// Three instances, two subnets: no guess.
		"aws_instance.web[0]: subnet_id is not known until apply (it refers to aws_subnet.private, which has 2 instances, while aws_instance.web has 3: cannot tell which one)",
		// Problems of the prior state say so.
		`aws_subnet.old: in the prior state: cidr_block "10.9.0.5/24" has host bits set`,
	} {
		if !containsAny(warnings, w) {
			t.Errorf("no warning %q; got:\n%s", w, strings.Join(warnings, "\n"))
		}
	}
	// local.vpc_id cannot be followed (the plan's JSON has no locals): the
	// only VPC of the module is taken, and a note says so.
	noted := false
	for _, d := range in.Diagnostics {
		noted = noted || (d.Severity == model.SeverityNote && strings.Contains(d.String(),
			"aws_internet_gateway.gw: vpc_id is not known until apply and it refers to local.vpc_id, and the plan's JSON does not include locals, so vpcsim cannot follow it: taken as aws_vpc.main, the only one of its type in the module"))
	}
	if g := in.Network.InternetGateways; !noted || len(g) != 1 || g[0].VPCID != "aws_vpc.main" {
		t.Errorf("internet gateway of local.vpc_id: noted %v, %+v", noted, g)
	}
	actions := map[string]int{}
	for _, c := range in.Changes {
		actions[c.Action]++
	}
	if actions["create"] != 19 || actions["delete"] != 2 {
		t.Errorf("changes %v", actions)
	}
}

func containsAny(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// TestPlanModuleInstances follows references into and out of a module
// called with count.
func TestPlanModuleInstances(t *testing.T) {
	u := obj{"id": true, "vpc_id": true}
	rs := []planResource{
		{addr: "aws_vpc.main", typ: "aws_vpc", name: "main", values: obj{"cidr_block": "10.0.0.0/16"}, unknown: obj{"id": true}},
		{addr: "module.sub[0].aws_subnet.s", typ: "aws_subnet", name: "s", values: obj{"cidr_block": "10.0.0.0/24"}, unknown: u},
		{addr: "module.sub[1].aws_subnet.s", typ: "aws_subnet", name: "s", values: obj{"cidr_block": "10.0.1.0/24"}, unknown: u},
		{addr: "aws_route_table.t", typ: "aws_route_table", name: "t", values: obj{"route": list()}, unknown: obj{"id": true, "vpc_id": true}},
		{addr: "aws_route_table_association.one", typ: "aws_route_table_association", name: "one", values: obj{}, unknown: obj{"id": true, "subnet_id": true, "route_table_id": true}},
		{addr: "aws_route_table_association.which", typ: "aws_route_table_association", name: "which", values: obj{}, unknown: obj{"id": true, "subnet_id": true, "route_table_id": true}},
	}
	config := obj{"root_module": obj{
		"resources": list(
			cfgResource("aws_vpc", "main", obj{}),
			cfgResource("aws_route_table", "t", obj{"vpc_id": refs("aws_vpc.main.id", "aws_vpc.main")}),
			cfgResource("aws_route_table_association", "one", obj{"subnet_id": refs("module.sub[1].subnet_id", "module.sub[1]", "module.sub"), "route_table_id": refs("aws_route_table.t.id", "aws_route_table.t")}),
			cfgResource("aws_route_table_association", "which", obj{"subnet_id": refs("module.sub.subnet_id", "module.sub"), "route_table_id": refs("aws_route_table.t.id", "aws_route_table.t")}),
		),
		"module_calls": obj{"sub": obj{
			"count_expression": constant(2),
			"expressions":      obj{"vpc_id": refs("aws_vpc.main.id", "aws_vpc.main")},
			"module": obj{
				"resources": list(cfgResource("aws_subnet", "s", obj{"vpc_id": refs("var.vpc_id")})),
				"outputs":   obj{"subnet_id": obj{"expression": refs("aws_subnet.s.id", "aws_subnet.s")}},
			},
		}},
	}}
	in, _ := LoadBytes("plan.json", planJSON(t, rs, nil, config))
	n := in.Network
	for _, s := range n.Subnets {
		if s.VPCID != "aws_vpc.main" {
			t.Errorf("%s in %q", s.Address, s.VPCID)
		}
	}
	tab := findRT(n, "aws_route_table.t")
	if len(tab.Associations) != 1 || tab.Associations[0].SubnetID != "module.sub[1].aws_subnet.s" {
		t.Errorf("associations %+v", tab.Associations)
	}
	if !containsAny(strings.Split(diagText(in.Diagnostics), "\n"), "aws_route_table_association.which: subnet_id is not known until apply (it refers to module.sub, which has 2 instances: cannot tell which one)") {
		t.Errorf("diagnostics:\n%s", diagText(in.Diagnostics))
	}
}
