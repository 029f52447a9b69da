package mapper

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/vpcsim/vpcsim/model"
)

// lbExtra is what finalize needs of a load balancer to make its nodes'
// interfaces: the addresses the input gives per subnet (an NLB's
// subnet_mapping, or the interfaces a snapshot lists).
type lbExtra struct {
	v view
	// nodes are the node interfaces the input names, by subnet.
	nodes map[string]*ifaceAddr
}

type ifaceAddr struct {
	id           string
	private      netip.Addr
	ipv6         netip.Addr
	public       netip.Addr
	allocationID string
}

// loadBalancer maps aws_lb and aws_alb: the load balancer; its nodes'
// interfaces are finalize's, one per enabled subnet.
func (m *mapper) loadBalancer(v view) {
	lb := &model.LoadBalancer{Meta: v.meta()}
	v.regionAccount()
	if lb.Name == "" {
		lb.Name = v.str("name")
	}
	lb.Type = model.LBApplication
	if t := v.str("load_balancer_type"); t != "" {
		typ, ok := model.ParseLoadBalancerType(t)
		if !ok || typ == model.LBClassic {
			v.errorf("load_balancer_type %q is not application, network or gateway", t)
		} else {
			lb.Type = typ
		}
	}
	lb.Internal = v.boolean("internal", false)
	lb.VPCID = v.ref("vpc_id")
	x := &lbExtra{v: v, nodes: map[string]*ifaceAddr{}}
	lb.SubnetIDs = v.refs("subnets")
	for _, b := range v.blocks("subnet_mapping") {
		s := b.ref("subnet_id")
		if s == "" {
			continue
		}
		lb.SubnetIDs = addUnique(lb.SubnetIDs, s)
		na := &ifaceAddr{allocationID: b.ref("allocation_id")}
		na.private, _ = b.addr("private_ipv4_address", ipv4)
		na.ipv6, _ = b.addr("ipv6_address", ipv6)
		x.nodes[s] = na
	}
	m.lbNodesOf(v, x)
	if len(lb.SubnetIDs) == 0 && (v.listUnknown("subnets") || v.unknown("subnet_mapping")) {
		lb.MarkUnknown("subnets")
		v.unknownf("subnets", "the load balancer's nodes cannot be placed")
	}
	for _, g := range v.refs("security_groups") {
		lb.SecurityGroupIDs = addUnique(lb.SecurityGroupIDs, groupID(g))
	}
	if len(lb.SecurityGroupIDs) == 0 && v.listUnknown("security_groups") && lb.Type == model.LBApplication {
		lb.MarkUnknown("security_groups")
	}
	switch lb.Type {
	case model.LBApplication:
		// An Application Load Balancer always balances across zones;
		// its target groups may turn it off.
		lb.CrossZone = true
	default:
		lb.CrossZone = v.boolean("enable_cross_zone_load_balancing", false)
	}
	m.addLoadBalancer(lb, x)
}

// lbNodesOf reads the node interfaces a snapshot lists for a load balancer
// (see readInterfaces), which a Terraform state does not have.
func (m *mapper) lbNodesOf(v view, x *lbExtra) {
	for s, na := range readInterfaces(v) {
		if old := x.nodes[s]; old != nil && !na.private.IsValid() {
			na.private = old.private
		}
		x.nodes[s] = na
	}
}

// readInterfaces reads, by subnet, the interfaces an AWS API snapshot lists
// for an element that owns them (a load balancer's nodes, a database's,
// a function's): the attribute network_interfaces, blocks of
// network_interface_id, subnet_id, private_ip, ipv6_address and public_ip.
// Terraform has no such attribute; the snapshot reader adds it, because AWS
// describes those interfaces apart from their owners.
func readInterfaces(v view) map[string]*ifaceAddr {
	out := map[string]*ifaceAddr{}
	for _, b := range v.blocks("network_interfaces") {
		s := b.ref("subnet_id")
		if s == "" || out[s] != nil {
			continue
		}
		na := &ifaceAddr{id: b.ref("network_interface_id")}
		na.private, _ = b.addr("private_ip", ipv4)
		na.ipv6, _ = b.addr("ipv6_address", ipv6)
		na.public, _ = b.addr("public_ip", ipv4)
		out[s] = na
	}
	return out
}

func (m *mapper) addLoadBalancer(lb *model.LoadBalancer, x *lbExtra) {
	if m.lbs[lb.ID] != nil {
		x.v.warnf("load balancer %s is also described by %s: the first description is kept", lb.ID, m.lbs[lb.ID].Describe())
		return
	}
	m.lbs[lb.ID] = lb
	m.lbCfg[lb] = x
	m.n.LoadBalancers = append(m.n.LoadBalancers, lb)
}

// classicELB maps aws_elb: a Classic Load Balancer, its listeners, and for
// each instance port a target group of its instances (AWS has no target
// groups for Classic Load Balancers: the group says what the listener does).
func (m *mapper) classicELB(v view) {
	lb := &model.LoadBalancer{Meta: v.meta(), Type: model.LBClassic}
	v.regionAccount()
	if lb.Name == "" {
		lb.Name = v.str("name")
	}
	lb.Internal = v.boolean("internal", false)
	lb.SubnetIDs = v.refs("subnets")
	if len(lb.SubnetIDs) == 0 && v.listUnknown("subnets") {
		lb.MarkUnknown("subnets")
		v.unknownf("subnets", "the load balancer's nodes cannot be placed")
	}
	for _, g := range v.refs("security_groups") {
		lb.SecurityGroupIDs = addUnique(lb.SecurityGroupIDs, groupID(g))
	}
	// The provider's default; the API's is off.
	lb.CrossZone = v.boolean("cross_zone_load_balancing", true)
	x := &lbExtra{v: v, nodes: map[string]*ifaceAddr{}}
	m.lbNodesOf(v, x)
	hcProto, hcPort := "", uint16(0)
	for _, b := range v.blocks("health_check") {
		// target is PROTOCOL:PORT[/PATH].
		if p, port, ok := strings.Cut(b.str("target"), ":"); ok {
			port, _, _ = strings.Cut(port, "/")
			if n, err := strconv.ParseUint(port, 10, 16); err == nil {
				hcProto, hcPort = strings.ToUpper(p), uint16(n)
			}
		}
	}
	instances := v.refs("instances")
	for _, b := range v.blocks("listener") {
		lbPort, ok1 := b.port("lb_port")
		instPort, ok2 := b.port("instance_port")
		if !ok1 || !ok2 {
			continue
		}
		l := model.Listener{Meta: model.Meta{Address: v.in.Address, Pos: b.pos},
			Protocol: strings.ToUpper(b.str("lb_protocol")), Port: lbPort}
		tgProto := strings.ToUpper(cmp.Or(b.str("instance_protocol"), b.str("lb_protocol")))
		tg := m.classicGroup(lb, tgProto, instPort, hcProto, hcPort, b.pos)
		for _, id := range instances {
			addTarget(tg, model.Target{Meta: model.Meta{Address: v.in.Address, Pos: v.in.Pos}, Kind: model.RegInstance, TargetID: id})
		}
		l.Forwards = []model.ListenerForward{{Meta: l.Meta, Rule: "instance port", TargetGroupID: tg.ID}}
		lb.Listeners = append(lb.Listeners, l)
	}
	m.addLoadBalancer(lb, x)
}

// classicGroup returns the target group standing for what a Classic Load
// Balancer sends on one instance port.
func (m *mapper) classicGroup(lb *model.LoadBalancer, proto string, port uint16, hcProto string, hcPort uint16, pos model.Pos) *model.TargetGroup {
	id := fmt.Sprintf("%s/instance-port-%d", lb.ID, port)
	if tg := m.tgs[id]; tg != nil {
		return tg
	}
	tg := &model.TargetGroup{
		Meta: model.Meta{ID: id, Pos: pos, Name: fmt.Sprintf("instances of %s on port %d", lb.Label(), port),
			Synthetic: model.SynthClassicTargets},
		TargetType: model.TargetTypeInstance, Protocol: proto, Port: port,
		HealthCheckProtocol: hcProto, HealthCheckPort: hcPort,
	}
	m.tgs[id] = tg
	m.classicTGs[lb.ID] = append(m.classicTGs[lb.ID], tg)
	m.n.TargetGroups = append(m.n.TargetGroups, tg)
	return tg
}

// port reads a port number (0-65535).
func (v view) port(attr string) (uint16, bool) {
	n, ok := v.integer(attr)
	if !ok {
		return 0, false
	}
	if n < 0 || n > 65535 {
		v.errorf("%s %d is not a port (0-65535)", attr, n)
		return 0, false
	}
	return uint16(n), true
}

// targetGroup maps aws_lb_target_group and aws_alb_target_group.
func (m *mapper) targetGroup(v view) {
	tg := &model.TargetGroup{Meta: v.meta()}
	v.regionAccount()
	if tg.Name == "" {
		tg.Name = v.str("name")
	}
	tg.VPCID = v.ref("vpc_id")
	switch t := cmp.Or(v.str("target_type"), "instance"); t {
	case "instance":
		tg.TargetType = model.TargetTypeInstance
	case "ip":
		tg.TargetType = model.TargetTypeIP
	case "lambda":
		tg.TargetType = model.TargetTypeLambda
	case "alb":
		tg.TargetType = model.TargetTypeALB
	default:
		v.errorf("target_type %q is not instance, ip, lambda or alb", t)
	}
	tg.Protocol = strings.ToUpper(v.str("protocol"))
	tg.Port, _ = v.port("port")
	if tg.Protocol == "GENEVE" && tg.Port == 0 {
		tg.Port = 6081
	}
	for _, b := range v.blocks("health_check") {
		if !b.boolean("enabled", true) {
			tg.HealthCheckDisabled = true
		}
		tg.HealthCheckProtocol = strings.ToUpper(b.str("protocol"))
		if p := b.str("port"); p != "" && p != "traffic-port" {
			tg.HealthCheckPort, _ = b.port("port")
		}
	}
	if s := v.str("preserve_client_ip"); s != "" {
		if b, err := strconv.ParseBool(s); err == nil {
			tg.PreserveClientIP = &b
		}
	} else if v.unknown("preserve_client_ip") {
		// Computed from the target type and protocol: the default applies.
		tg.MarkUnknown("preserve_client_ip")
	}
	switch v.str("load_balancing_cross_zone_enabled") {
	case "true":
		t := true
		tg.CrossZone = &t
	case "false":
		f := false
		tg.CrossZone = &f
	}
	if tg.HealthCheckProtocol == "" && tg.Protocol != "" {
		// The provider's default: HTTP checks for HTTP groups, HTTPS for
		// HTTPS, TCP for the others.
		tg.HealthCheckProtocol = "TCP"
		if tg.Protocol == "HTTP" || tg.Protocol == "HTTPS" {
			tg.HealthCheckProtocol = tg.Protocol
		}
	}
	for _, b := range v.blocks("targets") {
		// A snapshot lists the group's registered targets.
		m.register(b, tg, b.str("id"), b.str("port"), b.str("availability_zone"))
	}
	if m.tgs[tg.ID] != nil {
		v.warnf("target group %s is also described by %s: the first description is kept", tg.ID, m.tgs[tg.ID].Describe())
		return
	}
	m.tgs[tg.ID] = tg
	m.n.TargetGroups = append(m.n.TargetGroups, tg)
}

// register adds a target to a group, of the kind the group's target type
// says.
func (m *mapper) register(v view, tg *model.TargetGroup, id, port, zone string) {
	if id == "" {
		return
	}
	t := model.Target{Meta: model.Meta{Address: v.in.Address, Pos: v.pos}, TargetID: id, AvailabilityZone: zone}
	if port != "" {
		if n, err := strconv.ParseUint(port, 10, 16); err == nil {
			t.Port = uint16(n)
		} else {
			v.errorf("port %q is not a port (0-65535)", port)
		}
	}
	switch tg.TargetType {
	case model.TargetTypeIP:
		t.Kind = model.RegIP
	case model.TargetTypeLambda:
		t.Kind = model.RegLambda
	case model.TargetTypeALB:
		t.Kind = model.RegLoadBalancer
	default:
		t.Kind = model.RegInstance
	}
	addTarget(tg, t)
}

func addTarget(tg *model.TargetGroup, t model.Target) {
	if !slices.ContainsFunc(tg.Targets, func(o model.Target) bool { return o.Kind == t.Kind && o.TargetID == t.TargetID && o.Port == t.Port }) {
		tg.Targets = append(tg.Targets, t)
	}
}

// targetGroupOf returns the group an attachment or a registration names;
// one that is not in the input is kept outside it, with the registrations
// the input makes (another input may hold the group: Merge joins them).
func (m *mapper) targetGroupOf(v view, attr string) *model.TargetGroup {
	id := v.ref(attr)
	if id == "" {
		if v.unknown(attr) {
			v.unknownf(attr, "the registration cannot be placed")
		} else {
			v.errorf("%s is not set: the registration cannot be placed", attr)
		}
		return nil
	}
	return parentRef(v, attr, id, "target group", "the registration cannot be placed", m.tgs, &m.n.TargetGroups,
		func(md model.Meta) *model.TargetGroup {
			return &model.TargetGroup{Meta: md, TargetType: model.TargetTypeInstance}
		})
}

// targetGroupAttachment maps aws_lb_target_group_attachment.
func (m *mapper) targetGroupAttachment(v view) {
	tg := m.targetGroupOf(v, "target_group_arn")
	if tg == nil {
		return
	}
	id := v.ref("target_id")
	if id == "" && v.unknown("target_id") {
		v.unknownf("target_id", "the target cannot be placed")
		return
	}
	m.register(v, tg, id, v.str("port"), v.str("availability_zone"))
}

// listener maps aws_lb_listener and aws_alb_listener onto its load
// balancer, with the target groups of its default action.
func (m *mapper) listener(v view) {
	lbID := v.ref("load_balancer_arn")
	lb := m.lbs[lbID]
	if lb == nil {
		v.missing("load_balancer_arn", "load balancer", lbID, "the listener cannot be placed")
		return
	}
	l := model.Listener{Meta: v.meta(), Protocol: strings.ToUpper(v.str("protocol"))}
	if l.Protocol == "" {
		// The provider's defaults: HTTP for an ALB, GENEVE for a
		// Gateway Load Balancer (which has neither port nor protocol).
		switch lb.Type {
		case model.LBApplication:
			l.Protocol = "HTTP"
		case model.LBGateway:
			l.Protocol = "GENEVE"
		}
	}
	l.Port, _ = v.port("port")
	l.Forwards = forwards(v.blocks("default_action"), "default action", l.Meta)
	lb.Listeners = append(lb.Listeners, l)
	m.listeners[l.ID] = lb
}

// forwards reads the target groups actions forward to: target_group_arn,
// or forward { target_group { arn } } (weighted).
func forwards(actions []view, rule string, md model.Meta) []model.ListenerForward {
	var out []model.ListenerForward
	add := func(id string) {
		if id != "" && !slices.ContainsFunc(out, func(f model.ListenerForward) bool { return f.TargetGroupID == id }) {
			out = append(out, model.ListenerForward{Meta: md, Rule: rule, TargetGroupID: id})
		}
	}
	for _, a := range actions {
		if t := a.str("type"); t != "" && t != "forward" {
			continue // redirect, fixed-response, authenticate-*: they forward nowhere themselves
		}
		add(a.ref("target_group_arn"))
		for _, f := range a.blocks("forward") {
			for _, g := range f.blocks("target_group") {
				add(g.ref("arn"))
			}
		}
	}
	return out
}

// listenerRule maps aws_lb_listener_rule and aws_alb_listener_rule: the
// target groups it forwards to join its listener's. Rules may come before
// their listener: finalize places them.
func (m *mapper) listenerRule(v view) {
	m.pendingRules = append(m.pendingRules, v)
}

func (m *mapper) placeListenerRules() {
	for _, v := range m.pendingRules {
		id := v.ref("listener_arn")
		lb := m.listeners[id]
		if lb == nil {
			v.missing("listener_arn", "listener", id, "the rule cannot be placed")
			continue
		}
		md := v.meta()
		rule := "rule " + cmp.Or(v.str("priority"), "?")
		if c := conditions(v.blocks("condition")); c != "" {
			rule += ": " + c
		}
		for i := range lb.Listeners {
			if l := &lb.Listeners[i]; l.ID == id {
				for _, f := range forwards(v.blocks("action"), rule, md) {
					if !slices.ContainsFunc(l.Forwards, func(o model.ListenerForward) bool { return o.TargetGroupID == f.TargetGroupID && o.Rule == f.Rule }) {
						l.Forwards = append(l.Forwards, f)
					}
				}
			}
		}
	}
}

// conditions summarises a rule's conditions ("host api.example.com").
func conditions(cs []view) string {
	var out []string
	for _, c := range cs {
		for _, k := range []struct{ attr, word string }{{"host_header", "host"}, {"path_pattern", "path"}, {"http_request_method", "method"}, {"source_ip", "source"}} {
			for _, b := range c.blocks(k.attr) {
				var vals []string
				list, _ := b.obj["values"].([]any)
				for _, x := range list {
					if s, ok := x.(string); ok {
						vals = append(vals, s)
					}
				}
				if len(vals) > 0 {
					out = append(out, k.word+" "+strings.Join(vals, ", "))
				}
			}
		}
		for _, b := range c.blocks("http_header") {
			out = append(out, "header "+b.str("http_header_name"))
		}
	}
	return strings.Join(out, "; ")
}

// elbAttachment maps aws_elb_attachment: the instance joins every instance
// port of the Classic Load Balancer.
func (m *mapper) elbAttachment(v view) {
	id := v.ref("elb")
	lb := m.lbs[id]
	if lb == nil {
		v.missing("elb", "load balancer", id, "the instance cannot be registered")
		return
	}
	inst := v.need("instance", "the instance cannot be registered")
	for _, tg := range m.classicTGs[lb.ID] {
		if inst != "" {
			addTarget(tg, model.Target{Meta: model.Meta{Address: v.in.Address, Pos: v.in.Pos}, Kind: model.RegInstance, TargetID: inst})
		}
	}
}

// lbInterfaces gives every load balancer one interface per enabled subnet,
// its node there: the address the input gives (an NLB's subnet_mapping, a
// snapshot's interface) or a placeholder; a public address for an
// internet-facing load balancer (its Elastic IP, the snapshot's, or a
// placeholder).
func (m *mapper) lbInterfaces() {
	for _, lb := range m.n.LoadBalancers {
		x := m.lbCfg[lb]
		if x == nil {
			continue
		}
		if lb.VPCID == "" {
			for _, s := range lb.SubnetIDs {
				if sn := m.subnets[s]; sn != nil && sn.VPCID != "" {
					lb.VPCID = sn.VPCID
					break
				}
			}
		}
		for _, s := range lb.SubnetIDs {
			na := x.nodes[s]
			if na == nil {
				na = &ifaceAddr{}
			}
			id := cmp.Or(na.id, lb.Label()+"/"+s)
			e := &model.NetworkInterface{
				Meta:     model.Meta{ID: id, Pos: lb.Pos, Name: "node of " + lb.Label() + " in " + s},
				SubnetID: s, SourceDestCheck: true, OwnerKind: model.OwnerLoadBalancer, OwnerID: lb.ID,
				SecurityGroupIDs: slices.Clone(lb.SecurityGroupIDs),
			}
			if na.private.IsValid() {
				e.PrivateIPs = []netip.Addr{na.private}
			}
			if na.ipv6.IsValid() {
				e.IPv6Addrs = []netip.Addr{na.ipv6}
			}
			srv := &serverENI{eni: e, v: x.v, sgAttr: "security_groups", privateUnknown: !na.private.IsValid(),
				placeholderWhy: "AWS gives a load balancer's nodes their addresses, which the input does not say"}
			if lb.Type != model.LBApplication && lb.Type != model.LBClassic {
				srv.sgAttr = "" // an NLB without groups has none; a GWLB never has any
			}
			if lb.IsUnknown("security_groups") {
				e.MarkUnknown("security_groups")
			}
			if !lb.Internal {
				switch eip := m.eips[na.allocationID]; {
				case na.public.IsValid():
					srv.publicIP = na.public
				case eip != nil:
					eip.InterfaceID = id
				default:
					srv.public = true
					srv.publicWhy = "AWS gives an internet-facing load balancer's nodes public addresses, which the input does not say"
				}
			}
			if m.enis[id] != nil {
				lb.InterfaceIDs = addUnique(lb.InterfaceIDs, id)
				continue
			}
			m.addENI(e, srv)
			lb.InterfaceIDs = append(lb.InterfaceIDs, id)
		}
	}
}
