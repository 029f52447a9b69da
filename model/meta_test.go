package model

import "testing"

func TestPosString(t *testing.T) {
	tests := []struct {
		p    Pos
		want string
	}{
		// Compilers' format: file:line:col, dropping what is unknown.
		{Pos{File: "main.tf", Line: 12, Col: 3}, "main.tf:12:3"},
		{Pos{File: "main.tf", Line: 12}, "main.tf:12"},
		{Pos{File: "terraform.tfstate"}, "terraform.tfstate"},
		{Pos{}, ""},
		// A line without a file (input read from stdin) still says which line.
		{Pos{Line: 7}, "line 7"},
		{Pos{Line: 7, Col: 2}, "line 7:2"},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("%#v.String() = %q; want %q", tt.p, got, tt.want)
		}
		if got := tt.p.IsZero(); got != (tt.want == "") {
			t.Errorf("%#v.IsZero() = %v", tt.p, got)
		}
	}
}

func TestMetaLabelDescribe(t *testing.T) {
	tests := []struct {
		m               Meta
		label, describe string
	}{
		// The Terraform address is what the user wrote, so it comes first;
		// the ID is added when it says something more.
		{Meta{ID: "sg-0abc", Address: "aws_security_group.web", Name: "web", Pos: Pos{File: "main.tf", Line: 12}},
			"aws_security_group.web", "aws_security_group.web (sg-0abc) at main.tf:12"},
		// A symbolic ID equal to the address is not repeated.
		{Meta{ID: "aws_subnet.a", Address: "aws_subnet.a"}, "aws_subnet.a", "aws_subnet.a"},
		// An ID unknown until apply is a placeholder, not worth printing.
		{Meta{ID: "i-placeholder", Address: "aws_instance.web", Unknown: []string{"id"}}, "aws_instance.web", "aws_instance.web"},
		// Without an address: the ID, then the Name tag.
		{Meta{ID: "vpc-0123", Name: "prod"}, "vpc-0123", "vpc-0123"},
		{Meta{Name: "prod"}, "prod", "prod"},
		{Meta{}, "", ""},
		// Synthesised elements say which rule of AWS made them.
		{Meta{ID: "vpc-1/main-route-table", Synthetic: SynthMainRouteTable}, "vpc-1/main-route-table",
			"vpc-1/main-route-table [synthesised: every VPC has a main route table]"},
		{Meta{ID: "rtb-1", Address: "module.net.aws_route_table.a[0]", Pos: Pos{File: "net/main.tf", Line: 3, Col: 1}},
			"module.net.aws_route_table.a[0]", "module.net.aws_route_table.a[0] (rtb-1) at net/main.tf:3:1"},
	}
	for _, tt := range tests {
		if got := tt.m.Label(); got != tt.label {
			t.Errorf("%+v.Label() = %q; want %q", tt.m, got, tt.label)
		}
		if got := tt.m.Describe(); got != tt.describe {
			t.Errorf("%+v.Describe() = %q; want %q", tt.m, got, tt.describe)
		}
	}
}

func TestMetaUnknown(t *testing.T) {
	var m Meta
	if m.IsUnknown("id") {
		t.Errorf("zero Meta has unknown id")
	}
	m.MarkUnknown("id")
	m.MarkUnknown("private_ip")
	m.MarkUnknown("id") // once only
	if !m.IsUnknown("id") || !m.IsUnknown("private_ip") || m.IsUnknown("cidr_block") || len(m.Unknown) != 2 {
		t.Errorf("Unknown = %q", m.Unknown)
	}
}

func TestDiagnosticString(t *testing.T) {
	tests := []struct {
		d    Diagnostic
		want string
	}{
		{Diagnostic{Severity: SeverityError, Pos: Pos{File: "main.tf", Line: 12, Col: 3}, Element: "aws_subnet.a", Message: "cidr block 10.1.0.0/24 is outside"},
			"main.tf:12:3: error: aws_subnet.a: cidr block 10.1.0.0/24 is outside"},
		// No position: no leading separator.
		{Diagnostic{Severity: SeverityWarning, Element: "aws_nat_gateway.a", Message: "public NAT gateway has no Elastic IP"},
			"warning: aws_nat_gateway.a: public NAT gateway has no Elastic IP"},
		// No element: the input as a whole.
		{Diagnostic{Severity: SeverityNote, Pos: Pos{File: "plan.json"}, Message: "plan has no changes"},
			"plan.json: note: plan has no changes"},
		{Diagnostic{Severity: 0, Message: "x"}, "invalid: x"},
	}
	for _, tt := range tests {
		if got := tt.d.String(); got != tt.want {
			t.Errorf("String() = %q; want %q", got, tt.want)
		}
	}
	var none Diagnostics
	if none.HasErrors() || none.Errors() != nil || none.Error() != "" {
		t.Errorf("empty Diagnostics: HasErrors %v, Errors %v, Error %q", none.HasErrors(), none.Errors(), none.Error())
	}
	warnOnly := Diagnostics{{Severity: SeverityWarning, Message: "w"}, {Severity: SeverityNote, Message: "n"}}
	if warnOnly.HasErrors() || len(warnOnly.Errors()) != 0 || warnOnly.Error() != "" {
		t.Errorf("warnings only: HasErrors %v, Errors %v, Error %q", warnOnly.HasErrors(), warnOnly.Errors(), warnOnly.Error())
	}
}

func TestElementHelpers(t *testing.T) {
	f := sample()
	// A VPC holds the addresses of all its blocks, IPv4 and IPv6.
	for a, want := range map[string]bool{"10.0.200.1": true, "2001:db8:1000:ff::1": true, "10.1.0.1": false, "2001:db8:1001::1": false} {
		if got := f.vpc.Contains(ip(a)); got != want {
			t.Errorf("main VPC Contains(%s) = %v", a, got)
		}
	}
	if got := f.vpc.AllCIDRs(); len(got) != 2 || got[0] != pfx("10.0.0.0/16") || got[1] != pfx("2001:db8:1000::/56") {
		t.Errorf("AllCIDRs = %v", got)
	}
	// A subnet holds the addresses of its IPv4 and IPv6 blocks; an absent
	// block holds nothing.
	for a, want := range map[string]bool{"10.0.0.9": true, "2001:db8:1000::9": true, "10.0.1.9": false, "::": false} {
		if got := f.pubA.Contains(ip(a)); got != want {
			t.Errorf("public_a Contains(%s) = %v", a, got)
		}
	}
	if f.privB.Contains(ip("2001:db8:1000:11::9")) {
		t.Errorf("an IPv4-only subnet contains an IPv6 address")
	}
	// The zone ID is the same physical zone in every account, so it wins.
	s := Subnet{AvailabilityZone: "us-east-1a"}
	if s.Zone() != "us-east-1a" {
		t.Errorf("Zone() = %q", s.Zone())
	}
	s.AvailabilityZoneID = "use1-az4"
	if s.Zone() != "use1-az4" {
		t.Errorf("Zone() = %q", s.Zone())
	}

	// An interface's primary address is its first IPv4 address, else its
	// first IPv6 address.
	if got := f.webENI.PrimaryIP(); got != ip("10.0.0.20") {
		t.Errorf("PrimaryIP = %v", got)
	}
	v6only := NetworkInterface{IPv6Addrs: ips("2001:db8::4")}
	if got := v6only.PrimaryIP(); got != ip("2001:db8::4") {
		t.Errorf("IPv6-only PrimaryIP = %v", got)
	}
	if got := (&NetworkInterface{}).PrimaryIP(); got.IsValid() {
		t.Errorf("PrimaryIP of an interface without address = %v", got)
	}
	// Owns covers private addresses, not public ones.
	if !f.webENI.Owns(ip("2001:db8:1000::20")) || !f.webENI.Owns(ip("10.0.0.20")) || f.webENI.Owns(ip("198.18.0.1")) {
		t.Errorf("Owns is wrong for the web interface")
	}
	// Placeholders are the listed private addresses and the public
	// addresses marked as such.
	f.webENI.Placeholders = ips("10.0.0.20")
	for a, want := range map[string]bool{"10.0.0.20": true, "198.18.0.1": true, "2001:db8:1000::20": false, "203.0.113.1": false} {
		if got := f.webENI.IsPlaceholder(ip(a)); got != want {
			t.Errorf("IsPlaceholder(%s) = %v", a, got)
		}
	}

	// A peering connection names the other end from either end.
	if p, ok := f.pcx.Peer("aws_vpc.main"); !ok || p != "aws_vpc.peer" {
		t.Errorf("Peer(main) = %q, %v", p, ok)
	}
	if p, ok := f.pcx.Peer("aws_vpc.peer"); !ok || p != "aws_vpc.main" {
		t.Errorf("Peer(peer) = %q, %v", p, ok)
	}
	if _, ok := f.pcx.Peer("vpc-x"); ok {
		t.Errorf("Peer of a VPC at neither end")
	}

	// Security group peers print as the console shows them.
	for _, tt := range []struct {
		p    SGPeer
		want string
	}{
		{SGPeer{Kind: PeerCIDR, CIDR: pfx("10.0.0.0/8")}, "10.0.0.0/8"},
		{SGPeer{Kind: PeerPrefixList, PrefixListID: "pl-1"}, "pl-1"},
		{SGPeer{Kind: PeerSecurityGroup, GroupID: "sg-1"}, "sg-1"},
		{SGPeer{Kind: PeerSecurityGroup, GroupID: "sg-1", Self: true}, "sg-1 (self)"},
		{SGPeer{CIDR: pfx("10.0.0.0/8")}, "invalid"},
	} {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("%+v.String() = %q; want %q", tt.p, got, tt.want)
		}
	}

	// NACL rule numbers print as the console does.
	for n, want := range map[int]string{1: "1", 100: "100", 32766: "32766", ACLRuleNumberStar: "*"} {
		r := ACLRule{Number: n}
		if got := r.NumberString(); got != want || r.IsStar() != (want == "*") {
			t.Errorf("rule %d: NumberString %q, IsStar %v", n, got, r.IsStar())
		}
	}
}
