package model

import "net/netip"

// loadBalancers checks load balancers, target groups, Auto Scaling groups
// and managed services: their references resolve, and what a walk reads of
// them is well formed. A reference that is unknown until apply (listed in
// Meta.Unknown) was reported by the loader.
func (v *validator) loadBalancers() {
	refs := func(m *Meta, what string, ids []string, exists func(string) bool) {
		for _, id := range ids {
			if !exists(id) {
				v.errorf(m, "%s %s does not exist", what, id)
			}
		}
	}
	subnet := func(id string) bool { return v.ix.Subnets[id] != nil }
	group := func(id string) bool { return v.ix.SecurityGroups[id] != nil }
	iface := func(id string) bool { return v.ix.Interfaces[id] != nil }
	for _, lb := range v.n.LoadBalancers {
		if lb.Type < LBApplication || lb.Type > LBClassic {
			v.errorf(&lb.Meta, "load balancer has no valid type")
		}
		if lb.VPCID != "" || !lb.IsUnknown("vpc_id") {
			v.vpcRef(&lb.Meta, "VPC", lb.VPCID)
		}
		refs(&lb.Meta, "subnet", lb.SubnetIDs, subnet)
		refs(&lb.Meta, "security group", lb.SecurityGroupIDs, group)
		refs(&lb.Meta, "network interface", lb.InterfaceIDs, iface)
		if lb.Type == LBGateway && len(lb.SecurityGroupIDs) > 0 {
			v.errorf(&lb.Meta, "a Gateway Load Balancer takes no security groups")
		}
		ports := map[[2]string]*Listener{}
		for i := range lb.Listeners {
			l := &lb.Listeners[i]
			m := orMeta(&l.Meta, &lb.Meta)
			if _, _, _, ok := l.Transport(); !ok {
				v.errorf(m, "listener protocol %q is not one AWS has", l.Protocol)
			}
			if l.Port == 0 && lb.Type != LBGateway {
				v.errorf(m, "listener has no port")
			}
			k := [2]string{l.Protocol, itoa(int(l.Port))}
			if first := ports[k]; first != nil && l.Port != 0 {
				v.errorf(m, "two listeners of %s use %s port %d%s", lb.Label(), l.Protocol, l.Port, alsoAt(&first.Meta, m))
			}
			ports[k] = l
			for _, f := range l.Forwards {
				if v.ix.TargetGroups[f.TargetGroupID] == nil {
					v.errorf(orMeta(&f.Meta, m), "target group %s does not exist", f.TargetGroupID)
				}
			}
		}
	}
	for _, tg := range v.n.TargetGroups {
		if tg.TargetType < TargetTypeInstance || tg.TargetType > TargetTypeALB {
			v.errorf(&tg.Meta, "target group has no valid target type")
		}
		if tg.VPCID != "" {
			v.vpcRef(&tg.Meta, "VPC", tg.VPCID)
		}
		for _, p := range []string{tg.Protocol, tg.HealthCheckProtocol} {
			if _, _, _, ok := ProtocolTransport(p); p != "" && !ok {
				v.errorf(&tg.Meta, "protocol %q is not one AWS has", p)
			}
		}
		for i := range tg.Targets {
			t := &tg.Targets[i]
			m := orMeta(&t.Meta, &tg.Meta)
			switch t.Kind {
			case RegIP:
				if a, err := netip.ParseAddr(t.TargetID); err != nil || a.Zone() != "" {
					v.errorf(m, "target %q is not an IP address", t.TargetID)
				}
			case RegInstance, RegAutoScaling, RegLambda, RegLoadBalancer:
			default:
				v.errorf(m, "target %s has no valid kind", t.TargetID)
			}
			if t.Port == 0 && tg.Port == 0 && t.Kind != RegLambda && !tg.IsOutside() {
				v.errorf(m, "target %s has no port, and neither has its group", t.TargetID)
			}
		}
	}
	for _, g := range v.n.AutoScalingGroups {
		refs(&g.Meta, "subnet", g.SubnetIDs, subnet)
		refs(&g.Meta, "security group", g.SecurityGroupIDs, group)
		refs(&g.Meta, "network interface", g.InterfaceIDs, iface)
		refs(&g.Meta, "target group", g.TargetGroupIDs, func(id string) bool { return v.ix.TargetGroups[id] != nil })
	}
	for _, s := range v.n.Services {
		if s.Kind == "" {
			v.errorf(&s.Meta, "service has no kind")
		}
		refs(&s.Meta, "subnet", s.SubnetIDs, subnet)
		refs(&s.Meta, "security group", s.SecurityGroupIDs, group)
		refs(&s.Meta, "network interface", s.InterfaceIDs, iface)
	}
}
