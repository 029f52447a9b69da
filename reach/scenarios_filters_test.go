package reach

import (
	"testing"

	"github.com/vpcsim/vpcsim/model"
)

// Security groups: allow rules only, the union of an interface's groups,
// stateful. See docs/semantics.md, "Security groups".
func TestSecurityGroupScenarios(t *testing.T) { runScenarios(t, securityGroupScenarios()) }

// securityGroupScenarios are the flows of TestSecurityGroupScenarios; walk_agree_test.go walks them too.
func securityGroupScenarios() []scenario {
	return []scenario{
		{name: "cidr rule allows", doc: "SG-1 an inbound CIDR rule admits its port", build: base,
			q: tcp("8.8.8.8", "web", 443), want: true,
			path: "internet internet-gateway vpc subnet network-interface"},
		{name: "no rule for port", doc: "SG-1 nothing but allow rules: an unlisted port is denied", build: base,
			q: tcp("8.8.8.8", "web", 3306), code: CodeENISGRulesMismatch, dir: "forward"},
		{name: "group with no inbound rule", doc: "SG-2 a new group has no inbound rule", build: func(n *tnet) {
			base(n)
			sgOf(n, "sg-web").Ingress = nil
		}, q: tcp("8.8.8.8", "web", 443), code: CodeSGHasNoRules, dir: "forward"},
		{name: "group reference allows members", doc: "SG-3 a rule naming a group admits the private addresses of its members", build: base,
			q: tcp("web", "app", 8080), want: true,
			path: "network-interface subnet vpc subnet network-interface"},
		{name: "group reference excludes non-members", doc: "SG-3 an interface outside the referenced group is not admitted", build: func(n *tnet) {
			base(n)
			n.instance("other", "subnet-pub", []string{"sg-app"}, "", "10.0.1.20")
		}, q: tcp("other", "app", 8080), code: CodeENISGRulesMismatch, dir: "forward"},
		{name: "self reference", doc: "SG-3 a self rule admits the group's own members", build: func(n *tnet) {
			base(n)
			n.sg("sg-self", "vpc-1", []sgSpec{"all - self"}, []sgSpec{"all - 0.0.0.0/0"})
			n.instance("m1", "subnet-priv", []string{"sg-self"}, "", "10.0.2.21")
			n.instance("m2", "subnet-priv", []string{"sg-self"}, "", "10.0.2.22")
		}, q: tcp("m1", "m2", 5432), want: true},
		{name: "self reference excludes others", doc: "SG-3 a self rule admits only members", build: func(n *tnet) {
			base(n)
			n.sg("sg-self", "vpc-1", []sgSpec{"all - self"}, []sgSpec{"all - 0.0.0.0/0"})
			n.instance("m1", "subnet-priv", []string{"sg-self"}, "", "10.0.2.21")
		}, q: tcp("app", "m1", 5432), code: CodeENISGRulesMismatch, dir: "forward"},
		{name: "several groups union", doc: "SG-4 the rules of all groups of an interface apply together", build: func(n *tnet) {
			base(n)
			n.sg("sg-db", "vpc-1", []sgSpec{"tcp 5432 10.0.0.0/16"}, nil)
			n.Interfaces[1].SecurityGroupIDs = []string{"sg-app", "sg-db"}
		}, q: tcp("web", "app", 5432), want: true},
		{name: "prefix list peer matches entry", doc: "SG-5 a prefix-list rule admits the list's entries", build: func(n *tnet) {
			base(n)
			n.PrefixLists = append(n.PrefixLists, &model.PrefixList{Meta: meta("pl-corp"), Entries: []netipPrefix{pfx("203.0.113.0/24")}})
			n.sg("sg-pl", "vpc-1", []sgSpec{"tcp 8443 pl-corp"}, []sgSpec{"all - 0.0.0.0/0"})
			n.Interfaces[0].SecurityGroupIDs = []string{"sg-pl"}
		}, q: tcp("203.0.113.7", "web", 8443), want: true},
		{name: "prefix list peer excludes others", doc: "SG-5 addresses outside the list are not admitted", build: func(n *tnet) {
			base(n)
			n.PrefixLists = append(n.PrefixLists, &model.PrefixList{Meta: meta("pl-corp"), Entries: []netipPrefix{pfx("203.0.113.0/24")}})
			n.sg("sg-pl", "vpc-1", []sgSpec{"tcp 8443 pl-corp"}, []sgSpec{"all - 0.0.0.0/0"})
			n.Interfaces[0].SecurityGroupIDs = []string{"sg-pl"}
		}, q: tcp("8.8.8.8", "web", 8443), code: CodeENISGRulesMismatch, dir: "forward"},
		{name: "stateful reply without egress rule", doc: "SG-6 replies to an allowed connection pass whatever the rules say", build: func(n *tnet) {
			base(n)
			sgOf(n, "sg-web").Egress = nil
		}, q: tcp("8.8.8.8", "web", 443), want: true},
		{name: "terraform group without egress", doc: "SG-7 Terraform removes AWS's default egress rule: the instance cannot initiate", build: func(n *tnet) {
			base(n)
			sgOf(n, "sg-web").Egress = nil
		}, q: tcp("web", "8.8.8.8", 443), code: CodeSGHasNoRules, dir: "forward"},
		{name: "egress rule restricts destination port", doc: "SG-1 outbound rules filter new connections", build: func(n *tnet) {
			base(n)
			sgOf(n, "sg-web").Egress = nil
			n.sg("sg-out", "vpc-1", nil, []sgSpec{"tcp 443 0.0.0.0/0"})
			n.Interfaces[0].SecurityGroupIDs = []string{"sg-web", "sg-out"}
		}, q: tcp("web", "8.8.8.8", 80), code: CodeENISGRulesMismatch, dir: "forward"},
		{name: "ipv6 rule admits ipv6", doc: "SG-8 IPv6 rules match IPv6 traffic; an internet gateway carries IPv6 without translation", build: func(n *tnet) {
			base(n)
			n.VPCs[0].IPv6CIDRs = append(n.VPCs[0].IPv6CIDRs, pfx("2600:1f18:1:100::/56"))
			subnetOf(n, "subnet-pub").IPv6CIDR = pfx("2600:1f18:1:101::/64")
			addRoute(n, "rtb-pub", "::/0 igw-1")
			n.Interfaces[0].IPv6Addrs = []netipAddr{ip("2600:1f18:1:101::10")}
			n.sg("sg-v6", "vpc-1", []sgSpec{"tcp 443 ::/0"}, []sgSpec{"all - ::/0"})
			n.Interfaces[0].SecurityGroupIDs = []string{"sg-v6"}
		}, q: tcp("2001:db8::1", "web", 443), want: true},
		{name: "ipv4 rule does not admit ipv6", doc: "SG-8 0.0.0.0/0 does not cover IPv6", build: func(n *tnet) {
			base(n)
			n.VPCs[0].IPv6CIDRs = append(n.VPCs[0].IPv6CIDRs, pfx("2600:1f18:1:100::/56"))
			subnetOf(n, "subnet-pub").IPv6CIDR = pfx("2600:1f18:1:101::/64")
			addRoute(n, "rtb-pub", "::/0 igw-1")
			n.Interfaces[0].IPv6Addrs = []netipAddr{ip("2600:1f18:1:101::10")}
		}, q: tcp("2001:db8::1", "web", 443), code: CodeENISGRulesMismatch, dir: "forward"},
		{name: "icmp echo rule", doc: "SG-9 an ICMP rule with a type admits that type", build: func(n *tnet) {
			base(n)
			n.sg("sg-ping", "vpc-1", []sgSpec{"icmp 8 0.0.0.0/0"}, nil)
			n.Interfaces[0].SecurityGroupIDs = []string{"sg-ping"}
		}, q: proto("8.8.8.8", "web", model.ProtocolICMP), want: true},
		{name: "icmp rule of another type", doc: "SG-9 other ICMP types are not admitted", build: func(n *tnet) {
			base(n)
			n.sg("sg-ping", "vpc-1", []sgSpec{"icmp 3 0.0.0.0/0"}, nil)
			n.Interfaces[0].SecurityGroupIDs = []string{"sg-ping"}
		}, q: proto("8.8.8.8", "web", model.ProtocolICMP), code: CodeENISGRulesMismatch, dir: "forward"},
		{name: "protocol 0 against tcp rule", doc: "SG-1 a flow of another protocol does not match a TCP rule (reference scenario S4)", build: base,
			q: proto("8.8.8.8", "web", model.ProtocolHOPOPT), code: CodeENISGRulesMismatch, dir: "forward"},
		{name: "default group admits its members only", doc: "SG-10 the default group allows inbound from itself", build: func(n *tnet) {
			base(n)
			n.Interfaces[1].SecurityGroupIDs = nil // app falls back to the VPC's default group
		}, q: tcp("web", "app", 8080), code: CodeENISGRulesMismatch, dir: "forward"},
		{name: "interface endpoint without groups gets the default group", doc: "SG-10 an interface endpoint that names no group gets the VPC's default group", build: func(n *tnet) {
			base(n)
			n.endpoint("vpce-api", model.EndpointInterface, "vpc-1", "subnet-priv", "10.0.2.50")
		}, q: tcp("app", "10.0.2.50", 443), code: CodeENISGRulesMismatch, dir: "forward"},
		{name: "gateway load balancer endpoint has no groups", doc: "SG-10 a Gateway Load Balancer endpoint's interface has no security group: nothing filters its traffic", build: func(n *tnet) {
			base(n)
			n.endpoint("vpce-gwlb", model.EndpointGatewayLoadBalancer, "vpc-1", "subnet-priv", "10.0.2.51")
		}, q: udp("app", "10.0.2.51", 6081), want: true},
		{name: "reference across same-region peering", doc: "SG-11 a rule may name a group of a peer VPC in the same region", build: func(n *tnet) {
			twoVPCs(n)
			sgOf(n, "sg-b").Ingress = nil
			n.sg("sg-b2", "vpc-b", []sgSpec{"tcp 5432 sg-a"}, nil)
			n.Interfaces[1].SecurityGroupIDs = []string{"sg-b2"}
		}, q: tcp("a", "b", 5432), want: true},
		{name: "reference across inter-region peering", doc: "SG-11 group references do not work across regions", build: func(n *tnet) {
			twoVPCs(n)
			n.VPCs[1].Region = "eu-west-1"
			n.sg("sg-b2", "vpc-b", []sgSpec{"tcp 5432 sg-a"}, nil)
			n.Interfaces[1].SecurityGroupIDs = []string{"sg-b2"}
		}, q: tcp("a", "b", 5432), code: CodeENISGRulesMismatch, dir: "forward"},
	}
}

// Network ACLs: stateless, ordered by rule number, first match, "*" deny,
// evaluated at subnet boundaries only. See docs/semantics.md, "Network ACLs".
func TestNetworkACLScenarios(t *testing.T) { runScenarios(t, networkACLScenarios()) }

// networkACLScenarios are the flows of TestNetworkACLScenarios; walk_agree_test.go walks them too.
func networkACLScenarios() []scenario {
	allOut := []string{"100 allow all - 0.0.0.0/0"}
	return []scenario{
		{name: "deny before allow", doc: "ACL-1 the lowest-numbered matching rule decides", build: func(n *tnet) {
			base(n)
			n.acl("acl-pub", "vpc-1", []string{"subnet-pub"}, []string{"90 deny all - 203.0.113.0/24", "100 allow all - 0.0.0.0/0"}, allOut)
		}, q: tcp("203.0.113.9", "web", 443), code: CodeSubnetACLRestriction, dir: "forward"},
		{name: "allow before deny", doc: "ACL-1 a lower-numbered allow wins over a later deny", build: func(n *tnet) {
			base(n)
			n.acl("acl-pub", "vpc-1", []string{"subnet-pub"}, []string{"100 allow tcp 443 0.0.0.0/0", "200 deny all - 0.0.0.0/0"}, allOut)
		}, q: tcp("203.0.113.9", "web", 443), want: true},
		{name: "numbers not declaration order", doc: "ACL-1 rules are evaluated by number, not by the order written", build: func(n *tnet) {
			base(n)
			n.acl("acl-pub", "vpc-1", []string{"subnet-pub"}, []string{"200 allow all - 0.0.0.0/0", "100 deny tcp 443 0.0.0.0/0"}, allOut)
		}, q: tcp("8.8.8.8", "web", 443), code: CodeSubnetACLRestriction, dir: "forward"},
		{name: "star rule denies unmatched", doc: "ACL-2 traffic no rule matches is denied by the final * rule", build: func(n *tnet) {
			base(n)
			n.acl("acl-pub", "vpc-1", []string{"subnet-pub"}, []string{"100 allow tcp 80 0.0.0.0/0"}, allOut)
		}, q: tcp("8.8.8.8", "web", 443), code: CodeSubnetACLRestriction, dir: "forward"},
		{name: "stateless return needs an outbound rule", doc: "ACL-3 replies are not remembered: the outbound rules must allow them", build: func(n *tnet) {
			base(n)
			n.acl("acl-pub", "vpc-1", []string{"subnet-pub"}, []string{"100 allow tcp 443 0.0.0.0/0"}, []string{"100 allow tcp 443 0.0.0.0/0"})
		}, q: tcp("8.8.8.8", "web", 443), code: CodeSubnetACLRestriction, dir: "return"},
		{name: "return allowed with ephemeral ports", doc: "ACL-3 an outbound rule for the ephemeral range lets replies out", build: func(n *tnet) {
			base(n)
			n.acl("acl-pub", "vpc-1", []string{"subnet-pub"}, []string{"100 allow tcp 443 0.0.0.0/0"}, []string{"100 allow tcp 1024-65535 0.0.0.0/0"})
		}, q: tcp("8.8.8.8", "web", 443), want: true},
		{name: "partial ephemeral range", doc: "ACL-4 replies pass for part of the client ports only", build: func(n *tnet) {
			base(n)
			n.acl("acl-pub", "vpc-1", []string{"subnet-pub"}, []string{"100 allow tcp 443 0.0.0.0/0"}, []string{"100 allow tcp 1024-32767 0.0.0.0/0"})
		}, q: tcp("8.8.8.8", "web", 443), want: true, partial: true, code: CodeEphemeralPartial, dir: "return"},
		{name: "narrower ephemeral assumption", doc: "ACL-4 the ephemeral range is a parameter", build: func(n *tnet) {
			base(n)
			n.acl("acl-pub", "vpc-1", []string{"subnet-pub"}, []string{"100 allow tcp 443 0.0.0.0/0"}, []string{"100 allow tcp 32768-65535 0.0.0.0/0"})
		}, q: func() Query {
			q := tcp("8.8.8.8", "web", 443)
			q.Ephemeral = model.PortRange{First: 32768, Last: 60999}
			return q
		}(), want: true},
		{name: "not evaluated inside a subnet", doc: "ACL-5 traffic between interfaces of one subnet crosses no ACL", build: func(n *tnet) {
			base(n)
			n.acl("acl-priv", "vpc-1", []string{"subnet-priv"}, nil, nil)
			n.sg("sg-any", "vpc-1", []sgSpec{"all - 10.0.0.0/16"}, []sgSpec{"all - 0.0.0.0/0"})
			n.instance("peer", "subnet-priv", []string{"sg-any"}, "", "10.0.2.30")
			n.Interfaces[1].SecurityGroupIDs = []string{"sg-any"}
		}, q: tcp("peer", "app", 22), want: true, path: "network-interface subnet network-interface"},
		{name: "evaluated between subnets outbound", doc: "ACL-5 leaving a subnet crosses its outbound rules", build: func(n *tnet) {
			base(n)
			n.acl("acl-pub", "vpc-1", []string{"subnet-pub"}, []string{"100 allow all - 0.0.0.0/0"}, []string{"100 deny tcp 8080 10.0.2.0/24", "200 allow all - 0.0.0.0/0"})
		}, q: tcp("web", "app", 8080), code: CodeSubnetACLRestriction, dir: "forward"},
		{name: "evaluated between subnets inbound", doc: "ACL-5 entering a subnet crosses its inbound rules", build: func(n *tnet) {
			base(n)
			n.acl("acl-priv", "vpc-1", []string{"subnet-priv"}, []string{"100 deny all - 10.0.1.0/24", "200 allow all - 0.0.0.0/0"}, allOut)
		}, q: tcp("web", "app", 8080), code: CodeSubnetACLRestriction, dir: "forward"},
		{name: "custom acl without rules", doc: "ACL-6 a new custom ACL denies everything", build: func(n *tnet) {
			base(n)
			n.acl("acl-pub", "vpc-1", []string{"subnet-pub"}, nil, nil)
		}, q: tcp("8.8.8.8", "web", 443), code: CodeSubnetACLRestriction, dir: "forward"},
		{name: "ipv4 rules do not cover ipv6", doc: "ACL-7 IPv6 traffic needs IPv6 rules; the IPv6 * rule denies it", build: func(n *tnet) {
			base(n)
			n.VPCs[0].IPv6CIDRs = append(n.VPCs[0].IPv6CIDRs, pfx("2600:1f18:1:100::/56"))
			subnetOf(n, "subnet-pub").IPv6CIDR = pfx("2600:1f18:1:101::/64")
			addRoute(n, "rtb-pub", "::/0 igw-1")
			n.Interfaces[0].IPv6Addrs = []netipAddr{ip("2600:1f18:1:101::10")}
			n.sg("sg-v6", "vpc-1", []sgSpec{"tcp 443 ::/0"}, []sgSpec{"all - ::/0"})
			n.Interfaces[0].SecurityGroupIDs = []string{"sg-v6"}
			n.acl("acl-pub", "vpc-1", []string{"subnet-pub"}, []string{"100 allow all - 0.0.0.0/0"}, allOut)
		}, q: tcp("2001:db8::1", "web", 443), code: CodeSubnetACLRestriction, dir: "forward"},
		{name: "icmp reply needs outbound icmp", doc: "ACL-3 AWS's ping example: the SG lets the reply out, the ACL does not", build: func(n *tnet) {
			base(n)
			n.sg("sg-ping", "vpc-1", []sgSpec{"icmp 8 0.0.0.0/0"}, nil)
			n.Interfaces[0].SecurityGroupIDs = []string{"sg-ping"}
			n.acl("acl-pub", "vpc-1", []string{"subnet-pub"}, []string{"100 allow icmp - 0.0.0.0/0"}, []string{"100 deny icmp - 0.0.0.0/0", "200 allow all - 0.0.0.0/0"})
		}, q: proto("203.0.113.12", "web", model.ProtocolICMP), code: CodeSubnetACLRestriction, dir: "return"},
		{name: "icmp echo reply type", doc: "ACL-3 the reply to an echo request (type 8) is an echo reply (type 0)", build: func(n *tnet) {
			base(n)
			n.sg("sg-ping", "vpc-1", []sgSpec{"icmp 8 0.0.0.0/0"}, nil)
			n.Interfaces[0].SecurityGroupIDs = []string{"sg-ping"}
			n.acl("acl-pub", "vpc-1", []string{"subnet-pub"}, []string{"100 allow icmp 8 0.0.0.0/0"}, []string{"100 allow icmp 0 0.0.0.0/0"})
		}, q: proto("203.0.113.12", "web", model.ProtocolICMP), want: true},
		{name: "icmp echo reply type denied", doc: "ACL-3 an outbound rule for the request type does not let the reply out", build: func(n *tnet) {
			base(n)
			n.sg("sg-ping", "vpc-1", []sgSpec{"icmp 8 0.0.0.0/0"}, nil)
			n.Interfaces[0].SecurityGroupIDs = []string{"sg-ping"}
			n.acl("acl-pub", "vpc-1", []string{"subnet-pub"}, []string{"100 allow icmp 8 0.0.0.0/0"}, []string{"100 allow icmp 8 0.0.0.0/0"})
		}, q: proto("203.0.113.12", "web", model.ProtocolICMP), code: CodeSubnetACLRestriction, dir: "return"},
		{name: "icmpv6 echo reply type", doc: "ACL-3 the reply to an ICMPv6 echo request (128) is an echo reply (129)", build: func(n *tnet) {
			base(n)
			n.VPCs[0].IPv6CIDRs = append(n.VPCs[0].IPv6CIDRs, pfx("2600:1f18:1:100::/56"))
			subnetOf(n, "subnet-pub").IPv6CIDR = pfx("2600:1f18:1:101::/64")
			addRoute(n, "rtb-pub", "::/0 igw-1")
			n.Interfaces[0].IPv6Addrs = []netipAddr{ip("2600:1f18:1:101::10")}
			n.sg("sg-ping", "vpc-1", []sgSpec{"icmpv6 128 ::/0"}, nil)
			n.Interfaces[0].SecurityGroupIDs = []string{"sg-ping"}
			n.acl("acl-pub", "vpc-1", []string{"subnet-pub"}, []string{"100 allow icmpv6 128 ::/0"}, []string{"100 allow icmpv6 129 ::/0"})
		}, q: proto("2001:db8::1", "web", model.ProtocolICMPv6), want: true},
		{name: "deny of one source among many", doc: "ACL-1 a deny rule removes only what it matches", build: func(n *tnet) {
			base(n)
			n.acl("acl-pub", "vpc-1", []string{"subnet-pub"}, []string{"90 deny all - 8.0.0.0/8", "100 allow all - 0.0.0.0/0"}, allOut)
		}, q: tcp("internet", "web", 443), want: true, partial: true, code: CodeSubnetACLRestriction, dir: "forward"},
	}
}
