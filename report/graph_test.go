package report

import (
	"bytes"
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/reach"
)

// loopTopology is two VPCs behind two peered transit gateway tables that
// route 10.9.0.0/16 to each other: a routing loop.
func loopTopology() (*reach.Topology, []reach.Loop) {
	ref := func(kind, id string) reach.Ref { return reach.Ref{Kind: kind, ID: id} }
	t := &reach.Topology{
		Nodes: []reach.TopoNode{
			{ID: "vpc:vpc-a", Kind: "vpc", Component: ref("vpc", "vpc-a"), VPC: "vpc-a"},
			{ID: "subnet:subnet-a", Kind: "subnet", Component: ref("subnet", "subnet-a"), VPC: "vpc-a"},
			{ID: "network-interface:eni-1", Kind: "network-interface", Component: ref("network-interface", "eni-1"),
				Owner: reach.Ref{Kind: "instance", ID: "i-1", Address: `aws_instance.app["a"]`}, VPC: "vpc-a", Subnet: "subnet-a"},
			{ID: "transit-gateway-route-table:rtb-1@use1-az1", Kind: "transit-gateway-route-table", Component: ref("transit-gateway-route-table", "rtb-1"), Zone: "use1-az1"},
			{ID: "transit-gateway-route-table:rtb-2", Kind: "transit-gateway-route-table", Component: ref("transit-gateway-route-table", "rtb-2")},
			{ID: "internet:", Kind: "internet", Component: reach.Ref{Kind: "internet", Name: "internet"}},
		},
		Edges: []reach.TopoEdge{
			{From: "network-interface:eni-1", To: "subnet:subnet-a", Kind: "send"},
			{From: "subnet:subnet-a", To: "network-interface:eni-1", Kind: "deliver"},
			{From: "subnet:subnet-a", To: "transit-gateway-route-table:rtb-1@use1-az1", Kind: "route", Routes: []string{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"}},
			{From: "transit-gateway-route-table:rtb-1@use1-az1", To: "transit-gateway-route-table:rtb-2", Kind: "route", Routes: []string{"10.9.0.0/16"}},
			{From: "transit-gateway-route-table:rtb-2", To: "transit-gateway-route-table:rtb-1@use1-az1", Kind: "route", Routes: []string{"10.9.0.0/16"}},
		},
	}
	loops := []reach.Loop{{Nodes: []string{"transit-gateway-route-table:rtb-1@use1-az1", "transit-gateway-route-table:rtb-2"}, Destinations: []netip.Prefix{netip.MustParsePrefix("10.9.0.0/16")}}}
	return t, loops
}

func TestGraphDOT(t *testing.T) {
	top, loops := loopTopology()
	var b bytes.Buffer
	if err := WriteGraph(&b, top, loops, "dot"); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		`subgraph "cluster_vpc_vpc-a" {`,
		`subgraph "cluster_subnet_subnet-a" {`,
		// The owner names the interface; quotes in addresses are escaped.
		`"network-interface:eni-1" [label="aws_instance.app[\"a\"]\nnetwork-interface eni-1"`,
		// Long route lists are cut.
		`label="10.0.0.0/8\n172.16.0.0/12\n192.168.0.0/16\n+1 more"`,
		// The loop in red, both ways, with what loops.
		`"transit-gateway-route-table:rtb-1@use1-az1" -> "transit-gateway-route-table:rtb-2" [label="10.9.0.0/16\nLOOP: 10.9.0.0/16", color=red`,
		`"transit-gateway-route-table:rtb-2" -> "transit-gateway-route-table:rtb-1@use1-az1" [label="10.9.0.0/16\nLOOP: 10.9.0.0/16", color=red`,
		`"transit-gateway-route-table:rtb-2" [label="rtb-2\ntransit-gateway-route-table", shape=box, style=filled, fillcolor="#f2f2f2", color=red, penwidth=2];`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("DOT lacks %s\n%s", want, out)
		}
	}
	if strings.Count(out, ", color=red") != 4 {
		t.Errorf("want 2 red nodes and 2 red edges:\n%s", out)
	}
	if strings.Count(out, "{") != strings.Count(out, "}") {
		t.Errorf("unbalanced braces:\n%s", out)
	}
	// The TGW tables are outside every VPC cluster.
	if i, j := strings.Index(out, "rtb-2\" [label"), strings.Index(out, "subgraph"); i > j {
		t.Errorf("outside nodes must come before the clusters:\n%s", out)
	}
}

func TestGraphMermaid(t *testing.T) {
	top, loops := loopTopology()
	var b bytes.Buffer
	if err := WriteGraph(&b, top, loops, "mermaid"); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"flowchart LR\n",
		`subgraph v0["vpc-a"]`,
		`subgraph v0s0["subnet-a"]`,
		`["aws_instance.app[#quot;a#quot;]<br/>network-interface eni-1"]`,
		`(("internet"))`,
		`-->|"10.9.0.0/16<br/>LOOP: 10.9.0.0/16"|`,
		"class n1 loop",
		"-.->",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("Mermaid lacks %s\n%s", want, out)
		}
	}
	ends := 0
	for _, l := range strings.Split(out, "\n") {
		if strings.TrimSpace(l) == "end" {
			ends++
		}
	}
	if strings.Count(out, "subgraph ") != ends {
		t.Errorf("unbalanced subgraphs:\n%s", out)
	}
	// linkStyle names the loop edges by their index among the links.
	var links []string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "-->") || strings.Contains(l, "-.->") {
			links = append(links, l)
		}
	}
	var styled []string
	for _, l := range strings.Split(out, "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(l), "linkStyle "); ok {
			idx, _, _ := strings.Cut(rest, " ")
			styled = strings.Split(idx, ",")
		}
	}
	if len(styled) != 2 {
		t.Fatalf("linkStyle names %v, want the two loop edges\n%s", styled, out)
	}
	for _, s := range styled {
		n := 0
		for _, c := range s {
			n = n*10 + int(c-'0')
		}
		if n >= len(links) || !strings.Contains(links[n], "LOOP") {
			t.Errorf("linkStyle %d is not a loop edge: %v", n, links)
		}
	}
}

// TestGraphDeterministic checks that the order of the topology does not
// change the drawing.
func TestGraphDeterministic(t *testing.T) {
	e := sample(t)
	top := e.Topology()
	for _, format := range GraphFormats {
		var want bytes.Buffer
		if err := WriteGraph(&want, top, nil, format); err != nil {
			t.Fatal(err)
		}
		rnd := rand.New(rand.NewPCG(1, 1))
		for range 5 {
			shuffled := &reach.Topology{Nodes: append([]reach.TopoNode(nil), top.Nodes...), Edges: append([]reach.TopoEdge(nil), top.Edges...)}
			rnd.Shuffle(len(shuffled.Nodes), func(i, j int) { shuffled.Nodes[i], shuffled.Nodes[j] = shuffled.Nodes[j], shuffled.Nodes[i] })
			rnd.Shuffle(len(shuffled.Edges), func(i, j int) { shuffled.Edges[i], shuffled.Edges[j] = shuffled.Edges[j], shuffled.Edges[i] })
			var got bytes.Buffer
			if err := WriteGraph(&got, shuffled, nil, format); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Fatalf("%s: the drawing depends on the topology's order:\n%s", format, firstDiff(want.Bytes(), got.Bytes()))
			}
		}
	}
}
