package mapper

import (
	"regexp"
	"slices"
	"strings"

	"github.com/vpcsim/vpcsim/hcl/resource"
	"github.com/vpcsim/vpcsim/model"
)

// managedTypes maps every AWS resource type the model covers to its handler.
var managedTypes = map[string]handler{
	"aws_vpc":                      {phaseVPC, (*mapper).vpc},
	"aws_default_vpc":              {phaseVPC, (*mapper).vpc},
	"aws_ec2_transit_gateway":      {phaseVPC, (*mapper).tgw},
	"aws_customer_gateway":         {phaseVPC, (*mapper).cgw},
	"aws_ec2_managed_prefix_list":  {phaseVPC, (*mapper).prefixList},
	"aws_launch_template":          {phaseVPC, (*mapper).launchTemplate},
	"aws_launch_configuration":     {phaseVPC, (*mapper).launchTemplate},
	"aws_db_subnet_group":          {phaseVPC, (*mapper).subnetGroup},
	"aws_elasticache_subnet_group": {phaseVPC, (*mapper).subnetGroup},
	"aws_rds_cluster":              {phaseVPC, (*mapper).rdsCluster},

	"aws_vpc_ipv4_cidr_block_association":        {phaseElements, (*mapper).cidrAssoc},
	"aws_vpc_ipv6_cidr_block_association":        {phaseElements, (*mapper).cidrAssoc},
	"aws_subnet":                                 {phaseElements, (*mapper).subnet},
	"aws_default_subnet":                         {phaseElements, (*mapper).subnet},
	"aws_internet_gateway":                       {phaseElements, (*mapper).igw},
	"aws_egress_only_internet_gateway":           {phaseElements, (*mapper).eigw},
	"aws_vpn_gateway":                            {phaseElements, (*mapper).vgw},
	"aws_nat_gateway":                            {phaseElements, (*mapper).nat},
	"aws_eip":                                    {phaseElements, (*mapper).eip},
	"aws_network_interface":                      {phaseElements, (*mapper).eni},
	"aws_instance":                               {phaseElements, (*mapper).instance},
	"aws_vpn_connection":                         {phaseElements, (*mapper).vpn},
	"aws_ec2_transit_gateway_vpc_attachment":     {phaseElements, (*mapper).tgwVPCAttachment},
	"aws_ec2_transit_gateway_peering_attachment": {phaseElements, (*mapper).tgwPeering},
	"aws_ec2_transit_gateway_route_table":        {phaseElements, (*mapper).tgwRouteTable},
	"aws_vpc_peering_connection":                 {phaseElements, (*mapper).peering},
	"aws_vpc_endpoint":                           {phaseElements, (*mapper).endpoint},
	"aws_lb":                                     {phaseElements, (*mapper).loadBalancer},
	"aws_alb":                                    {phaseElements, (*mapper).loadBalancer},
	"aws_elb":                                    {phaseElements, (*mapper).classicELB},
	"aws_lb_target_group":                        {phaseElements, (*mapper).targetGroup},
	"aws_alb_target_group":                       {phaseElements, (*mapper).targetGroup},
	"aws_autoscaling_group":                      {phaseElements, (*mapper).autoScalingGroup},
	"aws_eks_node_group":                         {phaseElements, (*mapper).eksNodeGroup},
	"aws_db_instance":                            {phaseElements, (*mapper).dbInstance},
	"aws_rds_cluster_instance":                   {phaseElements, (*mapper).dbInstance},
	"aws_eks_cluster":                            {phaseElements, (*mapper).eksCluster},
	"aws_lambda_function":                        {phaseElements, (*mapper).lambdaFunction},
	"aws_elasticache_cluster":                    {phaseElements, (*mapper).elastiCache},
	"aws_elasticache_replication_group":          {phaseElements, (*mapper).elastiCache},
	"aws_efs_mount_target":                       {phaseElements, (*mapper).efsMountTarget},

	"aws_route_table":            {phaseTables, (*mapper).routeTable},
	"aws_default_route_table":    {phaseTables, (*mapper).routeTable},
	"aws_network_acl":            {phaseTables, (*mapper).networkACL},
	"aws_default_network_acl":    {phaseTables, (*mapper).networkACL},
	"aws_security_group":         {phaseTables, (*mapper).securityGroup},
	"aws_default_security_group": {phaseTables, (*mapper).securityGroup},

	"aws_route":                                               {phaseChildren, (*mapper).route},
	"aws_route_table_association":                             {phaseChildren, (*mapper).routeTableAssociation},
	"aws_main_route_table_association":                        {phaseChildren, (*mapper).mainRouteTableAssociation},
	"aws_network_acl_rule":                                    {phaseChildren, (*mapper).networkACLRule},
	"aws_network_acl_association":                             {phaseChildren, (*mapper).networkACLAssociation},
	"aws_security_group_rule":                                 {phaseChildren, (*mapper).securityGroupRule},
	"aws_vpc_security_group_ingress_rule":                     {phaseChildren, (*mapper).vpcSecurityGroupRule},
	"aws_vpc_security_group_egress_rule":                      {phaseChildren, (*mapper).vpcSecurityGroupRule},
	"aws_internet_gateway_attachment":                         {phaseChildren, (*mapper).igwAttachment},
	"aws_vpn_gateway_attachment":                              {phaseChildren, (*mapper).vgwAttachment},
	"aws_vpn_gateway_route_propagation":                       {phaseChildren, (*mapper).vgwPropagation},
	"aws_vpn_connection_route":                                {phaseChildren, (*mapper).vpnRoute},
	"aws_ec2_transit_gateway_vpc_attachment_accepter":         {phaseChildren, (*mapper).tgwVPCAttachmentAccepter},
	"aws_ec2_transit_gateway_peering_attachment_accepter":     {phaseChildren, (*mapper).tgwPeeringAccepter},
	"aws_ec2_transit_gateway_route_table_association":         {phaseChildren, (*mapper).tgwLink},
	"aws_ec2_transit_gateway_route_table_propagation":         {phaseChildren, (*mapper).tgwLink},
	"aws_ec2_transit_gateway_route":                           {phaseChildren, (*mapper).tgwRoute},
	"aws_vpc_peering_connection_accepter":                     {phaseChildren, (*mapper).peeringAccepter},
	"aws_vpc_endpoint_route_table_association":                {phaseChildren, (*mapper).endpointRouteTable},
	"aws_vpc_endpoint_subnet_association":                     {phaseChildren, (*mapper).endpointSubnet},
	"aws_ec2_managed_prefix_list_entry":                       {phaseChildren, (*mapper).prefixListEntry},
	"aws_network_interface_attachment":                        {phaseChildren, (*mapper).eniAttachment},
	"aws_network_interface_sg_attachment":                     {phaseChildren, (*mapper).eniSGAttachment},
	"aws_eip_association":                                     {phaseChildren, (*mapper).eipAssociation},
	"aws_vpc_endpoint_security_group_association":             {phaseChildren, (*mapper).endpointSecurityGroup},
	"aws_ec2_transit_gateway_default_route_table_association": {phaseChildren, (*mapper).tgwDefaultTable},
	"aws_ec2_transit_gateway_default_route_table_propagation": {phaseChildren, (*mapper).tgwDefaultTable},
	"aws_lb_listener":                                         {phaseChildren, (*mapper).listener},
	"aws_alb_listener":                                        {phaseChildren, (*mapper).listener},
	"aws_lb_listener_rule":                                    {phaseChildren, (*mapper).listenerRule},
	"aws_alb_listener_rule":                                   {phaseChildren, (*mapper).listenerRule},
	"aws_lb_target_group_attachment":                          {phaseChildren, (*mapper).targetGroupAttachment},
	"aws_alb_target_group_attachment":                         {phaseChildren, (*mapper).targetGroupAttachment},
	"aws_elb_attachment":                                      {phaseChildren, (*mapper).elbAttachment},
	"aws_autoscaling_attachment":                              {phaseChildren, (*mapper).autoScalingAttachment},
	// A spot instance request launches an instance with the same network
	// attributes as aws_instance.
	"aws_spot_instance_request": {phaseElements, (*mapper).instance},
}

// dataTypes are the data sources that describe network elements. They add
// the element when the input does not manage it, so that references to a
// looked-up VPC or prefix list resolve; the element's Address is the data
// source's ("data.aws_vpc.shared"), which says where it came from.
var dataTypes = map[string]handler{
	"aws_vpc":                     {phaseData, (*mapper).dataVPC},
	"aws_subnet":                  {phaseData, (*mapper).dataSubnet},
	"aws_security_group":          {phaseData, (*mapper).dataSecurityGroup},
	"aws_prefix_list":             {phaseData, (*mapper).dataPrefixList},
	"aws_ec2_managed_prefix_list": {phaseData, (*mapper).dataPrefixList},
	"aws_ec2_transit_gateway":     {phaseData, (*mapper).dataGateway},
	"aws_internet_gateway":        {phaseData, (*mapper).dataGateway},
	"aws_nat_gateway":             {phaseData, (*mapper).dataGateway},
	"aws_vpn_gateway":             {phaseData, (*mapper).dataGateway},
	"aws_route_table":             {phaseData, (*mapper).dataGateway},
}

// unsupportedTypes are networking resources the model does not cover, with
// the reason an explanation gives when a path runs into them. Keys ending in
// "_" match every type with that prefix.
var unsupportedTypes = map[string]string{
	"aws_lb_":                                       "load balancer components vpcsim does not read",
	"aws_alb_":                                      "load balancer components vpcsim does not read",
	"aws_elb_":                                      "load balancer components vpcsim does not read",
	"aws_networkfirewall_":                          "AWS Network Firewall is not modelled: traffic routed to its endpoints is not inspected by vpcsim",
	"aws_globalaccelerator_":                        "Global Accelerator is not modelled",
	"aws_dx_":                                       "Direct Connect is not modelled",
	"aws_ec2_transit_gateway_connect":               "transit gateway Connect attachments (GRE tunnels) are not modelled",
	"aws_ec2_transit_gateway_connect_peer":          "transit gateway Connect peers are not modelled",
	"aws_ec2_transit_gateway_multicast_":            "transit gateway multicast is not modelled",
	"aws_ec2_transit_gateway_policy_table":          "transit gateway policy tables are not modelled",
	"aws_ec2_transit_gateway_policy_table_":         "transit gateway policy tables are not modelled",
	"aws_ec2_transit_gateway_prefix_list_reference": "transit gateway prefix-list references are not modelled: routes they add are missing",
	"aws_ec2_carrier_gateway":                       "carrier gateways (Wavelength) are not modelled",
	"aws_ec2_local_gateway_":                        "Outposts local gateways are not modelled",
	"aws_networkmanager_":                           "Cloud WAN and Network Manager are not modelled",
	"aws_vpc_endpoint_service":                      "endpoint services (PrivateLink providers) are not modelled",
	"aws_vpc_endpoint_service_":                     "endpoint services (PrivateLink providers) are not modelled",
	"aws_route53_resolver_endpoint":                 "Route 53 Resolver endpoints are not modelled",
	"aws_ec2_client_vpn_":                           "Client VPN is not modelled",
	"aws_vpclattice_":                               "VPC Lattice is not modelled",
	"aws_verifiedaccess_":                           "Verified Access is not modelled",
	"aws_ec2_instance_connect_endpoint":             "EC2 Instance Connect endpoints are not modelled",
	"aws_vpc_block_public_access_":                  "VPC Block Public Access is not modelled: it can block traffic the model allows",
	"aws_vpc_route_server":                          "VPC Route Server is not modelled: routes it installs are missing",
	"aws_vpc_route_server_":                         "VPC Route Server is not modelled: routes it installs are missing",
	"aws_api_gateway_vpc_link":                      "API Gateway VPC links are not modelled",
	"aws_vpc_security_group_vpc_association":        "security groups shared with other VPCs are not modelled",
	"aws_apigatewayv2_vpc_link":                     "API Gateway VPC links are not modelled",
}

// inVPCTypes run in a VPC with security groups but are not modelled as
// interfaces (managed databases, functions, containers…).
var inVPCTypes = []string{
	"aws_db_proxy", "aws_elasticache_serverless_cache", "aws_redshift_cluster", "aws_docdb_cluster",
	"aws_docdb_cluster_instance", "aws_neptune_cluster", "aws_neptune_cluster_instance", "aws_memorydb_cluster",
	"aws_ecs_service", "aws_mq_broker", "aws_msk_cluster", "aws_opensearch_domain", "aws_elasticsearch_domain",
	"aws_directory_service_directory", "aws_codebuild_project", "aws_apprunner_vpc_connector",
	"aws_batch_compute_environment", "aws_emr_cluster", "aws_transfer_server", "aws_dms_replication_instance",
	"aws_sagemaker_domain", "aws_sagemaker_notebook_instance", "aws_fsx_lustre_file_system",
	"aws_fsx_windows_file_system", "aws_fsx_ontap_file_system", "aws_fsx_openzfs_file_system", "aws_workspaces_directory",
	"aws_mwaa_environment", "aws_glue_connection", "aws_kafka_cluster",
}

const inVPCReason = "runs in the VPC with subnets and security groups, but vpcsim does not model its network interfaces"

// noEffectTypes are networking resources that do not change which packets
// pass, so the analysis can ignore them.
var noEffectTypes = map[string]string{
	"aws_flow_log":                                    "flow logs record traffic; they do not change it",
	"aws_vpc_dhcp_options":                            "DHCP options do not change which packets pass",
	"aws_vpc_dhcp_options_association":                "DHCP options do not change which packets pass",
	"aws_default_vpc_dhcp_options":                    "DHCP options do not change which packets pass",
	"aws_vpc_peering_connection_options":              "peering options (DNS resolution) do not change which packets pass",
	"aws_vpc_endpoint_policy":                         "endpoint policies act on API calls, not on packets",
	"aws_vpc_endpoint_connection_notification":        "notifications do not change which packets pass",
	"aws_ec2_traffic_mirror_filter":                   "traffic mirroring copies packets; it does not change them",
	"aws_ec2_traffic_mirror_filter_rule":              "traffic mirroring copies packets; it does not change them",
	"aws_ec2_traffic_mirror_session":                  "traffic mirroring copies packets; it does not change them",
	"aws_ec2_traffic_mirror_target":                   "traffic mirroring copies packets; it does not change them",
	"aws_network_interface_permission":                "interface permissions do not change which packets pass",
	"aws_ec2_subnet_cidr_reservation":                 "CIDR reservations do not change which packets pass",
	"aws_vpc_network_performance_metric_subscription": "metrics do not change which packets pass",
	"aws_ec2_tag":                                     "tags do not change which packets pass",
	"aws_lb_listener_certificate":                     "certificates do not change which packets pass",
	"aws_alb_listener_certificate":                    "certificates do not change which packets pass",
	"aws_lb_trust_store":                              "trust stores do not change which packets pass",
	"aws_lb_trust_store_revocation":                   "trust stores do not change which packets pass",
	"aws_lb_cookie_stickiness_policy":                 "stickiness does not change which packets pass",
	"aws_app_cookie_stickiness_policy":                "stickiness does not change which packets pass",
	"aws_load_balancer_policy":                        "TLS and stickiness policies do not change which packets pass",
	"aws_load_balancer_backend_server_policy":         "TLS and stickiness policies do not change which packets pass",
	"aws_load_balancer_listener_policy":               "TLS and stickiness policies do not change which packets pass",
	"aws_lb_ssl_negotiation_policy":                   "TLS policies do not change which packets pass",
	"aws_proxy_protocol_policy":                       "the proxy protocol does not change which packets pass",
	"aws_autoscaling_policy":                          "scaling policies change how many instances run, not which packets pass",
	"aws_autoscaling_schedule":                        "scaling schedules change how many instances run, not which packets pass",
	"aws_autoscaling_lifecycle_hook":                  "lifecycle hooks do not change which packets pass",
	"aws_autoscaling_notification":                    "notifications do not change which packets pass",
}

const notNetworking = "not a networking resource"

// classify picks the handler of an instance, or records it as unsupported
// or ignored.
func (m *mapper) classify(x *resource.Instance) (handler, bool) {
	if x.Mode == "data" {
		if h, ok := dataTypes[x.Type]; ok {
			return h, true
		}
		m.evidenceFromData(x)
		m.ignore(x, "data."+x.Type, "a data source that describes no network element")
		return handler{}, false
	}
	if h, ok := managedTypes[x.Type]; ok {
		return h, true
	}
	if reason := unsupportedReason(x); reason != "" {
		return handler{phaseElements, func(m *mapper, v view) { m.unsupported(v, reason) }}, true
	}
	reason := notNetworking
	if r, ok := noEffectTypes[x.Type]; ok {
		reason = r
	}
	m.ignore(x, x.Type, reason)
	return handler{}, false
}

func unsupportedReason(x *resource.Instance) string {
	if r, ok := unsupportedTypes[x.Type]; ok {
		return r
	}
	best := ""
	for k := range unsupportedTypes {
		if strings.HasSuffix(k, "_") && strings.HasPrefix(x.Type, k) && len(k) > len(best) {
			best = k
		}
	}
	if best != "" {
		return unsupportedTypes[best]
	}
	if slices.Contains(inVPCTypes, x.Type) || placesInterfaces(x.Attrs) {
		return inVPCReason
	}
	return ""
}

// placesInterfaces recognises resources of other services that put network
// interfaces in a VPC: a vpc_config block with subnets, or subnets together
// with security groups.
func placesInterfaces(attrs map[string]any) bool {
	nonEmpty := func(v any) bool {
		switch t := v.(type) {
		case []any:
			return len(t) > 0
		case string:
			return t != ""
		}
		return false
	}
	for _, k := range []string{"vpc_config", "vpc_options", "network_configuration"} {
		if list, ok := attrs[k].([]any); ok {
			for _, e := range list {
				if b, ok := e.(map[string]any); ok && (nonEmpty(b["subnet_ids"]) || nonEmpty(b["subnets"])) {
					return true
				}
			}
		}
	}
	subnets := nonEmpty(attrs["subnet_ids"]) || nonEmpty(attrs["subnets"])
	groups := nonEmpty(attrs["security_group_ids"]) || nonEmpty(attrs["vpc_security_group_ids"])
	return subnets && groups
}

func (m *mapper) ignore(x *resource.Instance, typ, reason string) {
	it := m.ignored[typ]
	if it == nil {
		it = &IgnoredType{Type: typ, Reason: reason}
		m.ignored[typ] = it
	}
	it.Count++
	name := x.Address
	if name == "" {
		// An AWS API snapshot's instances have no address: their ID.
		name, _ = x.Attrs["id"].(string)
	}
	if len(it.Addresses) < maxIgnoredAddresses {
		it.Addresses = append(it.Addresses, name)
	}
}

func (m *mapper) ignoredList() []IgnoredType {
	out := make([]IgnoredType, 0, len(m.ignored))
	for _, it := range m.ignored {
		out = append(out, *it)
	}
	slices.SortFunc(out, func(a, b IgnoredType) int { return strings.Compare(a.Type, b.Type) })
	return out
}

// unsupported keeps a networking resource the model does not cover, with the
// interfaces it owns when the input names them.
func (m *mapper) unsupported(v view, reason string) {
	u := model.UnsupportedResource{Meta: v.meta(), Type: v.in.Type, Reason: reason}
	if u.Name == "" {
		u.Name = v.str("name")
	}
	u.InterfaceIDs = addUnique(u.InterfaceIDs, v.ref("network_interface_id"))
	u.InterfaceIDs = addUnique(u.InterfaceIDs, v.refs("network_interface_ids")...)
	// The groups and subnets it names are in use (see
	// model.UnsupportedResource), also when written in a vpc_config or
	// subnet_mapping block.
	for _, w := range append([]view{v}, v.blocks("vpc_config")...) {
		for _, a := range []string{"security_groups", "security_group_ids", "vpc_security_group_ids"} {
			u.SecurityGroupIDs = addUnique(u.SecurityGroupIDs, w.refs(a)...)
		}
		for _, a := range []string{"subnets", "subnet_ids"} {
			u.SubnetIDs = addUnique(u.SubnetIDs, w.refs(a)...)
		}
		u.SubnetIDs = addUnique(u.SubnetIDs, w.ref("subnet_id"))
	}
	for _, m := range v.blocks("subnet_mapping") {
		u.SubnetIDs = addUnique(u.SubnetIDs, m.ref("subnet_id"))
	}
	m.n.UnsupportedResources = append(m.n.UnsupportedResources, u)
	if v.in.Type == "aws_networkfirewall_firewall" {
		m.firewallEndpoints(v)
	}
}

// firewallEndpoints adds the endpoints of a Network Firewall, which are
// Gateway Load Balancer endpoints that route tables target by ID: without
// them every route to the firewall would dangle. The engines report the
// firewall itself as unsupported.
func (m *mapper) firewallEndpoints(v view) {
	vpc := v.ref("vpc_id")
	for _, st := range v.blocks("firewall_status") {
		for _, ss := range st.blocks("sync_states") {
			for _, at := range ss.blocks("attachment") {
				id, subnet := at.ref("endpoint_id"), at.ref("subnet_id")
				if id == "" || m.endpoints[id] != nil {
					continue
				}
				e := &model.VPCEndpoint{
					Meta:  model.Meta{ID: id, Pos: v.in.Pos, Name: "endpoint of " + v.in.Address},
					VPCID: vpc, Type: model.EndpointGatewayLoadBalancer, ServiceName: "network-firewall",
					SubnetIDs: addUnique(nil, subnet),
				}
				m.endpoints[id] = e
				m.n.Endpoints = append(m.n.Endpoints, e)
			}
		}
	}
}

// aliases records the symbolic IDs that name one element twice, before any
// element is built: an aws_default_security_group whose ID is unknown is
// the VPC's default_security_group_id, an Elastic IP's allocation_id is its
// id, an accepter's id is the ID of what it accepts.
func (m *mapper) aliases(insts []resource.Instance) {
	str := func(x *resource.Instance, attr string) string {
		s, _ := x.Attrs[attr].(string)
		return strings.TrimSpace(s)
	}
	vpcByID := map[string]*resource.Instance{}
	for i := range insts {
		x := &insts[i]
		if x.Mode == "managed" && (x.Type == "aws_vpc" || x.Type == "aws_default_vpc") {
			id := str(x, "id")
			if id == "" {
				id = resource.SymbolicID(x.Address, "id")
			}
			vpcByID[id] = x
			vpcByID[x.Address] = x
			// Both names of the VPC's main route table are one table.
			m.alias[x.Address+".default_route_table_id"] = resource.SymbolicID(x.Address, "main_route_table_id")
			if rt := str(x, "main_route_table_id"); rt != "" {
				m.alias[resource.SymbolicID(x.Address, "main_route_table_id")] = rt
			}
		}
	}
	for i := range insts {
		x := &insts[i]
		if x.Mode != "managed" {
			continue
		}
		self := resource.SymbolicID(x.Address, "id")
		id := str(x, "id")
		if id == self {
			id = "" // a configuration's stand-in for an ID not known until apply
		}
		set := func(from, to string) {
			if to != "" && from != to {
				m.alias[from] = to
			}
		}
		switch x.Type {
		case "aws_default_security_group":
			if id != "" {
				continue
			}
			if vpc := vpcByID[str(x, "vpc_id")]; vpc != nil {
				to := str(vpc, "default_security_group_id")
				if to == "" {
					to = resource.SymbolicID(vpc.Address, "default_security_group_id")
				}
				set(self, to)
			}
		case "aws_default_network_acl":
			if id == "" {
				set(self, str(x, "default_network_acl_id"))
			}
		case "aws_default_route_table":
			if id == "" {
				set(self, str(x, "default_route_table_id"))
			}
		case "aws_eip":
			if id == "" {
				id = self
			}
			set(resource.SymbolicID(x.Address, "allocation_id"), id)
		case "aws_vpc_peering_connection_accepter":
			if id == "" {
				set(self, str(x, "vpc_peering_connection_id"))
			}
		case "aws_ec2_transit_gateway_vpc_attachment_accepter", "aws_ec2_transit_gateway_peering_attachment_accepter":
			if id == "" {
				set(self, str(x, "transit_gateway_attachment_id"))
			}
		case "aws_lb", "aws_alb", "aws_lb_target_group", "aws_alb_target_group", "aws_lb_listener", "aws_alb_listener",
			"aws_elb", "aws_autoscaling_group", "aws_launch_template", "aws_launch_configuration", "aws_eks_cluster":
			// Their ARNs and names are what other resources name them by.
			to := id
			if to == "" {
				to = self
			}
			set(resource.SymbolicID(x.Address, "arn"), to)
			set(resource.SymbolicID(x.Address, "name"), to)
			if n := str(x, "name"); n != "" && n != to && (x.Type == "aws_autoscaling_group" || x.Type == "aws_elb") {
				// Auto Scaling groups and Classic Load Balancers are named
				// by name, which a configuration knows before the ID.
				set(n, to)
			}
		case "aws_ec2_transit_gateway":
			// A new transit gateway has one default table for both
			// association and propagation.
			standIn := func(attr string) bool {
				v := str(x, attr)
				return v == "" || v == resource.SymbolicID(x.Address, attr)
			}
			if standIn("association_default_route_table_id") && standIn("propagation_default_route_table_id") {
				set(resource.SymbolicID(x.Address, "propagation_default_route_table_id"), resource.SymbolicID(x.Address, "association_default_route_table_id"))
			}
		}
	}
}

// evidence collects the regions and accounts the input names (ARNs,
// owner_id, availability zones, aws_region and aws_caller_identity data
// sources), to give the network its defaults.
type evidence struct {
	regions, accounts         map[string]int
	regionOrder, accountOrder []string
}

func newEvidence() evidence {
	return evidence{regions: map[string]int{}, accounts: map[string]int{}}
}

func (e *evidence) region(r string) {
	if r == "" {
		return
	}
	if e.regions[r] == 0 {
		e.regionOrder = append(e.regionOrder, r)
	}
	e.regions[r]++
}

func (e *evidence) account(a string) {
	if !isAccountID(a) {
		return
	}
	if e.accounts[a] == 0 {
		e.accountOrder = append(e.accountOrder, a)
	}
	e.accounts[a]++
}

// best is the value named most often, the first named on a tie.
func best(counts map[string]int, order []string) string {
	out, n := "", 0
	for _, k := range order {
		if counts[k] > n {
			out, n = k, counts[k]
		}
	}
	return out
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// parseARN returns the region and account of an ARN
// (arn:aws:ec2:us-east-1:123456789012:vpc/vpc-0abc).
func parseARN(arn string) (region, account string) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" {
		return "", ""
	}
	return parts[3], parts[4]
}

var (
	zoneRegion = regexp.MustCompile(`^([a-z]{2}(?:-[a-z]+)+-\d+)`)
	regionName = regexp.MustCompile(`^[a-z]{2}(?:-[a-z]+)+-\d+$`)
)

// regionOfZone returns the region of an availability zone name (us-east-1a,
// us-west-2-lax-1a → us-west-2); "" when it is not one.
func regionOfZone(az string) string {
	if mm := zoneRegion.FindStringSubmatch(az); mm != nil && len(az) > len(mm[1]) {
		return mm[1]
	}
	return ""
}

// regionAccount returns what the instance itself says of its region and
// account, and records it as evidence.
func (v view) regionAccount() (region, account string) {
	region, account = parseARN(v.str("arn"))
	if account == "" {
		account = v.str("owner_id")
	}
	if !isAccountID(account) {
		account = ""
	}
	if region == "" {
		region = regionOfZone(v.str("availability_zone"))
	}
	v.m.evidence.region(region)
	v.m.evidence.account(account)
	return region, account
}

func (m *mapper) evidenceFromData(x *resource.Instance) {
	str := func(attr string) string { s, _ := x.Attrs[attr].(string); return s }
	switch x.Type {
	case "aws_region":
		r := str("name")
		if r == "" {
			r = str("region")
		}
		m.evidence.region(r)
	case "aws_caller_identity":
		m.evidence.account(str("account_id"))
	case "aws_availability_zones":
		// Its id is the region it lists the zones of.
		if r := str("id"); regionName.MatchString(r) {
			m.evidence.region(r)
		}
	}
}

// IgnoredType counts the resources of one type that a load read but did not
// map to network elements.
type IgnoredType struct {
	// Type is the resource type; data sources are written "data.<type>".
	Type  string `json:"type"`
	Count int    `json:"count"`
	// Addresses are the first few addresses, in input order.
	Addresses []string `json:"addresses"`
	// Reason says why the type is not mapped.
	Reason string `json:"reason"`
}

// maxIgnoredAddresses bounds IgnoredType.Addresses: a summary names a few
// examples, not thousands of IAM policies.
const maxIgnoredAddresses = 3
