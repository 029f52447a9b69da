package tfstate

// Attribute sets of the hashicorp/aws provider (5.x) as it stores them in
// state. Fields are declared in alphabetical order of their JSON names (see
// the package documentation); a field of type any holds null or a value.
// Lists and sets that are empty in state are empty slices, never nil, so that
// they encode as [] the way Terraform writes them.

// Tags is a tags or tags_all map.
type Tags map[string]string

// VPC is aws_vpc (schema version 1).
type VPC struct {
	ARN                              string `json:"arn"`
	AssignGeneratedIPv6CIDRBlock     bool   `json:"assign_generated_ipv6_cidr_block"`
	CIDRBlock                        string `json:"cidr_block"`
	DefaultNetworkACLID              string `json:"default_network_acl_id"`
	DefaultRouteTableID              string `json:"default_route_table_id"`
	DefaultSecurityGroupID           string `json:"default_security_group_id"`
	DHCPOptionsID                    string `json:"dhcp_options_id"`
	EnableDNSHostnames               bool   `json:"enable_dns_hostnames"`
	EnableDNSSupport                 bool   `json:"enable_dns_support"`
	EnableNetworkAddressUsageMetrics bool   `json:"enable_network_address_usage_metrics"`
	ID                               string `json:"id"`
	InstanceTenancy                  string `json:"instance_tenancy"`
	IPv4IPAMPoolID                   any    `json:"ipv4_ipam_pool_id"`
	IPv4NetmaskLength                any    `json:"ipv4_netmask_length"`
	IPv6AssociationID                string `json:"ipv6_association_id"`
	IPv6CIDRBlock                    string `json:"ipv6_cidr_block"`
	IPv6CIDRBlockNetworkBorderGroup  string `json:"ipv6_cidr_block_network_border_group"`
	IPv6IPAMPoolID                   string `json:"ipv6_ipam_pool_id"`
	IPv6NetmaskLength                int    `json:"ipv6_netmask_length"`
	MainRouteTableID                 string `json:"main_route_table_id"`
	OwnerID                          string `json:"owner_id"`
	Tags                             Tags   `json:"tags"`
	TagsAll                          Tags   `json:"tags_all"`
}

// Subnet is aws_subnet (schema version 1).
type Subnet struct {
	ARN                                     string `json:"arn"`
	AssignIPv6AddressOnCreation             bool   `json:"assign_ipv6_address_on_creation"`
	AvailabilityZone                        string `json:"availability_zone"`
	AvailabilityZoneID                      string `json:"availability_zone_id"`
	CIDRBlock                               string `json:"cidr_block"`
	CustomerOwnedIPv4Pool                   string `json:"customer_owned_ipv4_pool"`
	EnableDNS64                             bool   `json:"enable_dns64"`
	EnableLNIAtDeviceIndex                  int    `json:"enable_lni_at_device_index"`
	EnableResourceNameDNSARecordOnLaunch    bool   `json:"enable_resource_name_dns_a_record_on_launch"`
	EnableResourceNameDNSAAAARecordOnLaunch bool   `json:"enable_resource_name_dns_aaaa_record_on_launch"`
	ID                                      string `json:"id"`
	IPv6CIDRBlock                           string `json:"ipv6_cidr_block"`
	IPv6CIDRBlockAssociationID              string `json:"ipv6_cidr_block_association_id"`
	IPv6Native                              bool   `json:"ipv6_native"`
	MapCustomerOwnedIPOnLaunch              bool   `json:"map_customer_owned_ip_on_launch"`
	MapPublicIPOnLaunch                     bool   `json:"map_public_ip_on_launch"`
	OutpostARN                              string `json:"outpost_arn"`
	OwnerID                                 string `json:"owner_id"`
	PrivateDNSHostnameTypeOnLaunch          string `json:"private_dns_hostname_type_on_launch"`
	Tags                                    Tags   `json:"tags"`
	TagsAll                                 Tags   `json:"tags_all"`
	Timeouts                                any    `json:"timeouts"`
	VPCID                                   string `json:"vpc_id"`
}

// InternetGateway is aws_internet_gateway.
type InternetGateway struct {
	ARN      string `json:"arn"`
	ID       string `json:"id"`
	OwnerID  string `json:"owner_id"`
	Tags     Tags   `json:"tags"`
	TagsAll  Tags   `json:"tags_all"`
	Timeouts any    `json:"timeouts"`
	VPCID    string `json:"vpc_id"`
}

// EgressOnlyInternetGateway is aws_egress_only_internet_gateway.
type EgressOnlyInternetGateway struct {
	ID      string `json:"id"`
	Tags    Tags   `json:"tags"`
	TagsAll Tags   `json:"tags_all"`
	VPCID   string `json:"vpc_id"`
}

// EIP is aws_eip.
type EIP struct {
	Address                any    `json:"address"`
	AllocationID           string `json:"allocation_id"`
	ARN                    string `json:"arn"`
	AssociateWithPrivateIP any    `json:"associate_with_private_ip"`
	AssociationID          string `json:"association_id"`
	CarrierIP              string `json:"carrier_ip"`
	CustomerOwnedIP        string `json:"customer_owned_ip"`
	CustomerOwnedIPv4Pool  string `json:"customer_owned_ipv4_pool"`
	Domain                 string `json:"domain"`
	ID                     string `json:"id"`
	Instance               string `json:"instance"`
	IPAMPoolID             any    `json:"ipam_pool_id"`
	NetworkBorderGroup     string `json:"network_border_group"`
	NetworkInterface       string `json:"network_interface"`
	PrivateDNS             string `json:"private_dns"`
	PrivateIP              string `json:"private_ip"`
	PTRRecord              string `json:"ptr_record"`
	PublicDNS              string `json:"public_dns"`
	PublicIP               string `json:"public_ip"`
	PublicIPv4Pool         string `json:"public_ipv4_pool"`
	Tags                   Tags   `json:"tags"`
	TagsAll                Tags   `json:"tags_all"`
	Timeouts               any    `json:"timeouts"`
	VPC                    bool   `json:"vpc"`
}

// NATGateway is aws_nat_gateway.
type NATGateway struct {
	AllocationID                   string   `json:"allocation_id"`
	AssociationID                  string   `json:"association_id"`
	ConnectivityType               string   `json:"connectivity_type"`
	ID                             string   `json:"id"`
	NetworkInterfaceID             string   `json:"network_interface_id"`
	PrivateIP                      string   `json:"private_ip"`
	PublicIP                       string   `json:"public_ip"`
	SecondaryAllocationIDs         []string `json:"secondary_allocation_ids"`
	SecondaryPrivateIPAddressCount int      `json:"secondary_private_ip_address_count"`
	SecondaryPrivateIPAddresses    []string `json:"secondary_private_ip_addresses"`
	SubnetID                       string   `json:"subnet_id"`
	Tags                           Tags     `json:"tags"`
	TagsAll                        Tags     `json:"tags_all"`
	Timeouts                       any      `json:"timeouts"`
}

// RouteTable is aws_route_table. Its Route list is what the provider read
// back from AWS: it includes routes declared with aws_route, and leaves out
// the local route, gateway endpoint routes and propagated routes.
type RouteTable struct {
	ARN             string            `json:"arn"`
	ID              string            `json:"id"`
	OwnerID         string            `json:"owner_id"`
	PropagatingVGWs []string          `json:"propagating_vgws"`
	Route           []RouteTableRoute `json:"route"`
	Tags            Tags              `json:"tags"`
	TagsAll         Tags              `json:"tags_all"`
	Timeouts        any               `json:"timeouts"`
	VPCID           string            `json:"vpc_id"`
}

// RouteTableRoute is one element of aws_route_table's route set: exactly
// one destination and one target are non-empty.
type RouteTableRoute struct {
	CarrierGatewayID        string `json:"carrier_gateway_id"`
	CIDRBlock               string `json:"cidr_block"`
	CoreNetworkARN          string `json:"core_network_arn"`
	DestinationPrefixListID string `json:"destination_prefix_list_id"`
	EgressOnlyGatewayID     string `json:"egress_only_gateway_id"`
	GatewayID               string `json:"gateway_id"`
	IPv6CIDRBlock           string `json:"ipv6_cidr_block"`
	LocalGatewayID          string `json:"local_gateway_id"`
	NATGatewayID            string `json:"nat_gateway_id"`
	NetworkInterfaceID      string `json:"network_interface_id"`
	TransitGatewayID        string `json:"transit_gateway_id"`
	VPCEndpointID           string `json:"vpc_endpoint_id"`
	VPCPeeringConnectionID  string `json:"vpc_peering_connection_id"`
}

// Route is aws_route.
type Route struct {
	CarrierGatewayID         string `json:"carrier_gateway_id"`
	CoreNetworkARN           string `json:"core_network_arn"`
	DestinationCIDRBlock     string `json:"destination_cidr_block"`
	DestinationIPv6CIDRBlock string `json:"destination_ipv6_cidr_block"`
	DestinationPrefixListID  string `json:"destination_prefix_list_id"`
	EgressOnlyGatewayID      string `json:"egress_only_gateway_id"`
	GatewayID                string `json:"gateway_id"`
	ID                       string `json:"id"`
	InstanceID               string `json:"instance_id"`
	InstanceOwnerID          string `json:"instance_owner_id"`
	LocalGatewayID           string `json:"local_gateway_id"`
	NATGatewayID             string `json:"nat_gateway_id"`
	NetworkInterfaceID       string `json:"network_interface_id"`
	Origin                   string `json:"origin"`
	RouteTableID             string `json:"route_table_id"`
	State                    string `json:"state"`
	Timeouts                 any    `json:"timeouts"`
	TransitGatewayID         string `json:"transit_gateway_id"`
	VPCEndpointID            string `json:"vpc_endpoint_id"`
	VPCPeeringConnectionID   string `json:"vpc_peering_connection_id"`
}

// RouteTableAssociation is aws_route_table_association.
type RouteTableAssociation struct {
	GatewayID    string `json:"gateway_id"`
	ID           string `json:"id"`
	RouteTableID string `json:"route_table_id"`
	SubnetID     string `json:"subnet_id"`
	Timeouts     any    `json:"timeouts"`
}

// NetworkACL is aws_network_acl. Egress and Ingress are what the provider
// read back: they include rules declared with aws_network_acl_rule and leave
// out the final "*" rules.
type NetworkACL struct {
	ARN       string            `json:"arn"`
	Egress    []NetworkACLEntry `json:"egress"`
	ID        string            `json:"id"`
	Ingress   []NetworkACLEntry `json:"ingress"`
	OwnerID   string            `json:"owner_id"`
	SubnetIDs []string          `json:"subnet_ids"`
	Tags      Tags              `json:"tags"`
	TagsAll   Tags              `json:"tags_all"`
	VPCID     string            `json:"vpc_id"`
}

// NetworkACLEntry is one element of aws_network_acl's ingress or egress
// set. Protocol is the IANA number as a string ("6", "17", "1", "-1"): the
// provider stores what AWS returns, whatever the configuration said.
type NetworkACLEntry struct {
	Action        string `json:"action"`
	CIDRBlock     string `json:"cidr_block"`
	FromPort      int    `json:"from_port"`
	ICMPCode      int    `json:"icmp_code"`
	ICMPType      int    `json:"icmp_type"`
	IPv6CIDRBlock string `json:"ipv6_cidr_block"`
	Protocol      string `json:"protocol"`
	RuleNo        int    `json:"rule_no"`
	ToPort        int    `json:"to_port"`
}

// NetworkACLRule is aws_network_acl_rule.
type NetworkACLRule struct {
	CIDRBlock     string `json:"cidr_block"`
	Egress        bool   `json:"egress"`
	FromPort      int    `json:"from_port"`
	ICMPCode      any    `json:"icmp_code"`
	ICMPType      any    `json:"icmp_type"`
	ID            string `json:"id"`
	IPv6CIDRBlock string `json:"ipv6_cidr_block"`
	NetworkACLID  string `json:"network_acl_id"`
	Protocol      string `json:"protocol"`
	RuleAction    string `json:"rule_action"`
	RuleNumber    int    `json:"rule_number"`
	ToPort        int    `json:"to_port"`
}

// NetworkACLAssociation is aws_network_acl_association.
type NetworkACLAssociation struct {
	ID           string `json:"id"`
	NetworkACLID string `json:"network_acl_id"`
	SubnetID     string `json:"subnet_id"`
}

// SecurityGroup is aws_security_group (schema version 1). Egress and
// Ingress are what the provider read back from AWS: they include rules
// declared with aws_security_group_rule and aws_vpc_security_group_*_rule.
type SecurityGroup struct {
	ARN                 string              `json:"arn"`
	Description         string              `json:"description"`
	Egress              []SecurityGroupRule `json:"egress"`
	ID                  string              `json:"id"`
	Ingress             []SecurityGroupRule `json:"ingress"`
	Name                string              `json:"name"`
	NamePrefix          string              `json:"name_prefix"`
	OwnerID             string              `json:"owner_id"`
	RevokeRulesOnDelete bool                `json:"revoke_rules_on_delete"`
	Tags                Tags                `json:"tags"`
	TagsAll             Tags                `json:"tags_all"`
	Timeouts            any                 `json:"timeouts"`
	VPCID               string              `json:"vpc_id"`
}

// SecurityGroupRule is one element of aws_security_group's ingress or
// egress set. Protocol keeps the name ("tcp") or "-1".
type SecurityGroupRule struct {
	CIDRBlocks     []string `json:"cidr_blocks"`
	Description    string   `json:"description"`
	FromPort       int      `json:"from_port"`
	IPv6CIDRBlocks []string `json:"ipv6_cidr_blocks"`
	PrefixListIDs  []string `json:"prefix_list_ids"`
	Protocol       string   `json:"protocol"`
	SecurityGroups []string `json:"security_groups"`
	Self           bool     `json:"self"`
	ToPort         int      `json:"to_port"`
}

// StandaloneSGRule is aws_security_group_rule (schema version 2).
type StandaloneSGRule struct {
	CIDRBlocks            any    `json:"cidr_blocks"`
	Description           string `json:"description"`
	FromPort              int    `json:"from_port"`
	ID                    string `json:"id"`
	IPv6CIDRBlocks        any    `json:"ipv6_cidr_blocks"`
	PrefixListIDs         any    `json:"prefix_list_ids"`
	Protocol              string `json:"protocol"`
	SecurityGroupID       string `json:"security_group_id"`
	SecurityGroupRuleID   string `json:"security_group_rule_id"`
	Self                  bool   `json:"self"`
	SourceSecurityGroupID string `json:"source_security_group_id"`
	Timeouts              any    `json:"timeouts"`
	ToPort                int    `json:"to_port"`
	Type                  string `json:"type"`
}

// VPCSGRule is aws_vpc_security_group_ingress_rule and
// aws_vpc_security_group_egress_rule (one AWS security group rule each).
// Ports are null for protocol "-1".
type VPCSGRule struct {
	ARN                       string `json:"arn"`
	CIDRIPv4                  any    `json:"cidr_ipv4"`
	CIDRIPv6                  any    `json:"cidr_ipv6"`
	Description               any    `json:"description"`
	FromPort                  any    `json:"from_port"`
	ID                        string `json:"id"`
	IPProtocol                string `json:"ip_protocol"`
	PrefixListID              any    `json:"prefix_list_id"`
	ReferencedSecurityGroupID any    `json:"referenced_security_group_id"`
	SecurityGroupID           string `json:"security_group_id"`
	SecurityGroupRuleID       string `json:"security_group_rule_id"`
	Tags                      any    `json:"tags"`
	TagsAll                   Tags   `json:"tags_all"`
	ToPort                    any    `json:"to_port"`
}

// EC2Instance is aws_instance (schema version 1).
type EC2Instance struct {
	AMI                               string                    `json:"ami"`
	ARN                               string                    `json:"arn"`
	AssociatePublicIPAddress          bool                      `json:"associate_public_ip_address"`
	AvailabilityZone                  string                    `json:"availability_zone"`
	CapacityReservationSpecification  []CapacityReservationSpec `json:"capacity_reservation_specification"`
	CPUCoreCount                      int                       `json:"cpu_core_count"`
	CPUOptions                        []CPUOptions              `json:"cpu_options"`
	CPUThreadsPerCore                 int                       `json:"cpu_threads_per_core"`
	CreditSpecification               []CreditSpecification     `json:"credit_specification"`
	DisableAPIStop                    bool                      `json:"disable_api_stop"`
	DisableAPITermination             bool                      `json:"disable_api_termination"`
	EBSBlockDevice                    []any                     `json:"ebs_block_device"`
	EBSOptimized                      bool                      `json:"ebs_optimized"`
	EnablePrimaryIPv6                 any                       `json:"enable_primary_ipv6"`
	EnclaveOptions                    []Enabled                 `json:"enclave_options"`
	EphemeralBlockDevice              []any                     `json:"ephemeral_block_device"`
	GetPasswordData                   bool                      `json:"get_password_data"`
	Hibernation                       bool                      `json:"hibernation"`
	HostID                            string                    `json:"host_id"`
	HostResourceGroupARN              any                       `json:"host_resource_group_arn"`
	IAMInstanceProfile                string                    `json:"iam_instance_profile"`
	ID                                string                    `json:"id"`
	InstanceInitiatedShutdownBehavior string                    `json:"instance_initiated_shutdown_behavior"`
	InstanceLifecycle                 string                    `json:"instance_lifecycle"`
	InstanceMarketOptions             []any                     `json:"instance_market_options"`
	InstanceState                     string                    `json:"instance_state"`
	InstanceType                      string                    `json:"instance_type"`
	IPv6AddressCount                  int                       `json:"ipv6_address_count"`
	IPv6Addresses                     []string                  `json:"ipv6_addresses"`
	KeyName                           string                    `json:"key_name"`
	LaunchTemplate                    []any                     `json:"launch_template"`
	MaintenanceOptions                []MaintenanceOptions      `json:"maintenance_options"`
	MetadataOptions                   []MetadataOptions         `json:"metadata_options"`
	Monitoring                        bool                      `json:"monitoring"`
	NetworkInterface                  []any                     `json:"network_interface"`
	OutpostARN                        string                    `json:"outpost_arn"`
	PasswordData                      string                    `json:"password_data"`
	PlacementGroup                    string                    `json:"placement_group"`
	PlacementPartitionNumber          int                       `json:"placement_partition_number"`
	PrimaryNetworkInterfaceID         string                    `json:"primary_network_interface_id"`
	PrivateDNS                        string                    `json:"private_dns"`
	PrivateDNSNameOptions             []PrivateDNSNameOptions   `json:"private_dns_name_options"`
	PrivateIP                         string                    `json:"private_ip"`
	PublicDNS                         string                    `json:"public_dns"`
	PublicIP                          string                    `json:"public_ip"`
	RootBlockDevice                   []RootBlockDevice         `json:"root_block_device"`
	SecondaryPrivateIPs               []string                  `json:"secondary_private_ips"`
	SecurityGroups                    []string                  `json:"security_groups"`
	SourceDestCheck                   bool                      `json:"source_dest_check"`
	SpotInstanceRequestID             string                    `json:"spot_instance_request_id"`
	SubnetID                          string                    `json:"subnet_id"`
	Tags                              Tags                      `json:"tags"`
	TagsAll                           Tags                      `json:"tags_all"`
	Tenancy                           string                    `json:"tenancy"`
	Timeouts                          any                       `json:"timeouts"`
	UserData                          any                       `json:"user_data"`
	UserDataBase64                    any                       `json:"user_data_base64"`
	UserDataReplaceOnChange           bool                      `json:"user_data_replace_on_change"`
	VolumeTags                        any                       `json:"volume_tags"`
	VPCSecurityGroupIDs               []string                  `json:"vpc_security_group_ids"`
}

// CapacityReservationSpec is aws_instance's capacity_reservation_specification.
type CapacityReservationSpec struct {
	CapacityReservationPreference string `json:"capacity_reservation_preference"`
	CapacityReservationTarget     []any  `json:"capacity_reservation_target"`
}

// CPUOptions is aws_instance's cpu_options.
type CPUOptions struct {
	AMDSEVSNP      string `json:"amd_sev_snp"`
	CoreCount      int    `json:"core_count"`
	ThreadsPerCore int    `json:"threads_per_core"`
}

// CreditSpecification is aws_instance's credit_specification.
type CreditSpecification struct {
	CPUCredits string `json:"cpu_credits"`
}

// Enabled is a block with one "enabled" flag.
type Enabled struct {
	Enabled bool `json:"enabled"`
}

// MaintenanceOptions is aws_instance's maintenance_options.
type MaintenanceOptions struct {
	AutoRecovery string `json:"auto_recovery"`
}

// MetadataOptions is aws_instance's metadata_options.
type MetadataOptions struct {
	HTTPEndpoint            string `json:"http_endpoint"`
	HTTPProtocolIPv6        string `json:"http_protocol_ipv6"`
	HTTPPutResponseHopLimit int    `json:"http_put_response_hop_limit"`
	HTTPTokens              string `json:"http_tokens"`
	InstanceMetadataTags    string `json:"instance_metadata_tags"`
}

// PrivateDNSNameOptions is aws_instance's private_dns_name_options.
type PrivateDNSNameOptions struct {
	EnableResourceNameDNSARecord    bool   `json:"enable_resource_name_dns_a_record"`
	EnableResourceNameDNSAAAARecord bool   `json:"enable_resource_name_dns_aaaa_record"`
	HostnameType                    string `json:"hostname_type"`
}

// RootBlockDevice is aws_instance's root_block_device.
type RootBlockDevice struct {
	DeleteOnTermination bool   `json:"delete_on_termination"`
	DeviceName          string `json:"device_name"`
	Encrypted           bool   `json:"encrypted"`
	IOPS                int    `json:"iops"`
	KMSKeyID            string `json:"kms_key_id"`
	Tags                Tags   `json:"tags"`
	TagsAll             Tags   `json:"tags_all"`
	Throughput          int    `json:"throughput"`
	VolumeID            string `json:"volume_id"`
	VolumeSize          int    `json:"volume_size"`
	VolumeType          string `json:"volume_type"`
}

// VPCEndpoint is aws_vpc_endpoint.
type VPCEndpoint struct {
	ARN                 string       `json:"arn"`
	AutoAccept          any          `json:"auto_accept"`
	CIDRBlocks          []string     `json:"cidr_blocks"`
	DNSEntry            []DNSEntry   `json:"dns_entry"`
	DNSOptions          []DNSOptions `json:"dns_options"`
	ID                  string       `json:"id"`
	IPAddressType       string       `json:"ip_address_type"`
	NetworkInterfaceIDs []string     `json:"network_interface_ids"`
	OwnerID             string       `json:"owner_id"`
	Policy              string       `json:"policy"`
	PrefixListID        string       `json:"prefix_list_id"`
	PrivateDNSEnabled   bool         `json:"private_dns_enabled"`
	RequesterManaged    bool         `json:"requester_managed"`
	RouteTableIDs       []string     `json:"route_table_ids"`
	SecurityGroupIDs    []string     `json:"security_group_ids"`
	ServiceName         string       `json:"service_name"`
	State               string       `json:"state"`
	// SubnetConfiguration gives an interface endpoint's address in each
	// subnet (provider 5.70 and later).
	SubnetConfiguration []EndpointSubnet `json:"subnet_configuration"`
	SubnetIDs           []string         `json:"subnet_ids"`
	Tags                Tags             `json:"tags"`
	TagsAll             Tags             `json:"tags_all"`
	Timeouts            any              `json:"timeouts"`
	VPCEndpointType     string           `json:"vpc_endpoint_type"`
	VPCID               string           `json:"vpc_id"`
}

// EndpointSubnet is aws_vpc_endpoint's subnet_configuration.
type EndpointSubnet struct {
	IPv4     string `json:"ipv4"`
	IPv6     string `json:"ipv6"`
	SubnetID string `json:"subnet_id"`
}

// DNSEntry is aws_vpc_endpoint's dns_entry.
type DNSEntry struct {
	DNSName      string `json:"dns_name"`
	HostedZoneID string `json:"hosted_zone_id"`
}

// DNSOptions is aws_vpc_endpoint's dns_options.
type DNSOptions struct {
	DNSRecordIPType                          string `json:"dns_record_ip_type"`
	PrivateDNSOnlyForInboundResolverEndpoint bool   `json:"private_dns_only_for_inbound_resolver_endpoint"`
}

// LB is aws_lb. vpcsim does not model load balancers; the examples keep
// them because real estates have them.
type LB struct {
	AccessLogs                                    []LogConfig     `json:"access_logs"`
	ARN                                           string          `json:"arn"`
	ARNSuffix                                     string          `json:"arn_suffix"`
	ClientKeepAlive                               int             `json:"client_keep_alive"`
	ConnectionLogs                                []LogConfig     `json:"connection_logs"`
	CustomerOwnedIPv4Pool                         string          `json:"customer_owned_ipv4_pool"`
	DesyncMitigationMode                          string          `json:"desync_mitigation_mode"`
	DNSName                                       string          `json:"dns_name"`
	DNSRecordClientRoutingPolicy                  any             `json:"dns_record_client_routing_policy"`
	DropInvalidHeaderFields                       bool            `json:"drop_invalid_header_fields"`
	EnableCrossZoneLoadBalancing                  bool            `json:"enable_cross_zone_load_balancing"`
	EnableDeletionProtection                      bool            `json:"enable_deletion_protection"`
	EnableHTTP2                                   bool            `json:"enable_http2"`
	EnableTLSVersionAndCipherSuiteHeaders         bool            `json:"enable_tls_version_and_cipher_suite_headers"`
	EnableWAFFailOpen                             bool            `json:"enable_waf_fail_open"`
	EnableXFFClientPort                           bool            `json:"enable_xff_client_port"`
	EnableZonalShift                              bool            `json:"enable_zonal_shift"`
	EnforceSecurityGroupInboundRulesOnPrivateLink string          `json:"enforce_security_group_inbound_rules_on_private_link_traffic"`
	ID                                            string          `json:"id"`
	IdleTimeout                                   int             `json:"idle_timeout"`
	Internal                                      bool            `json:"internal"`
	IPAddressType                                 string          `json:"ip_address_type"`
	LoadBalancerType                              string          `json:"load_balancer_type"`
	Name                                          string          `json:"name"`
	NamePrefix                                    string          `json:"name_prefix"`
	PreserveHostHeader                            bool            `json:"preserve_host_header"`
	SecurityGroups                                []string        `json:"security_groups"`
	SubnetMapping                                 []SubnetMapping `json:"subnet_mapping"`
	Subnets                                       []string        `json:"subnets"`
	Tags                                          Tags            `json:"tags"`
	TagsAll                                       Tags            `json:"tags_all"`
	Timeouts                                      any             `json:"timeouts"`
	VPCID                                         string          `json:"vpc_id"`
	XFFHeaderProcessingMode                       string          `json:"xff_header_processing_mode"`
	ZoneID                                        string          `json:"zone_id"`
}

// LogConfig is aws_lb's access_logs and connection_logs.
type LogConfig struct {
	Bucket  string `json:"bucket"`
	Enabled bool   `json:"enabled"`
	Prefix  string `json:"prefix"`
}

// SubnetMapping is aws_lb's subnet_mapping.
type SubnetMapping struct {
	AllocationID       string `json:"allocation_id"`
	IPv6Address        string `json:"ipv6_address"`
	OutpostID          string `json:"outpost_id"`
	PrivateIPv4Address string `json:"private_ipv4_address"`
	SubnetID           string `json:"subnet_id"`
}

// LBTargetGroup is aws_lb_target_group.
type LBTargetGroup struct {
	ARN                            string              `json:"arn"`
	ARNSuffix                      string              `json:"arn_suffix"`
	ConnectionTermination          any                 `json:"connection_termination"`
	DeregistrationDelay            string              `json:"deregistration_delay"`
	HealthCheck                    []HealthCheck       `json:"health_check"`
	ID                             string              `json:"id"`
	IPAddressType                  string              `json:"ip_address_type"`
	LambdaMultiValueHeadersEnabled bool                `json:"lambda_multi_value_headers_enabled"`
	LoadBalancerARNs               []string            `json:"load_balancer_arns"`
	LoadBalancingAlgorithmType     string              `json:"load_balancing_algorithm_type"`
	LoadBalancingAnomalyMitigation string              `json:"load_balancing_anomaly_mitigation"`
	LoadBalancingCrossZoneEnabled  string              `json:"load_balancing_cross_zone_enabled"`
	Name                           string              `json:"name"`
	NamePrefix                     string              `json:"name_prefix"`
	Port                           int                 `json:"port"`
	PreserveClientIP               any                 `json:"preserve_client_ip"`
	Protocol                       string              `json:"protocol"`
	ProtocolVersion                string              `json:"protocol_version"`
	ProxyProtocolV2                bool                `json:"proxy_protocol_v2"`
	SlowStart                      int                 `json:"slow_start"`
	Stickiness                     []Stickiness        `json:"stickiness"`
	Tags                           Tags                `json:"tags"`
	TagsAll                        Tags                `json:"tags_all"`
	TargetFailover                 []TargetFailover    `json:"target_failover"`
	TargetGroupHealth              []TargetGroupHealth `json:"target_group_health"`
	TargetHealthState              []any               `json:"target_health_state"`
	TargetType                     string              `json:"target_type"`
	VPCID                          string              `json:"vpc_id"`
}

// HealthCheck is aws_lb_target_group's health_check.
type HealthCheck struct {
	Enabled            bool   `json:"enabled"`
	HealthyThreshold   int    `json:"healthy_threshold"`
	Interval           int    `json:"interval"`
	Matcher            string `json:"matcher"`
	Path               string `json:"path"`
	Port               string `json:"port"`
	Protocol           string `json:"protocol"`
	Timeout            int    `json:"timeout"`
	UnhealthyThreshold int    `json:"unhealthy_threshold"`
}

// Stickiness is aws_lb_target_group's stickiness.
type Stickiness struct {
	CookieDuration int    `json:"cookie_duration"`
	CookieName     string `json:"cookie_name"`
	Enabled        bool   `json:"enabled"`
	Type           string `json:"type"`
}

// TargetFailover is aws_lb_target_group's target_failover.
type TargetFailover struct {
	OnDeregistration any `json:"on_deregistration"`
	OnUnhealthy      any `json:"on_unhealthy"`
}

// TargetGroupHealth is aws_lb_target_group's target_group_health.
type TargetGroupHealth struct {
	DNSFailover           []HealthThreshold `json:"dns_failover"`
	UnhealthyStateRouting []HealthThreshold `json:"unhealthy_state_routing"`
}

// HealthThreshold is one threshold block of target_group_health.
type HealthThreshold struct {
	MinimumHealthyTargetsCount      string `json:"minimum_healthy_targets_count"`
	MinimumHealthyTargetsPercentage string `json:"minimum_healthy_targets_percentage"`
}

// LBListener is aws_lb_listener.
type LBListener struct {
	ALPNPolicy            any              `json:"alpn_policy"`
	ARN                   string           `json:"arn"`
	CertificateARN        any              `json:"certificate_arn"`
	DefaultAction         []ListenerAction `json:"default_action"`
	ID                    string           `json:"id"`
	LoadBalancerARN       string           `json:"load_balancer_arn"`
	MutualAuthentication  []any            `json:"mutual_authentication"`
	Port                  int              `json:"port"`
	Protocol              string           `json:"protocol"`
	SSLPolicy             string           `json:"ssl_policy"`
	Tags                  Tags             `json:"tags"`
	TagsAll               Tags             `json:"tags_all"`
	TCPIdleTimeoutSeconds any              `json:"tcp_idle_timeout_seconds"`
	Timeouts              any              `json:"timeouts"`
}

// ListenerAction is aws_lb_listener's default_action.
type ListenerAction struct {
	AuthenticateCognito []any  `json:"authenticate_cognito"`
	AuthenticateOIDC    []any  `json:"authenticate_oidc"`
	FixedResponse       []any  `json:"fixed_response"`
	Forward             []any  `json:"forward"`
	Order               int    `json:"order"`
	Redirect            []any  `json:"redirect"`
	TargetGroupARN      string `json:"target_group_arn"`
	Type                string `json:"type"`
}

// LBTargetGroupAttachment is aws_lb_target_group_attachment.
type LBTargetGroupAttachment struct {
	AvailabilityZone any    `json:"availability_zone"`
	ID               string `json:"id"`
	Port             int    `json:"port"`
	TargetGroupARN   string `json:"target_group_arn"`
	TargetID         string `json:"target_id"`
}

// TransitGateway is aws_ec2_transit_gateway.
type TransitGateway struct {
	AmazonSideASN                   int      `json:"amazon_side_asn"`
	ARN                             string   `json:"arn"`
	AssociationDefaultRouteTableID  string   `json:"association_default_route_table_id"`
	AutoAcceptSharedAttachments     string   `json:"auto_accept_shared_attachments"`
	DefaultRouteTableAssociation    string   `json:"default_route_table_association"`
	DefaultRouteTablePropagation    string   `json:"default_route_table_propagation"`
	Description                     string   `json:"description"`
	DNSSupport                      string   `json:"dns_support"`
	ID                              string   `json:"id"`
	MulticastSupport                string   `json:"multicast_support"`
	OwnerID                         string   `json:"owner_id"`
	PropagationDefaultRouteTableID  string   `json:"propagation_default_route_table_id"`
	SecurityGroupReferencingSupport string   `json:"security_group_referencing_support"`
	Tags                            Tags     `json:"tags"`
	TagsAll                         Tags     `json:"tags_all"`
	Timeouts                        any      `json:"timeouts"`
	TransitGatewayCIDRBlocks        []string `json:"transit_gateway_cidr_blocks"`
	VPNECMPSupport                  string   `json:"vpn_ecmp_support"`
}

// TGWVPCAttachment is aws_ec2_transit_gateway_vpc_attachment.
type TGWVPCAttachment struct {
	ApplianceModeSupport                       string   `json:"appliance_mode_support"`
	ARN                                        string   `json:"arn"`
	DNSSupport                                 string   `json:"dns_support"`
	ID                                         string   `json:"id"`
	IPv6Support                                string   `json:"ipv6_support"`
	SecurityGroupReferencingSupport            string   `json:"security_group_referencing_support"`
	SubnetIDs                                  []string `json:"subnet_ids"`
	Tags                                       Tags     `json:"tags"`
	TagsAll                                    Tags     `json:"tags_all"`
	TransitGatewayDefaultRouteTableAssociation bool     `json:"transit_gateway_default_route_table_association"`
	TransitGatewayDefaultRouteTablePropagation bool     `json:"transit_gateway_default_route_table_propagation"`
	TransitGatewayID                           string   `json:"transit_gateway_id"`
	VPCID                                      string   `json:"vpc_id"`
	VPCOwnerID                                 string   `json:"vpc_owner_id"`
}

// TGWRouteTable is aws_ec2_transit_gateway_route_table.
type TGWRouteTable struct {
	ARN                          string `json:"arn"`
	DefaultAssociationRouteTable bool   `json:"default_association_route_table"`
	DefaultPropagationRouteTable bool   `json:"default_propagation_route_table"`
	ID                           string `json:"id"`
	Tags                         Tags   `json:"tags"`
	TagsAll                      Tags   `json:"tags_all"`
	TransitGatewayID             string `json:"transit_gateway_id"`
}

// TGWRouteTableLink is aws_ec2_transit_gateway_route_table_association
// (with ReplaceExistingAssociation) and
// aws_ec2_transit_gateway_route_table_propagation (without).
type TGWRouteTableLink struct {
	ID                         string `json:"id"`
	ReplaceExistingAssociation *bool  `json:"replace_existing_association,omitempty"`
	ResourceID                 string `json:"resource_id"`
	ResourceType               string `json:"resource_type"`
	TransitGatewayAttachmentID string `json:"transit_gateway_attachment_id"`
	TransitGatewayRouteTableID string `json:"transit_gateway_route_table_id"`
}

// TGWRoute is aws_ec2_transit_gateway_route.
type TGWRoute struct {
	Blackhole                  bool   `json:"blackhole"`
	DestinationCIDRBlock       string `json:"destination_cidr_block"`
	ID                         string `json:"id"`
	TransitGatewayAttachmentID string `json:"transit_gateway_attachment_id"`
	TransitGatewayRouteTableID string `json:"transit_gateway_route_table_id"`
}

// CustomerGateway is aws_customer_gateway.
type CustomerGateway struct {
	ARN            string `json:"arn"`
	BGPASN         string `json:"bgp_asn"`
	BGPASNExtended string `json:"bgp_asn_extended"`
	CertificateARN string `json:"certificate_arn"`
	DeviceName     string `json:"device_name"`
	ID             string `json:"id"`
	IPAddress      string `json:"ip_address"`
	Tags           Tags   `json:"tags"`
	TagsAll        Tags   `json:"tags_all"`
	Type           string `json:"type"`
}

// PeeringOptions is the accepter or requester block of a peering connection.
type PeeringOptions struct {
	AllowRemoteVPCDNSResolution bool `json:"allow_remote_vpc_dns_resolution"`
}

// VPCPeeringConnection is aws_vpc_peering_connection.
type VPCPeeringConnection struct {
	AcceptStatus string           `json:"accept_status"`
	Accepter     []PeeringOptions `json:"accepter"`
	AutoAccept   any              `json:"auto_accept"`
	ID           string           `json:"id"`
	PeerOwnerID  string           `json:"peer_owner_id"`
	PeerRegion   string           `json:"peer_region"`
	PeerVPCID    string           `json:"peer_vpc_id"`
	Requester    []PeeringOptions `json:"requester"`
	Tags         Tags             `json:"tags"`
	TagsAll      Tags             `json:"tags_all"`
	Timeouts     any              `json:"timeouts"`
	VPCID        string           `json:"vpc_id"`
}

// VPCPeeringConnectionAccepter is aws_vpc_peering_connection_accepter:
// VPCID is the accepter's VPC, PeerVPCID the requester's.
type VPCPeeringConnectionAccepter struct {
	AcceptStatus           string           `json:"accept_status"`
	Accepter               []PeeringOptions `json:"accepter"`
	AutoAccept             bool             `json:"auto_accept"`
	ID                     string           `json:"id"`
	PeerOwnerID            string           `json:"peer_owner_id"`
	PeerRegion             string           `json:"peer_region"`
	PeerVPCID              string           `json:"peer_vpc_id"`
	Requester              []PeeringOptions `json:"requester"`
	Tags                   Tags             `json:"tags"`
	TagsAll                Tags             `json:"tags_all"`
	Timeouts               any              `json:"timeouts"`
	VPCID                  string           `json:"vpc_id"`
	VPCPeeringConnectionID string           `json:"vpc_peering_connection_id"`
}

// AvailabilityZones is the data source aws_availability_zones.
type AvailabilityZones struct {
	AllAvailabilityZones any      `json:"all_availability_zones"`
	ExcludeNames         any      `json:"exclude_names"`
	ExcludeZoneIDs       any      `json:"exclude_zone_ids"`
	Filter               any      `json:"filter"`
	GroupNames           []string `json:"group_names"`
	ID                   string   `json:"id"`
	Names                []string `json:"names"`
	State                string   `json:"state"`
	Timeouts             any      `json:"timeouts"`
	ZoneIDs              []string `json:"zone_ids"`
}

// PrefixList is the data source aws_prefix_list.
type PrefixList struct {
	CIDRBlocks   []string `json:"cidr_blocks"`
	Filter       []any    `json:"filter"`
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	PrefixListID any      `json:"prefix_list_id"`
	Timeouts     any      `json:"timeouts"`
}

// NetworkInterfaceData is the data source aws_network_interface.
type NetworkInterfaceData struct {
	ARN              string   `json:"arn"`
	Association      []any    `json:"association"`
	Attachment       []any    `json:"attachment"`
	AvailabilityZone string   `json:"availability_zone"`
	Description      string   `json:"description"`
	Filter           any      `json:"filter"`
	ID               string   `json:"id"`
	InterfaceType    string   `json:"interface_type"`
	IPv6Addresses    []string `json:"ipv6_addresses"`
	MACAddress       string   `json:"mac_address"`
	OutpostARN       string   `json:"outpost_arn"`
	OwnerID          string   `json:"owner_id"`
	PrivateDNSName   string   `json:"private_dns_name"`
	PrivateIP        string   `json:"private_ip"`
	PrivateIPs       []string `json:"private_ips"`
	RequesterID      string   `json:"requester_id"`
	SecurityGroups   []string `json:"security_groups"`
	SubnetID         string   `json:"subnet_id"`
	Tags             Tags     `json:"tags"`
	Timeouts         any      `json:"timeouts"`
	VPCID            string   `json:"vpc_id"`
}
