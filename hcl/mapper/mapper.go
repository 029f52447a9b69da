package mapper

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/vpcsim/vpcsim/hcl/resource"
	"github.com/vpcsim/vpcsim/model"
)

// Result is what the mapper makes of a list of instances.
type Result struct {
	Network *model.Network
	// Diagnostics are the mapping's diagnostics followed by the network's
	// Validate, errors first.
	Diagnostics model.Diagnostics
	// Ignored are the resource types read but not mapped, sorted by type.
	Ignored []IgnoredType
	// UnknownData are the addresses of the data source instances whose
	// values the input does not give (read when applied, or not queried:
	// vpcsim does not call AWS), in input order.
	UnknownData []string
}

// Build is the mapper every reader shares (state, show-state, plan,
// configuration): it maps resource instances to network elements, adds what
// AWS creates implicitly (Synthesize) and checks the result (Validate);
// source names the input in the network and in positions without a file.
//
// The instances may come from a state, where every value is known, or from a
// plan or a configuration, where some are unknown: an unknown ID becomes the
// symbolic ID of its resource, an unknown address a placeholder from
// model.Allocator, and everything else unknown that the analysis needs is a
// warning. Nothing is guessed silently.
func Build(source string, insts []resource.Instance, o Options) Result {
	m := newMapper(source, o)
	unknownData := m.unknownData(insts)
	m.run(insts)
	// What Synthesize adds (a NAT gateway's interface) may be what a
	// reference names; what AddOutside adds (a VPC of another stack) has
	// implicit elements of its own, which the second Synthesize adds.
	m.ds = append(m.ds, m.n.Synthesize()...)
	m.ds = append(m.ds, m.n.AddOutside()...)
	m.ds = append(m.ds, m.n.Synthesize()...)
	ds := append(m.ds, m.n.Validate()...)
	slices.SortStableFunc(ds, func(a, b model.Diagnostic) int { return int(a.Severity) - int(b.Severity) })
	return Result{Network: m.n, Diagnostics: ds, Ignored: m.ignoredList(), UnknownData: unknownData}
}

// unknownData lists the data sources whose values are not known — their
// ID unknown, or only the symbolic one — and notes their number once: what
// depends on them is unknown in every answer.
func (m *mapper) unknownData(insts []resource.Instance) []string {
	var out []string
	var pos model.Pos
	for i := range insts {
		x := &insts[i]
		if x.Mode != "data" {
			continue
		}
		// The ID is what a data source looks up and returns: without it,
		// nothing it read is known. One given other values (--data-values)
		// is known as far as they go; what they leave out is warned about
		// where it is used.
		if id := x.Attrs["id"]; resource.IsUnknown(id) || id == resource.SymbolicID(x.Address, "id") {
			if out == nil {
				pos = x.Pos
			}
			out = append(out, x.Address)
		}
	}
	if len(out) > 0 {
		shown := out
		if len(shown) > 5 {
			shown = shown[:5]
		}
		more := ""
		if len(out) > len(shown) {
			more = fmt.Sprintf(" and %d more", len(out)-len(shown))
		}
		what := fmt.Sprintf("%d data sources have", len(out))
		if len(out) == 1 {
			what = "1 data source has"
		}
		m.ds = append(m.ds, model.Diagnostic{Severity: model.SeverityNote, Pos: pos, Message: fmt.Sprintf(
			"%s values the input does not give (read when applied, or not queried: vpcsim does not call AWS; --data-values gives them): %s%s; what depends on them is unknown",
			what, strings.Join(shown, ", "), more)})
	}
	return out
}

// Options configure a mapping.
type Options struct {
	// Region and AccountID are the defaults for elements whose region or
	// account the input does not say; empty for none.
	Region, AccountID string
	// PlaceholderBlock selects the block of public placeholder addresses
	// (model.Allocator.PublicBlock): each input merged into one network
	// takes its own.
	PlaceholderBlock int
	// Namespace, when set, is put before every symbolic ID (an element's
	// Terraform address standing for an ID not known until apply, see
	// resource.SymbolicID) as "NAMESPACE::aws_vpc.main": two configurations
	// or plans merged into one network may use one address for two
	// elements (module.vpc.aws_vpc.this[0] in two spokes), and must not
	// become one element. AWS IDs are left as they are, so that references
	// across inputs still resolve.
	Namespace string
}

// mapper holds one mapping in progress. Elements refer to each other by ID;
// the maps below find them while the mapping attaches rules, routes and
// associations to their parents.
type mapper struct {
	o  Options
	n  *model.Network
	ds model.Diagnostics

	// alias maps symbolic IDs that name the same element to one of them
	// (aws_default_security_group.x → aws_vpc.main.default_security_group_id).
	alias map[string]string

	vpcs      map[string]*model.VPC
	subnets   map[string]*model.Subnet
	rts       map[string]*model.RouteTable
	acls      map[string]*model.NetworkACL
	sgs       map[string]*model.SecurityGroup
	enis      map[string]*model.NetworkInterface
	instances map[string]*model.Instance
	igws      map[string]*model.InternetGateway
	eigws     map[string]*model.EgressOnlyInternetGateway
	vgws      map[string]*model.VPNGateway
	vpns      map[string]*model.VPNConnection
	tgws      map[string]*model.TransitGateway
	tgwAtts   map[string]*model.TGWAttachment
	tgwRTs    map[string]*model.TGWRouteTable
	pcxs      map[string]*model.PeeringConnection
	endpoints map[string]*model.VPCEndpoint
	pls       map[string]*model.PrefixList
	eips      map[string]*model.ElasticIP
	lbs       map[string]*model.LoadBalancer
	tgs       map[string]*model.TargetGroup
	listeners map[string]*model.LoadBalancer // by listener ID, its load balancer
	asgs      map[string]*model.AutoScalingGroup
	services  map[string]*model.Service

	// Bookkeeping for finalize.
	defaultRTs      []*model.RouteTable
	defaultACLs     []*model.NetworkACL
	defaultSGs      []*model.SecurityGroup
	inlineSG        map[*model.SecurityGroup]bool
	servers         []*serverENI // interfaces whose addresses or groups finalize completes
	attachments     []attachment
	endpointCfg     map[*model.VPCEndpoint]*endpointExtra
	bgpVPNs         []*model.VPNConnection
	pendingPeerings []pendingPeering
	accepted        map[*model.PeeringConnection]bool
	evidence        evidence
	lbCfg           map[*model.LoadBalancer]*lbExtra
	classicTGs      map[string][]*model.TargetGroup // a Classic Load Balancer's, by its ID
	pendingRules    []view
	templates       map[string]*launchSettings // by ID, name and address
	asgViews        map[*model.AutoScalingGroup]view
	eksNodeGroups   []eksNodes
	eksClusterGroup map[*model.Service][]string
	subnetGroups    map[string][]string // "type|name" → subnets
	rdsClusters     map[string]*rdsCluster
	serviceCfg      map[*model.Service]*serviceExtra

	ignored map[string]*IgnoredType
}

func newMapper(source string, o Options) *mapper {
	return &mapper{
		o: o, n: &model.Network{Source: source},
		alias: map[string]string{},
		vpcs:  map[string]*model.VPC{}, subnets: map[string]*model.Subnet{}, rts: map[string]*model.RouteTable{},
		acls: map[string]*model.NetworkACL{}, sgs: map[string]*model.SecurityGroup{}, enis: map[string]*model.NetworkInterface{},
		instances: map[string]*model.Instance{}, igws: map[string]*model.InternetGateway{}, eigws: map[string]*model.EgressOnlyInternetGateway{},
		vgws: map[string]*model.VPNGateway{}, vpns: map[string]*model.VPNConnection{}, tgws: map[string]*model.TransitGateway{},
		tgwAtts: map[string]*model.TGWAttachment{}, tgwRTs: map[string]*model.TGWRouteTable{}, pcxs: map[string]*model.PeeringConnection{},
		endpoints: map[string]*model.VPCEndpoint{}, pls: map[string]*model.PrefixList{}, eips: map[string]*model.ElasticIP{},
		lbs: map[string]*model.LoadBalancer{}, tgs: map[string]*model.TargetGroup{}, listeners: map[string]*model.LoadBalancer{},
		asgs: map[string]*model.AutoScalingGroup{}, services: map[string]*model.Service{},
		lbCfg: map[*model.LoadBalancer]*lbExtra{}, classicTGs: map[string][]*model.TargetGroup{}, templates: map[string]*launchSettings{},
		asgViews: map[*model.AutoScalingGroup]view{}, eksClusterGroup: map[*model.Service][]string{}, subnetGroups: map[string][]string{},
		rdsClusters: map[string]*rdsCluster{}, serviceCfg: map[*model.Service]*serviceExtra{},
		inlineSG:    map[*model.SecurityGroup]bool{},
		endpointCfg: map[*model.VPCEndpoint]*endpointExtra{}, accepted: map[*model.PeeringConnection]bool{},
		ignored:  map[string]*IgnoredType{},
		evidence: newEvidence(),
	}
}

// Mapping phases: elements are created before the rules, routes and
// associations that attach to them, whatever the input order.
const (
	phaseVPC      = iota + 1 // VPCs and account-level elements
	phaseElements            // subnets, gateways, interfaces, instances, attachments
	phaseTables              // route tables, network ACLs, security groups (their inline rules look gateways up)
	phaseData                // data sources, which add only what the input does not manage
	phaseChildren            // standalone rules, routes, associations
	lastPhase     = phaseChildren
)

type handler struct {
	phase int
	fn    func(*mapper, view)
}

func (m *mapper) run(insts []resource.Instance) {
	m.aliases(insts)
	plan := make([]handler, len(insts))
	for i := range insts {
		x := &insts[i]
		h, ok := m.classify(x)
		if !ok {
			continue
		}
		plan[i] = h
	}
	for ph := phaseVPC; ph <= lastPhase; ph++ {
		if ph == phaseChildren {
			m.implicit()
		}
		for i := range insts {
			if plan[i].phase == ph {
				plan[i].fn(m, m.view(&insts[i]))
			}
		}
	}
	m.finalize()
}

// implicit runs before the standalone rules, routes and associations are
// placed: the aws_default_* resources become the VPC's own elements, and
// model.SynthesizeImplicit adds those AWS creates implicitly that the input
// does not describe, so that an aws_route into a VPC's main_route_table_id
// or an aws_ec2_transit_gateway_route into a transit gateway's
// association_default_route_table_id finds its table. What is synthesised is
// decided there, not here.
func (m *mapper) implicit() {
	m.applyDefaults()
	m.n.SynthesizeImplicit()
	for _, rt := range m.n.RouteTables {
		if m.rts[rt.ID] == nil {
			m.rts[rt.ID] = rt
		}
	}
	for _, acl := range m.n.NetworkACLs {
		if m.acls[acl.ID] == nil {
			m.acls[acl.ID] = acl
		}
	}
	for _, sg := range m.n.SecurityGroups {
		if m.sgs[sg.ID] == nil {
			m.sgs[sg.ID] = sg
		}
	}
	for _, rt := range m.n.TGWRouteTables {
		if m.tgwRTs[rt.ID] == nil {
			m.tgwRTs[rt.ID] = rt
		}
	}
}

// resolve maps a symbolic ID to the one its element carries.
func (m *mapper) resolve(id string) string {
	for range 4 { // aliases never chain deeper; the bound guards hostile input
		a, ok := m.alias[id]
		if !ok || a == id {
			break
		}
		id = a
	}
	return m.qualify(id)
}

// namespaceSep separates Options.Namespace from a symbolic ID.
const namespaceSep = "::"

// qualify puts the namespace before a symbolic ID (a Terraform address,
// which two inputs may share), not before an AWS ID.
func (m *mapper) qualify(id string) string {
	if m.o.Namespace == "" || resource.TypeOf(id) == "" {
		return id
	}
	return m.o.Namespace + namespaceSep + id
}

// unqualified is id without the namespace qualify put before it.
func unqualified(id string) string {
	if _, after, ok := strings.Cut(id, namespaceSep); ok {
		return after
	}
	return id
}

func (m *mapper) diag(sev model.Severity, pos model.Pos, elem, format string, args ...any) {
	m.ds = append(m.ds, model.Diagnostic{Severity: sev, Pos: pos, Element: elem, Message: fmt.Sprintf(format, args...)})
}

// view reads one resource instance, or one nested block of it, with the
// position its diagnostics carry.
type view struct {
	m    *mapper
	in   *resource.Instance
	obj  map[string]any
	pos  model.Pos
	path string // "" for the instance, "ingress." for its ingress blocks
}

func (m *mapper) view(in *resource.Instance) view {
	attrs := in.Attrs
	if attrs == nil {
		attrs = map[string]any{}
	}
	return view{m: m, in: in, obj: attrs, pos: in.Pos}
}

func (v view) errorf(format string, args ...any) {
	v.m.diag(model.SeverityError, v.pos, v.in.Address, format, args...)
}

func (v view) warnf(format string, args ...any) {
	v.m.diag(model.SeverityWarning, v.pos, v.in.Address, format, args...)
}

func (v view) notef(format string, args ...any) {
	v.m.diag(model.SeverityNote, v.pos, v.in.Address, format, args...)
}

// unknownf warns that attr is not known until apply, says why when the
// reader knows, and what follows for the analysis.
func (v view) unknownf(attr, consequence string, args ...any) {
	why := ""
	if r := v.in.Unresolved[v.path+attr]; r != "" {
		why = " (" + r + ")"
	}
	v.warnf("%s is not known until apply%s: %s", attr, why, fmt.Sprintf(consequence, args...))
}

// unknownBecause is unknownf with the reason the mapper knows better than
// the reader (an IPAM allocation), when it has one.
func (v view) unknownBecause(attr, why, consequence string) {
	if why == "" {
		v.unknownf(attr, "%s", consequence)
		return
	}
	v.warnf("%s is not known until apply (%s): %s", attr, why, consequence)
}

// setByConfig reports whether an unknown attribute is unknown because of
// what the configuration sets it to (an expression of values known only
// after apply), rather than because the provider computes it.
func (v view) setByConfig(attr string) bool {
	why := v.in.Unresolved[v.path+attr]
	return why != "" && why != resource.NotConfigured
}

// blocks returns the nested block objects of attr, each positioned at its
// own block when the reader knows where it is.
func (v view) blocks(attr string) []view {
	list, _ := v.obj[attr].([]any)
	out := make([]view, 0, len(list))
	for _, e := range list {
		obj, ok := e.(map[string]any)
		if !ok {
			continue
		}
		out = append(out, view{m: v.m, in: v.in, obj: obj, pos: resource.PosOf(obj, v.pos), path: v.path + attr + "."})
	}
	return out
}

func (v view) unknown(attr string) bool { return resource.IsUnknown(v.obj[attr]) }

// known reports whether attr is set to a known, non-null value.
func (v view) known(attr string) bool {
	x, ok := v.obj[attr]
	return ok && x != nil && !resource.IsUnknown(x)
}

// str reads a scalar as a string; "" when absent, null or unknown.
func (v view) str(attr string) string {
	switch t := v.obj[attr].(type) {
	case string:
		return t
	case json.Number:
		return string(t)
	case bool:
		return strconv.FormatBool(t)
	}
	return ""
}

// shown is the value of attr as a message quotes it: a number of many
// digits in scientific notation (1e+400, not 401 digits), a long string
// cut short.
func (v view) shown(attr string) string {
	s := v.str(attr)
	if n, ok := v.obj[attr].(json.Number); ok && len(s) > 24 {
		if f, _, err := big.ParseFloat(string(n), 10, 64, big.ToNearestEven); err == nil {
			return f.Text('g', 6)
		}
	}
	if len(s) > 64 {
		return strings.ToValidUTF8(s[:48], "") + fmt.Sprintf("… (%d characters)", len(s))
	}
	return s
}

// ref reads a reference to another element: its ID, resolved to the one
// the element carries.
func (v view) ref(attr string) string {
	s := strings.TrimSpace(v.str(attr))
	if s == "" {
		return ""
	}
	return v.m.resolve(s)
}

// refs reads a list of references, skipping empty and unknown elements.
func (v view) refs(attr string) []string {
	list, _ := v.obj[attr].([]any)
	var out []string
	for _, e := range list {
		var s string
		switch t := e.(type) {
		case string:
			s = strings.TrimSpace(t)
		case json.Number:
			s = string(t)
		}
		if s != "" && !slices.Contains(out, v.m.resolve(s)) {
			out = append(out, v.m.resolve(s))
		}
	}
	return out
}

// listUnknown reports whether the list attr, or one of its elements, is
// unknown.
func (v view) listUnknown(attr string) bool {
	if v.unknown(attr) {
		return true
	}
	list, _ := v.obj[attr].([]any)
	return slices.ContainsFunc(list, resource.IsUnknown)
}

// boolean reads a bool; def when absent, null or unknown.
func (v view) boolean(attr string, def bool) bool {
	switch t := v.obj[attr].(type) {
	case bool:
		return t
	case string:
		if b, err := strconv.ParseBool(t); err == nil {
			return b
		}
	}
	return def
}

// integer reads a whole number from a number or a numeric string.
func (v view) integer(attr string) (int64, bool) {
	switch t := v.obj[attr].(type) {
	case json.Number:
		if n, err := strconv.ParseInt(string(t), 10, 64); err == nil {
			return n, true
		}
		if f, err := strconv.ParseFloat(string(t), 64); err == nil && f == math.Trunc(f) && math.Abs(f) < 1e15 {
			return int64(f), true
		}
	case string:
		if n, err := strconv.ParseInt(strings.TrimSpace(t), 10, 64); err == nil {
			return n, true
		}
	case float64:
		if t == math.Trunc(t) && math.Abs(t) < 1e15 {
			return int64(t), true
		}
	case int:
		return int64(t), true
	case int64:
		return t, true
	}
	return 0, false
}

// meta builds the Meta of the element the instance describes.
func (v view) meta() model.Meta {
	md := model.Meta{Address: v.in.Address, Pos: v.in.Pos}
	if id := v.str("id"); id != "" && id != v.in.Address {
		md.ID = v.m.resolve(id)
	} else {
		md.ID = v.m.resolve(resource.SymbolicID(v.in.Address, "id"))
		md.MarkUnknown("id")
	}
	md.Tags = v.tags()
	md.Name = md.Tags["Name"]
	md.Outside = v.in.Outside
	return md
}

// dataMeta is meta for an element a data source reads: it is outside the
// input.
func (v view) dataMeta() model.Meta {
	md := v.meta()
	md.Outside = "read by " + v.in.Address
	return md
}

// tags reads tags_all (the tags AWS has, provider default tags included)
// when known, else tags.
func (v view) tags() map[string]string {
	read := func(attr string) map[string]string {
		obj, ok := v.obj[attr].(map[string]any)
		if !ok {
			return nil
		}
		var out map[string]string
		for k, e := range obj {
			if s, ok := e.(string); ok && k != resource.PosKey {
				if out == nil {
					out = map[string]string{}
				}
				out[k] = s
			}
		}
		return out
	}
	if t := read("tags_all"); len(t) > 0 {
		return t
	}
	return read("tags")
}

// Families accepted by prefix and addr.
const (
	anyFamily = 0
	ipv4      = 4
	ipv6      = 6
)

// prefix reads a CIDR block attribute. It returns false when the attribute
// is absent, unknown or invalid; invalid values are errors, host bits a
// warning (the block is masked).
func (v view) prefix(attr string, family int) (netip.Prefix, bool) {
	s := strings.TrimSpace(v.str(attr))
	if s == "" {
		return netip.Prefix{}, false
	}
	return v.parsePrefix(attr, s, family)
}

// maxAddrText is the length of the longest text of an IP address with a
// prefix length (ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255/128).
const maxAddrText = 49

// tooLongForAddr says that s, which should be an address or a CIDR block,
// is far too long to be one, quoting only its beginning.
func tooLongForAddr(s string) string {
	return fmt.Sprintf("it is %s characters long (%q…), and an address or CIDR block has at most %d",
		resource.Digits(int64(len(s))), strings.ToValidUTF8(s[:24], ""), maxAddrText)
}

func (v view) parsePrefix(attr, s string, family int) (netip.Prefix, bool) {
	if len(s) > maxAddrText {
		v.errorf("%s is not a valid CIDR block: %s", attr, tooLongForAddr(s))
		return netip.Prefix{}, false
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		v.errorf("%s %q is not a valid CIDR block (%s)", attr, s, netipDetail(err))
		return netip.Prefix{}, false
	}
	if p.Addr().Zone() != "" {
		v.errorf("%s %q is not a valid CIDR block (it has a zone)", attr, s)
		return netip.Prefix{}, false
	}
	if p.Addr().Is4In6() {
		p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
		if !p.IsValid() {
			v.errorf("%s %q is not a valid CIDR block", attr, s)
			return netip.Prefix{}, false
		}
	}
	switch {
	case family == ipv4 && !p.Addr().Is4():
		v.errorf("%s %q is not an IPv4 CIDR block", attr, s)
		return netip.Prefix{}, false
	case family == ipv6 && !p.Addr().Is6():
		v.errorf("%s %q is not an IPv6 CIDR block", attr, s)
		return netip.Prefix{}, false
	}
	if p.Masked() != p {
		v.warnf("%s %q has host bits set: read as %s", attr, s, p.Masked())
		p = p.Masked()
	}
	return p, true
}

// prefixes reads a list of CIDR blocks.
func (v view) prefixes(attr string, family int) []netip.Prefix {
	list, _ := v.obj[attr].([]any)
	var out []netip.Prefix
	for _, e := range list {
		s, ok := e.(string)
		if !ok || strings.TrimSpace(s) == "" {
			continue
		}
		if p, ok := v.parsePrefix(attr, strings.TrimSpace(s), family); ok && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// addr reads an IP address attribute; false when absent, unknown or
// invalid (an error).
func (v view) addr(attr string, family int) (netip.Addr, bool) {
	s := strings.TrimSpace(v.str(attr))
	if s == "" {
		return netip.Addr{}, false
	}
	return v.parseAddr(attr, s, family)
}

func (v view) parseAddr(attr, s string, family int) (netip.Addr, bool) {
	if len(s) > maxAddrText {
		v.errorf("%s is not a valid IP address: %s", attr, tooLongForAddr(s))
		return netip.Addr{}, false
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		v.errorf("%s %q is not a valid IP address", attr, s)
		return netip.Addr{}, false
	}
	a = a.Unmap()
	switch {
	case family == ipv4 && !a.Is4():
		v.errorf("%s %q is not an IPv4 address", attr, s)
		return netip.Addr{}, false
	case family == ipv6 && !a.Is6():
		v.errorf("%s %q is not an IPv6 address", attr, s)
		return netip.Addr{}, false
	}
	return a, true
}

func (v view) addrs(attr string, family int) []netip.Addr {
	list, _ := v.obj[attr].([]any)
	var out []netip.Addr
	for _, e := range list {
		s, ok := e.(string)
		if !ok || strings.TrimSpace(s) == "" {
			continue
		}
		if a, ok := v.parseAddr(attr, strings.TrimSpace(s), family); ok && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

// netipDetail keeps the reason of a netip parse error without the
// function-call prefix it starts with.
func netipDetail(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, "): "); i >= 0 {
		return s[i+3:]
	}
	return s
}

// missing reports a reference to an element that is not in the network: an
// error when the reference is known (the input is inconsistent, or parts of
// the estate are missing from it), a warning when it is unknown until apply.
func (v view) missing(attr, kind, id, consequence string) {
	switch {
	case id == "" && v.unknown(attr):
		v.unknownf(attr, "%s", consequence)
	case id == "":
		v.errorf("%s is not set: %s", attr, consequence)
	default:
		// Another stack's, or one deleted since: outside the input, and
		// what this resource adds to it is not analysed.
		v.aboutf(model.SeverityWarning, id, "%s %s names %s %s that is not in the input (another stack's, or deleted): it is outside the input, and %s: what the resource adds to it is not analysed", attr, id, article(kind), kind, consequence)
	}
}

func article(noun string) string {
	if noun != "" && strings.ContainsRune("aeiouAEIOU", rune(noun[0])) {
		return "an"
	}
	return "a"
}

// needIn is need for an element's own reference: an unknown one is also
// listed in the element's Meta.Unknown, which tells Validate that the
// warning has been given.
func (v view) needIn(md *model.Meta, attr, consequence string) string {
	id := v.need(attr, consequence)
	if id == "" && v.unknown(attr) {
		md.MarkUnknown(attr)
	}
	return id
}

// need reads a reference the element cannot do without and warns when it is
// unknown until apply or absent.
func (v view) need(attr, consequence string) string {
	id := v.ref(attr)
	if id == "" {
		if v.unknown(attr) {
			v.unknownf(attr, "%s", consequence)
		} else {
			v.errorf("%s is not set: %s", attr, consequence)
		}
	}
	return id
}

func addUnique(list []string, ids ...string) []string {
	for _, id := range ids {
		if id != "" && !slices.Contains(list, id) {
			list = append(list, id)
		}
	}
	return list
}
