package tfstate

import (
	"encoding/base64"
	"maps"
	"strings"
)

// Env is the account and region resources are created in, and the
// provider's default_tags, which the provider merges into every tags_all.
type Env struct {
	Region      string
	AccountID   string
	DefaultTags Tags
}

// ARN returns an EC2 resource ARN, e.g. arn:aws:ec2:us-east-1:123…:vpc/vpc-0….
func (e Env) ARN(kind, id string) string {
	return "arn:aws:ec2:" + e.Region + ":" + e.AccountID + ":" + kind + "/" + id
}

// TagsAll merges the provider's default tags with tags, as tags_all does.
func (e Env) TagsAll(tags Tags) Tags {
	all := make(Tags, len(tags)+len(e.DefaultTags))
	maps.Copy(all, e.DefaultTags)
	maps.Copy(all, tags)
	return all
}

// Named returns tags with Name set, plus any extra key/value pairs.
func Named(name string, kv ...string) Tags {
	t := Tags{"Name": name}
	for i := 0; i+1 < len(kv); i += 2 {
		t[kv[i]] = kv[i+1]
	}
	return t
}

// PrivateDNS is the EC2 private host name of a private IPv4 address.
func (e Env) PrivateDNS(ip string) string {
	if e.Region == "us-east-1" {
		return "ip-" + strings.ReplaceAll(ip, ".", "-") + ".ec2.internal"
	}
	return "ip-" + strings.ReplaceAll(ip, ".", "-") + "." + e.Region + ".compute.internal"
}

// PublicDNS is the EC2 public host name of a public IPv4 address.
func (e Env) PublicDNS(ip string) string {
	if ip == "" {
		return ""
	}
	if e.Region == "us-east-1" {
		return "ec2-" + strings.ReplaceAll(ip, ".", "-") + ".compute-1.amazonaws.com"
	}
	return "ec2-" + strings.ReplaceAll(ip, ".", "-") + "." + e.Region + ".compute.amazonaws.com"
}

// Private data the provider stores next to the attributes: the timeouts of
// the resource type (nanoseconds, under the SDK's fixed key) and, for
// upgraded schemas, the schema version. "bnVsbA==" is base64 "null", what
// the SDK stores for resource types with neither.
var (
	PrivateNull                  = "bnVsbA=="
	PrivateVPC                   = private(`{"schema_version":"1"}`)
	PrivateSubnet                = private(`{"e2bfb730-ecaa-11e6-8f88-34363bc7c4c0":{"create":600000000000,"delete":1200000000000},"schema_version":"1"}`)
	PrivateInternetGateway       = private(`{"e2bfb730-ecaa-11e6-8f88-34363bc7c4c0":{"create":1200000000000,"delete":1200000000000,"update":1200000000000}}`)
	PrivateEIP                   = private(`{"e2bfb730-ecaa-11e6-8f88-34363bc7c4c0":{"delete":180000000000,"read":900000000000,"update":300000000000}}`)
	PrivateNATGateway            = private(`{"e2bfb730-ecaa-11e6-8f88-34363bc7c4c0":{"create":600000000000,"delete":1800000000000,"update":600000000000}}`)
	PrivateRouteTable            = private(`{"e2bfb730-ecaa-11e6-8f88-34363bc7c4c0":{"create":300000000000,"delete":300000000000,"update":120000000000}}`)
	PrivateRoute                 = private(`{"e2bfb730-ecaa-11e6-8f88-34363bc7c4c0":{"create":300000000000,"delete":300000000000,"update":120000000000}}`)
	PrivateSecurityGroup         = private(`{"e2bfb730-ecaa-11e6-8f88-34363bc7c4c0":{"create":600000000000,"delete":900000000000},"schema_version":"1"}`)
	PrivateSecurityGroupRule     = private(`{"schema_version":"2"}`)
	PrivateInstance              = private(`{"e2bfb730-ecaa-11e6-8f88-34363bc7c4c0":{"create":600000000000,"delete":1200000000000,"read":900000000000,"update":600000000000},"schema_version":"1"}`)
	PrivateVPCEndpoint           = private(`{"e2bfb730-ecaa-11e6-8f88-34363bc7c4c0":{"create":600000000000,"delete":600000000000,"update":600000000000}}`)
	PrivateLB                    = private(`{"e2bfb730-ecaa-11e6-8f88-34363bc7c4c0":{"create":600000000000,"delete":600000000000,"update":600000000000}}`)
	PrivateTransitGateway        = private(`{"e2bfb730-ecaa-11e6-8f88-34363bc7c4c0":{"create":600000000000,"delete":600000000000,"update":600000000000}}`)
	PrivateVPNConnection         = private(`{"e2bfb730-ecaa-11e6-8f88-34363bc7c4c0":{"create":2400000000000,"delete":1800000000000,"update":1800000000000},"schema_version":"1"}`)
	PrivateVPCPeeringConnection  = private(`{"e2bfb730-ecaa-11e6-8f88-34363bc7c4c0":{"create":60000000000,"delete":60000000000,"update":60000000000}}`)
	PrivateLBTargetGroupOrOthers = PrivateNull
)

func private(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// Managed returns a managed AWS resource with one instance.
func Managed(module, typ, name string, inst Instance) *Resource {
	return &Resource{Module: module, Mode: "managed", Type: typ, Name: name, Provider: AWSProvider, Instances: []Instance{inst}}
}

// Data returns an AWS data source with one instance.
func Data(module, typ, name string, inst Instance) *Resource {
	return &Resource{Module: module, Mode: "data", Type: typ, Name: name, Provider: AWSProvider, Instances: []Instance{inst}}
}

// NewInstance returns a resource instance with no sensitive attributes.
func NewInstance(key any, schema int, attrs any, private string, deps ...string) Instance {
	return Instance{IndexKey: key, SchemaVersion: schema, Attributes: attrs, SensitiveAttributes: []Path{}, Private: private, Dependencies: deps}
}

// VPC returns an aws_vpc with the provider's defaults (DNS support and host
// names on, default tenancy, no IPv6).
func (e Env) VPC(id, cidr string, tags Tags, mainRTB, defaultACL, defaultSG, dhcp string) *VPC {
	return &VPC{
		ARN: e.ARN("vpc", id), CIDRBlock: cidr, DefaultNetworkACLID: defaultACL, DefaultRouteTableID: mainRTB,
		DefaultSecurityGroupID: defaultSG, DHCPOptionsID: dhcp, EnableDNSHostnames: true, EnableDNSSupport: true,
		ID: id, InstanceTenancy: "default", MainRouteTableID: mainRTB, OwnerID: e.AccountID,
		Tags: tags, TagsAll: e.TagsAll(tags),
	}
}

// Subnet returns an aws_subnet.
func (e Env) Subnet(id, vpcID, cidr, az, azID string, public bool, tags Tags) *Subnet {
	return &Subnet{
		ARN: e.ARN("subnet", id), AvailabilityZone: az, AvailabilityZoneID: azID, CIDRBlock: cidr, ID: id,
		MapPublicIPOnLaunch: public, OwnerID: e.AccountID, PrivateDNSHostnameTypeOnLaunch: "ip-name",
		Tags: tags, TagsAll: e.TagsAll(tags), VPCID: vpcID,
	}
}

// InternetGateway returns an aws_internet_gateway attached to vpcID.
func (e Env) InternetGateway(id, vpcID string, tags Tags) *InternetGateway {
	return &InternetGateway{ARN: e.ARN("internet-gateway", id), ID: id, OwnerID: e.AccountID, Tags: tags, TagsAll: e.TagsAll(tags), VPCID: vpcID}
}

// EIP returns an aws_eip in the VPC domain, associated with eni (and the
// instance, when instanceID is set) at privateIP; eni empty means
// unassociated.
func (e Env) EIP(allocID, assocID, publicIP, eni, instanceID, privateIP string, tags Tags) *EIP {
	eip := &EIP{
		AllocationID: allocID, ARN: e.ARN("elastic-ip", allocID), Domain: "vpc", ID: allocID,
		NetworkBorderGroup: e.Region, PublicDNS: e.PublicDNS(publicIP), PublicIP: publicIP,
		PublicIPv4Pool: "amazon", Tags: tags, TagsAll: e.TagsAll(tags), VPC: true,
	}
	if eni != "" {
		eip.AssociationID, eip.NetworkInterface, eip.Instance = assocID, eni, instanceID
		eip.PrivateIP, eip.PrivateDNS = privateIP, e.PrivateDNS(privateIP)
	}
	return eip
}

// NATGateway returns a public aws_nat_gateway.
func (e Env) NATGateway(id, subnetID, allocID, assocID, eni, privateIP, publicIP string, tags Tags) *NATGateway {
	return &NATGateway{
		AllocationID: allocID, AssociationID: assocID, ConnectivityType: "public", ID: id, NetworkInterfaceID: eni,
		PrivateIP: privateIP, PublicIP: publicIP, SecondaryAllocationIDs: []string{},
		SecondaryPrivateIPAddresses: []string{}, SubnetID: subnetID, Tags: tags, TagsAll: e.TagsAll(tags),
	}
}

// RouteTable returns an aws_route_table with the given routes (nil means
// none).
func (e Env) RouteTable(id, vpcID string, routes []RouteTableRoute, tags Tags) *RouteTable {
	if routes == nil {
		routes = []RouteTableRoute{}
	}
	return &RouteTable{ARN: e.ARN("route-table", id), ID: id, OwnerID: e.AccountID, PropagatingVGWs: []string{},
		Route: routes, Tags: tags, TagsAll: e.TagsAll(tags), VPCID: vpcID}
}

// Route returns an aws_route with the destination and target of r.
func (e Env) Route(routeTableID string, r RouteTableRoute) *Route {
	dest := r.CIDRBlock + r.IPv6CIDRBlock + r.DestinationPrefixListID
	return &Route{
		CarrierGatewayID: r.CarrierGatewayID, CoreNetworkARN: r.CoreNetworkARN, DestinationCIDRBlock: r.CIDRBlock,
		DestinationIPv6CIDRBlock: r.IPv6CIDRBlock, DestinationPrefixListID: r.DestinationPrefixListID,
		EgressOnlyGatewayID: r.EgressOnlyGatewayID, GatewayID: r.GatewayID, ID: RouteID(routeTableID, dest),
		LocalGatewayID: r.LocalGatewayID, NATGatewayID: r.NATGatewayID, NetworkInterfaceID: r.NetworkInterfaceID,
		Origin: "CreateRoute", RouteTableID: routeTableID, State: "active", TransitGatewayID: r.TransitGatewayID,
		VPCEndpointID: r.VPCEndpointID, VPCPeeringConnectionID: r.VPCPeeringConnectionID,
	}
}

// NetworkACL returns an aws_network_acl.
func (e Env) NetworkACL(id, vpcID string, subnetIDs []string, ingress, egress []NetworkACLEntry, tags Tags) *NetworkACL {
	return &NetworkACL{ARN: e.ARN("network-acl", id), Egress: nonNil(egress), ID: id, Ingress: nonNil(ingress),
		OwnerID: e.AccountID, SubnetIDs: nonNil(subnetIDs), Tags: tags, TagsAll: e.TagsAll(tags), VPCID: vpcID}
}

// ACLEntry returns one aws_network_acl rule; proto is the IANA number as a
// string.
func ACLEntry(ruleNo int, action, proto, cidr string, from, to int) NetworkACLEntry {
	e := NetworkACLEntry{Action: action, FromPort: from, Protocol: proto, RuleNo: ruleNo, ToPort: to}
	if strings.Contains(cidr, ":") {
		e.IPv6CIDRBlock = cidr
	} else {
		e.CIDRBlock = cidr
	}
	return e
}

// SecurityGroup returns an aws_security_group; nil rule lists mean none.
func (e Env) SecurityGroup(id, vpcID, name, description string, ingress, egress []SecurityGroupRule, tags Tags) *SecurityGroup {
	return &SecurityGroup{ARN: e.ARN("security-group", id), Description: description, Egress: nonNil(egress), ID: id,
		Ingress: nonNil(ingress), Name: name, OwnerID: e.AccountID, Tags: tags, TagsAll: e.TagsAll(tags), VPCID: vpcID}
}

// SGRule returns an inline security group rule. Each peer is a CIDR (IPv4
// or IPv6), a prefix list (pl-…), a security group (sg-…) or "self".
func SGRule(proto string, from, to int, description string, peers ...string) SecurityGroupRule {
	r := SecurityGroupRule{CIDRBlocks: []string{}, Description: description, FromPort: from, IPv6CIDRBlocks: []string{},
		PrefixListIDs: []string{}, Protocol: proto, SecurityGroups: []string{}, ToPort: to}
	for _, p := range peers {
		switch {
		case p == "self":
			r.Self = true
		case strings.HasPrefix(p, "sg-"):
			r.SecurityGroups = append(r.SecurityGroups, p)
		case strings.HasPrefix(p, "pl-"):
			r.PrefixListIDs = append(r.PrefixListIDs, p)
		case strings.Contains(p, ":"):
			r.IPv6CIDRBlocks = append(r.IPv6CIDRBlocks, p)
		default:
			r.CIDRBlocks = append(r.CIDRBlocks, p)
		}
	}
	return r
}

// Instance returns an aws_instance with an encrypted gp3 root volume and
// IMDSv2 required, the way a careful team launches one. Current-generation
// types other than burstable (t*) ones are EBS-optimized by default, and
// burstable ones run in unlimited credit mode.
func (e Env) Instance(id, ami, instanceType, az, subnetID, eni, volumeID, kmsKey, privateIP, publicIP string, sgs []string, tags Tags) *EC2Instance {
	cores, threads := 1, 2
	switch {
	case strings.HasSuffix(instanceType, ".large"):
		cores = 1
	case strings.HasSuffix(instanceType, ".xlarge"):
		cores = 2
	case strings.HasSuffix(instanceType, ".2xlarge"):
		cores = 4
	}
	credits := []CreditSpecification{}
	if strings.HasPrefix(instanceType, "t") {
		credits = []CreditSpecification{{CPUCredits: "unlimited"}}
	}
	return &EC2Instance{
		AMI: ami, ARN: e.ARN("instance", id), AssociatePublicIPAddress: publicIP != "", AvailabilityZone: az,
		CapacityReservationSpecification: []CapacityReservationSpec{{CapacityReservationPreference: "open", CapacityReservationTarget: []any{}}},
		CPUCoreCount:                     cores, CPUOptions: []CPUOptions{{CoreCount: cores, ThreadsPerCore: threads}}, CPUThreadsPerCore: threads,
		CreditSpecification: credits, EBSBlockDevice: []any{}, EBSOptimized: !strings.HasPrefix(instanceType, "t"), EnclaveOptions: []Enabled{{}}, EphemeralBlockDevice: []any{},
		ID: id, InstanceInitiatedShutdownBehavior: "stop", InstanceMarketOptions: []any{}, InstanceState: "running",
		InstanceType: instanceType, IPv6Addresses: []string{}, LaunchTemplate: []any{},
		MaintenanceOptions: []MaintenanceOptions{{AutoRecovery: "default"}},
		MetadataOptions: []MetadataOptions{{HTTPEndpoint: "enabled", HTTPProtocolIPv6: "disabled", HTTPPutResponseHopLimit: 2,
			HTTPTokens: "required", InstanceMetadataTags: "disabled"}},
		NetworkInterface: []any{}, PrimaryNetworkInterfaceID: eni, PrivateDNS: e.PrivateDNS(privateIP),
		PrivateDNSNameOptions: []PrivateDNSNameOptions{{HostnameType: "ip-name"}}, PrivateIP: privateIP,
		PublicDNS: e.PublicDNS(publicIP), PublicIP: publicIP,
		RootBlockDevice: []RootBlockDevice{{DeleteOnTermination: true, DeviceName: "/dev/xvda", Encrypted: true, IOPS: 3000,
			KMSKeyID: kmsKey, Tags: Tags{}, TagsAll: Tags{}, Throughput: 125, VolumeID: volumeID, VolumeSize: 20, VolumeType: "gp3"}},
		SecondaryPrivateIPs: []string{}, SecurityGroups: []string{}, SourceDestCheck: true, SubnetID: subnetID,
		Tags: tags, TagsAll: e.TagsAll(tags), Tenancy: "default", VPCSecurityGroupIDs: nonNil(sgs),
	}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
