package reach

import (
	"fmt"
	"net/netip"
)

func fmtSscan(s string, p *int) (int, error) { return fmt.Sscan(s, p) }

type netipPrefix = netip.Prefix
type netipAddr = netip.Addr

func netipPrefixFrom(a netip.Addr, bits int) netip.Prefix { return netip.PrefixFrom(a, bits).Masked() }
