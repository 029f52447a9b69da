package mapper

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/vpcsim/vpcsim/hcl/resource"
	"github.com/vpcsim/vpcsim/model"
)

// serverENI is an interface whose addresses and groups finalize completes:
// placeholders for addresses unknown until apply, the public address an
// instance gets at launch, the VPC's default group when none is named.
type serverENI struct {
	eni *model.NetworkInterface
	v   view
	// privateUnknown and ipv6Unknown are set when the addresses are not
	// known until apply; ipv6Count is how many IPv6 addresses are wanted.
	privateUnknown bool
	ipv6Unknown    bool
	// publicIP is the known public address; publicUnknown says it is not
	// known until apply, and associate whether the input asks for one
	// (nil: the subnet's map_public_ip_on_launch decides).
	publicIP      netip.Addr
	publicUnknown bool
	associate     *bool
	// sgAttr names the attribute that lists the groups; sgNames are groups
	// named by name (default VPC style), resolved once all groups exist.
	sgAttr  string
	sgNames []string
	// instance is the instance this interface was made for.
	instance *model.Instance
	// placeholderWhy says why the private address is missing when it is
	// not that it is unknown until apply ("" for that).
	placeholderWhy string
	// launches marks the stand-in for the instances an Auto Scaling group
	// launches: they get a public address as an instance would (associate,
	// else the subnet's map_public_ip_on_launch). public marks an interface
	// that always has one (an internet-facing load balancer's node, a
	// publicly accessible database), unknown unless publicIP says it;
	// publicWhy says why it is missing.
	launches, public bool
	publicWhy        string
}

// attachment is an interface attached to an instance at a device index,
// applied once both exist.
type attachment struct {
	v        view
	instance string
	eni      string
	device   int
}

// eni maps aws_network_interface.
func (m *mapper) eni(v view) {
	e := &model.NetworkInterface{Meta: v.meta(), SourceDestCheck: v.boolean("source_dest_check", true)}
	v.regionAccount()
	e.SubnetID = v.needIn(&e.Meta, "subnet_id", "the interface cannot be placed")
	if a, ok := v.addr("private_ip", ipv4); ok {
		e.PrivateIPs = append(e.PrivateIPs, a)
	}
	for _, attr := range []string{"private_ip_list", "private_ips"} {
		for _, a := range v.addrs(attr, ipv4) {
			if !slices.Contains(e.PrivateIPs, a) {
				e.PrivateIPs = append(e.PrivateIPs, a)
			}
		}
	}
	for _, attr := range []string{"ipv6_address_list", "ipv6_addresses"} {
		for _, a := range v.addrs(attr, ipv6) {
			if !slices.Contains(e.IPv6Addrs, a) {
				e.IPv6Addrs = append(e.IPv6Addrs, a)
			}
		}
	}
	for _, g := range v.refs("security_groups") {
		e.SecurityGroupIDs = addUnique(e.SecurityGroupIDs, groupID(g))
	}
	srv := &serverENI{eni: e, v: v, sgAttr: "security_groups",
		privateUnknown: len(e.PrivateIPs) == 0 && (!v.known("private_ip") || v.unknown("private_ip")) && !v.boolean("ipv6_address_list_enabled", false),
	}
	if n, _ := v.integer("ipv6_address_count"); n > 0 && len(e.IPv6Addrs) == 0 {
		srv.ipv6Unknown = true
	}
	for _, b := range v.blocks("attachment") {
		inst := b.ref("instance")
		if inst == "" {
			continue
		}
		dev, _ := b.integer("device_index")
		m.attachments = append(m.attachments, attachment{v: v, instance: inst, eni: e.ID, device: int(dev)})
	}
	m.addENI(e, srv)
}

func (m *mapper) addENI(e *model.NetworkInterface, srv *serverENI) {
	if old := m.enis[e.ID]; old != nil {
		m.diag(model.SeverityWarning, e.Pos, e.Label(), "network interface %s is also described by %s: the first description is kept", e.ID, old.Describe())
		return
	}
	m.enis[e.ID] = e
	m.n.Interfaces = append(m.n.Interfaces, e)
	if srv != nil {
		m.servers = append(m.servers, srv)
	}
}

// instance maps aws_instance: the instance and its primary interface, made
// from the instance's own attributes unless a network_interface block
// attaches an existing interface at device index 0.
func (m *mapper) instance(v view) {
	in := &model.Instance{Meta: v.meta()}
	if id := v.str("spot_instance_id"); id != "" && v.in.Type == "aws_spot_instance_request" {
		in.ID = id // routes and Elastic IPs name the instance, not the request
	}
	v.regionAccount()
	m.instances[in.ID] = in
	m.n.Instances = append(m.n.Instances, in)

	primary := ""
	for _, b := range v.blocks("network_interface") {
		id := b.ref("network_interface_id")
		dev, ok := b.integer("device_index")
		if id == "" || !ok {
			if b.unknown("network_interface_id") {
				b.unknownf("network_interface_id", "the instance's interface at device index %d cannot be placed", dev)
			}
			continue
		}
		if dev == 0 {
			primary = id
		}
		m.attachments = append(m.attachments, attachment{v: v, instance: in.ID, eni: id, device: int(dev)})
	}
	if primary != "" {
		return
	}

	e := &model.NetworkInterface{
		Meta:            model.Meta{ID: v.ref("primary_network_interface_id"), Pos: v.in.Pos, Name: "primary network interface of " + in.Label()},
		SourceDestCheck: v.boolean("source_dest_check", true),
		OwnerKind:       model.OwnerInstance, OwnerID: in.ID,
	}
	if e.ID == "" {
		e.ID = m.resolve(resource.SymbolicID(v.in.Address, "primary_network_interface_id"))
		e.MarkUnknown("id")
	}
	e.SubnetID = v.needIn(&e.Meta, "subnet_id", "the instance's interface cannot be placed")
	if a, ok := v.addr("private_ip", ipv4); ok {
		e.PrivateIPs = append(e.PrivateIPs, a)
	}
	for _, a := range v.addrs("secondary_private_ips", ipv4) {
		if !slices.Contains(e.PrivateIPs, a) {
			e.PrivateIPs = append(e.PrivateIPs, a)
		}
	}
	e.IPv6Addrs = v.addrs("ipv6_addresses", ipv6)
	srv := &serverENI{eni: e, v: v, instance: in, sgAttr: "vpc_security_group_ids",
		privateUnknown: len(e.PrivateIPs) == 0 && (!v.known("private_ip") || v.unknown("private_ip")) && !v.boolean("ipv6_address_only", false),
		ipv6Unknown:    len(e.IPv6Addrs) == 0 && v.unknown("ipv6_addresses"),
	}
	if n, _ := v.integer("ipv6_address_count"); n > 0 && len(e.IPv6Addrs) == 0 {
		srv.ipv6Unknown = true
	}
	for _, g := range v.refs("vpc_security_group_ids") {
		e.SecurityGroupIDs = addUnique(e.SecurityGroupIDs, groupID(g))
	}
	if len(e.SecurityGroupIDs) == 0 && !v.listUnknown("vpc_security_group_ids") {
		// The security_groups argument names groups of the default VPC by
		// name (or by ID).
		srv.sgAttr = "security_groups"
		for _, g := range v.refs("security_groups") {
			if strings.HasPrefix(g, "sg-") || m.sgs[g] != nil {
				e.SecurityGroupIDs = addUnique(e.SecurityGroupIDs, groupID(g))
			} else {
				srv.sgNames = append(srv.sgNames, g)
			}
		}
	}
	if a, ok := v.addr("public_ip", ipv4); ok {
		srv.publicIP = a
	} else {
		srv.publicUnknown = v.unknown("public_ip") || !v.known("public_ip")
	}
	if v.known("associate_public_ip_address") {
		b := v.boolean("associate_public_ip_address", false)
		srv.associate = &b
	}
	m.addENI(e, srv)
	in.InterfaceIDs = []string{e.ID}
}

// eniAttachment maps aws_network_interface_attachment.
func (m *mapper) eniAttachment(v view) {
	inst := v.need("instance_id", "the attachment cannot be placed")
	eni := v.need("network_interface_id", "the attachment cannot be placed")
	dev, ok := v.integer("device_index")
	if !ok && !v.unknown("device_index") {
		v.errorf("device_index is not set: the attachment cannot be placed")
		return
	}
	if inst != "" && eni != "" {
		m.attachments = append(m.attachments, attachment{v: v, instance: inst, eni: eni, device: int(dev)})
	}
}

// eniSGAttachment maps aws_network_interface_sg_attachment.
func (m *mapper) eniSGAttachment(v view) {
	e := m.interfaceRef(v, "network_interface_id", "the security group cannot be attached")
	if e == nil {
		return
	}
	if g := v.need("security_group_id", "the security group cannot be attached"); g != "" {
		e.SecurityGroupIDs = addUnique(e.SecurityGroupIDs, groupID(g))
	}
}

// eip maps aws_eip. Its ID is the allocation ID.
func (m *mapper) eip(v view) {
	e := &model.ElasticIP{Meta: v.meta()}
	v.regionAccount()
	if a := v.ref("allocation_id"); a != "" {
		e.ID = a
	}
	if a, ok := v.addr("public_ip", ipv4); ok {
		e.PublicIP = a
	}
	e.InterfaceID = v.ref("network_interface")
	e.InstanceID = v.ref("instance")
	if e.InterfaceID != "" || e.InstanceID != "" {
		if a, ok := v.addr("private_ip", ipv4); ok {
			e.PrivateIP = a
		} else if a, ok := v.addr("associate_with_private_ip", ipv4); ok {
			e.PrivateIP = a
		}
	}
	m.eips[e.ID] = e
	m.n.ElasticIPs = append(m.n.ElasticIPs, e)
}

// eipAssociation maps aws_eip_association onto its Elastic IP; an
// allocation the input does not describe is added from the association.
func (m *mapper) eipAssociation(v view) {
	id := v.ref("allocation_id")
	e := m.eips[id]
	pub, pubOK := v.addr("public_ip", ipv4)
	if e == nil && pubOK {
		for _, x := range m.n.ElasticIPs {
			if x.PublicIP == pub {
				e = x
			}
		}
	}
	if e == nil {
		if id == "" {
			v.missing("allocation_id", "Elastic IP", id, "the association cannot be placed")
			return
		}
		e = &model.ElasticIP{Meta: model.Meta{ID: id, Address: v.in.Address, Pos: v.in.Pos}}
		if pubOK {
			e.PublicIP = pub
		}
		m.eips[id] = e
		m.n.ElasticIPs = append(m.n.ElasticIPs, e)
	}
	e.InstanceID = v.ref("instance_id")
	e.InterfaceID = v.ref("network_interface_id")
	e.Association = model.Meta{ID: v.str("id"), Address: v.in.Address, Pos: v.in.Pos}
	if e.InstanceID == "" && e.InterfaceID == "" {
		for _, attr := range []string{"instance_id", "network_interface_id"} {
			if v.unknown(attr) {
				v.unknownf(attr, "the Elastic IP cannot be placed")
				return
			}
		}
		v.errorf("association names neither instance_id nor network_interface_id")
		return
	}
	if a, ok := v.addr("private_ip_address", ipv4); ok {
		e.PrivateIP = a
	}
}

// nat maps aws_nat_gateway. Its interface is Synthesize's.
func (m *mapper) nat(v view) {
	g := &model.NATGateway{Meta: v.meta()}
	v.regionAccount()
	g.SubnetID = v.needIn(&g.Meta, "subnet_id", "the NAT gateway cannot be placed")
	g.Private = v.str("connectivity_type") == "private"
	g.AllocationID = v.ref("allocation_id")
	g.InterfaceID = v.ref("network_interface_id")
	if g.InterfaceID == "" && v.unknown("network_interface_id") {
		g.InterfaceID = m.resolve(resource.SymbolicID(v.in.Address, "network_interface_id"))
	}
	if a, ok := v.addr("private_ip", ipv4); ok {
		g.PrivateIP = a
	}
	if a, ok := v.addr("public_ip", ipv4); ok && !g.Private {
		g.PublicIP = a
	}
	if !g.Private && g.AllocationID == "" && v.unknown("allocation_id") {
		v.unknownf("allocation_id", "the NAT gateway's Elastic IP cannot be told; it gets a placeholder public address")
		g.MarkUnknown("allocation_id")
	}
	m.n.NATGateways = append(m.n.NATGateways, g)
}
