package report

import (
	"bytes"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/model"
)

// bigNetwork is an estate too large to draw whole: vpcs VPCs of subnets
// subnets of enis instances each, of which only the first instance of the
// first subnet of each VPC admits SSH from anywhere.
func bigNetwork(vpcs, subnets, enis int) *model.Network {
	n := &model.Network{Region: "us-east-1"}
	for v := range vpcs {
		vid := fmt.Sprintf("vpc-%d", v)
		n.VPCs = append(n.VPCs, &model.VPC{Meta: model.Meta{ID: vid}, CIDRs: []netip.Prefix{pfx(fmt.Sprintf("10.%d.0.0/16", v))}})
		n.InternetGateways = append(n.InternetGateways, &model.InternetGateway{Meta: model.Meta{ID: "igw-" + vid}, VPCID: vid})
		rt := &model.RouteTable{Meta: model.Meta{ID: "rtb-" + vid}, VPCID: vid, Main: true,
			Routes: []model.Route{{Destination: pfx("0.0.0.0/0"), Target: model.RouteTarget{Kind: model.TargetInternetGateway, ID: "igw-" + vid}}}}
		n.RouteTables = append(n.RouteTables, rt)
		open := &model.SecurityGroup{Meta: model.Meta{ID: "sg-open-" + vid}, VPCID: vid,
			Ingress: []model.SGRule{sgRule(1, model.Ingress, model.ProtocolTCP, model.Port(22), cidrPeer("0.0.0.0/0"))}}
		closed := &model.SecurityGroup{Meta: model.Meta{ID: "sg-closed-" + vid}, VPCID: vid}
		n.SecurityGroups = append(n.SecurityGroups, open, closed)
		for s := range subnets {
			sid := fmt.Sprintf("subnet-%d-%d", v, s)
			n.Subnets = append(n.Subnets, &model.Subnet{Meta: model.Meta{ID: sid}, VPCID: vid, CIDR: pfx(fmt.Sprintf("10.%d.%d.0/24", v, s))})
			for i := range enis {
				priv := ip(fmt.Sprintf("10.%d.%d.%d", v, s, 10+i))
				x := &model.NetworkInterface{Meta: model.Meta{ID: fmt.Sprintf("eni-%d-%d-%d", v, s, i)}, SubnetID: sid,
					PrivateIPs: []netip.Addr{priv}, SecurityGroupIDs: []string{closed.ID}, SourceDestCheck: true}
				if s == 0 && i == 0 {
					x.SecurityGroupIDs = []string{open.ID}
					x.PublicIPs = []model.PublicIP{{Public: ip(fmt.Sprintf("54.0.%d.1", v)), Private: priv}}
				}
				n.Interfaces = append(n.Interfaces, x)
			}
		}
	}
	return n
}

func TestDiagramOfALargeEstate(t *testing.T) {
	r, _ := reportOf(t, bigNetwork(3, 25, 4))
	if len(r.Findings) != 3 {
		t.Fatalf("%d findings, want SSH on 3 interfaces", len(r.Findings))
	}
	d := buildDiagram(r)
	if d == nil {
		t.Fatal("no diagram")
	}
	// 75 subnets are more than a page can show: only the 3 on the exposed
	// paths are drawn, and 300 interfaces: only the 3 exposed ones.
	var subnets, enis int
	for _, b := range d.Boxes {
		if b.Class == "subnet" {
			subnets++
		}
	}
	for _, n := range d.Nodes {
		if strings.Contains(n.Class, "k-network-interface") {
			enis++
		}
	}
	if subnets != 3 || enis != 3 {
		t.Errorf("drew %d subnets and %d interfaces, want 3 and 3", subnets, enis)
	}
	for _, want := range []string{"72 subnets in 3 VPCs off the exposed paths", "9 interfaces in 3 VPCs that nothing reaches"} {
		if !strings.Contains(d.Caption, want) {
			t.Errorf("caption %q lacks %q", d.Caption, want)
		}
	}
	hot := 0
	for _, e := range d.Edges {
		if e.Arrow {
			hot++
		}
	}
	// internet -> igw -> VPC router -> subnet, per VPC.
	if hot != 9 {
		t.Errorf("%d exposed edges drawn, want 9", hot)
	}
	if d.Width > dMaxWidth+2*dPad+1 {
		t.Errorf("diagram %v wide: VPCs must wrap", d.Width)
	}
	// The boxes do not overlap.
	for i, a := range d.Boxes {
		for _, b := range d.Boxes[i+1:] {
			if a.Class == b.Class && a.X < b.X+b.W && b.X < a.X+a.W && a.Y < b.Y+b.H && b.Y < a.Y+a.H {
				t.Errorf("%s %s overlaps %s", a.Class, a.Label, b.Label)
			}
		}
	}
}

// TestHTMLEscapes checks that names from the input cannot inject markup.
func TestHTMLEscapes(t *testing.T) {
	n := sampleNetwork()
	for _, in := range n.Instances {
		if in.ID == "i-0web" {
			in.Address = `aws_instance.web["<img src=x onerror=alert(1)>"]`
		}
	}
	r, _ := reportOf(t, n)
	var b bytes.Buffer
	if err := WriteReport(&b, r, "html"); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "<img") {
		t.Error("an element name reached the page as markup")
	}
	if !strings.Contains(b.String(), "&lt;img src=x onerror=alert(1)&gt;") {
		t.Error("the escaped name is missing")
	}
	b.Reset()
	if err := WriteReport(&b, r, "markdown"); err != nil {
		t.Fatal(err)
	}
	// Inside a code span Markdown shows text as it is; anywhere else it
	// would be markup.
	md := b.String()
	if n := strings.Count(md, "<img"); n == 0 || n != strings.Count(md, "`aws_instance.web[\"<img src=x onerror=alert(1)>\"]`") {
		t.Errorf("an element name reached the Markdown outside a code span:\n%s", md)
	}
}

// TestHTMLSelfContained checks that the page fetches nothing.
func TestHTMLSelfContained(t *testing.T) {
	var b bytes.Buffer
	if err := WriteReport(&b, sampleReport(t), "html"); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, bad := range []string{"<script", "<link", "@import", "src=", "url(http", "<iframe", "<img"} {
		if strings.Contains(page, bad) {
			t.Errorf("the page holds %q", bad)
		}
	}
}
