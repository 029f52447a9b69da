package reach

import (
	"fmt"
	"strings"

	"testing"

	"github.com/vpcsim/vpcsim/model"
)

func TestMatrix(t *testing.T) {
	n := newNet()
	base(n)
	withNAT(n)
	e := n.engine(t)
	m, err := e.Matrix(MatrixOptions{By: BySubnet, Internet: true})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, c := range m.Cells {
		var svcs []string
		for _, sv := range c.Services {
			svcs = append(svcs, sv.String())
		}
		got[c.From+" -> "+c.To] = strings.Join(svcs, ", ")
	}
	want := map[string]string{
		// web's group admits 22, 80 and 443 from anywhere, app's admits 8080
		// from web's group only.
		"internet -> test.subnet-pub":         "tcp 22, tcp 80, tcp 443",
		"test.subnet-pub -> test.subnet-priv": "tcp 8080",
		"test.subnet-priv -> test.subnet-pub": "tcp 22, tcp 80, tcp 443",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("cells %v, want %v", got, want)
	}
	if _, err := e.Matrix(MatrixOptions{By: "colour"}); err == nil {
		t.Error("an invalid grouping is accepted")
	}
}

func TestTopology(t *testing.T) {
	n := newNet()
	base(n)
	withNAT(n)
	e := n.engine(t)
	top := e.Topology()
	ids := map[string]bool{}
	for _, nd := range top.Nodes {
		if ids[nd.ID] {
			t.Errorf("node ID %s is used twice", nd.ID)
		}
		ids[nd.ID] = true
	}
	for _, ed := range top.Edges {
		if !ids[ed.From] || !ids[ed.To] {
			t.Errorf("edge %s -> %s names a node that does not exist", ed.From, ed.To)
		}
	}
	want := map[string]bool{"subnet:subnet-pub -> internet-gateway:igw-1 [0.0.0.0/0]": false, "subnet:subnet-priv -> nat-gateway:nat-1 [0.0.0.0/0]": false}
	for _, ed := range top.Edges {
		k := ed.From + " -> " + ed.To + " " + fmt.Sprint(ed.Routes)
		if _, ok := want[k]; ok {
			want[k] = true
		}
	}
	for k, seen := range want {
		if !seen {
			t.Errorf("missing edge %s", k)
		}
	}
	if len(e.Loops()) != 0 {
		t.Errorf("loops in a network without loops: %v", e.Loops())
	}
}

func TestLoopsFindsRoutingLoop(t *testing.T) {
	n := newNet()
	hub(n)
	n.TransitGateways = append(n.TransitGateways, &model.TransitGateway{Meta: meta("tgw-2")})
	n.TGWAttachments = append(n.TGWAttachments, &model.TGWAttachment{Meta: meta("tgw-attach-peer"), Kind: model.TGWAttachPeering,
		TransitGatewayID: "tgw-1", PeerTransitGatewayID: "tgw-2", DefaultAssociation: true})
	n.Synthesize()
	n.TGWRouteTables[0].Routes = append(n.TGWRouteTables[0].Routes, model.TGWRoute{Destination: pfx("10.9.0.0/16"), AttachmentID: "tgw-attach-peer"})
	n.TGWRouteTables = append(n.TGWRouteTables, &model.TGWRouteTable{Meta: meta("tgw-2-rtb"), TransitGatewayID: "tgw-2",
		Associations: []model.TGWRouteTableLink{{AttachmentID: "tgw-attach-peer"}},
		Routes:       []model.TGWRoute{{Destination: pfx("10.9.0.0/16"), AttachmentID: "tgw-attach-peer"}}})
	e := n.engine(t)
	ls := e.Loops()
	if len(ls) != 1 || len(ls[0].Nodes) != 2 || fmt.Sprint(ls[0].Destinations) != "[10.9.0.0/16]" {
		t.Fatalf("loops = %+v, want 10.9.0.0/16 between the two peered tables", ls)
	}
}

func TestLoopsIgnoresPeeringBothWays(t *testing.T) {
	n := newNet()
	peeredTGW(n)
	if ls := n.engine(t).Loops(); len(ls) != 0 {
		t.Errorf("routes both ways across a peering are not a loop: %+v", ls)
	}
}
