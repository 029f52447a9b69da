package reach

import "net/netip"

type netipPrefix = netip.Prefix
type netipAddr = netip.Addr

func netipPrefixFrom(a netip.Addr, bits int) netip.Prefix { return netip.PrefixFrom(a, bits).Masked() }
