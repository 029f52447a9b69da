package model

import (
	"encoding"
	"testing"
)

// TestEnumStrings checks every named value of every enum, its zero value and
// a value past the last one: an out-of-range value must print as "invalid"
// (or, where zero is meaningful, as nothing it is not), never as the name of
// a real value, so that a corrupted model cannot pass itself off as sound.
func TestEnumStrings(t *testing.T) {
	type named interface {
		String() string
	}
	tests := []struct {
		v    named
		want string
	}{
		{Severity(0), "invalid"},
		{SeverityError, "error"},
		{SeverityWarning, "warning"},
		{SeverityNote, "note"},
		{Severity(4), "invalid"},
		{Severity(255), "invalid"},

		{Direction(0), "invalid"},
		{Ingress, "ingress"},
		{Egress, "egress"},
		{Direction(3), "invalid"},

		{Action(0), "invalid"},
		{Allow, "allow"},
		{Deny, "deny"},
		{Action(3), "invalid"},

		{TargetKind(0), "invalid"},
		{TargetLocal, "local"},
		{TargetInternetGateway, "internet-gateway"},
		{TargetEgressOnlyGateway, "egress-only-internet-gateway"},
		{TargetNATGateway, "nat-gateway"},
		{TargetPeering, "vpc-peering-connection"},
		{TargetTransitGateway, "transit-gateway"},
		{TargetVPNGateway, "vpn-gateway"},
		{TargetGatewayEndpoint, "gateway-endpoint"},
		{TargetEndpoint, "vpc-endpoint"},
		{TargetNetworkInterface, "network-interface"},
		{TargetInstance, "instance"},
		{TargetCarrierGateway, "carrier-gateway"},
		{TargetLocalGateway, "local-gateway"},
		{TargetCoreNetwork, "core-network"},
		{TargetKind(15), "invalid"},

		// The zero origin is meaningful: declared in the input.
		{OriginDeclared, "declared"},
		{OriginLocal, "local"},
		{OriginPropagated, "propagated"},
		{OriginEndpoint, "gateway-endpoint"},
		{RouteOrigin(4), "invalid"},

		{PeerKind(0), "invalid"},
		{PeerCIDR, "cidr"},
		{PeerPrefixList, "prefix-list"},
		{PeerSecurityGroup, "security-group"},
		{PeerKind(4), "invalid"},

		// The zero owner is meaningful: a standalone interface.
		{OwnerNone, "none"},
		{OwnerInstance, "instance"},
		{OwnerNATGateway, "nat-gateway"},
		{OwnerEndpoint, "vpc-endpoint"},
		{OwnerLoadBalancer, "load-balancer"},
		{OwnerTGWAttachment, "transit-gateway-attachment"},
		{OwnerLambda, "lambda"},
		{OwnerOther, "other"},
		{OwnerAutoScaling, "autoscaling-group"},
		{OwnerService, "service"},
		{OwnerKind(10), "invalid"},

		{LoadBalancerType(0), "invalid"},
		{LBApplication, "application"},
		{LBNetwork, "network"},
		{LBGateway, "gateway"},
		{LBClassic, "classic"},
		{LoadBalancerType(5), "invalid"},

		{TargetType(0), "invalid"},
		{TargetTypeInstance, "instance"},
		{TargetTypeIP, "ip"},
		{TargetTypeLambda, "lambda"},
		{TargetTypeALB, "alb"},
		{TargetType(5), "invalid"},

		{RegistrationKind(0), "invalid"},
		{RegInstance, "instance"},
		{RegIP, "ip"},
		{RegAutoScaling, "autoscaling-group"},
		{RegLambda, "lambda"},
		{RegLoadBalancer, "load-balancer"},
		{RegistrationKind(6), "invalid"},

		{TGWAttachmentKind(0), "invalid"},
		{TGWAttachVPC, "vpc"},
		{TGWAttachPeering, "peering"},
		{TGWAttachVPN, "vpn"},
		{TGWAttachDirectConnect, "direct-connect-gateway"},
		{TGWAttachConnect, "connect"},
		{TGWAttachmentKind(6), "invalid"},

		// Endpoint types print as AWS spells VpcEndpointType.
		{EndpointType(0), "invalid"},
		{EndpointGateway, "Gateway"},
		{EndpointInterface, "Interface"},
		{EndpointGatewayLoadBalancer, "GatewayLoadBalancer"},
		{EndpointType(4), "invalid"},
	}
	for _, tt := range tests {
		if got := tt.v.String(); got != tt.want {
			t.Errorf("%T(%d).String() = %q; want %q", tt.v, tt.v, got, tt.want)
		}
		// Every enum marshals as its String, so JSON output says the same.
		if m, ok := tt.v.(encoding.TextMarshaler); ok {
			b, err := m.MarshalText()
			if err != nil || string(b) != tt.want {
				t.Errorf("%T(%d).MarshalText() = %q, %v; want %q", tt.v, tt.v, b, err, tt.want)
			}
		} else {
			t.Errorf("%T does not implement encoding.TextMarshaler", tt.v)
		}
	}
}
