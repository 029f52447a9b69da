// The assembly of package reach: the Engine and New, which builds every
// element in a fixed order. Each element's own compilation and crossing live
// in its file (docs/architecture.md lists them).

package reach

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach/hset"
)

// Engine is the data plane of one network, built once by New: everything a
// query needs is compiled there, and queries (Trace, Analyze, Matrix,
// Topology, Loops, the packet stepper) only read it, so one Engine serves
// concurrent queries.
type Engine struct {
	net *model.Network
	ix  *model.Index

	nodes    []*node
	internet *node
	eni      map[string]*node
	subnet   map[string]*node
	vpc      map[string]*node
	gw       map[string]*node // igw, eigw, nat, vgw, gateway endpoints, by ID
	service  map[string]*node // by gateway endpoint ID
	onprem   map[string]*node // by VPN connection ID
	pcx      map[[2]string]*node
	tgwrt    map[[2]string]*node
	edges    map[edgeKey]*edge

	subnetACL map[string]*model.NetworkACL
	aclProgs  map[aclKey]*aclProg
	sgRules   map[sgKey][]sgRule
	sgProgs   map[string]*sgProg
	sgMembers map[string][]netip.Addr
	// outsideSpace is where members of a group outside the input may
	// have addresses (outsidePeer); computed once, when a rule needs it.
	outsideSpace []hset.AddrRange
	// lbGroups are the security groups of Network Load Balancers, whose
	// rules naming them match what those forward (see lbExtra).
	lbGroups map[string]bool
	classes  []*class
	classOf  map[*node]*class

	// pub maps, per VPC, public IPv4 addresses to the interface address they
	// translate to; priv is the reverse.
	pub  map[string]map[hset.Addr]natPair
	priv map[string]map[hset.Addr]natPair
	// owners finds the interface owning a private or IPv6 address, per VPC.
	owners map[string]map[netip.Addr]*model.NetworkInterface
	// publicOwner finds the interface behind a public address.
	publicOwner map[netip.Addr]*model.NetworkInterface
	// internetSpace is every public address outside the estate: the
	// addresses "the internet" stands for.
	internetSpace []hset.AddrRange
	// estatePublic are the estate's own public addresses, sorted: part of
	// public space but not hosts on the internet.
	estatePublic []hset.AddrRange
	// care is the space internet sources are judged in, for printing them
	// as few CIDRs (see careSpace).
	care *careSpace

	// ifaces are the interfaces flow logs can name, by number: the
	// network's interfaces, then the transit gateway attachments' in each
	// of their subnets (attIfaces numbers those); natAddrs are the NAT
	// gateways' addresses by number; rules every compiled rule and route
	// by number; places the edges and nodes packets stand at (see
	// Position.ID).
	ifaces     []Crossing
	untracked  map[[2]*sgProg]hset.Set // by New only: see untrackedFlows
	crossBlock []Crossing              // by New only: see crossing
	attIfaces  map[[2]string]int32
	natAddrs   [][]netip.Addr
	rules      []*RuleRef
	places     []Position
	// lbNodes are the load balancers' nodes; lbRoutes every route of
	// every node's listeners, by number (see Translation.LB).
	lbNodes  []*node
	lbRoutes []*lbRoute
	// logIfaces are, by interface number, the filters flow-log records
	// are checked with; ifaceByID and ifaceByAddr find interfaces as logs
	// name them; ruleIfaces and ruleSets describe rules (see flowlogs.go).
	logIfaces   []logIface
	ifaceByID   map[string]int32
	ifaceByAddr map[netip.Addr]int32
	ruleIfaces  map[int32][]int32
	ruleSets    map[int32]hset.Set

	// notes are what the build noticed that answers may depend on
	// (unknown prefix-list entries, unsupported components).
	notes []Explanation
	noted map[noteKey]bool

	// keys name the elements by what they are in Terraform (see
	// model.Keys), computed on first use.
	keysOnce sync.Once
	keys     *model.Keys
	// keyNodes finds interface nodes by key, built on first use.
	keyNodesOnce sync.Once
	keyNodes     map[string]*node
}

type edgeKey struct {
	from, to int64
	kind     edgeKind
}

// New builds the data plane of n. n must be complete (Synthesize has run) and
// valid: New refuses a network whose Validate reports errors.
func New(n *model.Network) (*Engine, error) {
	// Validation and the lookup tables only read n, and the tables are
	// safe to build on an invalid network: they are built on the other
	// processor while it validates.
	var (
		ix        *model.Index
		subnetACL map[string]*model.NetworkACL
		subnetRT  map[string]*model.RouteTable
		done      = make(chan struct{})
	)
	go func() {
		defer close(done)
		ix, subnetACL, subnetRT = n.Index(), n.SubnetACLs(), n.SubnetRouteTables()
	}()
	ds := n.Validate()
	<-done
	if ds.HasErrors() {
		return nil, fmt.Errorf("network is not valid:\n%w", ds)
	}
	e := &Engine{
		net: n, ix: ix,
		eni: map[string]*node{}, subnet: map[string]*node{}, vpc: map[string]*node{},
		gw: map[string]*node{}, service: map[string]*node{}, onprem: map[string]*node{},
		pcx: map[[2]string]*node{}, tgwrt: map[[2]string]*node{}, edges: map[edgeKey]*edge{},
		aclProgs: map[aclKey]*aclProg{}, sgRules: map[sgKey][]sgRule{}, sgProgs: map[string]*sgProg{},
		sgMembers: map[string][]netip.Addr{}, classOf: map[*node]*class{},
		pub: map[string]map[hset.Addr]natPair{}, priv: map[string]map[hset.Addr]natPair{},
		owners: map[string]map[netip.Addr]*model.NetworkInterface{}, publicOwner: map[netip.Addr]*model.NetworkInterface{},
		attIfaces: map[[2]string]int32{}, untracked: map[[2]*sgProg]hset.Set{},
	}
	e.subnetACL = subnetACL
	e.lbGroups = map[string]bool{}
	for _, lb := range n.LoadBalancers {
		if lb.Type == model.LBNetwork {
			for _, g := range lb.SecurityGroupIDs {
				e.lbGroups[g] = true
			}
		}
	}
	// Nodes first, in a fixed order (Topology lists them in it).
	e.internet = e.newNode(nodeInternet, Ref{Kind: "internet", Name: "internet"})
	e.addVPCNodes()
	e.addInterfaceNodes()
	e.addInternetGatewayNodes()
	e.addEgressOnlyNodes()
	e.addNATNodes()
	e.addVPNNodes()
	e.addGatewayEndpointNodes()
	e.addPeeringNodes()
	// Who owns which address, then the compiled rules and the edges.
	e.indexOwners()
	e.indexPublicAddresses()
	e.indexGroupMembers()
	e.compileSecurityGroups()
	e.addInterfaceEdges()
	e.buildSubnetRoutes(subnetRT)
	e.buildVPCFabrics()
	e.buildInternetGateways()
	e.buildEgressOnlyGateways()
	e.buildVPNGateways()
	e.buildGatewayEndpoints()
	e.buildPeerings()
	e.buildVPNAttachments()
	e.buildInternet()
	e.care = newCareSpace(e.internetSpace, e.estatePublic)
	e.buildTGWTables()
	e.buildLoadBalancers()
	e.buildClasses()
	e.classTargets()
	e.numberForPackets()
	e.indexLogInterfaces()
	e.indexRules()
	e.noteUnsupported()
	e.noteUnknownGroups()
	// What only the build needed — caches of compiled programs, indexes of
	// edges and members — goes: queries read the graph.
	e.edges, e.aclProgs, e.sgRules, e.sgProgs, e.sgMembers, e.lbGroups = nil, nil, nil, nil, nil, nil
	e.untracked, e.crossBlock, e.attIfaces = nil, nil, nil
	return e, nil
}

// Network returns the network the engine was built from.
func (e *Engine) Network() *model.Network { return e.net }

// Keys returns the stable keys of the network's elements (model.Keys), which
// do not depend on the IDs AWS assigns at apply.
func (e *Engine) Keys() *model.Keys {
	e.keysOnce.Do(func() { e.keys = e.net.Keys() })
	return e.keys
}

// Notes returns what the build noticed that answers may depend on.
func (e *Engine) Notes() []Explanation { return slices.Clone(e.notes) }

// noteKey is what makes two notes of the build the same note.
type noteKey struct {
	code Code
	comp Ref
	msg  string
}

func (e *Engine) note(code Code, comp Ref, format string, args ...any) {
	x := Explanation{Code: code, Severity: SeverityWarning, Component: comp, Message: fmt.Sprintf(format, args...)}
	// The same element is looked at once per interface or class that
	// depends on it; what it says is said once.
	key := noteKey{x.Code, x.Component, x.Message}
	if e.noted[key] {
		return
	}
	if e.noted == nil {
		e.noted = map[noteKey]bool{}
	}
	e.noted[key] = true
	e.notes = append(e.notes, x)
}

// noteUnsupported says, once per resource type, which resources of the input
// vpcsim does not model: traffic through them (a load balancer's listeners,
// a firewall's rules) is in no answer.
func (e *Engine) noteUnsupported() {
	byType := map[string][]string{}
	var types []string
	reason := map[string]string{}
	for _, u := range e.net.UnsupportedResources {
		if byType[u.Type] == nil {
			types = append(types, u.Type)
			reason[u.Type] = u.Reason
		}
		byType[u.Type] = append(byType[u.Type], u.Label())
	}
	slices.Sort(types)
	for _, t := range types {
		names := byType[t]
		list := strings.Join(names[:min(len(names), 5)], ", ")
		if len(names) > 5 {
			list += fmt.Sprintf(" and %d more", len(names)-5)
		}
		msg := "not modelled: traffic through it is not analysed"
		if len(names) > 1 {
			msg = "not modelled: traffic through them is not analysed"
		}
		if reason[t] != "" {
			msg += " (" + reason[t] + ")"
		}
		e.note(CodeUnsupportedComponent, Ref{Kind: t, Name: list}, "%s", msg)
	}
}

// noteUnknownGroups names the interfaces whose security groups the input
// does not give: answers treat them as filtered by no group, which may show
// more than AWS would let through.
func (e *Engine) noteUnknownGroups() {
	var names []string
	for _, x := range e.net.Interfaces {
		if len(x.SecurityGroupIDs) == 0 && x.SecurityGroupsUnknown() {
			names = append(names, x.Label())
		}
	}
	if len(names) == 0 {
		return
	}
	list := strings.Join(names[:min(len(names), 5)], ", ")
	if len(names) > 5 {
		list += fmt.Sprintf(" and %d more", len(names)-5)
	}
	e.note(CodeSecurityGroupsUnknown, Ref{Kind: "network-interface", Name: list},
		"the input does not say which security groups these interfaces have: answers assume none filters their traffic")
}

func (e *Engine) newNode(kind nodeKind, ref Ref) *node {
	n := &node{id: int64(len(e.nodes)), kind: kind, ref: ref}
	e.nodes = append(e.nodes, n)
	return n
}

// link returns the edge of the given kind between two nodes, creating it with
// its filters the first time. Only New calls it: queries find every edge
// they follow already built.
func (e *Engine) link(from, to *node, kind edgeKind, leave, enter []filter) *edge {
	k := edgeKey{from.id, to.id, kind}
	if ed := e.edges[k]; ed != nil {
		return ed
	}
	ed := &edge{from: from, to: to, kind: kind, leave: leave, enter: enter}
	e.edges[k] = ed
	from.out = append(from.out, ed)
	return ed
}

// gatewayNode adds the node of a gateway attached to a VPC.
func (e *Engine) gatewayNode(kind nodeKind, m *model.Meta, vpcID string) *node {
	nd := e.newNode(kind, refOf(kind.String(), m))
	nd.vpcNode, nd.vpc = e.vpc[vpcID], e.ix.VPCs[vpcID]
	e.gw[m.ID] = nd
	return nd
}

// An element is one kind of AWS component as walks see it. Each element's
// file holds how New compiles it and how a walk crosses it; elements maps
// every node kind to its element, so that adding a kind of component (load
// balancers, say) is one more file and one more line here.
type element interface {
	// cross is how the set walker crosses a node of the element's kind,
	// for traffic that arrived through via (nil where the walk starts).
	cross(w *walker, n *node, via *edge, f flow)
	// step is the same for one packet (the packet stepper): the same
	// compiled programs decide, for a single header.
	step(s *stepper, n *node, via *edge)
}

// elements are the elements of the node kinds.
var elements = [...]element{
	nodeENI:      interfaceElement{},
	nodeSubnet:   subnetElement{},
	nodeVPC:      vpcElement{},
	nodeIGW:      internetGatewayElement{},
	nodeEIGW:     egressOnlyElement{},
	nodeNAT:      natGatewayElement{},
	nodeVGW:      vpnGatewayElement{},
	nodeTGWRT:    transitGatewayElement{},
	nodePCX:      peeringElement{},
	nodeVPCE:     gatewayEndpointElement{},
	nodeInternet: internetElement{},
	nodeOnPrem:   outsideElement{},
	nodeService:  outsideElement{},
	nodeLB:       loadBalancerElement{},
}
