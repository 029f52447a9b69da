package examples_test

import (
	"path/filepath"
	"testing"

	"github.com/vpcsim/vpcsim/examples"
	"github.com/vpcsim/vpcsim/hcl"
	"github.com/vpcsim/vpcsim/model"
)

// Every example loads without an error, from disk and from the embedded
// copy alike, into the network its README describes.
func TestExamplesLoad(t *testing.T) {
	type counts struct{ vpcs, subnets, instances, nats, attachments, peerings, endpoints, lbs, unsupported int }
	want := map[string]counts{
		"three-tier":        {vpcs: 1, subnets: 6, instances: 5, nats: 2, endpoints: 1, lbs: 1},
		"hub-spoke":         {vpcs: 3, subnets: 14, instances: 6, nats: 1, attachments: 4},
		"peering-endpoints": {vpcs: 3, subnets: 5, instances: 5, peerings: 2, endpoints: 2},
		"web-platform":      {vpcs: 1, subnets: 8, instances: 6, nats: 1, endpoints: 2, lbs: 4},
	}
	for _, e := range examples.All() {
		t.Run(e.Name, func(t *testing.T) {
			fromDisk, err := hcl.Load(filepath.FromSlash(e.StatePath))
			for _, d := range fromDisk.Diagnostics {
				if d.Severity == model.SeverityError {
					t.Error(d)
				} else {
					t.Log(d)
				}
			}
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			embedded, err := hcl.LoadBytes(e.StatePath, e.State())
			if err != nil {
				t.Fatalf("LoadBytes: %v", err)
			}
			for _, in := range []*hcl.Input{fromDisk, embedded} {
				n := in.Network
				got := counts{len(n.VPCs), len(n.Subnets), len(n.Instances), len(n.NATGateways), len(n.TGWAttachments),
					len(n.PeeringConnections), len(n.Endpoints), len(n.LoadBalancers), len(n.UnsupportedResources)}
				if got != want[e.Name] {
					t.Errorf("%s: loaded %+v, want %+v", in.Path, got, want[e.Name])
				}
			}
		})
	}
}
