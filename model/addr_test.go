package model

import (
	"net/netip"
	"slices"
	"testing"
)

func TestLastAddr(t *testing.T) {
	tests := []struct {
		p    netip.Prefix
		want netip.Addr
	}{
		// The last address of a block is its broadcast address in IPv4.
		{pfx("10.0.1.0/24"), ip("10.0.1.255")},
		{pfx("10.0.0.0/16"), ip("10.0.255.255")},
		{pfx("10.0.0.16/28"), ip("10.0.0.31")},
		{pfx("0.0.0.0/0"), ip("255.255.255.255")},
		// A host block is its own last address.
		{pfx("10.0.0.7/32"), ip("10.0.0.7")},
		// Host bits in the input do not move the block.
		{hostPfx("10.0.1.77/24"), ip("10.0.1.255")},
		// IPv6 blocks work the same way, at any length.
		{pfx("2001:db8:1234:1a00::/64"), ip("2001:db8:1234:1a00:ffff:ffff:ffff:ffff")},
		{pfx("2001:db8::/56"), ip("2001:db8:0:ff:ffff:ffff:ffff:ffff")},
		{pfx("2001:db8::/61"), ip("2001:db8:0:7:ffff:ffff:ffff:ffff")},
		{pfx("2001:db8::1/128"), ip("2001:db8::1")},
		{pfx("::/0"), ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")},
	}
	for _, tt := range tests {
		if got := LastAddr(tt.p); got != tt.want {
			t.Errorf("LastAddr(%v) = %v; want %v", tt.p, got, tt.want)
		}
	}
	if got := LastAddr(netip.Prefix{}); got.IsValid() {
		t.Errorf("LastAddr(invalid prefix) = %v; want the zero Addr", got)
	}
}

// allocate calls Private n times and returns what it got.
func allocate(al *Allocator, p netip.Prefix, n int) []netip.Addr {
	var out []netip.Addr
	for range n {
		a, ok := al.Private(p)
		if !ok {
			break
		}
		out = append(out, a)
	}
	return out
}

func TestAllocatorPrivate(t *testing.T) {
	used := &Network{
		Interfaces: []*NetworkInterface{{
			Meta:       meta("aws_network_interface.used"),
			PrivateIPs: ips("10.0.1.5", "10.0.1.7"),
			IPv6Addrs:  ips("2001:db8:0:1::4"),
			PublicIPs:  []PublicIP{{Public: ip("198.18.0.1"), Private: ip("10.0.1.5")}},
		}},
		NATGateways: []*NATGateway{{Meta: meta("aws_nat_gateway.a"), PrivateIP: ip("10.0.1.8"), PublicIP: ip("198.18.0.2")}},
		ElasticIPs:  []*ElasticIP{{Meta: meta("aws_eip.a"), PublicIP: ip("198.18.0.3")}},
	}
	tests := []struct {
		name string
		n    *Network
		p    netip.Prefix
		k    int
		want []netip.Addr
	}{
		// AWS reserves the network address, .1 (router), .2 (DNS) and .3
		// (future use): the first usable address is .4.
		{"skips reserved", &Network{}, pfx("10.0.1.0/24"), 3, ips("10.0.1.4", "10.0.1.5", "10.0.1.6")},
		// Addresses interfaces and NAT gateways already hold are skipped.
		{"avoids used", used, pfx("10.0.1.0/24"), 4, ips("10.0.1.4", "10.0.1.6", "10.0.1.9", "10.0.1.10")},
		// A /28 has 16 addresses, five reserved (the first four and the
		// broadcast address): eleven, then nothing.
		{"full /28", &Network{}, pfx("10.0.0.16/28"), 20, ips(
			"10.0.0.20", "10.0.0.21", "10.0.0.22", "10.0.0.23", "10.0.0.24", "10.0.0.25",
			"10.0.0.26", "10.0.0.27", "10.0.0.28", "10.0.0.29", "10.0.0.30")},
		// IPv6 subnets reserve their first four addresses too.
		{"IPv6", used, pfx("2001:db8:0:1::/64"), 3, ips("2001:db8:0:1::5", "2001:db8:0:1::6", "2001:db8:0:1::7")},
		// AWS also reserves the last address of an IPv6 subnet block
		// (https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html).
		{"full IPv6 /125", &Network{}, pfx("2001:db8::/125"), 10, ips("2001:db8::4", "2001:db8::5", "2001:db8::6")},
		// A block with nothing left after the reserved addresses is full.
		{"/30 has no host", &Network{}, pfx("10.0.0.0/30"), 1, nil},
		{"/32 has no host", &Network{}, pfx("10.0.0.9/32"), 1, nil},
		{"/126 has no host", &Network{}, pfx("2001:db8::/126"), 1, nil},
		// Host bits in the subnet block do not shift the allocation.
		{"host bits", &Network{}, hostPfx("10.0.1.77/24"), 1, ips("10.0.1.4")},
		// An unknown subnet block yields nothing, not a made-up address.
		{"invalid", &Network{}, netip.Prefix{}, 1, nil},
	}
	for _, tt := range tests {
		got := allocate(NewAllocator(tt.n), tt.p, tt.k)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: Private(%v) ×%d = %v; want %v", tt.name, tt.p, tt.k, got, tt.want)
		}
	}
}

func TestAllocatorPrivateFullThenFalse(t *testing.T) {
	// Once full, a block stays full, and another block is unaffected.
	al := NewAllocator(&Network{})
	allocate(al, pfx("10.0.0.16/28"), 11)
	if a, ok := al.Private(pfx("10.0.0.16/28")); ok {
		t.Errorf("Private on a full /28 = %v, true; want false", a)
	}
	if a, ok := al.Private(pfx("10.0.0.32/28")); !ok || a != ip("10.0.0.36") {
		t.Errorf("Private on the next /28 = %v, %v; want 10.0.0.36, true", a, ok)
	}
}

func TestAllocatorUse(t *testing.T) {
	// An address marked with Use is never handed out, even when it is the
	// next one the allocator would have picked.
	al := NewAllocator(&Network{})
	if a, _ := al.Private(pfx("10.0.1.0/24")); a != ip("10.0.1.4") {
		t.Fatalf("first Private = %v; want 10.0.1.4", a)
	}
	al.Use(ip("10.0.1.5"))
	al.Use(ip("10.0.1.6"))
	if a, _ := al.Private(pfx("10.0.1.0/24")); a != ip("10.0.1.7") {
		t.Errorf("Private after Use(.5, .6) = %v; want 10.0.1.7", a)
	}
	al.Use(PlaceholderPublicPrefix.Addr())
	if a := al.Public(); a != ip("198.18.0.1") {
		t.Errorf("Public after Use(198.18.0.0) = %v; want 198.18.0.1", a)
	}
}

func TestAllocatorDeterministic(t *testing.T) {
	// The same network and the same calls give the same addresses, so that
	// two runs over one plan print the same placeholders.
	build := func() *Network {
		return &Network{Interfaces: []*NetworkInterface{
			{Meta: meta("a"), PrivateIPs: ips("10.0.1.4", "10.0.2.9")},
			{Meta: meta("b"), PrivateIPs: ips("10.0.1.6"), PublicIPs: []PublicIP{{Public: ip("198.18.0.0"), Private: ip("10.0.1.6")}}},
		}}
	}
	run := func() []netip.Addr {
		al := NewAllocator(build())
		var out []netip.Addr
		for _, p := range []netip.Prefix{pfx("10.0.1.0/24"), pfx("10.0.2.0/24"), pfx("2001:db8::/64"), pfx("10.0.1.0/24")} {
			out = append(out, allocate(al, p, 3)...)
			out = append(out, al.Public())
		}
		return out
	}
	first := run()
	for range 5 {
		if again := run(); !slices.Equal(first, again) {
			t.Fatalf("allocations differ between runs:\n%v\n%v", first, again)
		}
	}
	// Nothing is handed out twice.
	seen := map[netip.Addr]bool{}
	for _, a := range first {
		if seen[a] {
			t.Errorf("%v handed out twice in %v", a, first)
		}
		seen[a] = true
	}
}

func TestAllocatorPublic(t *testing.T) {
	// Placeholder public addresses run through 198.18.0.0/15 in order,
	// skipping public addresses the network already uses.
	n := &Network{
		Interfaces: []*NetworkInterface{{Meta: meta("a"), PrivateIPs: ips("10.0.0.4"),
			PublicIPs: []PublicIP{{Public: ip("198.18.0.1"), Private: ip("10.0.0.4")}}}},
		ElasticIPs: []*ElasticIP{{Meta: meta("eip"), PublicIP: ip("198.18.0.3")}},
	}
	al := NewAllocator(n)
	var got []netip.Addr
	for range 4 {
		a := al.Public()
		if !PlaceholderPublicPrefix.Contains(a) {
			t.Errorf("Public() = %v, outside %v", a, PlaceholderPublicPrefix)
		}
		got = append(got, a)
	}
	if want := ips("198.18.0.0", "198.18.0.2", "198.18.0.4", "198.18.0.5"); !slices.Equal(got, want) {
		t.Errorf("Public() sequence = %v; want %v", got, want)
	}
}

func TestIsReservedAddr(t *testing.T) {
	pfx, ip := netip.MustParsePrefix, netip.MustParseAddr
	tests := []struct {
		block, addr string
		want        bool
	}{
		// AWS reserves the first four and the last address of every subnet
		// block, IPv4 ...
		{"10.0.1.0/24", "10.0.1.0", true},
		{"10.0.1.0/24", "10.0.1.1", true},
		{"10.0.1.0/24", "10.0.1.3", true},
		{"10.0.1.0/24", "10.0.1.4", false},
		{"10.0.1.0/24", "10.0.1.254", false},
		{"10.0.1.0/24", "10.0.1.255", true},
		// ... and IPv6 alike.
		{"2600:1f18:1:101::/64", "2600:1f18:1:101::", true},
		{"2600:1f18:1:101::/64", "2600:1f18:1:101::3", true},
		{"2600:1f18:1:101::/64", "2600:1f18:1:101::4", false},
		{"2600:1f18:1:101::/64", "2600:1f18:1:101:ffff:ffff:ffff:ffff", true},
		// Host bits in the block do not move the reserved addresses.
		{"10.0.1.9/24", "10.0.1.2", true},
		// Outside the block nothing is reserved by it.
		{"10.0.1.0/24", "10.0.2.0", false},
		{"10.0.1.0/24", "2600::1", false},
	}
	for _, tt := range tests {
		if got := IsReservedAddr(pfx(tt.block), ip(tt.addr)); got != tt.want {
			t.Errorf("IsReservedAddr(%s, %s) = %v; want %v", tt.block, tt.addr, got, tt.want)
		}
	}
	if IsReservedAddr(netip.Prefix{}, ip("10.0.0.0")) {
		t.Errorf("an invalid block reserves nothing")
	}
}
