package model

import "net/netip"

// Network is one estate: every element loaded from one input (a Terraform
// configuration, a state file, one side of a plan). Slices keep the order the
// loader produced, which is deterministic for a given input.
type Network struct {
	// Source names where the network was loaded from (a file or folder),
	// for messages.
	Source string `json:"source,omitempty"`
	// Region and AccountID are the defaults for elements that do not say;
	// empty when unknown.
	Region    string `json:"region,omitempty"`
	AccountID string `json:"account_id,omitempty"`

	VPCs                 []*VPC                       `json:"vpcs,omitempty"`
	Subnets              []*Subnet                    `json:"subnets,omitempty"`
	RouteTables          []*RouteTable                `json:"route_tables,omitempty"`
	NetworkACLs          []*NetworkACL                `json:"network_acls,omitempty"`
	SecurityGroups       []*SecurityGroup             `json:"security_groups,omitempty"`
	Interfaces           []*NetworkInterface          `json:"network_interfaces,omitempty"`
	Instances            []*Instance                  `json:"instances,omitempty"`
	InternetGateways     []*InternetGateway           `json:"internet_gateways,omitempty"`
	EgressOnlyGateways   []*EgressOnlyInternetGateway `json:"egress_only_internet_gateways,omitempty"`
	NATGateways          []*NATGateway                `json:"nat_gateways,omitempty"`
	VPNGateways          []*VPNGateway                `json:"vpn_gateways,omitempty"`
	CustomerGateways     []*CustomerGateway           `json:"customer_gateways,omitempty"`
	VPNConnections       []*VPNConnection             `json:"vpn_connections,omitempty"`
	TransitGateways      []*TransitGateway            `json:"transit_gateways,omitempty"`
	TGWAttachments       []*TGWAttachment             `json:"transit_gateway_attachments,omitempty"`
	TGWRouteTables       []*TGWRouteTable             `json:"transit_gateway_route_tables,omitempty"`
	PeeringConnections   []*PeeringConnection         `json:"vpc_peering_connections,omitempty"`
	Endpoints            []*VPCEndpoint               `json:"vpc_endpoints,omitempty"`
	PrefixLists          []*PrefixList                `json:"prefix_lists,omitempty"`
	ElasticIPs           []*ElasticIP                 `json:"elastic_ips,omitempty"`
	LoadBalancers        []*LoadBalancer              `json:"load_balancers,omitempty"`
	TargetGroups         []*TargetGroup               `json:"target_groups,omitempty"`
	AutoScalingGroups    []*AutoScalingGroup          `json:"autoscaling_groups,omitempty"`
	Services             []*Service                   `json:"services,omitempty"`
	UnsupportedResources []UnsupportedResource        `json:"unsupported_resources,omitempty"`
}

// UnsupportedResource is an input resource vpcsim read but does not model
// (a load balancer, a network firewall, a resource type it does not know).
// It is kept so that summaries list it and engines can name it when a path
// runs into it, instead of dropping it silently.
type UnsupportedResource struct {
	Meta
	// Type is the Terraform resource type, e.g. aws_lb.
	Type string `json:"type"`
	// Reason says why it is not modelled.
	Reason string `json:"reason,omitempty"`
	// InterfaceIDs are network interfaces the resource owns, when known, so
	// that a path reaching them can be explained.
	InterfaceIDs []string `json:"interface_ids,omitempty"`
	// SecurityGroupIDs and SubnetIDs are the security groups and subnets the
	// resource names, when the input says: they are in use even when vpcsim
	// knows no interface of the resource in them (a load balancer's nodes),
	// so that design checks never call them unused.
	SecurityGroupIDs []string `json:"security_group_ids,omitempty"`
	SubnetIDs        []string `json:"subnet_ids,omitempty"`
}

// VPC is a virtual private cloud.
type VPC struct {
	Meta
	// CIDRs are the IPv4 blocks: the primary first, then secondary
	// associations in the order declared.
	CIDRs []netip.Prefix `json:"cidrs,omitempty"`
	// IPv6CIDRs are the IPv6 blocks; empty when the VPC has none.
	IPv6CIDRs []netip.Prefix `json:"ipv6_cidrs,omitempty"`
	// Region and AccountID locate the VPC; empty means the network's.
	Region    string `json:"region,omitempty"`
	AccountID string `json:"account_id,omitempty"`
	// MainRouteTableID, DefaultNetworkACLID and DefaultSecurityGroupID name
	// the elements AWS creates with every VPC. When the input does not
	// describe them, Synthesize creates them with AWS's defaults.
	MainRouteTableID       string `json:"main_route_table_id,omitempty"`
	DefaultNetworkACLID    string `json:"default_network_acl_id,omitempty"`
	DefaultSecurityGroupID string `json:"default_security_group_id,omitempty"`
}

// AllCIDRs returns the IPv4 and IPv6 blocks of the VPC.
func (v *VPC) AllCIDRs() []netip.Prefix {
	out := make([]netip.Prefix, 0, len(v.CIDRs)+len(v.IPv6CIDRs))
	out = append(out, v.CIDRs...)
	return append(out, v.IPv6CIDRs...)
}

// Contains reports whether a lies in one of the VPC's blocks.
func (v *VPC) Contains(a netip.Addr) bool {
	for _, p := range v.AllCIDRs() {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// Subnet is a subnet of a VPC, in one availability zone.
type Subnet struct {
	Meta
	VPCID string `json:"vpc_id"`
	// AvailabilityZone is the zone name (us-east-1a); AvailabilityZoneID the
	// zone ID (use1-az4). Either may be empty when unknown.
	AvailabilityZone   string `json:"availability_zone,omitempty"`
	AvailabilityZoneID string `json:"availability_zone_id,omitempty"`
	// CIDR is the IPv4 block; invalid (zero) for an IPv6-only subnet.
	CIDR netip.Prefix `json:"cidr,omitzero"`
	// IPv6CIDR is the IPv6 block; zero when the subnet has none.
	IPv6CIDR netip.Prefix `json:"ipv6_cidr,omitzero"`
	// MapPublicIPOnLaunch gives instances launched here a public IPv4
	// address.
	MapPublicIPOnLaunch bool `json:"map_public_ip_on_launch,omitempty"`
}

// Zone returns the most specific zone name known: the zone ID if set (it is
// the same physical zone in every account), else the zone name.
func (s *Subnet) Zone() string {
	if s.AvailabilityZoneID != "" {
		return s.AvailabilityZoneID
	}
	return s.AvailabilityZone
}

// Contains reports whether a lies in the subnet's IPv4 or IPv6 block.
func (s *Subnet) Contains(a netip.Addr) bool {
	return (s.CIDR.IsValid() && s.CIDR.Contains(a)) || (s.IPv6CIDR.IsValid() && s.IPv6CIDR.Contains(a))
}

// RouteTable is a VPC route table.
type RouteTable struct {
	Meta
	VPCID string `json:"vpc_id"`
	// Main marks the VPC's main route table, used by every subnet that has
	// no explicit association.
	Main bool `json:"main,omitempty"`
	// Routes in the order declared; evaluation is by longest prefix match,
	// not by order.
	Routes []Route `json:"routes,omitempty"`
	// Associations are the explicit associations with subnets and gateways.
	Associations []RouteTableAssociation `json:"associations,omitempty"`
	// PropagatingVGWs are virtual private gateways whose routes propagate
	// into this table.
	PropagatingVGWs []string `json:"propagating_vgws,omitempty"`
}

// RouteTableAssociation associates a route table with a subnet or, as an
// edge association, with an internet or virtual private gateway (ingress
// routing). Exactly one of SubnetID and GatewayID is set.
type RouteTableAssociation struct {
	Meta
	SubnetID  string `json:"subnet_id,omitempty"`
	GatewayID string `json:"gateway_id,omitempty"`
}

// TargetKind is the kind of a route's target.
type TargetKind uint8

// Route target kinds. The zero value is invalid.
const (
	TargetLocal             TargetKind = iota + 1 // the VPC itself ("local")
	TargetInternetGateway                         // igw-
	TargetEgressOnlyGateway                       // eigw-
	TargetNATGateway                              // nat-
	TargetPeering                                 // pcx-
	TargetTransitGateway                          // tgw-
	TargetVPNGateway                              // vgw-
	TargetGatewayEndpoint                         // vpce- of type Gateway
	TargetEndpoint                                // vpce- of type GatewayLoadBalancer
	TargetNetworkInterface                        // eni-
	TargetInstance                                // i- (AWS resolves it to the instance's primary interface)
	TargetCarrierGateway                          // cagw- (Wavelength)
	TargetLocalGateway                            // lgw- (Outposts)
	TargetCoreNetwork                             // Cloud WAN core network ARN
)

var targetNames = [...]string{"invalid", "local", "internet-gateway", "egress-only-internet-gateway", "nat-gateway",
	"vpc-peering-connection", "transit-gateway", "vpn-gateway", "gateway-endpoint", "vpc-endpoint",
	"network-interface", "instance", "carrier-gateway", "local-gateway", "core-network"}

func (k TargetKind) String() string {
	return enumName(targetNames[:], int(k))
}

// MarshalText implements encoding.TextMarshaler.
func (k TargetKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// RouteTarget is where a route sends traffic.
type RouteTarget struct {
	Kind TargetKind `json:"kind"`
	// ID is the target's ID; "local" for TargetLocal.
	ID string `json:"id"`
}

// RouteOrigin says how a route came to be in its table.
type RouteOrigin uint8

// Route origins. The zero value means the route was declared (CreateRoute).
const (
	OriginDeclared   RouteOrigin = iota // declared in the input
	OriginLocal                         // the VPC's local route (CreateRouteTable)
	OriginPropagated                    // propagated from a virtual private gateway
	OriginEndpoint                      // added by a gateway endpoint
)

func (o RouteOrigin) String() string {
	return enumName([]string{"declared", "local", "propagated", "gateway-endpoint"}, int(o))
}

// MarshalText implements encoding.TextMarshaler.
func (o RouteOrigin) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// Route is one entry of a route table. Exactly one of Destination and
// DestinationPrefixListID is set.
type Route struct {
	Meta
	// Destination is an IPv4 or IPv6 block.
	Destination netip.Prefix `json:"destination,omitzero"`
	// DestinationPrefixListID is a managed prefix list (pl-…) standing for
	// its entries.
	DestinationPrefixListID string      `json:"destination_prefix_list_id,omitempty"`
	Target                  RouteTarget `json:"target"`
	// Blackhole marks a route whose target is gone: traffic it matches is
	// dropped.
	Blackhole bool        `json:"blackhole,omitempty"`
	Origin    RouteOrigin `json:"origin,omitempty"`
}

// NetworkACL is a stateless subnet firewall.
type NetworkACL struct {
	Meta
	VPCID string `json:"vpc_id"`
	// Default marks the VPC's default network ACL, which every subnet
	// without an explicit association uses.
	Default bool `json:"default,omitempty"`
	// Associations are the subnets explicitly associated with this ACL.
	Associations []ACLAssociation `json:"associations,omitempty"`
	// Ingress and Egress rules in the order declared. They are evaluated in
	// ascending rule number; the first match decides; Synthesize adds the
	// final "*" deny.
	Ingress []ACLRule `json:"ingress,omitempty"`
	Egress  []ACLRule `json:"egress,omitempty"`
}

// ACLAssociation associates a network ACL with a subnet.
type ACLAssociation struct {
	Meta
	SubnetID string `json:"subnet_id"`
}

// ACLRuleNumberStar is the number vpcsim gives the final "*" rule, one above
// the highest number AWS accepts (32766).
const ACLRuleNumberStar = 32767

// ACLRule is one network ACL rule.
type ACLRule struct {
	Meta
	// Number orders the rules (1-32766); ACLRuleNumberStar is the "*" rule.
	Number    int       `json:"number"`
	Direction Direction `json:"direction"`
	Action    Action    `json:"action"`
	Protocol  Protocol  `json:"protocol"`
	// Ports applies when Protocol is TCP or UDP; otherwise it is ignored.
	Ports PortRange `json:"ports"`
	// ICMP applies when Protocol is ICMP or ICMPv6.
	ICMP ICMPMatch `json:"icmp"`
	// CIDR is the remote block (source for ingress, destination for egress),
	// IPv4 or IPv6. ACL rules accept nothing else.
	CIDR netip.Prefix `json:"cidr"`
}

// IsStar reports whether r is the final catch-all deny rule.
func (r *ACLRule) IsStar() bool { return r.Number == ACLRuleNumberStar }

// NumberString prints the rule number as the console does: "*" for the
// final rule.
func (r *ACLRule) NumberString() string {
	if r.IsStar() {
		return "*"
	}
	return itoa(r.Number)
}

// SecurityGroup is a stateful interface firewall. Rules only allow; the
// union of all rules of all groups of an interface applies.
type SecurityGroup struct {
	Meta
	VPCID string `json:"vpc_id"`
	// GroupName is the group's name in AWS (not its Name tag).
	GroupName string `json:"group_name,omitempty"`
	// Default marks the VPC's default security group.
	Default bool     `json:"default,omitempty"`
	Ingress []SGRule `json:"ingress,omitempty"`
	Egress  []SGRule `json:"egress,omitempty"`
}

// PeerKind is the kind of a security group rule's remote end.
type PeerKind uint8

// Peer kinds. The zero value is invalid and matches nothing.
const (
	PeerCIDR          PeerKind = iota + 1 // an IPv4 or IPv6 block
	PeerPrefixList                        // a managed prefix list (pl-…)
	PeerSecurityGroup                     // the private addresses of a group's members
)

func (k PeerKind) String() string {
	return enumName([]string{"invalid", "cidr", "prefix-list", "security-group"}, int(k))
}

// MarshalText implements encoding.TextMarshaler.
func (k PeerKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// SGPeer is the remote end of a security group rule: exactly one of CIDR,
// PrefixListID and GroupID, as Kind says.
type SGPeer struct {
	Kind         PeerKind     `json:"kind"`
	CIDR         netip.Prefix `json:"cidr,omitzero"`
	PrefixListID string       `json:"prefix_list_id,omitempty"`
	GroupID      string       `json:"group_id,omitempty"`
	// Self is set when the rule was written as "self": GroupID is then the
	// rule's own group.
	Self bool `json:"self,omitempty"`
}

// String prints the peer as the console does.
func (p SGPeer) String() string {
	switch p.Kind {
	case PeerCIDR:
		return p.CIDR.String()
	case PeerPrefixList:
		return p.PrefixListID
	case PeerSecurityGroup:
		if p.Self {
			return p.GroupID + " (self)"
		}
		return p.GroupID
	}
	return "invalid"
}

// SGRule is one security group rule. A Terraform block that lists several
// CIDRs or groups becomes one SGRule per peer, all with the block's Meta.
type SGRule struct {
	Meta
	Direction Direction `json:"direction"`
	Protocol  Protocol  `json:"protocol"`
	// Ports applies when Protocol is TCP or UDP; otherwise it is ignored.
	Ports PortRange `json:"ports"`
	// ICMP applies when Protocol is ICMP or ICMPv6.
	ICMP ICMPMatch `json:"icmp"`
	// Peer is the source (ingress) or destination (egress).
	Peer        SGPeer `json:"peer"`
	Description string `json:"description,omitempty"`
}

// OwnerKind says what a network interface belongs to.
type OwnerKind uint8

// Interface owners. The zero value means the interface stands alone.
const (
	OwnerNone          OwnerKind = iota // a standalone interface
	OwnerInstance                       // an EC2 instance
	OwnerNATGateway                     // a NAT gateway (requester-managed)
	OwnerEndpoint                       // an interface or gateway load balancer endpoint
	OwnerLoadBalancer                   // a load balancer's node (OwnerID names the LoadBalancer)
	OwnerTGWAttachment                  // a transit gateway VPC attachment
	OwnerLambda                         // a Lambda function in a VPC (OwnerID names the Service)
	OwnerOther                          // another AWS service
	OwnerAutoScaling                    // an Auto Scaling group's instances (OwnerID names the AutoScalingGroup)
	OwnerService                        // a managed service (OwnerID names the Service)
)

func (k OwnerKind) String() string {
	return enumName([]string{"none", "instance", "nat-gateway", "vpc-endpoint", "load-balancer",
		"transit-gateway-attachment", "lambda", "other", "autoscaling-group", "service"}, int(k))
}

// MarshalText implements encoding.TextMarshaler.
func (k OwnerKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// PublicIP maps a public IPv4 address to one private address of an
// interface; an internet gateway translates between the two.
type PublicIP struct {
	Public  netip.Addr `json:"public"`
	Private netip.Addr `json:"private"`
	// ElasticIPID is the allocation (eipalloc-…) when the address is an
	// Elastic IP; empty for an auto-assigned public address.
	ElasticIPID string `json:"elastic_ip_id,omitempty"`
	// Placeholder marks an address vpcsim invented because the real one is
	// unknown until apply.
	Placeholder bool `json:"placeholder,omitempty"`
	// Synthetic is non-empty when Synthesize made the mapping (an Elastic
	// IP association, a NAT gateway's address), like Meta.Synthetic; a
	// mapping has no Meta of its own. Empty means the input declared it.
	Synthetic string `json:"synthetic,omitempty"`
}

// NetworkInterface is an elastic network interface.
type NetworkInterface struct {
	Meta
	SubnetID string `json:"subnet_id"`
	// PrivateIPs are the IPv4 addresses, the primary first.
	PrivateIPs []netip.Addr `json:"private_ips,omitempty"`
	// IPv6Addrs are the IPv6 addresses.
	IPv6Addrs []netip.Addr `json:"ipv6_addrs,omitempty"`
	// PublicIPs map public addresses to private ones.
	PublicIPs []PublicIP `json:"public_ips,omitempty"`
	// Placeholders lists the private and IPv6 addresses that vpcsim
	// invented because the real ones are unknown until apply.
	Placeholders []netip.Addr `json:"placeholders,omitempty"`
	// SecurityGroupIDs are the groups whose rules filter the interface's
	// traffic, all of them: none means no security group filters it
	// (requester-managed interfaces of NAT gateways, transit gateway
	// attachments and Gateway Load Balancer endpoints). Synthesize gives an
	// interface that AWS would give its VPC's default group (see
	// GetsDefaultSecurityGroup) that group.
	SecurityGroupIDs []string `json:"security_group_ids,omitempty"`
	// SourceDestCheck drops traffic not addressed to or from the interface;
	// appliances turn it off.
	SourceDestCheck bool `json:"source_dest_check"`
	// OwnerKind and OwnerID name what the interface belongs to.
	OwnerKind OwnerKind `json:"owner_kind,omitempty"`
	OwnerID   string    `json:"owner_id,omitempty"`
}

// securityGroupAttrs are the Terraform attributes that hold an interface's
// security groups (aws_network_interface, aws_instance, aws_vpc_endpoint).
var securityGroupAttrs = []string{"security_groups", "vpc_security_group_ids", "security_group_ids"}

// SecurityGroupsUnknown reports whether Meta.Unknown lists the attribute
// holding the interface's security groups: a loader could not tell which
// groups it has (a value known only after apply, or groups named by name
// that are not in the input).
func (e *NetworkInterface) SecurityGroupsUnknown() bool {
	for _, a := range securityGroupAttrs {
		if e.IsUnknown(a) {
			return true
		}
	}
	return false
}

// PrimaryIP is the first private IPv4 address, or the first IPv6 address of
// an IPv6-only interface; zero when it has none.
func (e *NetworkInterface) PrimaryIP() netip.Addr {
	if len(e.PrivateIPs) > 0 {
		return e.PrivateIPs[0]
	}
	if len(e.IPv6Addrs) > 0 {
		return e.IPv6Addrs[0]
	}
	return netip.Addr{}
}

// Owns reports whether a is one of the interface's private or IPv6
// addresses.
func (e *NetworkInterface) Owns(a netip.Addr) bool {
	for _, p := range e.PrivateIPs {
		if p == a {
			return true
		}
	}
	for _, p := range e.IPv6Addrs {
		if p == a {
			return true
		}
	}
	return false
}

// IsPlaceholder reports whether a is an address vpcsim invented.
func (e *NetworkInterface) IsPlaceholder(a netip.Addr) bool {
	for _, p := range e.Placeholders {
		if p == a {
			return true
		}
	}
	for _, p := range e.PublicIPs {
		if p.Public == a {
			return p.Placeholder
		}
	}
	return false
}

// Instance is an EC2 instance.
type Instance struct {
	Meta
	// InterfaceIDs are the instance's network interfaces, the primary
	// (device index 0) first.
	InterfaceIDs []string `json:"interface_ids"`
}

// InternetGateway gives a VPC a route to the internet.
type InternetGateway struct {
	Meta
	// VPCID is the attached VPC; empty when detached.
	VPCID string `json:"vpc_id,omitempty"`
}

// EgressOnlyInternetGateway lets IPv6 traffic out and its replies back, and
// nothing in.
type EgressOnlyInternetGateway struct {
	Meta
	VPCID string `json:"vpc_id"`
}

// NATGateway translates source addresses for connections initiated from
// inside a VPC.
type NATGateway struct {
	Meta
	SubnetID string `json:"subnet_id"`
	// Private marks a private NAT gateway (connectivity_type "private"),
	// which has no public address and cannot use an internet gateway.
	Private bool `json:"private,omitempty"`
	// PrivateIP is the gateway's primary private address; PublicIP its
	// Elastic IP (public gateways only).
	PrivateIP netip.Addr `json:"private_ip,omitzero"`
	PublicIP  netip.Addr `json:"public_ip,omitzero"`
	// AllocationID is the Elastic IP allocation of a public gateway.
	AllocationID string `json:"allocation_id,omitempty"`
	// InterfaceID is the gateway's network interface.
	InterfaceID string `json:"interface_id,omitempty"`
	// Placeholder marks addresses vpcsim invented.
	Placeholder bool `json:"placeholder,omitempty"`
}

// VPNGateway is a virtual private gateway: the VPC side of a site-to-site
// VPN.
type VPNGateway struct {
	Meta
	// VPCID is the attached VPC; empty when detached.
	VPCID string `json:"vpc_id,omitempty"`
}

// CustomerGateway is the on-premises side of a site-to-site VPN.
type CustomerGateway struct {
	Meta
	IP  netip.Addr `json:"ip,omitzero"`
	ASN int64      `json:"asn,omitempty"`
}

// VPNConnection is a site-to-site VPN from a virtual private gateway or a
// transit gateway to a customer gateway.
type VPNConnection struct {
	Meta
	// Exactly one of VPNGatewayID and TransitGatewayID is set.
	VPNGatewayID      string `json:"vpn_gateway_id,omitempty"`
	TransitGatewayID  string `json:"transit_gateway_id,omitempty"`
	CustomerGatewayID string `json:"customer_gateway_id,omitempty"`
	// StaticRoutesOnly is set for static VPNs; otherwise routes come from
	// BGP, which vpcsim cannot see: OnPremCIDRs is then what the input
	// declares as the remote network.
	StaticRoutesOnly bool `json:"static_routes_only,omitempty"`
	// OnPremCIDRs are the on-premises blocks reachable through the
	// connection (static routes, or the remote network CIDR).
	OnPremCIDRs []netip.Prefix `json:"on_prem_cidrs,omitempty"`
}

// TransitGateway is a regional router between VPCs, VPNs and other transit
// gateways.
type TransitGateway struct {
	Meta
	Region    string `json:"region,omitempty"`
	AccountID string `json:"account_id,omitempty"`
	// DefaultAssociation and DefaultPropagation say whether new attachments
	// are associated with / propagate into the default route tables.
	DefaultAssociation bool `json:"default_association"`
	DefaultPropagation bool `json:"default_propagation"`
	// AssociationRouteTableID and PropagationRouteTableID are those default
	// tables (usually the same one).
	AssociationRouteTableID string `json:"association_default_route_table_id,omitempty"`
	PropagationRouteTableID string `json:"propagation_default_route_table_id,omitempty"`
}

// TGWAttachmentKind is the kind of a transit gateway attachment.
type TGWAttachmentKind uint8

// Attachment kinds. The zero value is invalid.
const (
	TGWAttachVPC TGWAttachmentKind = iota + 1
	TGWAttachPeering
	TGWAttachVPN
	TGWAttachDirectConnect
	TGWAttachConnect
)

func (k TGWAttachmentKind) String() string {
	return enumName([]string{"invalid", "vpc", "peering", "vpn", "direct-connect-gateway", "connect"}, int(k))
}

// MarshalText implements encoding.TextMarshaler.
func (k TGWAttachmentKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// TGWAttachment attaches a VPC, a VPN or a peer transit gateway to a transit
// gateway.
type TGWAttachment struct {
	Meta
	Kind             TGWAttachmentKind `json:"kind"`
	TransitGatewayID string            `json:"transit_gateway_id"`
	// VPCID and SubnetIDs (one per availability zone) for a VPC attachment.
	VPCID     string   `json:"vpc_id,omitempty"`
	SubnetIDs []string `json:"subnet_ids,omitempty"`
	// PeerTransitGatewayID for a peering attachment.
	PeerTransitGatewayID string `json:"peer_transit_gateway_id,omitempty"`
	// VPNConnectionID for a VPN attachment.
	VPNConnectionID string `json:"vpn_connection_id,omitempty"`
	// ApplianceMode keeps both directions of a flow in one zone.
	ApplianceMode bool `json:"appliance_mode,omitempty"`
	// DefaultAssociation and DefaultPropagation say whether the attachment
	// uses the gateway's default tables (Terraform's
	// transit_gateway_default_route_table_association/_propagation).
	DefaultAssociation bool `json:"default_association"`
	DefaultPropagation bool `json:"default_propagation"`
}

// TGWRouteTable is a transit gateway route table.
type TGWRouteTable struct {
	Meta
	TransitGatewayID string `json:"transit_gateway_id"`
	// Default marks the gateway's default association table.
	Default bool `json:"default,omitempty"`
	// Associations name the attachments that use this table for their
	// traffic (an attachment is associated with at most one table).
	Associations []TGWRouteTableLink `json:"associations,omitempty"`
	// Propagations name the attachments whose routes propagate here.
	Propagations []TGWRouteTableLink `json:"propagations,omitempty"`
	// Routes are the static and blackhole routes; propagated routes are
	// derived from Propagations by the engine.
	Routes []TGWRoute `json:"routes,omitempty"`
}

// TGWRouteTableLink is an association or a propagation.
type TGWRouteTableLink struct {
	Meta
	AttachmentID string `json:"attachment_id"`
}

// TGWRoute is a static or blackhole transit gateway route.
type TGWRoute struct {
	Meta
	Destination netip.Prefix `json:"destination"`
	// AttachmentID is the target; empty for a blackhole route.
	AttachmentID string `json:"attachment_id,omitempty"`
	Blackhole    bool   `json:"blackhole,omitempty"`
}

// PeeringConnection is a VPC peering connection.
type PeeringConnection struct {
	Meta
	RequesterVPCID string `json:"requester_vpc_id"`
	AccepterVPCID  string `json:"accepter_vpc_id"`
	// RequesterRegion and AccepterRegion are empty when the same as the
	// network's; SG references across the peering work only within a region.
	RequesterRegion string `json:"requester_region,omitempty"`
	AccepterRegion  string `json:"accepter_region,omitempty"`
	// Active is false until the accepter accepts.
	Active bool `json:"active"`
}

// Peer returns the VPC at the other end from vpcID, and false when vpcID is
// neither end.
func (p *PeeringConnection) Peer(vpcID string) (string, bool) {
	switch vpcID {
	case p.RequesterVPCID:
		return p.AccepterVPCID, true
	case p.AccepterVPCID:
		return p.RequesterVPCID, true
	}
	return "", false
}

// EndpointType is a VPC endpoint's type.
type EndpointType uint8

// Endpoint types. The zero value is invalid.
const (
	EndpointGateway EndpointType = iota + 1
	EndpointInterface
	EndpointGatewayLoadBalancer
)

func (t EndpointType) String() string {
	return enumName([]string{"invalid", "Gateway", "Interface", "GatewayLoadBalancer"}, int(t))
}

// MarshalText implements encoding.TextMarshaler.
func (t EndpointType) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// VPCEndpoint is a gateway, interface or gateway load balancer endpoint.
type VPCEndpoint struct {
	Meta
	VPCID       string       `json:"vpc_id"`
	Type        EndpointType `json:"type"`
	ServiceName string       `json:"service_name"`
	// RouteTableIDs (gateway endpoints) receive a route to PrefixListID.
	RouteTableIDs []string `json:"route_table_ids,omitempty"`
	// PrefixListID is the AWS-managed prefix list of the service (gateway
	// endpoints).
	PrefixListID string `json:"prefix_list_id,omitempty"`
	// SubnetIDs, SecurityGroupIDs and InterfaceIDs describe an interface
	// endpoint, which is one interface per subnet.
	SubnetIDs        []string `json:"subnet_ids,omitempty"`
	SecurityGroupIDs []string `json:"security_group_ids,omitempty"`
	InterfaceIDs     []string `json:"interface_ids,omitempty"`
}

// PrefixList is a managed prefix list: customer-managed, or AWS-managed for
// a service (S3, DynamoDB).
type PrefixList struct {
	Meta
	// AWSManaged marks lists AWS maintains; their entries change over time.
	AWSManaged bool `json:"aws_managed,omitempty"`
	// Entries are the blocks of the list.
	Entries []netip.Prefix `json:"entries,omitempty"`
	// EntriesUnknown is set when the input does not say what the entries
	// are (an AWS-managed list not described in the input): engines must say
	// so rather than treat the list as empty.
	EntriesUnknown bool `json:"entries_unknown,omitempty"`
}

// ElasticIP is an Elastic IP address allocation.
type ElasticIP struct {
	Meta
	PublicIP netip.Addr `json:"public_ip,omitzero"`
	// InterfaceID and PrivateIP say where it is associated; empty when not.
	InterfaceID string     `json:"interface_id,omitempty"`
	InstanceID  string     `json:"instance_id,omitempty"`
	PrivateIP   netip.Addr `json:"private_ip,omitzero"`
	// Placeholder marks an address vpcsim invented.
	Placeholder bool `json:"placeholder,omitempty"`
	// Association identifies the aws_eip_association that associates the
	// address, when it is a resource of its own (its address and
	// position, for explanations); zero otherwise.
	Association Meta `json:"association,omitzero"`
}
