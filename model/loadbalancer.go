package model

import "strings"

// LoadBalancerType is the kind of an Elastic Load Balancing load balancer.
type LoadBalancerType uint8

// Load balancer types. The zero value is invalid.
const (
	LBApplication LoadBalancerType = iota + 1 // an Application Load Balancer (terminates connections)
	LBNetwork                                 // a Network Load Balancer (passes connections through)
	LBGateway                                 // a Gateway Load Balancer (GENEVE to appliances)
	LBClassic                                 // a Classic Load Balancer (aws_elb)
)

func (t LoadBalancerType) String() string {
	return enumName([]string{"invalid", "application", "network", "gateway", "classic"}, int(t))
}

// MarshalText implements encoding.TextMarshaler.
func (t LoadBalancerType) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// ParseLoadBalancerType reads a type as the provider and the API write it
// (application, network, gateway; classic for aws_elb), case-insensitively.
func ParseLoadBalancerType(s string) (LoadBalancerType, bool) {
	for t := LBApplication; t <= LBClassic; t++ {
		if strings.EqualFold(s, t.String()) {
			return t, true
		}
	}
	return 0, false
}

// Proxies reports whether the load balancer terminates the client's
// connection and opens its own to the target (Application and Classic Load
// Balancers), rather than passing the connection through (Network and
// Gateway Load Balancers).
func (t LoadBalancerType) Proxies() bool { return t == LBApplication || t == LBClassic }

// LoadBalancer is an Application, Network, Gateway or Classic Load Balancer.
// AWS gives it one node per enabled subnet, each a network interface in
// that subnet (InterfaceIDs, owned with OwnerLoadBalancer): clients connect
// to a node's address, the subnet's network ACL and the load balancer's
// security groups filter what reaches it, and the node opens (or passes on)
// the connection to a target.
type LoadBalancer struct {
	Meta
	Type LoadBalancerType `json:"type"`
	// Internal is the scheme "internal": the nodes have private addresses
	// only. False is "internet-facing": each node also has a public
	// address.
	Internal bool   `json:"internal,omitempty"`
	VPCID    string `json:"vpc_id"`
	// SubnetIDs are the enabled subnets, one per availability zone.
	SubnetIDs []string `json:"subnet_ids,omitempty"`
	// SecurityGroupIDs filter the nodes' traffic: an Application or Classic
	// Load Balancer always has some, a Network Load Balancer only when
	// created with some, a Gateway Load Balancer never.
	SecurityGroupIDs []string `json:"security_group_ids,omitempty"`
	// InterfaceIDs are the nodes' interfaces, one per enabled subnet.
	InterfaceIDs []string `json:"interface_ids,omitempty"`
	// CrossZone lets every node send to targets in every enabled zone;
	// without it a node sends only to targets in its own zone.
	CrossZone bool `json:"cross_zone,omitempty"`
	// Listeners accept connections on a protocol and port.
	Listeners []Listener `json:"listeners,omitempty"`
}

// Listener is a load balancer listener.
type Listener struct {
	Meta
	// Protocol is as AWS writes it: HTTP, HTTPS, TCP, TLS, UDP, TCP_UDP,
	// QUIC, TCP_QUIC or GENEVE (a Classic listener's lb_protocol in upper
	// case).
	Protocol string `json:"protocol"`
	// Port is the port clients connect to; zero for a Gateway Load
	// Balancer's listener, which accepts every packet.
	Port uint16 `json:"port,omitempty"`
	// Forwards are the target groups the listener can send a connection
	// to: its default action's and those of its rules that forward. Which
	// rule a request matches (host, path, headers) is decided by what the
	// request carries, which vpcsim does not see: every group is taken as
	// reachable. A listener whose actions only redirect or answer forwards
	// nowhere.
	Forwards []ListenerForward `json:"forwards,omitempty"`
}

// Transport reports the IP protocols a listener protocol runs over: TCP, UDP
// or both; every protocol for GENEVE; false for an unknown protocol.
func (l *Listener) Transport() (tcp, udp, all, ok bool) {
	return ProtocolTransport(l.Protocol)
}

// ProtocolTransport reports the IP protocols a load balancer protocol (of a
// listener, a target group or a health check) runs over.
func ProtocolTransport(p string) (tcp, udp, all, ok bool) {
	switch strings.ToUpper(p) {
	case "HTTP", "HTTPS", "TCP", "TLS", "SSL":
		return true, false, false, true
	case "UDP", "QUIC":
		return false, true, false, true
	case "TCP_UDP", "TCP_QUIC":
		return true, true, false, true
	case "GENEVE":
		return false, false, true, true
	}
	return false, false, false, false
}

// ListenerForward is one way a listener forwards: its default action or a
// rule (aws_lb_listener_rule), to one target group.
type ListenerForward struct {
	// Meta is the rule's (or the listener's, for its default action).
	Meta
	// Rule says which: "default action", or the rule's priority and
	// conditions ("rule 10: host api.example.com").
	Rule          string `json:"rule,omitempty"`
	TargetGroupID string `json:"target_group_id"`
}

// TargetType is what a target group's targets are.
type TargetType uint8

// Target types. The zero value is invalid.
const (
	TargetTypeInstance TargetType = iota + 1 // instances, by ID: traffic goes to the primary interface's primary private address
	TargetTypeIP                             // IP addresses
	TargetTypeLambda                         // Lambda functions, invoked through AWS, not over the VPC
	TargetTypeALB                            // an Application Load Balancer behind a Network Load Balancer
)

func (t TargetType) String() string {
	return enumName([]string{"invalid", "instance", "ip", "lambda", "alb"}, int(t))
}

// MarshalText implements encoding.TextMarshaler.
func (t TargetType) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// TargetGroup is a target group: where a listener sends connections, on
// which port, and how the load balancer checks its targets' health.
type TargetGroup struct {
	Meta
	VPCID      string     `json:"vpc_id,omitempty"`
	TargetType TargetType `json:"target_type"`
	// Protocol and Port are those connections to the targets use; a
	// target may be registered on a port of its own (Target.Port).
	Protocol string `json:"protocol,omitempty"`
	Port     uint16 `json:"port,omitempty"`
	// HealthCheckProtocol and HealthCheckPort are those of the health
	// checks; a zero port is "traffic-port", the port of each target.
	HealthCheckProtocol string `json:"health_check_protocol,omitempty"`
	HealthCheckPort     uint16 `json:"health_check_port,omitempty"`
	// HealthCheckDisabled marks a group without health checks (possible
	// for Lambda targets only).
	HealthCheckDisabled bool `json:"health_check_disabled,omitempty"`
	// PreserveClientIP is the preserve_client_ip.enabled attribute; nil
	// when the input does not set it, and AWS's default applies (see
	// PreservesClientIP).
	PreserveClientIP *bool `json:"preserve_client_ip,omitempty"`
	// CrossZone is the group's load_balancing.cross_zone.enabled
	// attribute; nil uses the load balancer's setting.
	CrossZone *bool `json:"cross_zone,omitempty"`
	// Targets are the registered targets: instances, IP addresses, Auto
	// Scaling groups (whose instances the group registers), functions or
	// load balancers.
	Targets []Target `json:"targets,omitempty"`
}

// PreservesClientIP reports whether a Network Load Balancer keeps the
// client's address as the source of what it sends to the group's targets:
// the attribute when set, else AWS's default — on for instance targets and
// for UDP, TCP_UDP, QUIC and TCP_QUIC groups, off for IP targets over TCP
// and TLS ("Edit target group attributes for your Network Load Balancer",
// Client IP preservation). UDP groups always preserve.
func (g *TargetGroup) PreservesClientIP() bool {
	_, udp, _, _ := ProtocolTransport(g.Protocol)
	if udp {
		return true
	}
	if g.PreserveClientIP != nil {
		return *g.PreserveClientIP
	}
	return g.TargetType == TargetTypeInstance
}

// RegistrationKind is what a registered target names.
type RegistrationKind uint8

// Target kinds. The zero value is invalid.
const (
	RegInstance     RegistrationKind = iota + 1 // an instance ID
	RegIP                                       // an IP address
	RegAutoScaling                              // an Auto Scaling group, standing for the instances it launches
	RegLambda                                   // a Lambda function ARN
	RegLoadBalancer                             // an Application Load Balancer ARN
)

func (k RegistrationKind) String() string {
	return enumName([]string{"invalid", "instance", "ip", "autoscaling-group", "lambda", "load-balancer"}, int(k))
}

// MarshalText implements encoding.TextMarshaler.
func (k RegistrationKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Target is one registration in a target group.
type Target struct {
	// Meta is the registration's (aws_lb_target_group_attachment, an Auto
	// Scaling group's target_group_arns); its ID is empty.
	Meta
	Kind RegistrationKind `json:"kind"`
	// TargetID is the instance ID, IP address, Auto Scaling group,
	// function or load balancer registered.
	TargetID string `json:"target_id"`
	// Port overrides the group's port; zero uses it.
	Port uint16 `json:"port,omitempty"`
	// AvailabilityZone is the zone an IP target outside the VPC takes
	// traffic from, or "all"; empty for the zone of its subnet.
	AvailabilityZone string `json:"availability_zone,omitempty"`
}
