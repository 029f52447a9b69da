package mapper

import (
	"testing"

	"github.com/vpcsim/vpcsim/model"
)

func TestGatewayKind(t *testing.T) {
	m := newMapper("x", Options{})
	for id, want := range map[string]model.TargetKind{
		"local": model.TargetLocal, "igw-0abc": model.TargetInternetGateway, "vgw-1": model.TargetVPNGateway,
		"vpce-1": model.TargetGatewayEndpoint, "eigw-1": model.TargetEgressOnlyGateway,
		"aws_internet_gateway.main":               model.TargetInternetGateway,
		`module.net["a"].aws_vpn_gateway.this[0]`: model.TargetVPNGateway,
		"module.e.aws_vpc_endpoint.s3":            model.TargetGatewayEndpoint,
		"aws_egress_only_internet_gateway.v6.id":  model.TargetEgressOnlyGateway,
		"data.aws_internet_gateway.default":       model.TargetInternetGateway,
	} {
		if got, ok := m.gatewayKind(id); !ok || got != want {
			t.Errorf("%s: %s %v, want %s", id, got, ok, want)
		}
	}
	for _, id := range []string{"nat-1", "aws_nat_gateway.x", "", "gw"} {
		if k, ok := m.gatewayKind(id); ok {
			t.Errorf("%s: %s, want no kind", id, k)
		}
	}
}
