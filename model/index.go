package model

// Index maps IDs to elements. Build it with (*Network).Index after the
// network is complete; it does not follow later changes.
type Index struct {
	VPCs             map[string]*VPC
	Subnets          map[string]*Subnet
	RouteTables      map[string]*RouteTable
	NetworkACLs      map[string]*NetworkACL
	SecurityGroups   map[string]*SecurityGroup
	Interfaces       map[string]*NetworkInterface
	Instances        map[string]*Instance
	InternetGateways map[string]*InternetGateway
	EgressOnly       map[string]*EgressOnlyInternetGateway
	NATGateways      map[string]*NATGateway
	VPNGateways      map[string]*VPNGateway
	CustomerGateways map[string]*CustomerGateway
	VPNConnections   map[string]*VPNConnection
	TransitGateways  map[string]*TransitGateway
	TGWAttachments   map[string]*TGWAttachment
	TGWRouteTables   map[string]*TGWRouteTable
	Peerings         map[string]*PeeringConnection
	Endpoints        map[string]*VPCEndpoint
	PrefixLists      map[string]*PrefixList
	ElasticIPs       map[string]*ElasticIP
	LoadBalancers    map[string]*LoadBalancer
	TargetGroups     map[string]*TargetGroup
	AutoScaling      map[string]*AutoScalingGroup
	Services         map[string]*Service
	// Addresses maps Terraform addresses of every element to its ID.
	Addresses map[string]string
}

// indexOf maps the IDs of items to them and, unless addrs is nil, records
// their addresses in addrs.
func indexOf[T any](items []*T, meta func(*T) *Meta, addrs map[string]string) map[string]*T {
	m := make(map[string]*T, len(items))
	for _, it := range items {
		md := meta(it)
		if md.ID != "" {
			if _, dup := m[md.ID]; !dup {
				m[md.ID] = it
			}
		}
		if addrs != nil && md.Address != "" && md.ID != "" {
			addrs[md.Address] = md.ID
		}
	}
	return m
}

// Index builds lookup tables by ID. When two elements of one kind share an
// ID the first wins (Validate reports the duplicate).
func (n *Network) Index() *Index {
	// Sized for every element with an address (most have one), so that
	// the largest map of the Index never grows.
	a := make(map[string]string, len(n.VPCs)+len(n.Subnets)+len(n.RouteTables)+len(n.NetworkACLs)+
		len(n.SecurityGroups)+len(n.Interfaces)+len(n.Instances)+len(n.InternetGateways)+
		len(n.EgressOnlyGateways)+len(n.NATGateways)+len(n.VPNGateways)+len(n.CustomerGateways)+
		len(n.VPNConnections)+len(n.TransitGateways)+len(n.TGWAttachments)+len(n.TGWRouteTables)+
		len(n.PeeringConnections)+len(n.Endpoints)+len(n.PrefixLists)+len(n.ElasticIPs)+
		len(n.LoadBalancers)+len(n.TargetGroups)+len(n.AutoScalingGroups)+len(n.Services))
	return &Index{
		VPCs:             indexOf(n.VPCs, func(x *VPC) *Meta { return &x.Meta }, a),
		Subnets:          indexOf(n.Subnets, func(x *Subnet) *Meta { return &x.Meta }, a),
		RouteTables:      indexOf(n.RouteTables, func(x *RouteTable) *Meta { return &x.Meta }, a),
		NetworkACLs:      indexOf(n.NetworkACLs, func(x *NetworkACL) *Meta { return &x.Meta }, a),
		SecurityGroups:   indexOf(n.SecurityGroups, func(x *SecurityGroup) *Meta { return &x.Meta }, a),
		Interfaces:       indexOf(n.Interfaces, func(x *NetworkInterface) *Meta { return &x.Meta }, a),
		Instances:        indexOf(n.Instances, func(x *Instance) *Meta { return &x.Meta }, a),
		InternetGateways: indexOf(n.InternetGateways, func(x *InternetGateway) *Meta { return &x.Meta }, a),
		EgressOnly:       indexOf(n.EgressOnlyGateways, func(x *EgressOnlyInternetGateway) *Meta { return &x.Meta }, a),
		NATGateways:      indexOf(n.NATGateways, func(x *NATGateway) *Meta { return &x.Meta }, a),
		VPNGateways:      indexOf(n.VPNGateways, func(x *VPNGateway) *Meta { return &x.Meta }, a),
		CustomerGateways: indexOf(n.CustomerGateways, func(x *CustomerGateway) *Meta { return &x.Meta }, a),
		VPNConnections:   indexOf(n.VPNConnections, func(x *VPNConnection) *Meta { return &x.Meta }, a),
		TransitGateways:  indexOf(n.TransitGateways, func(x *TransitGateway) *Meta { return &x.Meta }, a),
		TGWAttachments:   indexOf(n.TGWAttachments, func(x *TGWAttachment) *Meta { return &x.Meta }, a),
		TGWRouteTables:   indexOf(n.TGWRouteTables, func(x *TGWRouteTable) *Meta { return &x.Meta }, a),
		Peerings:         indexOf(n.PeeringConnections, func(x *PeeringConnection) *Meta { return &x.Meta }, a),
		Endpoints:        indexOf(n.Endpoints, func(x *VPCEndpoint) *Meta { return &x.Meta }, a),
		PrefixLists:      indexOf(n.PrefixLists, func(x *PrefixList) *Meta { return &x.Meta }, a),
		ElasticIPs:       indexOf(n.ElasticIPs, func(x *ElasticIP) *Meta { return &x.Meta }, a),
		LoadBalancers:    indexOf(n.LoadBalancers, func(x *LoadBalancer) *Meta { return &x.Meta }, a),
		TargetGroups:     indexOf(n.TargetGroups, func(x *TargetGroup) *Meta { return &x.Meta }, a),
		AutoScaling:      indexOf(n.AutoScalingGroups, func(x *AutoScalingGroup) *Meta { return &x.Meta }, a),
		Services:         indexOf(n.Services, func(x *Service) *Meta { return &x.Meta }, a),
		Addresses:        a,
	}
}

// SubnetRouteTables maps each subnet ID to the route table it uses: its
// explicit association, else its VPC's main table. Subnets with neither are
// absent.
func (n *Network) SubnetRouteTables() map[string]*RouteTable {
	main := map[string]*RouteTable{}
	for _, rt := range n.RouteTables {
		if rt.Main && main[rt.VPCID] == nil {
			main[rt.VPCID] = rt
		}
	}
	out := make(map[string]*RouteTable, len(n.Subnets))
	for _, rt := range n.RouteTables {
		for _, a := range rt.Associations {
			if a.SubnetID != "" && out[a.SubnetID] == nil {
				out[a.SubnetID] = rt
			}
		}
	}
	for _, s := range n.Subnets {
		if out[s.ID] == nil && main[s.VPCID] != nil {
			out[s.ID] = main[s.VPCID]
		}
	}
	return out
}

// SubnetACLs maps each subnet ID to the network ACL it uses: its explicit
// association, else its VPC's default ACL. Subnets with neither are absent.
func (n *Network) SubnetACLs() map[string]*NetworkACL {
	def := map[string]*NetworkACL{}
	for _, acl := range n.NetworkACLs {
		if acl.Default && def[acl.VPCID] == nil {
			def[acl.VPCID] = acl
		}
	}
	out := make(map[string]*NetworkACL, len(n.Subnets))
	for _, acl := range n.NetworkACLs {
		for _, a := range acl.Associations {
			if a.SubnetID != "" && out[a.SubnetID] == nil {
				out[a.SubnetID] = acl
			}
		}
	}
	for _, s := range n.Subnets {
		if out[s.ID] == nil && def[s.VPCID] != nil {
			out[s.ID] = def[s.VPCID]
		}
	}
	return out
}
