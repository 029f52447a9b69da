package model

import (
	"slices"
	"strconv"
)

// Keys names the elements of one network by what they are in Terraform
// rather than by the IDs AWS assigns at apply: a folder of configuration,
// the plan made from it and the state written by applying it describe the
// same elements under different IDs (symbolic before apply, sg-0abc… after)
// but under the same keys. Comparisons of two networks (a plan's before and
// after, a folder and its state) match elements by key.
//
// An element's key is, in order:
//   - its Terraform address, when the input declared it (a key that two
//     elements of different kinds share is prefixed with the kind);
//   - for what AWS creates implicitly, the role and the key of its owner:
//     "main-route-table(aws_vpc.shop)", "default-network-acl(…)",
//     "default-security-group(…)", "default-route-table(aws_ec2_transit_gateway.hub)",
//     "network-interface(aws_nat_gateway.a)";
//   - for a network interface without an address of its own, its owner's
//     key: an instance's primary interface is the instance
//     ("aws_instance.web"), its others "aws_instance.web#1" by device
//     order; an endpoint's interface is "aws_vpc_endpoint.x@aws_subnet.a",
//     and so are a load balancer's node, the interface standing for an Auto
//     Scaling group's instances in a subnet and a managed service's
//     ("aws_lb.web@aws_subnet.public[\"a\"]");
//   - else its ID (elements outside the input, inputs without Terraform
//     addresses such as an AWS snapshot).
type Keys struct {
	byID map[string]string
}

// element is one top-level element of a network, for code that treats every
// kind alike.
type element struct {
	kind string
	meta *Meta
}

// elements lists every top-level element of n with its kind, in a fixed
// order.
func (n *Network) elements() []element {
	var out []element
	add := func(kind string, m *Meta) { out = append(out, element{kind, m}) }
	for _, x := range n.VPCs {
		add("vpc", &x.Meta)
	}
	for _, x := range n.Subnets {
		add("subnet", &x.Meta)
	}
	for _, x := range n.RouteTables {
		add("route-table", &x.Meta)
	}
	for _, x := range n.NetworkACLs {
		add("network-acl", &x.Meta)
	}
	for _, x := range n.SecurityGroups {
		add("security-group", &x.Meta)
	}
	for _, x := range n.Interfaces {
		add("network-interface", &x.Meta)
	}
	for _, x := range n.Instances {
		add("instance", &x.Meta)
	}
	for _, x := range n.InternetGateways {
		add("internet-gateway", &x.Meta)
	}
	for _, x := range n.EgressOnlyGateways {
		add("egress-only-internet-gateway", &x.Meta)
	}
	for _, x := range n.NATGateways {
		add("nat-gateway", &x.Meta)
	}
	for _, x := range n.VPNGateways {
		add("vpn-gateway", &x.Meta)
	}
	for _, x := range n.CustomerGateways {
		add("customer-gateway", &x.Meta)
	}
	for _, x := range n.VPNConnections {
		add("vpn-connection", &x.Meta)
	}
	for _, x := range n.TransitGateways {
		add("transit-gateway", &x.Meta)
	}
	for _, x := range n.TGWAttachments {
		add("transit-gateway-attachment", &x.Meta)
	}
	for _, x := range n.TGWRouteTables {
		add("transit-gateway-route-table", &x.Meta)
	}
	for _, x := range n.PeeringConnections {
		add("vpc-peering-connection", &x.Meta)
	}
	for _, x := range n.Endpoints {
		add("vpc-endpoint", &x.Meta)
	}
	for _, x := range n.PrefixLists {
		add("prefix-list", &x.Meta)
	}
	for _, x := range n.ElasticIPs {
		add("elastic-ip", &x.Meta)
	}
	for _, x := range n.LoadBalancers {
		add("load-balancer", &x.Meta)
	}
	for _, x := range n.TargetGroups {
		add("target-group", &x.Meta)
	}
	for _, x := range n.AutoScalingGroups {
		add("autoscaling-group", &x.Meta)
	}
	for _, x := range n.Services {
		add("service", &x.Meta)
	}
	return out
}

// Keys computes the key of every element of n. n must be complete
// (Synthesize has run); later changes to n are not seen.
func (n *Network) Keys() *Keys {
	k := &Keys{byID: map[string]string{}}
	els := n.elements()
	// Addresses first: implicit elements and interfaces are named after
	// their owners.
	kindsOf := map[string][]string{}
	for _, el := range els {
		if el.meta.Address != "" && el.meta.Synthetic == "" {
			kindsOf[el.meta.Address] = append(kindsOf[el.meta.Address], el.kind)
		}
	}
	taken := map[string]bool{}
	set := func(kind string, m *Meta, key string) {
		if m.ID == "" || k.byID[m.ID] != "" {
			return
		}
		if taken[kind+" "+key] {
			// Two elements would share a key (two stacks merged that use
			// the same addresses): the ID tells them apart, at the price of
			// matching only inputs that agree on it.
			key += "@" + m.ID
		}
		taken[kind+" "+key] = true
		k.byID[m.ID] = key
	}
	for _, el := range els {
		m := el.meta
		if m.Address == "" || m.Synthetic != "" || m.Outside != "" {
			continue
		}
		key := m.Address
		if kinds := kindsOf[m.Address]; len(slices.Compact(slices.Clone(kinds))) > 1 {
			key = el.kind + ":" + m.Address
		}
		set(el.kind, m, key)
	}
	of := func(id string) string {
		if s := k.byID[id]; s != "" {
			return s
		}
		return id
	}
	for _, x := range n.RouteTables {
		if x.Main && x.Synthetic != "" {
			set("route-table", &x.Meta, "main-route-table("+of(x.VPCID)+")")
		}
	}
	for _, x := range n.NetworkACLs {
		if x.Default && x.Synthetic != "" {
			set("network-acl", &x.Meta, "default-network-acl("+of(x.VPCID)+")")
		}
	}
	for _, x := range n.SecurityGroups {
		if x.Default && x.Synthetic != "" {
			set("security-group", &x.Meta, "default-security-group("+of(x.VPCID)+")")
		}
	}
	for _, x := range n.TGWRouteTables {
		if x.Default && x.Synthetic != "" {
			set("transit-gateway-route-table", &x.Meta, "default-route-table("+of(x.TransitGatewayID)+")")
		}
	}
	ix := n.Index()
	for _, x := range n.Interfaces {
		if x.Address != "" && x.Synthetic == "" {
			continue
		}
		switch x.OwnerKind {
		case OwnerInstance:
			if in := ix.Instances[x.OwnerID]; in != nil {
				if i := slices.Index(in.InterfaceIDs, x.ID); i > 0 {
					set("network-interface", &x.Meta, of(in.ID)+"#"+strconv.Itoa(i))
				} else {
					set("network-interface", &x.Meta, of(in.ID))
				}
			}
		case OwnerNATGateway:
			set("network-interface", &x.Meta, "network-interface("+of(x.OwnerID)+")")
		case OwnerEndpoint, OwnerLoadBalancer, OwnerAutoScaling, OwnerService, OwnerLambda:
			// One interface per subnet: a load balancer's node, the
			// instances an Auto Scaling group launches there, a service's.
			set("network-interface", &x.Meta, of(x.OwnerID)+"@"+of(x.SubnetID))
		}
	}
	return k
}

// Of returns the key of the element whose ID is id; an ID no element has is
// its own key.
func (k *Keys) Of(id string) string {
	if s := k.byID[id]; s != "" {
		return s
	}
	return id
}
