package suppress

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/vpcsim/vpcsim/reach"
	"github.com/vpcsim/vpcsim/report"
)

// BaselineVersion is the format version of baseline files this package
// writes and reads.
const BaselineVersion = 1

// Baseline is a file of accepted findings.
type Baseline struct {
	// Version is BaselineVersion; Tool is "vpcsim".
	Version int    `json:"version"`
	Tool    string `json:"tool"`
	// Findings are the accepted findings, sorted by fingerprint.
	Findings []Entry `json:"findings"`

	path string
}

// Entry accepts one finding: the same source, interface (by stable key),
// protocol and ports within the entry's, and sources within the entry's.
type Entry struct {
	// Fingerprint is the finding's when the entry was written (for people
	// and for finding the entry again: matching does not need it).
	Fingerprint string `json:"fingerprint"`
	// Source is internet, on-premises, estate or egress; Key the
	// interface's stable key (model.Keys); Target names it for people.
	Source string `json:"source"`
	Key    string `json:"key"`
	Target string `json:"target"`
	// Protocol, FromPort and ToPort are the service accepted: a finding of
	// the same protocol whose ports lie within matches.
	Protocol string `json:"protocol"`
	FromPort int    `json:"from_port"`
	ToPort   int    `json:"to_port"`
	// Sources are the source blocks accepted (for flows between interfaces,
	// the source interfaces' names; for egress, the destinations): a
	// finding matches only while every one of its sources lies within
	// them, so a rule widened later fails the gate again. Empty accepts
	// every source.
	Sources []string `json:"sources,omitempty"`
	// Severity is the finding's when the entry was written, for people.
	Severity string `json:"severity,omitempty"`
	// Reason says why it is accepted; Expires (YYYY-MM-DD), optional, when
	// the acceptance ends.
	Reason  string `json:"reason,omitempty"`
	Expires string `json:"expires,omitempty"`
}

// ReadBaseline reads a baseline file. A file that is not one is an error
// naming the file and, for bad JSON, the line.
func ReadBaseline(path string) (*Baseline, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--baseline: %w", err)
	}
	b := &Baseline{path: path}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(b); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return nil, fmt.Errorf("%s:%d: not a vpcsim baseline: %v", path, lineOf(data, se.Offset), err)
		case errors.As(err, &te):
			return nil, fmt.Errorf("%s:%d: not a vpcsim baseline: %v", path, lineOf(data, te.Offset), err)
		}
		return nil, fmt.Errorf("%s: not a vpcsim baseline: %v", path, err)
	}
	if b.Tool != "vpcsim" || b.Version != BaselineVersion {
		return nil, fmt.Errorf("%s: not a vpcsim baseline of version %d (tool %q, version %d): write one with vpcsim plan-check --write-baseline", path, BaselineVersion, b.Tool, b.Version)
	}
	for i, e := range b.Findings {
		if e.Expires != "" {
			if _, err := time.Parse(time.DateOnly, e.Expires); err != nil {
				return nil, fmt.Errorf("%s: finding %d (%s): expires %q is not a date (YYYY-MM-DD)", path, i+1, e.Fingerprint, e.Expires)
			}
		}
		for _, s := range e.Sources {
			if e.Source != reach.SourceEstate {
				if _, err := netip.ParsePrefix(s); err != nil {
					return nil, fmt.Errorf("%s: finding %d (%s): source %q is not a CIDR block", path, i+1, e.Fingerprint, s)
				}
			}
		}
	}
	return b, nil
}

func lineOf(data []byte, off int64) int {
	return bytes.Count(data[:min(int(off), len(data))], []byte("\n")) + 1
}

// BaselineOf is the baseline that accepts every finding of r that passes
// after (what a closed finding passed before, too, so that --fail-on
// any-change accepts its closing), with its sources.
func BaselineOf(r *report.DiffReport) *Baseline {
	b := &Baseline{Version: BaselineVersion, Tool: "vpcsim", Findings: []Entry{}}
	seen := map[string]bool{}
	for i := range r.Findings {
		f := &r.Findings[i]
		if seen[f.Fingerprint] {
			continue
		}
		seen[f.Fingerprint] = true
		b.Findings = append(b.Findings, Entry{Fingerprint: f.Fingerprint, Source: f.Source, Key: f.Key(), Target: f.Target,
			Protocol: f.Protocol, FromPort: f.FromPort, ToPort: f.ToPort, Sources: slices.Clone(f.Sources), Severity: f.Severity.String()})
	}
	slices.SortFunc(b.Findings, func(x, y Entry) int { return strings.Compare(x.Fingerprint, y.Fingerprint) })
	return b
}

// Write writes the baseline to path atomically: to a temporary file in the
// same folder, renamed over path, so that a reader never sees half of it
// and a failure leaves the old file as it was.
func (b *Baseline) Write(path string) error {
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return err
	}
	data = append(data, '\n')
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("--write-baseline: %w", err)
	}
	defer os.Remove(tmp.Name()) // after the rename there is nothing to remove
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("--write-baseline: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("--write-baseline: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("--write-baseline: %w", err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("--write-baseline: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("--write-baseline: %w", err)
	}
	return nil
}

// Match returns the suppression of the entry that accepts f, nil when none
// does; expired lists the entries that would accept f but have expired.
func (b *Baseline) Match(f *report.DiffFinding, today time.Time) (s *report.Suppression, expired []report.Suppression) {
	if b == nil {
		return nil, nil
	}
	for _, e := range b.Findings {
		if e.Source != f.Source || e.Key != f.Key() || !f.Covers(e.Protocol, e.FromPort, e.ToPort) || !within(f.Sources, e.Sources, f.Source) {
			continue
		}
		sup := &report.Suppression{Kind: "baseline", Rule: e.Fingerprint, Reason: e.Reason, Expires: e.Expires, File: b.path}
		if e.Expires != "" {
			if d, _ := time.Parse(time.DateOnly, e.Expires); today.After(d.Add(24*time.Hour - time.Nanosecond)) {
				sup.Expired = true
				expired = append(expired, *sup)
				continue
			}
		}
		return sup, expired
	}
	return nil, expired
}

// within reports whether every source lies within the accepted ones (no
// accepted ones: every source). Blocks compare as address ranges; the
// names of source interfaces, as names.
func within(sources, accepted []string, source string) bool {
	if len(accepted) == 0 {
		return true
	}
	if source == reach.SourceEstate {
		for _, s := range sources {
			if !slices.Contains(accepted, s) {
				return false
			}
		}
		return true
	}
	var acc []netip.Prefix
	for _, a := range accepted {
		if p, err := netip.ParsePrefix(a); err == nil {
			acc = append(acc, p.Masked())
		}
	}
	for _, s := range sources {
		p, err := netip.ParsePrefix(s)
		if err != nil || !covered(p.Masked(), acc) {
			return false
		}
	}
	return true
}

// covered reports whether the union of acc holds every address of p.
func covered(p netip.Prefix, acc []netip.Prefix) bool {
	for _, a := range acc {
		if a.Addr().Is4() == p.Addr().Is4() && a.Bits() <= p.Bits() && a.Contains(p.Addr()) {
			return true
		}
	}
	// p may be covered by several smaller blocks: split it in two and try
	// each half, down to the smallest accepted block.
	if p.Bits() >= p.Addr().BitLen() {
		return false
	}
	smallest := 0
	for _, a := range acc {
		if a.Addr().Is4() == p.Addr().Is4() && p.Overlaps(a) {
			smallest = max(smallest, a.Bits())
		}
	}
	if smallest <= p.Bits() {
		return false
	}
	lo := netip.PrefixFrom(p.Addr(), p.Bits()+1)
	hi := netip.PrefixFrom(halfAddr(p), p.Bits()+1)
	return covered(lo, acc) && covered(hi, acc)
}

// halfAddr is the first address of p's upper half.
func halfAddr(p netip.Prefix) netip.Addr {
	b := p.Addr().AsSlice()
	bit := p.Bits()
	b[bit/8] |= 0x80 >> (bit % 8)
	a, _ := netip.AddrFromSlice(b)
	return a
}
