// Package flowlogtest holds what the flow-log tests of package flowlog and
// of the packet walker share: AWS's published records, normalised, and the
// times and addresses of AWS's examples.
package flowlogtest

import (
	"math"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"
)

// AWSLines normalises records as AWS publishes them: fields split on runs
// of spaces (AWS's example 5 has a double space), "#" comments dropped,
// sorted.
func AWSLines(lines ...string) []string {
	var out []string
	for _, l := range lines {
		l, _, _ = strings.Cut(l, "#")
		out = append(out, strings.Join(strings.Fields(l), " "))
	}
	slices.Sort(out)
	return out
}

// Check fails t when the records got are not want, line for line.
func Check(t testing.TB, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("records:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// Unix is the time f seconds after the Unix epoch (fractions kept).
func Unix(f float64) time.Time {
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(math.Round(frac*1e9)))
}

// AddrPort reads "address:port", or a bare address (port 0, for ICMP).
func AddrPort(s string) (netip.Addr, uint16) {
	if p, err := netip.ParseAddrPort(s); err == nil {
		return p.Addr(), p.Port()
	}
	return netip.MustParseAddr(s), 0
}
