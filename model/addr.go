package model

import (
	"fmt"
	"net/netip"
)

// LastAddr returns the highest address of p.
func LastAddr(p netip.Prefix) netip.Addr {
	p = p.Masked()
	b := p.Addr().AsSlice()
	bits := p.Bits()
	for i := range b {
		for j := 0; j < 8; j++ {
			if i*8+j >= bits {
				b[i] |= 0x80 >> j
			}
		}
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}

// IsReservedAddr reports whether AWS reserves address a in a subnet whose
// block (IPv4 or IPv6) is subnet: the network address, the next three (the
// VPC router, DNS and future use) and the last address of every subnet block
// of either family are never assigned to an interface
// (https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html).
// It is false for addresses outside subnet and for an invalid block.
func IsReservedAddr(subnet netip.Prefix, a netip.Addr) bool {
	if !subnet.IsValid() || !subnet.Contains(a) {
		return false
	}
	base := subnet.Masked().Addr()
	for range 4 {
		if a == base {
			return true
		}
		base = base.Next()
	}
	return a == LastAddr(subnet)
}

// PlaceholderPublicPrefix is where vpcsim takes public IPv4 addresses that are
// unknown until apply (198.18.0.0/15, reserved for benchmarking by RFC 2544,
// so a placeholder never collides with a real public address). Outputs mark
// them as placeholders.
var PlaceholderPublicPrefix = netip.MustParsePrefix("198.18.0.0/15")

// Allocator hands out deterministic placeholder addresses for interfaces
// whose addresses are unknown until apply: in a subnet, the lowest address
// AWS would not reserve and nothing else uses; in public space, the next
// address of PlaceholderPublicPrefix. The same network and the same sequence
// of calls give the same addresses.
type Allocator struct {
	used map[netip.Addr]bool
	next map[netip.Prefix]netip.Addr
	pub  netip.Addr
}

// NewAllocator returns an allocator that avoids every address n already uses.
func NewAllocator(n *Network) *Allocator {
	al := &Allocator{used: map[netip.Addr]bool{}, next: map[netip.Prefix]netip.Addr{}, pub: PlaceholderPublicPrefix.Addr()}
	for _, e := range n.Interfaces {
		for _, a := range e.PrivateIPs {
			al.used[a] = true
		}
		for _, a := range e.IPv6Addrs {
			al.used[a] = true
		}
		for _, p := range e.PublicIPs {
			al.used[p.Public] = true
		}
	}
	for _, g := range n.NATGateways {
		al.used[g.PrivateIP] = true
		al.used[g.PublicIP] = true
	}
	for _, e := range n.ElasticIPs {
		al.used[e.PublicIP] = true
	}
	return al
}

// PublicBlock makes the allocator hand out public placeholders from the
// i-th block of 4,096 addresses of PlaceholderPublicPrefix (i from 0 to 31),
// so that the placeholders of several inputs merged into one network do not
// collide.
func (al *Allocator) PublicBlock(i int) {
	a := PlaceholderPublicPrefix.Addr().As4()
	off := uint32(i%32) * 4096
	v := uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3]) + off
	al.pub = netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// Use marks a as taken.
func (al *Allocator) Use(a netip.Addr) { al.used[a] = true }

// Private returns the next free host address of p (IPv4 or IPv6), skipping
// the addresses AWS reserves (IsReservedAddr); false when p is full or
// invalid.
func (al *Allocator) Private(p netip.Prefix) (netip.Addr, bool) {
	if !p.IsValid() {
		return netip.Addr{}, false
	}
	p = p.Masked()
	a, ok := al.next[p]
	if !ok {
		a = p.Addr()
	}
	for ; a.IsValid() && p.Contains(a); a = a.Next() {
		if IsReservedAddr(p, a) {
			continue
		}
		if !al.used[a] {
			al.used[a] = true
			al.next[p] = a.Next()
			return a, true
		}
	}
	return netip.Addr{}, false
}

// Public returns the next free placeholder public IPv4 address.
func (al *Allocator) Public() netip.Addr {
	for al.used[al.pub] {
		al.pub = al.pub.Next()
	}
	a := al.pub
	al.used[a] = true
	al.pub = a.Next()
	return a
}

// Attributes an interface lists in Meta.Unknown when its addresses wait for
// a subnet another input holds (see PlacePending): the instance asks for a
// public address (associate_public_ip_address = true), or takes one when
// its subnet maps public addresses on launch.
const (
	PendingPublic         = "public_ip(associate)"
	PendingPublicOnLaunch = "public_ip(on_launch)"
)

// PlacePending gives placeholder addresses to the interfaces that still
// lack the address apply will give them because, when their input was
// loaded alone, their subnet's block was not known (another stack's
// subnet): after several inputs are merged, the subnet may be there. Public
// placeholders come from block (Allocator.PublicBlock). It returns a note
// for each address given.
func (n *Network) PlacePending(block int) Diagnostics {
	al := NewAllocator(n)
	al.PublicBlock(block)
	subnets := map[string]*Subnet{}
	for _, s := range n.Subnets {
		subnets[s.ID] = s
	}
	var ds Diagnostics
	note := func(x *NetworkInterface, attr string, a netip.Addr) {
		ds = append(ds, Diagnostic{Severity: SeverityNote, Pos: x.Pos, Element: x.Label(),
			Message: fmt.Sprintf("%s is not known until apply: using placeholder %s", attr, a)})
	}
	for _, x := range n.Interfaces {
		s := subnets[x.SubnetID]
		if len(x.PrivateIPs) > 0 || !x.IsUnknown("private_ip") || s == nil || !s.CIDR.IsValid() {
			continue
		}
		a, ok := al.Private(s.CIDR)
		if !ok {
			continue
		}
		x.PrivateIPs = append(x.PrivateIPs, a)
		x.Placeholders = append(x.Placeholders, a)
		note(x, "private_ip", a)
		if x.IsUnknown(PendingPublic) || x.IsUnknown(PendingPublicOnLaunch) && s.MapPublicIPOnLaunch {
			p := al.Public()
			x.PublicIPs = append(x.PublicIPs, PublicIP{Public: p, Private: a, Placeholder: true})
			x.MarkUnknown("public_ip")
			note(x, "public_ip", p)
		}
	}
	return ds
}
