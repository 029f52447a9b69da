package model

// KindCount is the number of elements of one kind.
type KindCount struct {
	Kind  string `json:"kind"`
	Count int    `json:"count"`
	// Synthetic counts those vpcsim created (see Meta.Synthetic).
	Synthetic int `json:"synthetic,omitempty"`
	// Outside counts those outside the input (see Meta.Outside), which
	// the input names but does not hold; synthesised ones are counted in
	// both.
	Outside int `json:"outside,omitempty"`
}

func count[T any](kind string, items []*T, meta func(*T) *Meta) KindCount {
	c := KindCount{Kind: kind, Count: len(items)}
	for _, it := range items {
		if meta(it).Synthetic != "" {
			c.Synthetic++
		}
		if meta(it).Outside != "" {
			c.Outside++
		}
	}
	return c
}

// Counts returns the number of elements of every kind, in a fixed order, and
// the number of rules and routes.
func (n *Network) Counts() []KindCount {
	out := []KindCount{
		count("vpc", n.VPCs, func(x *VPC) *Meta { return &x.Meta }),
		count("subnet", n.Subnets, func(x *Subnet) *Meta { return &x.Meta }),
		count("route_table", n.RouteTables, func(x *RouteTable) *Meta { return &x.Meta }),
		count("network_acl", n.NetworkACLs, func(x *NetworkACL) *Meta { return &x.Meta }),
		count("security_group", n.SecurityGroups, func(x *SecurityGroup) *Meta { return &x.Meta }),
		count("network_interface", n.Interfaces, func(x *NetworkInterface) *Meta { return &x.Meta }),
		count("instance", n.Instances, func(x *Instance) *Meta { return &x.Meta }),
		count("internet_gateway", n.InternetGateways, func(x *InternetGateway) *Meta { return &x.Meta }),
		count("egress_only_internet_gateway", n.EgressOnlyGateways, func(x *EgressOnlyInternetGateway) *Meta { return &x.Meta }),
		count("nat_gateway", n.NATGateways, func(x *NATGateway) *Meta { return &x.Meta }),
		count("vpn_gateway", n.VPNGateways, func(x *VPNGateway) *Meta { return &x.Meta }),
		count("customer_gateway", n.CustomerGateways, func(x *CustomerGateway) *Meta { return &x.Meta }),
		count("vpn_connection", n.VPNConnections, func(x *VPNConnection) *Meta { return &x.Meta }),
		count("transit_gateway", n.TransitGateways, func(x *TransitGateway) *Meta { return &x.Meta }),
		count("transit_gateway_attachment", n.TGWAttachments, func(x *TGWAttachment) *Meta { return &x.Meta }),
		count("transit_gateway_route_table", n.TGWRouteTables, func(x *TGWRouteTable) *Meta { return &x.Meta }),
		count("vpc_peering_connection", n.PeeringConnections, func(x *PeeringConnection) *Meta { return &x.Meta }),
		count("vpc_endpoint", n.Endpoints, func(x *VPCEndpoint) *Meta { return &x.Meta }),
		count("prefix_list", n.PrefixLists, func(x *PrefixList) *Meta { return &x.Meta }),
		count("elastic_ip", n.ElasticIPs, func(x *ElasticIP) *Meta { return &x.Meta }),
		count("load_balancer", n.LoadBalancers, func(x *LoadBalancer) *Meta { return &x.Meta }),
		count("target_group", n.TargetGroups, func(x *TargetGroup) *Meta { return &x.Meta }),
		count("autoscaling_group", n.AutoScalingGroups, func(x *AutoScalingGroup) *Meta { return &x.Meta }),
		count("service", n.Services, func(x *Service) *Meta { return &x.Meta }),
	}
	var routes, acl, sg KindCount
	routes.Kind, acl.Kind, sg.Kind = "route", "network_acl_rule", "security_group_rule"
	for _, rt := range n.RouteTables {
		for _, r := range rt.Routes {
			routes.Count++
			if r.Synthetic != "" {
				routes.Synthetic++
			}
		}
	}
	for _, a := range n.NetworkACLs {
		for _, r := range append(append([]ACLRule{}, a.Ingress...), a.Egress...) {
			acl.Count++
			if r.Synthetic != "" {
				acl.Synthetic++
			}
		}
	}
	for _, g := range n.SecurityGroups {
		for _, r := range append(append([]SGRule{}, g.Ingress...), g.Egress...) {
			sg.Count++
			if r.Synthetic != "" {
				sg.Synthetic++
			}
		}
	}
	return append(out, routes, acl, sg)
}
