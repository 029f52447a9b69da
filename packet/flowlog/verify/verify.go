package verify

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/packet/flowlog"
	"github.com/vpcsim/vpcsim/reach"
)

// Options set up a Verifier.
type Options struct {
	// Format is the format of records that come without a header line
	// (CloudWatch Logs, text logs without one); nil means AWS's default.
	Format flowlog.Format
	// Ephemeral is the client port range the model assumes
	// (model.DefaultEphemeral when zero).
	Ephemeral model.PortRange
	// MaxFindings bounds the distinct findings kept (10,000 when zero);
	// records of findings past it are counted, not listed.
	MaxFindings int
	// MaxFlows bounds the flows listed per rule (10 when zero).
	MaxFlows int
	// Progress, when set, is told how reading goes.
	Progress func(Progress)
	// Records, when set, receives every record with its verdict, where it
	// was read (source and record number) and its text as logged — for a
	// listing of records, and tests. All are reused after it returns.
	Records func(source string, n int, r *flowlog.Record, text []byte, v *Verdict) error
}

// Verifier holds records against a model and sums them up, in memory that
// does not grow with the number of records: counts per interface and rule,
// and at most MaxFindings findings and MaxFlows flows per rule.
type Verifier struct {
	c      *Classifier
	opts   Options
	res    Result
	ifaces []InterfaceSummary
	seen   []bool
	rules  []ruleAcc
	unk    map[string]*LoggedInterface
	finds  map[findingKey]int
	exLine []byte
	// format is the format of the records being added, for examples.
	format flowlog.Format
	// vd is the verdict of the record being added (a field, so that Add
	// allocates nothing); raw its line as read, when the reader keeps it.
	vd  Verdict
	raw []byte
	// gzBuf holds a gzipped file read whole (see open).
	gzBuf []byte
}

// text is the record r as logged: its line, or r in its log's format.
func (v *Verifier) text(r *flowlog.Record) []byte {
	if v.raw != nil {
		return v.raw
	}
	v.exLine, _ = v.format.AppendRecord(v.exLine[:0], r)
	return v.exLine
}

type ruleAcc struct {
	traffic Traffic
	flows   map[flowKey]*Flow
	omitted int64
}

type findingKey struct {
	class       Class
	cause       Cause
	iface, rule int32
	dir         model.Direction
	proto       uint8
	src, dst    netip.Addr
	port        uint16
}

type flowKey struct {
	iface int32
	dir   model.Direction
	proto uint8
	// remote is the address's 16 bytes and whether it is IPv4: plain
	// memory hashes several times faster than a netip.Addr, and flow logs'
	// addresses have no zone.
	remote [16]byte
	is4    bool
	port   uint16
}

// New returns a Verifier holding records against e.
func New(e *reach.Engine, opts Options) *Verifier {
	if opts.MaxFindings == 0 {
		opts.MaxFindings = 10000
	}
	if opts.MaxFlows == 0 {
		opts.MaxFlows = 10
	}
	if opts.Ephemeral == (model.PortRange{}) || !opts.Ephemeral.Valid() {
		opts.Ephemeral = model.DefaultEphemeral
	}
	v := &Verifier{c: NewClassifier(e, opts.Ephemeral), opts: opts,
		ifaces: make([]InterfaceSummary, e.Interfaces()), seen: make([]bool, e.Interfaces()),
		rules: make([]ruleAcc, e.Rules()), unk: map[string]*LoggedInterface{}, finds: map[findingKey]int{}}
	v.res.Ephemeral = opts.Ephemeral.String()
	v.format = flowlog.DefaultFormat
	return v
}

// Add classifies one record, read at line (or row) line of source, and
// adds it to the sums.
func (v *Verifier) Add(source string, line int, r *flowlog.Record) (Verdict, error) {
	v.c.classify(r, &v.vd)
	v.count(&v.vd, r, source, line)
	if v.opts.Records != nil {
		if err := v.opts.Records(source, line, r, v.text(r), &v.vd); err != nil {
			return v.vd, err
		}
	}
	return v.vd, nil
}

func (v *Verifier) count(vd *Verdict, r *flowlog.Record, source string, line int) {
	t := traffic(r)
	res := &v.res
	res.Records.add(vd.Class)
	if r.Start > 0 && (res.Period == nil || r.Start < res.Period.start) {
		if res.Period == nil {
			res.Period = &Period{start: r.Start, end: r.End}
		}
		res.Period.start = r.Start
	}
	if res.Period != nil && r.End > res.Period.end {
		res.Period.end = r.End
	}
	if vd.Iface < 0 {
		if r.InterfaceID == "" {
			return
		}
		u := v.unk[r.InterfaceID]
		if u == nil {
			if len(v.unk) >= v.opts.MaxFindings {
				res.UnknownTruncated++
				return
			}
			u = &LoggedInterface{InterfaceID: r.InterfaceID, VPCID: r.VPCID, SubnetID: r.SubnetID, InstanceID: r.InstanceID}
			v.unk[r.InterfaceID] = u
		}
		u.Traffic.add(t)
		if vd.Class == NoData || vd.Class == SkipData {
			u.Records.add(vd.Class)
		}
		return
	}
	is := &v.ifaces[vd.Iface]
	if !v.seen[vd.Iface] {
		v.seen[vd.Iface] = true
		is.InterfaceID = r.InterfaceID
	}
	is.Records.add(vd.Class)
	is.Traffic.add(t)
	switch vd.Class {
	case Consistent:
		v.use(vd, r, t)
	case AcceptDenied, RejectAllowed:
		v.find(vd, r, t, source, line)
	}
}

// use adds a consistent record to the rules that decided it: the network
// ACL rule, and for accepted packets the security group rule that admitted
// the connection (the reverse one for replies).
func (v *Verifier) use(vd *Verdict, r *flowlog.Record, t Traffic) {
	rc := &vd.Check
	h := vd.Header
	port := h.DstPort
	if rc.Reply {
		port = h.SrcPort
	}
	if h.Proto != 6 && h.Proto != 17 {
		port = 0
	}
	remote := h.Src
	if vd.Direction == model.Egress {
		remote = h.Dst
	}
	fk := flowKey{iface: vd.Iface, dir: vd.Direction, proto: h.Proto, remote: remote.As16(), is4: remote.Is4(), port: port}
	add := func(id int32) {
		if id < 0 || int(id) >= len(v.rules) {
			return
		}
		ra := &v.rules[id]
		ra.traffic.add(t)
		f := ra.flows[fk]
		if f == nil {
			if len(ra.flows) >= v.opts.MaxFlows {
				ra.omitted += t.Records
				return
			}
			if ra.flows == nil {
				ra.flows = map[flowKey]*Flow{}
			}
			f = &Flow{InterfaceID: r.InterfaceID, Direction: dirName(vd.Direction), Protocol: protoName(h.Proto), Remote: remote, Port: int(port), Reply: rc.Reply}
			ra.flows[fk] = f
		}
		f.Traffic.add(t)
	}
	if r.Action == flowlog.Accept {
		add(rc.ACL.AllowRule)
		if rc.Reply {
			add(rc.ReverseSG.AllowRule)
		} else {
			add(rc.SG.AllowRule)
		}
	} else {
		add(rc.ACL.DenyRule)
	}
}

// find adds an inconsistent record to its finding.
func (v *Verifier) find(vd *Verdict, r *flowlog.Record, t Traffic, source string, line int) {
	h := vd.Header
	var port uint16
	if h.Proto == 6 || h.Proto == 17 {
		port = min(h.SrcPort, h.DstPort)
	}
	k := findingKey{class: vd.Class, cause: vd.Cause, iface: vd.Iface, rule: vd.Rule, dir: vd.Direction, proto: h.Proto, src: h.Src, dst: h.Dst, port: port}
	i, ok := v.finds[k]
	if !ok {
		if len(v.res.Findings) >= v.opts.MaxFindings {
			v.res.FindingsTruncated += t.Records
			return
		}
		i = len(v.res.Findings)
		v.finds[k] = i
		f := Finding{Class: vd.Class, Cause: vd.Cause, InterfaceID: r.InterfaceID, Direction: dirName(vd.Direction),
			Protocol: protoName(h.Proto), Src: h.Src, Dst: h.Dst, Port: int(port), Source: source, Record: line}
		f.Example = string(v.text(r))
		e := v.c.e
		if c, ok := e.Interface(vd.Iface); ok {
			f.Interface = c.Interface
		}
		if vd.Rule >= 0 {
			if rr, ok := e.Rule(vd.Rule); ok {
				f.Rule = &rr
			}
		}
		rc := &vd.Check
		if vd.Class == RejectAllowed && vd.Cause == CauseDrift && rc.SG.AllowRule >= 0 {
			if rr, ok := e.Rule(rc.SG.AllowRule); ok {
				f.SGRule = &rr
			}
		}
		if vd.Cause == CauseSecurityGroup {
			f.Groups = rc.SG.Groups
		}
		if vd.Cause == CauseNetworkACL || vd.Cause == CauseEphemeral || vd.Cause == CauseDrift && rc.ACL.Applies {
			f.ACL = rc.ACL.Component
		}
		f.Message = findingMessage(&f, v.opts.Ephemeral)
		v.res.Findings = append(v.res.Findings, f)
	}
	v.res.Findings[i].Traffic.add(t)
}

func findingMessage(f *Finding, eph model.PortRange) string {
	what := fmt.Sprintf("%s %s -> %s", f.Protocol, f.Src, f.Dst)
	if f.Port > 0 {
		what += fmt.Sprintf(" (port %d)", f.Port)
	}
	switch f.Cause {
	case CauseNetworkACL:
		return fmt.Sprintf("AWS accepted %s %s, which network ACL rule %q denies: the ACL changed outside Terraform, or the traffic takes a path the model lacks", what, f.Direction, ruleText(f.Rule))
	case CauseSecurityGroup:
		return fmt.Sprintf("AWS accepted %s %s, which no rule of %s admits, as a new connection nor as a reply: a rule was added outside Terraform, or the traffic takes a path the model lacks", what, f.Direction, groupsText(f.Groups))
	case CauseDrift:
		s := fmt.Sprintf("AWS rejected %s %s, which the model allows", what, f.Direction)
		if f.Rule != nil {
			s += fmt.Sprintf(" (network ACL rule %q)", ruleText(f.Rule))
		}
		if f.SGRule != nil {
			s += fmt.Sprintf(" (security group rule %q)", ruleText(f.SGRule))
		}
		return s + ": a security group or network ACL changed outside Terraform"
	case CauseEphemeral:
		return fmt.Sprintf("AWS rejected %s %s, the reply of a connection the model admits, to a client port outside the assumed ephemeral range %s; network ACL rule %q denies it", what, f.Direction, eph, ruleText(f.Rule))
	}
	return what
}

func ruleText(r *reach.RuleRef) string {
	if r == nil {
		return "(no rule matches)"
	}
	return r.Text
}

func groupsText(gs []reach.Ref) string {
	var ls []string
	for _, g := range gs {
		ls = append(ls, g.Label())
	}
	if len(ls) == 0 {
		return "its security groups"
	}
	return strings.Join(ls, ", ")
}

// Result returns the sums of what was added so far.
func (v *Verifier) Result() *Result {
	res := v.res
	e := v.c.e
	res.Notes = e.Notes()
	res.Findings = slices.Clone(v.res.Findings)
	slices.SortStableFunc(res.Findings, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(b.Traffic.Records, a.Traffic.Records), cmp.Compare(a.Class, b.Class), strings.Compare(a.InterfaceID, b.InterfaceID))
	})
	for i := range v.ifaces {
		c, _ := e.Interface(int32(i))
		is := v.ifaces[i]
		is.Interface, is.Subnet = c.Interface, c.Subnet
		if !v.seen[i] {
			is.InterfaceID = ""
			if c.Interface != nil && c.Interface.Kind == "network-interface" {
				is.InterfaceID = c.Interface.ID
			}
		}
		is.Inconsistent = is.Records.Inconsistent()
		res.Interfaces = append(res.Interfaces, is)
	}
	for _, u := range v.unk {
		res.UnknownInterfaces = append(res.UnknownInterfaces, *u)
	}
	slices.SortFunc(res.UnknownInterfaces, func(a, b LoggedInterface) int { return strings.Compare(a.InterfaceID, b.InterfaceID) })
	groups := map[string]*GroupSummary{}
	for id := int32(0); id < int32(len(v.rules)); id++ {
		rr, ok := e.Rule(id)
		if !ok || rr.Kind != reach.RuleSecurityGroup && rr.Kind != reach.RuleNetworkACL {
			continue
		}
		ifs := e.RuleInterfaces(id)
		if len(ifs) == 0 {
			continue // guards no interface flow logs could show
		}
		ra := &v.rules[id]
		u := RuleUsage{Rule: rr, Used: ra.traffic.Records > 0, Traffic: ra.traffic, FlowsOmitted: ra.omitted}
		for _, f := range ra.flows {
			u.Flows = append(u.Flows, *f)
		}
		slices.SortFunc(u.Flows, func(a, b Flow) int {
			// Every field takes part: the flows come out of a map, and
			// equal counts must not print in a random order.
			return cmp.Or(cmp.Compare(b.Traffic.Records, a.Traffic.Records), a.Remote.Compare(b.Remote), cmp.Compare(a.Port, b.Port),
				cmp.Compare(a.InterfaceID, b.InterfaceID), compareBool(a.Reply, b.Reply), cmp.Compare(a.Direction, b.Direction), cmp.Compare(a.Protocol, b.Protocol))
		})
		for _, i := range ifs {
			if c, ok := e.Interface(i); ok && c.Interface != nil {
				u.Interfaces = append(u.Interfaces, c.Interface.Label())
			}
		}
		slices.Sort(u.Interfaces)
		u.Interfaces = slices.Compact(u.Interfaces)
		if !u.Used {
			u.Admits = admits(e, id)
		}
		res.Rules = append(res.Rules, u)
		if rr.Kind == reach.RuleSecurityGroup {
			k := rr.Owner.Label()
			g := groups[k]
			if g == nil {
				g = &GroupSummary{Group: rr.Owner}
				groups[k] = g
			}
			if u.Used {
				g.RulesUsed++
				g.Traffic.add(ra.traffic)
			} else {
				g.RulesUnused++
			}
		}
	}
	for _, f := range res.Findings {
		for _, gr := range f.Groups {
			if g := groups[gr.Label()]; g != nil {
				g.Inconsistent += f.Traffic.Records
			}
		}
	}
	for _, g := range groups {
		res.SecurityGroups = append(res.SecurityGroups, *g)
	}
	slices.SortFunc(res.SecurityGroups, func(a, b GroupSummary) int { return strings.Compare(a.Group.Label(), b.Group.Label()) })
	return &res
}

// admits says, for a rule no record used, what it would have admitted:
// the headers it matches, as the engine compiled them.
func admits(e *reach.Engine, id int32) string {
	s := e.RuleHeaders(id)
	if s.IsEmpty() {
		return ""
	}
	text := strings.ReplaceAll(s.String(), "\n", "; ")
	if len(text) > 400 {
		text = text[:400] + " …"
	}
	return text
}

func dirName(d model.Direction) string {
	if d == model.Ingress || d == model.Egress {
		return d.String()
	}
	return ""
}

func protoName(p uint8) string {
	return model.ProtocolNumber(p).String()
}

// traffic is a record's contribution to sums.
func traffic(r *flowlog.Record) Traffic {
	t := Traffic{Records: 1, First: r.Start, Last: r.End}
	t.Packets = max(r.Packets, 0)
	t.Bytes = max(r.Bytes, 0)
	return t
}

// Period is when the logged traffic happened: the earliest start and the
// latest end of the records.
type Period struct {
	start, end int64
}

// Start and End are the period's bounds.
func (p *Period) Start() time.Time { return time.Unix(p.start, 0).UTC() }
func (p *Period) End() time.Time   { return time.Unix(p.end, 0).UTC() }

// compareBool orders false before true.
func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}
