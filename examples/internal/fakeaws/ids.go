package main

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net/netip"
	"strings"

	"github.com/vpcsim/vpcsim/internal/estate/tfstate"
)

// Every value fakeaws invents is a function of a seed string (the resource
// address and what the value is for), so that a rerun writes the same files
// and a value named in a README stays true.

// hexID is AWS's long resource ID: 17 lowercase hex digits after the
// prefix, the first a 0 ("vpc-0a1b2c3d4e5f60718"), derived from seed.
func hexID(prefix, seed string) string { return tfstate.HashID(prefix, seed) }

// hexN is n hex digits derived from seed.
func hexN(n int, seed string) string {
	sum := sha256.Sum256([]byte(seed))
	return hex.EncodeToString(sum[:])[:n]
}

// uuid is a version-4-shaped UUID derived from seed.
func uuid(seed string) string {
	h := hexN(32, "uuid|"+seed)
	return h[0:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:32]
}

func hash64(seed string) uint64 {
	sum := sha256.Sum256([]byte(seed))
	return binary.BigEndian.Uint64(sum[:8])
}

// addresses hands out private and public IPv4 addresses, never twice.
type addresses struct {
	used map[netip.Addr]bool
}

func newAddresses() *addresses { return &addresses{used: map[netip.Addr]bool{}} }

func (a *addresses) take(s string) {
	if ip, err := netip.ParseAddr(s); err == nil {
		a.used[ip] = true
	}
}

// private picks a free address of the subnet for seed, avoiding the first
// four and the last address, which AWS reserves.
func (a *addresses) private(cidr, seed string) (string, error) {
	p, err := netip.ParsePrefix(cidr)
	if err != nil || !p.Addr().Is4() {
		return "", fmt.Errorf("subnet CIDR %q is not IPv4", cidr)
	}
	size := uint64(1) << (32 - p.Bits())
	if size < 16 {
		return "", fmt.Errorf("subnet %s is too small", cidr)
	}
	base := binary.BigEndian.Uint32(p.Masked().Addr().AsSlice())
	usable := size - 5
	start := hash64(seed) % usable
	for i := uint64(0); i < usable; i++ {
		off := 4 + (start+i)%usable
		var b [4]byte
		binary.BigEndian.PutUint32(b[:], base+uint32(off))
		ip := netip.AddrFrom4(b)
		if !a.used[ip] {
			a.used[ip] = true
			return ip.String(), nil
		}
	}
	return "", fmt.Errorf("subnet %s is full", cidr)
}

// publicPools are blocks of Amazon's us-east-1 EC2 address space, so that
// the public addresses look like the ones AWS hands out there.
var publicPools = []netip.Prefix{
	netip.MustParsePrefix("3.208.0.0/12"),
	netip.MustParsePrefix("18.204.0.0/14"),
	netip.MustParsePrefix("34.192.0.0/12"),
	netip.MustParsePrefix("44.192.0.0/11"),
	netip.MustParsePrefix("52.0.0.0/15"),
	netip.MustParsePrefix("54.144.0.0/14"),
}

func (a *addresses) public(seed string) string {
	h := hash64("public|" + seed)
	for i := uint64(0); ; i++ {
		p := publicPools[(h+i)%uint64(len(publicPools))]
		size := uint32(1) << (32 - p.Bits())
		off := uint32((h>>8+i*7919)%uint64(size-2)) + 1
		if off&0xff == 0 || off&0xff == 0xff {
			continue
		}
		var b [4]byte
		binary.BigEndian.PutUint32(b[:], binary.BigEndian.Uint32(p.Addr().AsSlice())+off)
		ip := netip.AddrFrom4(b)
		if !a.used[ip] {
			a.used[ip] = true
			return ip.String()
		}
	}
}

// privateDNS and publicDNS are the host names AWS gives addresses in
// us-east-1.
func privateDNS(ip string) string {
	if ip == "" {
		return ""
	}
	return "ip-" + strings.ReplaceAll(ip, ".", "-") + ".ec2.internal"
}

func publicDNS(ip string) string {
	if ip == "" {
		return ""
	}
	return "ec2-" + strings.ReplaceAll(ip, ".", "-") + ".compute-1.amazonaws.com"
}
