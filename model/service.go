package model

// AutoScalingGroup is an Auto Scaling group (or an EKS managed node group,
// which is one): it launches instances in its subnets, with the network
// settings of its launch template or configuration. The input rarely holds
// the instances (a state does not; a snapshot of the account does), so the
// group stands for them: loaders give it one interface per subnet, owned
// with OwnerAutoScaling, with the template's security groups and public
// address choice and a placeholder address, and the instances a snapshot
// lists join it as its own interfaces.
type AutoScalingGroup struct {
	Meta
	// SubnetIDs are the subnets it launches instances in
	// (vpc_zone_identifier).
	SubnetIDs []string `json:"subnet_ids,omitempty"`
	// SecurityGroupIDs are the launch template's (or configuration's)
	// groups; none means the VPC's default group, as for any instance.
	SecurityGroupIDs []string `json:"security_group_ids,omitempty"`
	// AssociatePublicIP is the template's associate_public_ip_address; nil
	// leaves it to each subnet's map_public_ip_on_launch.
	AssociatePublicIP *bool `json:"associate_public_ip,omitempty"`
	// LaunchTemplate names the template or configuration the settings come
	// from, for messages; empty when the input has none.
	LaunchTemplate string `json:"launch_template,omitempty"`
	// InstanceIDs are the instances the input shows it launched.
	InstanceIDs []string `json:"instance_ids,omitempty"`
	// InterfaceIDs are its interfaces: one standing for its instances in
	// each subnet where the input shows none, and its instances' own.
	InterfaceIDs []string `json:"interface_ids,omitempty"`
	// TargetGroupIDs and LoadBalancerIDs (Classic) register its instances.
	TargetGroupIDs  []string `json:"target_group_ids,omitempty"`
	LoadBalancerIDs []string `json:"load_balancer_ids,omitempty"`
}

// ServiceKind is the kind of a managed service that places interfaces in a
// VPC.
type ServiceKind string

// Managed services vpcsim models as interfaces.
const (
	ServiceDBInstance     ServiceKind = "db-instance"      // an RDS instance (or an Aurora cluster's instance)
	ServiceEKSCluster     ServiceKind = "eks-cluster"      // an EKS cluster's control-plane interfaces
	ServiceLambda         ServiceKind = "lambda-function"  // a Lambda function attached to a VPC
	ServiceElastiCache    ServiceKind = "elasticache"      // an ElastiCache cluster or replication group's nodes
	ServiceEFSMountTarget ServiceKind = "efs-mount-target" // an EFS mount target
)

// Service is a managed service that places network interfaces in a VPC (a
// database, a cluster's control plane, a function, a cache, a file
// system's mount target): its interfaces are owned with OwnerService (a
// function's with OwnerLambda) and filtered by its security groups like
// any interface. How many interfaces it has and in which subnets is what
// AWS documents for the service (docs/loading.md); addresses the input does
// not give are placeholders.
type Service struct {
	Meta
	Kind  ServiceKind `json:"kind"`
	VPCID string      `json:"vpc_id,omitempty"`
	// SubnetIDs are the subnets it may place interfaces in (a DB subnet
	// group, a cluster's subnets).
	SubnetIDs        []string `json:"subnet_ids,omitempty"`
	SecurityGroupIDs []string `json:"security_group_ids,omitempty"`
	// Public is set for a database that is publicly accessible: its
	// interface has a public address.
	Public bool `json:"public,omitempty"`
	// Port is the port it serves on, when it has one (a database's).
	Port         uint16   `json:"port,omitempty"`
	InterfaceIDs []string `json:"interface_ids,omitempty"`
}
