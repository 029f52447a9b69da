package reach

// Code is a stable explanation code. Where AWS Reachability Analyzer has a
// code for the same cause, vpcsim uses its name, so that answers map onto
// AWS's; codes AWS has no name for are vpcsim's own and say so in Codes.
type Code string

// Explanation codes. docs/explanation-codes.md is generated from Codes.
const (
	CodeENISGRulesMismatch      Code = "ENI_SG_RULES_MISMATCH"
	CodeSGHasNoRules            Code = "SG_HAS_NO_RULES"
	CodeSubnetACLRestriction    Code = "SUBNET_ACL_RESTRICTION"
	CodeNoRouteToDestination    Code = "NO_ROUTE_TO_DESTINATION"
	CodeBadStateRoute           Code = "BAD_STATE_ROUTE"
	CodeBadState                Code = "BAD_STATE"
	CodeIGWPublicIPForEgress    Code = "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS"
	CodeIGWPrivateIPForIngress  Code = "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS"
	CodePCXRequiresAddressInVPC Code = "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR"
	CodeTGWRTBCannotRoute       Code = "TGW_RTB_CANNOT_ROUTE"
	CodeTGWAttachAZRestriction  Code = "TGW_ATTACH_VPC_AZ_RESTRICTION"
	CodeTGWAttachMissingRTB     Code = "TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION"
	CodeProtocolRestriction     Code = "PROTOCOL_RESTRICTION"
	CodeUnknownDestination      Code = "UNKNOWN_DESTINATION"
	CodeUnsupportedComponent    Code = "UNSUPPORTED_COMPONENT"
	CodeELBListenersMismatch    Code = "ELB_LISTENERS_MISMATCH"
	CodeELBV2ListenersMismatch  Code = "ELBV2_LISTENERS_MISMATCH"
	CodeELBV2ListenerHasNoTG    Code = "ELBV2_LISTENER_HAS_NO_TG"
	CodeELBNotCrossZone         Code = "ELB_NOT_CROSSZONE"
	CodeELBInstalledAZ          Code = "ELB_INSTALLED_AZ_RESTRICTION"

	CodeTGWNotAttached        Code = "TGW_VPC_NOT_ATTACHED"
	CodeEIGWInboundDenied     Code = "EIGW_INBOUND_DENIED"
	CodeEIGWIPv4              Code = "EIGW_IPV4_NOT_SUPPORTED"
	CodeNGWNoSession          Code = "NGW_NO_MATCHING_SESSION"
	CodeNGWPortAllocation     Code = "NGW_PORT_ALLOCATION_ERROR"
	CodeNGWAddressNotHost     Code = "NGW_ADDRESS_NOT_A_HOST"
	CodeNGWPrivateToIGW       Code = "NGW_PRIVATE_CANNOT_USE_IGW"
	CodeAddressUnused         Code = "ADDRESS_NOT_IN_USE"
	CodeAddressNotInSubnet    Code = "ADDRESS_NOT_IN_ANY_SUBNET"
	CodePrivateOnInternet     Code = "PRIVATE_ADDRESS_ON_INTERNET"
	CodeSourceDestCheck       Code = "SOURCE_DEST_CHECK"
	CodeRoutingLoop           Code = "ROUTING_LOOP"
	CodeNoEdgeToEdge          Code = "NO_EDGE_TO_EDGE_ROUTING"
	CodeOutsideEstate         Code = "OUTSIDE_ESTATE"
	CodePrefixListUnknown     Code = "PREFIX_LIST_ENTRIES_UNKNOWN"
	CodeEphemeralPartial      Code = "EPHEMERAL_RANGE_PARTIAL"
	CodePartialAddresses      Code = "PARTIAL_ADDRESSES"
	CodeReturnWrongPath       Code = "RETURN_PATH_MISMATCH"
	CodePlaceholderAddress    Code = "PLACEHOLDER_ADDRESS"
	CodeCrossRegionSGRef      Code = "SG_REFERENCE_CROSS_REGION"
	CodeDestinationNotReached Code = "DESTINATION_NOT_REACHED"
	CodeSecurityGroupsUnknown Code = "SECURITY_GROUPS_UNKNOWN"
	CodeValueUnknown          Code = "VALUE_UNKNOWN"
	CodeLBTargetUnhealthy     Code = "LB_TARGET_UNHEALTHY"
	CodeViaLoadBalancer       Code = "REACHABLE_VIA_LOAD_BALANCER"
	CodeLBLoopback            Code = "NLB_LOOPBACK_NOT_SUPPORTED"
)

// CodeInfo documents one code.
type CodeInfo struct {
	Code Code
	// AWS is set when the name is AWS Reachability Analyzer's.
	AWS bool
	// Meaning is one sentence.
	Meaning string
}

// Codes lists every code vpcsim emits, AWS's first.
var Codes = []CodeInfo{
	{CodeENISGRulesMismatch, true, "no rule of the network interface's security groups allows the traffic (inbound at the destination, outbound at the source)"},
	{CodeSGHasNoRules, true, "the network interface's security groups have no rule at all in the direction of the traffic (Terraform removes AWS's default egress rule when a group declares none)"},
	{CodeSubnetACLRestriction, true, "a network ACL rule of a subnet the traffic leaves or enters denies it (or no rule matches and the final \"*\" rule does)"},
	{CodeNoRouteToDestination, true, "no route of the route table (or no on-premises prefix of the VPN gateway) covers the destination"},
	{CodeBadStateRoute, true, "the route that matches is a blackhole route (its target is gone, or a transit gateway blackhole)"},
	{CodeBadState, true, "the component is not in a working state (a peering connection that was not accepted)"},
	{CodeIGWPublicIPForEgress, true, "traffic leaves through an internet gateway from a private address that has no public or Elastic IP address"},
	{CodeIGWPrivateIPForIngress, true, "traffic from the internet is addressed to a private address, which an internet gateway does not translate"},
	{CodePCXRequiresAddressInVPC, true, "traffic crossing a peering connection must be addressed to the peer VPC's CIDR blocks; peering is not transitive and the peer's gateways are not reachable"},
	{CodeTGWRTBCannotRoute, true, "the transit gateway route table associated with the attachment the traffic entered through has no route to the destination"},
	{CodeTGWAttachAZRestriction, true, "the VPC's transit gateway attachment has no subnet in the source's availability zone, so traffic from there cannot enter the transit gateway"},
	{CodeTGWAttachMissingRTB, true, "the attachment the traffic entered through is associated with no transit gateway route table"},
	{CodeProtocolRestriction, true, "the component does not carry this protocol (a NAT gateway translates only TCP, UDP and ICMP)"},
	{CodeUnknownDestination, true, "the destination address belongs to nothing that answers: a public address owned by no interface of the estate"},
	{CodeUnsupportedComponent, true, "the path reaches a component vpcsim does not model (an appliance behind a route to an interface, a load balancer, a firewall, a gateway load balancer endpoint, a carrier or local gateway); the answer beyond it is unknown"},
	{CodeELBListenersMismatch, true, "no listener of the Classic Load Balancer accepts the traffic's protocol and port"},
	{CodeELBV2ListenersMismatch, true, "no listener of the Application or Network Load Balancer accepts the traffic's protocol and port"},
	{CodeELBV2ListenerHasNoTG, true, "the listener forwards to no target it can send to (its target groups have none, or only targets it may not use), so the connection fails"},
	{CodeELBNotCrossZone, true, "cross-zone load balancing is off: a load balancer node sends only to targets in its own availability zone"},
	{CodeELBInstalledAZ, true, "the target is in an availability zone where the load balancer has no node (no enabled subnet): it receives no traffic"},
	{CodeTGWNotAttached, false, "a route targets a transit gateway to which the VPC has no attachment"},
	{CodeEIGWInboundDenied, false, "an egress-only internet gateway refuses connections initiated from the internet"},
	{CodeEIGWIPv4, false, "an egress-only internet gateway carries IPv6 only; IPv4 traffic routed to it is dropped"},
	{CodeNGWNoSession, false, "a NAT gateway dropped traffic that matches no session it created: a reply whose request did not go through it, or an unsolicited inbound connection"},
	{CodeNGWPortAllocation, false, "a NAT gateway has no source port left for the destination (each of its addresses holds at most 55,000 simultaneous connections to one destination address, port and protocol; AWS counts these failures in the ErrorPortAllocation metric); only the packet walker, which allocates ports, reports it"},
	{CodeNGWAddressNotHost, false, "the destination is a NAT gateway's own address, which does not accept connections"},
	{CodeNGWPrivateToIGW, false, "a private NAT gateway (or a public one without an Elastic IP) cannot send traffic through an internet gateway"},
	{CodeAddressUnused, false, "the destination lies in a subnet but no network interface uses that address"},
	{CodeAddressNotInSubnet, false, "the destination lies in a VPC's CIDR block but in none of its subnets"},
	{CodePrivateOnInternet, false, "a private or reserved address outside every VPC cannot be reached across the internet"},
	{CodeSourceDestCheck, false, "a network interface with source/destination check enabled drops traffic that is not addressed to or from it"},
	{CodeRoutingLoop, false, "the traffic comes back to a component it already crossed with the same headers"},
	{CodeNoEdgeToEdge, false, "traffic that entered a VPC through a gateway or a peering connection cannot leave it through another gateway (no edge-to-edge routing)"},
	{CodeOutsideEstate, false, "the traffic leaves what vpcsim can see: it reaches an element outside the input (a transit gateway, peering connection, gateway or interface of another stack, a peer VPC), or a route table of another stack whose other routes are not known"},
	{CodePrefixListUnknown, false, "a prefix list the decision depends on has entries the input does not give (an AWS-managed list); the decision assumes it matches nothing"},
	{CodeEphemeralPartial, false, "the return path passes for part of the ephemeral port range only: some connections work and others, depending on the client's source port, do not"},
	{CodePartialAddresses, false, "only some of the flow's destinations (or sources) pass both ways (from an instance to the internet, every public address but the estate's own, say); the explanation's headers are those that do not, and a text trace names them rather than the many ranges that pass"},
	{CodeReturnWrongPath, false, "the reply does not come back to the source the way it must (it leaves through another gateway, or arrives from an address the client did not contact)"},
	{CodePlaceholderAddress, false, "an address the flow uses is a placeholder invented because the real one is unknown until apply"},
	{CodeCrossRegionSGRef, false, "a security group rule references a group across an inter-region peering connection, which AWS does not support; the rule matches nothing"},
	{CodeDestinationNotReached, false, "the traffic was delivered somewhere other than the destination asked for"},
	{CodeLBTargetUnhealthy, false, "the load balancer's health checks do not reach the target and back (a security group, network ACL or route stops them): the load balancer sends it nothing while another target of its group is healthy"},
	{CodeLBLoopback, false, "a Network Load Balancer preserving client addresses sent a target's connection back to the target itself: with the same address as source and destination the target drops it (no loopback, or hairpinning)"},
	{CodeViaLoadBalancer, false, "the destination is not reachable directly, but through a load balancer whose listener forwards to it: the answer names the load balancer, the listener and the target group"},
	{CodeSecurityGroupsUnknown, false, "the input does not say which security groups a network interface has (a value unknown until apply, or groups named by name that are not in the input); answers assume none filters its traffic"},
	{CodeValueUnknown, false, "a component the answer depends on has values the input does not give (unknown until apply: a CIDR block from IPAM or AWS, a rule's peer, a table's routes); the answer assumes what the input gives, and may change when they are known"},
}

// Severity says whether an explanation blocks traffic or qualifies an answer.
type Severity string

// Severities.
const (
	SeverityBlocking Severity = "blocking"
	SeverityWarning  Severity = "warning"
	SeverityNote     Severity = "note"
)

// Explanation says why (some of) a flow does not pass, or what an answer
// assumes.
type Explanation struct {
	Code     Code     `json:"code"`
	Severity Severity `json:"severity"`
	// Direction is the leg of the flow concerned; zero for notes about the
	// network.
	Direction Leg `json:"direction,omitempty"`
	// Component is where it happened.
	Component Ref `json:"component"`
	// Rule is the rule or route that decided, when one did.
	Rule *RuleRef `json:"rule,omitempty"`
	// Message is a sentence for people.
	Message string `json:"message"`
	// Headers are the headers concerned, when only some of the flow is.
	Headers *Headers `json:"headers,omitempty"`
}
