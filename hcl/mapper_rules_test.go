package hcl

import (
	"reflect"
	"testing"

	"github.com/vpcsim/vpcsim/model"
)

func TestMapNetworkACLs(t *testing.T) {
	base := []res{r("aws_vpc", "a", vpcA), r("aws_subnet", "a", subnetA), r("aws_subnet", "b", subnetB)}
	rule := func(no int, proto, action, cidr string, from, to int) string {
		return `{"rule_no": ` + itoa(no) + `, "protocol": "` + proto + `", "action": "` + action + `", "cidr_block": "` + cidr + `", "ipv6_cidr_block": "", "from_port": ` + itoa(from) + `, "to_port": ` + itoa(to) + `, "icmp_type": 0, "icmp_code": 0}`
	}
	runMapCases(t, []mapCase{{
		// The state stores protocols as numbers; rule numbers are kept.
		name: "inline rules",
		rs: append(base, r("aws_network_acl", "db", `{"id": "acl-db", "vpc_id": "vpc-a", "subnet_ids": ["subnet-a"], "ingress": [`+
			rule(100, "6", "allow", "10.0.2.0/24", 5432, 5432)+`, `+
			rule(110, "-1", "deny", "0.0.0.0/0", 0, 0)+`, `+
			`{"rule_no": 120, "protocol": "1", "action": "allow", "cidr_block": "10.0.0.0/16", "ipv6_cidr_block": "", "from_port": 0, "to_port": 0, "icmp_type": 8, "icmp_code": -1}, `+
			`{"rule_no": 130, "protocol": "17", "action": "allow", "cidr_block": "", "ipv6_cidr_block": "2600:1f18::/56", "from_port": 53, "to_port": 53, "icmp_type": 0, "icmp_code": 0}`+
			`], "egress": [`+rule(100, "tcp", "ALLOW", "10.0.2.0/24", 1024, 65535)+`]}`)),
		check: func(t *testing.T, n *model.Network) {
			acl := findACL(n, "acl-db")
			in := declaredACL(acl.Ingress)
			want := []model.ACLRule{
				{Number: 100, Direction: model.Ingress, Action: model.Allow, Protocol: model.ProtocolTCP, Ports: model.Port(5432), ICMP: model.AnyICMP, CIDR: pfx("10.0.2.0/24")},
				{Number: 110, Direction: model.Ingress, Action: model.Deny, Protocol: model.ProtocolAll, Ports: model.AllPorts, ICMP: model.AnyICMP, CIDR: pfx("0.0.0.0/0")},
				{Number: 120, Direction: model.Ingress, Action: model.Allow, Protocol: model.ProtocolICMP, Ports: model.AllPorts, ICMP: model.ICMPTypeCode(8, -1), CIDR: pfx("10.0.0.0/16")},
				{Number: 130, Direction: model.Ingress, Action: model.Allow, Protocol: model.ProtocolUDP, Ports: model.Port(53), ICMP: model.AnyICMP, CIDR: pfx("2600:1f18::/56")},
			}
			if len(in) != len(want) {
				t.Fatalf("ingress %+v", in)
			}
			for i, w := range want {
				g := in[i]
				if g.Address != "aws_network_acl.db" || g.Pos.Line != 6 {
					t.Errorf("rule %d meta %+v", g.Number, g.Meta)
				}
				g.Meta = model.Meta{}
				if !reflect.DeepEqual(g, w) {
					t.Errorf("rule %d:\n got %+v\nwant %+v", w.Number, g, w)
				}
			}
			if e := declaredACL(acl.Egress); len(e) != 1 || e[0].Ports != (model.PortRange{First: 1024, Last: 65535}) || e[0].Action != model.Allow {
				t.Errorf("egress %+v", e)
			}
			if len(acl.Associations) != 1 || acl.Associations[0].SubnetID != "subnet-a" {
				t.Errorf("associations %+v", acl.Associations)
			}
			if n.SubnetACLs()["subnet-a"] != acl || n.SubnetACLs()["subnet-b"].ID != "acl-def" {
				t.Errorf("subnet ACLs %v", n.SubnetACLs())
			}
		},
	}, {
		// Standalone rules and associations replace their inline copies.
		name: "standalone rules and associations",
		rs: append(base,
			r("aws_default_network_acl", "d", `{"id": "acl-def", "default_network_acl_id": "acl-def", "vpc_id": "vpc-a", "subnet_ids": ["subnet-a", "subnet-b"], "ingress": [], "egress": []}`),
			r("aws_network_acl", "web", `{"id": "acl-web", "vpc_id": "vpc-a", "subnet_ids": [], "ingress": [`+rule(100, "6", "allow", "0.0.0.0/0", 80, 80)+`], "egress": []}`),
			r("aws_network_acl_rule", "http", `{"id": "nacl-1", "network_acl_id": "acl-web", "rule_number": 100, "egress": false, "protocol": "tcp", "rule_action": "allow", "cidr_block": "0.0.0.0/0", "from_port": 80, "to_port": 80}`),
			r("aws_network_acl_rule", "out", `{"id": "nacl-2", "network_acl_id": "acl-web", "rule_number": 200, "egress": true, "protocol": "-1", "rule_action": "deny", "cidr_block": "10.0.0.0/8"}`),
			r("aws_network_acl_association", "b", `{"id": "aclassoc-1", "network_acl_id": "acl-web", "subnet_id": "subnet-b"}`),
		),
		check: func(t *testing.T, n *model.Network) {
			web := findACL(n, "acl-web")
			in := declaredACL(web.Ingress)
			if len(in) != 1 || in[0].Address != "aws_network_acl_rule.http" || in[0].ID != "nacl-1" {
				t.Errorf("ingress %+v", in)
			}
			if e := declaredACL(web.Egress); len(e) != 1 || e[0].Number != 200 || e[0].Action != model.Deny || e[0].Direction != model.Egress {
				t.Errorf("egress %+v", e)
			}
			def := findACL(n, "acl-def")
			if !def.Default || len(def.Associations) != 1 || def.Associations[0].SubnetID != "subnet-a" {
				t.Errorf("default ACL %+v", def)
			}
			// aws_default_network_acl without rules denies everything:
			// only the "*" rules remain.
			if len(declaredACL(def.Ingress)) != 0 || len(def.Ingress) != 2 || !def.Ingress[0].IsStar() {
				t.Errorf("default ACL ingress %+v", def.Ingress)
			}
			if n.SubnetACLs()["subnet-b"] != web {
				t.Errorf("subnet-b uses %v", n.SubnetACLs()["subnet-b"])
			}
		},
	}, {
		name: "bad rules",
		rs: append(base, r("aws_network_acl", "bad", `{"id": "acl-bad", "vpc_id": "vpc-a", "ingress": [`+
			rule(0, "6", "allow", "0.0.0.0/0", 80, 80)+`, `+
			rule(10, "6", "permit", "0.0.0.0/0", 80, 80)+`, `+
			rule(20, "xyz", "allow", "0.0.0.0/0", 80, 80)+`, `+
			rule(30, "6", "allow", "0.0.0.0/0", 80, 70000)+`, `+
			rule(40, "6", "allow", "0.0.0.0/0", 90, 80)+`, `+
			`{"rule_no": 50, "protocol": "6", "action": "allow", "cidr_block": "10.0.0.0/8", "ipv6_cidr_block": "::/0", "from_port": 1, "to_port": 2}`+
			`], "egress": []}`),
			r("aws_network_acl_rule", "lost", `{"network_acl_id": "acl-nowhere", "rule_number": 1, "protocol": "-1", "rule_action": "allow", "cidr_block": "0.0.0.0/0"}`)),
		diags: []diagWant{
			{model.SeverityError, "ingress rule rule_no 0 is outside 1-32766", 3, "aws_network_acl.bad"},
			{model.SeverityError, `ingress rule 10 has action "permit": want allow or deny`, 3, ""},
			{model.SeverityError, `ingress rule 20: protocol "xyz" is not a protocol`, 3, ""},
			{model.SeverityError, "ingress rule 30: to_port 70000 is outside 0-65535", 3, ""},
			{model.SeverityError, "ingress rule 40: from_port 90 is above to_port 80", 3, ""},
			{model.SeverityError, "ingress rule 50 has both cidr_block and ipv6_cidr_block", 3, ""},
			{model.SeverityWarning, "network_acl_id acl-nowhere names a network ACL that is not in the input: it is kept as an element outside the input", 4, "aws_network_acl_rule.lost"},
		},
	}})
}

func TestMapSecurityGroups(t *testing.T) {
	base := []res{r("aws_vpc", "a", vpcA)}
	block := func(proto string, from, to int, peers string) string {
		return `{"protocol": "` + proto + `", "from_port": ` + itoa(from) + `, "to_port": ` + itoa(to) + `, "cidr_blocks": [], "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": [], "self": false, "description": "d"` + peers + `}`
	}
	runMapCases(t, []mapCase{{
		// One SGRule per peer, all sharing the block's Meta.
		name: "one rule per peer",
		rs: append(base,
			r("aws_security_group", "other", `{"id": "sg-other", "vpc_id": "vpc-a", "name": "other", "ingress": [], "egress": []}`),
			r("aws_security_group", "web", `{"id": "sg-web", "vpc_id": "vpc-a", "name": "web", "tags": {"Name": "web-sg"}, "egress": [], "ingress": [`+
				`{"protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": ["10.0.0.0/16", "192.0.2.0/24"], "ipv6_cidr_blocks": ["2001:db8::/32"], "prefix_list_ids": ["pl-1"], "security_groups": ["sg-other", "123456789012/sg-far"], "self": true, "description": "https"}`+
				`]}`),
			r("aws_ec2_managed_prefix_list", "pl", `{"id": "pl-1", "name": "office", "entry": [{"cidr": "198.51.100.0/24", "description": ""}]}`),
		),
		diags: []diagWant{{model.SeverityWarning, "security group sg-far is not in the input: it is kept as an element outside the input", -1, ""}},
		check: func(t *testing.T, n *model.Network) {
			sg := findSG(n, "sg-web")
			if sg.Name != "web-sg" || sg.GroupName != "web" {
				t.Errorf("names %q %q", sg.Name, sg.GroupName)
			}
			want := []model.SGPeer{
				{Kind: model.PeerCIDR, CIDR: pfx("10.0.0.0/16")}, {Kind: model.PeerCIDR, CIDR: pfx("192.0.2.0/24")},
				{Kind: model.PeerCIDR, CIDR: pfx("2001:db8::/32")}, {Kind: model.PeerPrefixList, PrefixListID: "pl-1"},
				{Kind: model.PeerSecurityGroup, GroupID: "sg-other"}, {Kind: model.PeerSecurityGroup, GroupID: "sg-far"},
				{Kind: model.PeerSecurityGroup, GroupID: "sg-web", Self: true},
			}
			if len(sg.Ingress) != len(want) {
				t.Fatalf("ingress %+v", sg.Ingress)
			}
			for i, w := range want {
				g := sg.Ingress[i]
				if g.Peer != w || g.Ports != model.Port(443) || g.Protocol != model.ProtocolTCP || g.Description != "https" || g.Address != "aws_security_group.web" || g.Pos.Line != 5 {
					t.Errorf("rule %d: %+v", i, g)
				}
			}
			if len(sg.Egress) != 0 {
				t.Errorf("egress %+v, want none: Terraform removes the default egress rule", sg.Egress)
			}
		},
	}, {
		name: "protocols",
		rs: append(base, r("aws_security_group", "p", `{"id": "sg-p", "vpc_id": "vpc-a", "name": "p", "egress": [], "ingress": [`+
			block("-1", 0, 0, `, "cidr_blocks": ["10.1.0.0/16"]`)+`, `+
			block("all", 0, 0, `, "cidr_blocks": ["10.2.0.0/16"]`)+`, `+
			block("6", 22, 22, `, "cidr_blocks": ["10.3.0.0/16"]`)+`, `+
			block("UDP", 53, 54, `, "cidr_blocks": ["10.4.0.0/16"]`)+`, `+
			block("icmp", 8, -1, `, "cidr_blocks": ["10.5.0.0/16"]`)+`, `+
			block("icmp", -1, -1, `, "cidr_blocks": ["10.6.0.0/16"]`)+`, `+
			block("58", 128, 0, `, "ipv6_cidr_blocks": ["2001:db8::/32"]`)+`, `+
			block("50", 5, 6, `, "cidr_blocks": ["10.7.0.0/16"]`)+
			`]}`)),
		check: func(t *testing.T, n *model.Network) {
			got := findSG(n, "sg-p").Ingress
			want := []struct {
				proto model.Protocol
				ports model.PortRange
				icmp  model.ICMPMatch
			}{
				{model.ProtocolAll, model.AllPorts, model.AnyICMP},
				{model.ProtocolAll, model.AllPorts, model.AnyICMP},
				{model.ProtocolTCP, model.Port(22), model.AnyICMP},
				{model.ProtocolUDP, model.PortRange{First: 53, Last: 54}, model.AnyICMP},
				{model.ProtocolICMP, model.AllPorts, model.ICMPTypeCode(8, -1)}, // from_port is the type, to_port the code
				{model.ProtocolICMP, model.AllPorts, model.AnyICMP},
				{model.ProtocolICMPv6, model.AllPorts, model.ICMPTypeCode(128, 0)},
				{50, model.AllPorts, model.AnyICMP}, // ports are ignored for other protocols
			}
			if len(got) != len(want) {
				t.Fatalf("rules %+v", got)
			}
			for i, w := range want {
				if got[i].Protocol != w.proto || got[i].Ports != w.ports || got[i].ICMP != w.icmp {
					t.Errorf("rule %d: %s %s %s, want %s %s %s", i, got[i].Protocol, got[i].Ports, got[i].ICMP, w.proto, w.ports, w.icmp)
				}
			}
		},
	}, {
		// aws_security_group's state lists the rules of
		// aws_security_group_rule resources too: each rule is kept once,
		// as its resource.
		name: "standalone rules",
		rs: append(base,
			r("aws_security_group", "app", `{"id": "sg-app", "vpc_id": "vpc-a", "name": "app", "ingress": [`+block("tcp", 8080, 8080, `, "security_groups": ["sg-lb"]`)+`], "egress": []}`),
			r("aws_security_group", "lb", `{"id": "sg-lb", "vpc_id": "vpc-a", "name": "lb", "ingress": [], "egress": []}`),
			r("aws_security_group_rule", "from_lb", `{"id": "sgrule-1", "type": "ingress", "security_group_id": "sg-app", "protocol": "tcp", "from_port": 8080, "to_port": 8080, "source_security_group_id": "sg-lb", "self": false, "cidr_blocks": null}`),
			r("aws_security_group_rule", "out", `{"id": "sgrule-2", "type": "egress", "security_group_id": "sg-app", "protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0", "10.0.0.0/8"], "ipv6_cidr_blocks": ["::/0"]}`),
			r("aws_security_group_rule", "peers", `{"id": "sgrule-3", "type": "ingress", "security_group_id": "sg-app", "protocol": "tcp", "from_port": 9000, "to_port": 9001, "self": true, "prefix_list_ids": ["pl-x"]}`),
			r("aws_vpc_security_group_ingress_rule", "v2", `{"id": "sgr-1", "security_group_rule_id": "sgr-1", "security_group_id": "sg-lb", "ip_protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_ipv4": "0.0.0.0/0", "cidr_ipv6": null, "prefix_list_id": null, "referenced_security_group_id": null}`),
			r("aws_vpc_security_group_egress_rule", "v2out", `{"id": "sgr-2", "security_group_rule_id": "sgr-2", "security_group_id": "sg-lb", "ip_protocol": "-1", "from_port": null, "to_port": null, "referenced_security_group_id": "sg-app"}`),
		),
		diags: []diagWant{{model.SeverityWarning, "references prefix list pl-x, which is not in the network", -1, ""}},
		check: func(t *testing.T, n *model.Network) {
			app := findSG(n, "sg-app")
			if len(app.Ingress) != 3 || app.Ingress[0].Address != "aws_security_group_rule.from_lb" || app.Ingress[0].ID != "sgrule-1" || app.Ingress[0].Pos.Line != 6 {
				t.Errorf("app ingress %+v", app.Ingress)
			}
			if app.Ingress[2].Peer != (model.SGPeer{Kind: model.PeerSecurityGroup, GroupID: "sg-app", Self: true}) || app.Ingress[1].Peer.PrefixListID != "pl-x" || app.Ingress[1].Ports != (model.PortRange{First: 9000, Last: 9001}) {
				t.Errorf("self and prefix list %+v", app.Ingress[1:])
			}
			if len(app.Egress) != 3 || app.Egress[2].Peer.CIDR != pfx("::/0") || app.Egress[0].Address != "aws_security_group_rule.out" {
				t.Errorf("app egress %+v", app.Egress)
			}
			lb := findSG(n, "sg-lb")
			if len(lb.Ingress) != 1 || lb.Ingress[0].ID != "sgr-1" || lb.Ingress[0].Ports != model.Port(443) {
				t.Errorf("lb ingress %+v", lb.Ingress)
			}
			if len(lb.Egress) != 1 || lb.Egress[0].Protocol != model.ProtocolAll || lb.Egress[0].Peer.GroupID != "sg-app" || lb.Egress[0].Direction != model.Egress {
				t.Errorf("lb egress %+v", lb.Egress)
			}
		},
	}, {
		// aws_default_security_group has exactly the rules it lists, and
		// is the VPC's default group: none is synthesised beside it.
		name: "default security group",
		rs:   append(base, r("aws_default_security_group", "d", `{"id": "sg-def", "vpc_id": "vpc-a", "name": "default", "ingress": [], "egress": []}`)),
		check: func(t *testing.T, n *model.Network) {
			if len(n.SecurityGroups) != 1 {
				t.Fatalf("groups %+v", n.SecurityGroups)
			}
			sg := n.SecurityGroups[0]
			if !sg.Default || len(sg.Ingress)+len(sg.Egress) != 0 || sg.Synthetic != "" {
				t.Errorf("default group %+v", sg)
			}
		},
	}, {
		name: "bad rules",
		rs: append(base,
			r("aws_security_group", "bad", `{"id": "sg-bad", "vpc_id": "vpc-a", "name": "bad", "egress": [], "ingress": [`+
				block("tcp", 0, 70000, `, "cidr_blocks": ["10.0.0.0/8"]`)+`, `+
				block("gre", 0, 0, `, "cidr_blocks": ["10.0.0.0/8"]`)+`, `+
				block("tcp", 22, 22, ``)+`, `+
				block("tcp", 22, 22, `, "cidr_blocks": ["10.0.0.300/8"]`)+`, `+
				block("icmp", 300, 0, `, "cidr_blocks": ["10.0.0.0/8"]`)+
				`]}`),
			r("aws_security_group_rule", "lost", `{"type": "ingress", "security_group_id": "sg-nowhere", "protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}`),
			r("aws_security_group_rule", "sideways", `{"type": "sideways", "security_group_id": "sg-bad", "protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}`),
		),
		diags: []diagWant{
			{model.SeverityError, "ingress rule: to_port 70000 is outside 0-65535", 1, "aws_security_group.bad"},
			{model.SeverityError, `ingress rule: protocol "gre" is not a protocol`, 1, ""},
			{model.SeverityWarning, "ingress rule (tcp port 22) names no source: it allows nothing", 1, ""},
			{model.SeverityError, `cidr_blocks "10.0.0.300/8" is not a valid CIDR block`, 1, ""},
			{model.SeverityError, "ingress rule: from_port 300 is outside -1-255", 1, ""},
			{model.SeverityWarning, "security_group_id sg-nowhere names a security group that is not in the input: it is kept as an element outside the input", 2, ""},
			{model.SeverityError, `type is "sideways": want ingress or egress`, 3, ""},
		},
	}})
}

func itoa(n int) string {
	if n < 0 {
		return "-" + itoa(-n)
	}
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
