package tfstate

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// attributeTypes lists every attribute type of aws.go, so that the order
// test covers them all.
var attributeTypes = []any{
	VPC{}, Subnet{}, InternetGateway{}, EgressOnlyInternetGateway{}, EIP{}, NATGateway{},
	RouteTable{}, RouteTableRoute{}, Route{}, RouteTableAssociation{},
	NetworkACL{}, NetworkACLEntry{}, NetworkACLRule{}, NetworkACLAssociation{},
	SecurityGroup{}, SecurityGroupRule{}, StandaloneSGRule{}, VPCSGRule{},
	EC2Instance{}, CapacityReservationSpec{}, CPUOptions{}, CreditSpecification{}, Enabled{},
	MaintenanceOptions{}, MetadataOptions{}, PrivateDNSNameOptions{}, RootBlockDevice{},
	VPCEndpoint{}, EndpointSubnet{}, DNSEntry{}, DNSOptions{},
	LB{}, LogConfig{}, SubnetMapping{}, LBTargetGroup{}, HealthCheck{}, Stickiness{}, TargetFailover{},
	TargetGroupHealth{}, HealthThreshold{}, LBListener{}, ListenerAction{}, LBTargetGroupAttachment{},
	TransitGateway{}, TGWVPCAttachment{}, TGWRouteTable{}, TGWRouteTableLink{}, TGWRoute{},
	CustomerGateway{}, PeeringOptions{}, VPCPeeringConnection{}, VPCPeeringConnectionAccepter{},
	AvailabilityZones{}, PrefixList{}, NetworkInterfaceData{},
}

// Terraform writes object attributes sorted by name; encoding/json writes
// struct fields in declaration order. A field declared out of order would
// give a state no Terraform ever wrote.
func TestAttributeFieldsAreSorted(t *testing.T) {
	for _, v := range attributeTypes {
		typ := reflect.TypeOf(v)
		var names []string
		for i := range typ.NumField() {
			name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
			if name == "" || name == "-" {
				t.Errorf("%s.%s has no JSON name", typ.Name(), typ.Field(i).Name)
			}
			names = append(names, name)
		}
		if !slices.IsSorted(names) {
			sorted := slices.Clone(names)
			slices.Sort(sorted)
			for i := range names {
				if names[i] != sorted[i] {
					t.Errorf("%s: field %q is out of alphabetical order (want %q at position %d)", typ.Name(), names[i], sorted[i], i)
					break
				}
			}
		}
		if !slices.Equal(names, slices.Compact(slices.Clone(names))) {
			t.Errorf("%s: duplicate JSON names", typ.Name())
		}
	}
}
