// The data-plane graph: its nodes, edges and filters.

package reach

import (
	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach/hset"
	"gonum.org/v1/gonum/graph"
)

// nodeKind is the kind of a data-plane node.
type nodeKind uint8

const (
	nodeENI      nodeKind = iota + 1 // a network interface: where flows start and end
	nodeSubnet                       // inside one subnet: delivery to its interfaces, routing by its table
	nodeVPC                          // a VPC's fabric: delivery to the subnet that holds the destination
	nodeIGW                          // an internet gateway
	nodeEIGW                         // an egress-only internet gateway
	nodeNAT                          // a NAT gateway
	nodeVGW                          // a virtual private gateway
	nodeTGWRT                        // a transit gateway route table, for traffic that entered in one zone
	nodePCX                          // one direction of a VPC peering connection
	nodeVPCE                         // a gateway endpoint
	nodeInternet                     // the internet
	nodeOnPrem                       // the on-premises network behind one VPN connection
	nodeService                      // the AWS service behind a gateway endpoint
	nodeLB                           // a load balancer's node: its interface in one subnet
)

var nodeKindNames = [...]string{"invalid", "network-interface", "subnet", "vpc", "internet-gateway",
	"egress-only-internet-gateway", "nat-gateway", "vpn-gateway", "transit-gateway-route-table",
	"vpc-peering-connection", "vpc-endpoint", "internet", "on-premises", "aws-service", "network-interface"}

func (k nodeKind) String() string { return nodeKindNames[k] }

// node is a vertex of the data-plane graph.
type node struct {
	id   int64
	kind nodeKind
	ref  Ref
	// zone is, for transit gateway route tables, the availability zone the
	// traffic entered in ("" when it entered from a peering or a VPN); the
	// gateway forwards it out in the same zone when it can.
	zone string

	eni    *model.NetworkInterface
	subnet *model.Subnet
	vpc    *model.VPC
	nat    *model.NATGateway
	vpn    *model.VPNConnection
	tgwrt  *model.TGWRouteTable
	pcx    *model.PeeringConnection
	peer   string // pcx: the VPC the direction leads to

	// cidrs are the subnet's own blocks (subnet nodes): destinations here
	// are delivered, not routed.
	cidrs []hset.AddrRange
	// deliver maps the addresses owned in a subnet to their delivery edge,
	// one address each, sorted (subnet nodes); classDeliver is the same for
	// walks that deliver to interface classes (see class).
	deliver, classDeliver []delivery
	// routes decides where traffic goes by destination; for gateways with
	// two sides, routes serves traffic leaving the VPC and inbound traffic
	// entering it.
	routes, inbound *routeProg
	// vpcNode is the VPC fabric a gateway delivers inbound traffic to.
	vpcNode *node
	// classes are the interface classes of a subnet.
	classes []*class
	// send is how an interface (or a NAT gateway) sends into its subnet.
	send *edge
	// iface is a NAT gateway's interface.
	iface *node
	// lb is what a load balancer node compiles into (nodeLB).
	lb *lbNode
	// returns are, for an interface that is a target of a Network Load
	// Balancer preserving clients' addresses, the ways its replies go back
	// to the load balancer's nodes.
	returns []*edge
	// iid is an interface's number (see Crossing); natID a NAT gateway's;
	// pid the number of the position at the node (see Position.ID).
	iid, natID, pid int32
	// own are, for an interface, the headers addressed to it; for a subnet,
	// those addressed inside its blocks (delivered, not routed); for an
	// internet gateway, those whose source is an IPv6 address of its VPC.
	own hset.Set

	out []*edge
}

// ID implements graph.Node.
func (n *node) ID() int64 { return n.id }

// edgeKind distinguishes how a flow arrives at a node.
type edgeKind uint8

const (
	edgeSend    edgeKind = iota + 1 // an interface sends into its subnet
	edgeDeliver                     // a subnet delivers to the owner of the destination address
	edgeRoute                       // a route (or a gateway's forwarding) moves traffic on
	edgeReturn                      // a target's reply back to the load balancer node that forwarded the request
)

// filterKind is a filter on an edge.
type filterKind uint8

const (
	filterACL         filterKind = iota + 1 // a network ACL direction: stateless
	filterSG                                // an interface's security groups: stateful
	filterSourceCheck                       // an interface's source/destination check
)

// filter is one check an edge applies.
type filter struct {
	kind filterKind
	acl  *aclProg
	sg   *sgProg
	// eni is the interface whose security groups or source check this is,
	// and comp its reference.
	eni  *model.NetworkInterface
	comp Ref
	iid  int32
	// untracked are, for security groups, the headers whose connections
	// AWS does not track (see untrackedFlows).
	untracked hset.Set
	// own are the headers the interface may send: from its addresses
	// (source check).
	own hset.Set
}

// edge is a hop of the data plane: traffic moving from one node to the next
// crosses leave (recorded at the node it leaves) then enter (recorded at the
// node it enters).
type edge struct {
	from, to     *node
	kind         edgeKind
	leave, enter []filter
	// crossings are the network interfaces traffic along the edge passes,
	// where flow logs are written (the packet stepper reports them).
	crossings []Crossing
	// pid is the number of the position on the edge (see Position.ID).
	pid int32
}

// From implements graph.Edge.
func (e *edge) From() graph.Node { return e.from }

// To implements graph.Edge.
func (e *edge) To() graph.Node { return e.to }

// ReversedEdge implements graph.Edge; the data plane is directed, so the
// reverse of an edge is a description only, used by graph algorithms that
// ask for it.
func (e *edge) ReversedEdge() graph.Edge { return &edge{from: e.to, to: e.from, kind: e.kind} }

// drop is a reason traffic stops at a node.
type drop struct {
	code    Code
	comp    Ref
	message string
}
