package config

import (
	"fmt"
	"math/big"
	"net/netip"
	"strconv"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/vpcsim/vpcsim/hcl/resource"
)

// Terraform's IP network functions, on net/netip. They follow Terraform's
// rules and messages: a prefix with host bits set stands for its network,
// IPv4 octets may have leading zeros (read as decimal), cidrsubnets extends a
// prefix by at most 32 bits per subnet, and a negative host number counts
// back from the end of the range. Two deliberate differences, both where
// Terraform misbehaves: a negative netnum is an error (Terraform wraps it
// around to an address outside the prefix), and cidrsubnets works on a
// prefix starting at the zero address (Terraform fails on it).

var cidrSubnetFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "prefix", Type: cty.String}, {Name: "newbits", Type: cty.Number}, {Name: "netnum", Type: cty.Number}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		p, err := parseCIDRArg(args[0])
		if err != nil {
			return cty.UnknownVal(cty.String), err
		}
		newbits, err := wholeNumber(args[1], 1)
		if err != nil {
			return cty.UnknownVal(cty.String), err
		}
		netnum, err := wholeNumber(args[2], 2)
		if err != nil {
			return cty.UnknownVal(cty.String), err
		}
		if newbits.Sign() < 0 || !newbits.IsInt64() || newbits.Int64()+int64(p.Bits()) > int64(p.Addr().BitLen()) {
			return cty.UnknownVal(cty.String), fmt.Errorf("insufficient address space to extend prefix of %d by %s", p.Bits(), newbits)
		}
		nb := int(newbits.Int64())
		if netnum.Sign() < 0 || netnum.BitLen() > nb {
			return cty.UnknownVal(cty.String), fmt.Errorf("prefix extension of %d does not accommodate a subnet numbered %s", nb, netnum)
		}
		bits := p.Bits() + nb
		base := addrInt(p.Addr())
		base.Add(base, new(big.Int).Lsh(netnum, uint(p.Addr().BitLen()-bits)))
		return cty.StringVal(netip.PrefixFrom(intAddr(base, p.Addr().Is4()), bits).String()), nil
	},
})

var cidrHostFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "prefix", Type: cty.String}, {Name: "hostnum", Type: cty.Number}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		p, err := parseCIDRArg(args[0])
		if err != nil {
			return cty.UnknownVal(cty.String), err
		}
		num, err := wholeNumber(args[1], 1)
		if err != nil {
			return cty.UnknownVal(cty.String), err
		}
		hostBits := uint(p.Addr().BitLen() - p.Bits())
		size := new(big.Int).Lsh(big.NewInt(1), hostBits)
		off := new(big.Int).Set(num)
		if off.Sign() < 0 {
			off.Add(off, size)
		}
		if off.Sign() < 0 || off.Cmp(size) >= 0 {
			return cty.UnknownVal(cty.String), fmt.Errorf("prefix of %d does not accommodate a host numbered %s", p.Bits(), num)
		}
		a := addrInt(p.Addr())
		a.Add(a, off)
		return cty.StringVal(intAddr(a, p.Addr().Is4()).String()), nil
	},
})

var cidrNetmaskFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "prefix", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		p, err := parseCIDRArg(args[0])
		if err != nil {
			return cty.UnknownVal(cty.String), err
		}
		if !p.Addr().Is4() {
			return cty.UnknownVal(cty.String), fmt.Errorf("IPv6 addresses cannot have a netmask: %s", args[0].AsString())
		}
		mask := new(big.Int).Lsh(big.NewInt(1), 32)
		mask.Sub(mask, new(big.Int).Lsh(big.NewInt(1), uint(32-p.Bits())))
		return cty.StringVal(intAddr(mask, true).String()), nil
	},
})

// cidrSubnetsFunc allocates consecutive subnets of the given extensions,
// each aligned to its own size, as Terraform's cidrsubnets does.
var cidrSubnetsFunc = function.New(&function.Spec{
	Params:   []function.Parameter{{Name: "prefix", Type: cty.String}},
	VarParam: &function.Parameter{Name: "newbits", Type: cty.Number},
	Type:     function.StaticReturnType(cty.List(cty.String)),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		p, err := parseCIDRArg(args[0])
		if err != nil {
			return cty.UnknownVal(cty.List(cty.String)), function.NewArgError(0, err)
		}
		if len(args) == 1 {
			return cty.ListValEmpty(cty.String), nil
		}
		addrBits := p.Addr().BitLen()
		is4 := p.Addr().Is4()
		start := addrInt(p.Addr())
		end := new(big.Int).Add(start, new(big.Int).Lsh(big.NewInt(1), uint(addrBits-p.Bits())))
		next := new(big.Int).Set(start)
		var prev string
		out := make([]cty.Value, 0, len(args)-1)
		for i, a := range args[1:] {
			nbv, err := wholeNumber(a, i+1)
			if err != nil {
				return cty.UnknownVal(cty.List(cty.String)), err
			}
			if !nbv.IsInt64() || nbv.Int64() < 1 {
				return cty.UnknownVal(cty.List(cty.String)), function.NewArgErrorf(i+1, "must extend prefix by at least one bit")
			}
			if nbv.Int64() > 32 {
				return cty.UnknownVal(cty.List(cty.String)), function.NewArgErrorf(i+1, "may not extend prefix by more than 32 bits")
			}
			length := p.Bits() + int(nbv.Int64())
			if length > addrBits {
				family := "IPv4"
				if !is4 {
					family = "IPv6"
				}
				return cty.UnknownVal(cty.List(cty.String)), function.NewArgErrorf(i+1, "would extend prefix to %d bits, which is too long for an %s address", length, family)
			}
			size := new(big.Int).Lsh(big.NewInt(1), uint(addrBits-length))
			// Align up to the subnet's own size.
			s := new(big.Int).Add(next, new(big.Int).Sub(size, big.NewInt(1)))
			s.Div(s, size).Mul(s, size)
			e := new(big.Int).Add(s, size)
			if e.Cmp(end) > 0 {
				after := prev
				if after == "" {
					after = "the start of " + p.String()
				}
				return cty.UnknownVal(cty.List(cty.String)), function.NewArgErrorf(i+1,
					"not enough remaining address space for a subnet with a prefix of %d bits after %s", length, after)
			}
			prev = netip.PrefixFrom(intAddr(s, is4), length).String()
			out = append(out, cty.StringVal(prev))
			next = e
		}
		return cty.ListVal(out), nil
	},
})

// parseCIDRArg parses a prefix argument; host bits are dropped, as
// Terraform does.
func parseCIDRArg(v cty.Value) (netip.Prefix, error) {
	if s := v.AsString(); len(s) > 49 {
		return netip.Prefix{}, fmt.Errorf("invalid CIDR expression: it is %s characters long (%q…), and a CIDR block has at most 49",
			resource.Digits(int64(len(s))), strings.ToValidUTF8(s[:24], ""))
	}
	p, err := netip.ParsePrefix(v.AsString())
	if err != nil {
		if q, ok := parseLegacyIPv4Prefix(v.AsString()); ok {
			return q.Masked(), nil
		}
		return netip.Prefix{}, fmt.Errorf("invalid CIDR expression: %w", err)
	}
	if p.Addr().Is4In6() && p.Bits() >= 96 {
		p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
	}
	return p.Masked(), nil
}

func wholeNumber(v cty.Value, arg int) (*big.Int, error) {
	f := v.AsBigFloat()
	if !f.IsInt() {
		return nil, function.NewArgErrorf(arg, "must be a whole number")
	}
	n, _ := f.Int(nil)
	return n, nil
}

func addrInt(a netip.Addr) *big.Int { return new(big.Int).SetBytes(a.AsSlice()) }

func intAddr(n *big.Int, is4 bool) netip.Addr {
	size := 16
	if is4 {
		size = 4
	}
	b := make([]byte, size)
	n.FillBytes(b)
	a, _ := netip.AddrFromSlice(b)
	return a
}

// parseLegacyIPv4Prefix reads an IPv4 prefix whose octets have leading
// zeros ("010.0.0.0/8"), which Go's parsers refuse and Terraform reads as
// decimal.
func parseLegacyIPv4Prefix(s string) (netip.Prefix, bool) {
	addr, bits, ok := strings.Cut(s, "/")
	if !ok {
		return netip.Prefix{}, false
	}
	parts := strings.Split(addr, ".")
	if len(parts) != 4 {
		return netip.Prefix{}, false
	}
	var b [4]byte
	for i, part := range parts {
		n, err := strconv.ParseUint(part, 10, 8)
		if err != nil || part == "" || len(part) > 3 {
			return netip.Prefix{}, false
		}
		b[i] = byte(n)
	}
	n, err := strconv.Atoi(bits)
	if err != nil || n < 0 || n > 32 {
		return netip.Prefix{}, false
	}
	return netip.PrefixFrom(netip.AddrFrom4(b), n), true
}
