package mapper

import (
	"cmp"
	"net/netip"
	"slices"
	"strings"

	"github.com/vpcsim/vpcsim/model"
)

// Managed services that place interfaces in a VPC. How many interfaces
// each has, and where, follows what AWS documents for the service
// (docs/loading.md, "Launched and managed interfaces"); addresses the input
// does not give are placeholders.

// serviceExtra is what finalize needs of a service to make its interfaces.
type serviceExtra struct {
	v view
	// zone restricts the interfaces to the subnets of one zone (a single-AZ
	// database); "" places one in every subnet.
	zone string
	// zoneUnknown: AWS picks the zone at apply, so which of the interfaces
	// is the real one is not known.
	zoneUnknown bool
	// given are the interfaces the input gives, by subnet (a mount
	// target's, a snapshot's): when there are some, they are all there is.
	given       map[string]*ifaceAddr
	placeholder string
}

// subnetGroup maps aws_db_subnet_group and aws_elasticache_subnet_group:
// not network elements, but where databases and caches place interfaces.
func (m *mapper) subnetGroup(v view) {
	subnets := v.refs("subnet_ids")
	for _, k := range []string{v.str("id"), v.str("name"), v.in.Address} {
		if k != "" {
			m.subnetGroups[v.in.Type+"|"+k] = subnets
		}
	}
	m.ignore(v.in, v.in.Type, "read for the databases and caches placed in its subnets")
}

func (m *mapper) groupSubnets(typ string, v view, attr string) []string {
	name := v.str(attr)
	if s, ok := m.subnetGroups[typ+"|"+name]; ok {
		return s
	}
	if s, ok := m.subnetGroups[typ+"|"+v.ref(attr)]; ok {
		return s
	}
	if name != "" {
		v.warnf("%s %q is not in the input: the subnets of %s are not known", attr, name, v.in.Address)
	}
	return nil
}

func (m *mapper) addService(s *model.Service, x *serviceExtra) {
	if m.services[s.ID] != nil {
		x.v.warnf("%s is also described by %s: the first description is kept", s.ID, m.services[s.ID].Describe())
		return
	}
	if x.given == nil {
		x.given = readInterfaces(x.v)
	}
	m.services[s.ID] = s
	m.serviceCfg[s] = x
	m.n.Services = append(m.n.Services, s)
}

func serviceGroups(v view, attrs ...string) []string {
	var out []string
	for _, a := range attrs {
		for _, g := range v.refs(a) {
			out = addUnique(out, groupID(g))
		}
	}
	return out
}

// dbInstance maps aws_db_instance and aws_rds_cluster_instance: one
// interface, in the subnet of its subnet group in its availability zone
// (one in each subnet when the zone is not known), with a public address
// when it is publicly accessible.
func (m *mapper) dbInstance(v view) {
	s := &model.Service{Meta: v.meta(), Kind: model.ServiceDBInstance}
	v.regionAccount()
	if s.Name == "" {
		s.Name = v.str("identifier")
	}
	x := &serviceExtra{v: v, zone: v.str("availability_zone"), zoneUnknown: v.unknown("availability_zone"),
		placeholder: "AWS gives a database its address, which the input does not say"}
	subnetGroupAttr := "db_subnet_group_name"
	s.SecurityGroupIDs = serviceGroups(v, "vpc_security_group_ids")
	if c := m.rdsClusters[v.ref("cluster_identifier")]; c != nil && v.in.Type == "aws_rds_cluster_instance" {
		if len(s.SecurityGroupIDs) == 0 {
			s.SecurityGroupIDs = c.groups
		}
		if v.str(subnetGroupAttr) == "" {
			v = c.v
		}
		s.Port = c.port
	}
	s.SubnetIDs = m.groupSubnets("aws_db_subnet_group", v, subnetGroupAttr)
	s.Public = x.v.boolean("publicly_accessible", false)
	if p, ok := x.v.port("port"); ok {
		s.Port = p
	} else if s.Port == 0 {
		s.Port = defaultDBPort(x.v.str("engine"))
	}
	m.addService(s, x)
}

// defaultDBPort is the port RDS gives a database of engine when the input
// sets none: the provider computes port at apply, from the engine's default
// (Amazon RDS User Guide, "Connecting to a DB instance": 3306 for MySQL,
// MariaDB and Aurora MySQL, 5432 for PostgreSQL and Aurora PostgreSQL, 1521
// for Oracle, 1433 for SQL Server). 0 for an engine it does not know.
func defaultDBPort(engine string) uint16 {
	switch {
	case engine == "mysql" || engine == "mariadb" || engine == "aurora" || engine == "aurora-mysql":
		return 3306
	case engine == "postgres" || engine == "aurora-postgresql":
		return 5432
	case strings.HasPrefix(engine, "oracle-"):
		return 1521
	case strings.HasPrefix(engine, "sqlserver-"):
		return 1433
	}
	return 0
}

// rdsCluster maps aws_rds_cluster: an Aurora cluster has no interface of its
// own (its endpoints are its instances'); its instances take its groups and
// subnet group.
func (m *mapper) rdsCluster(v view) {
	c := &rdsCluster{v: v, groups: serviceGroups(v, "vpc_security_group_ids")}
	c.port, _ = v.port("port")
	for _, k := range []string{v.str("id"), v.str("cluster_identifier"), v.in.Address} {
		if k != "" {
			m.rdsClusters[k] = c
		}
	}
	m.ignore(v.in, v.in.Type, "its instances (aws_rds_cluster_instance) are its interfaces")
}

type rdsCluster struct {
	v      view
	groups []string
	port   uint16
}

// eksCluster maps aws_eks_cluster: EKS places its control plane's
// interfaces (up to four) in the cluster's subnets, with the cluster
// security group and the additional groups; one interface per subnet
// stands for them.
func (m *mapper) eksCluster(v view) {
	s := &model.Service{Meta: v.meta(), Kind: model.ServiceEKSCluster}
	v.regionAccount()
	if s.Name == "" {
		s.Name = v.str("name")
	}
	x := &serviceExtra{v: v, placeholder: "EKS gives its control plane's interfaces their addresses, which the input does not say"}
	for _, b := range v.blocks("vpc_config") {
		s.SubnetIDs = b.refs("subnet_ids")
		s.VPCID = b.ref("vpc_id")
		s.SecurityGroupIDs = serviceGroups(b, "security_group_ids")
		if g := b.ref("cluster_security_group_id"); g != "" {
			m.eksClusterGroup[s] = []string{g}
			s.SecurityGroupIDs = addUnique([]string{g}, s.SecurityGroupIDs...)
		} else if b.unknown("cluster_security_group_id") {
			g := m.resolve(v.in.Address + ".vpc_config[0].cluster_security_group_id")
			m.eksClusterGroup[s] = []string{g}
			s.MarkUnknown("security_groups")
		}
	}
	m.addService(s, x)
}

// lambdaFunction maps aws_lambda_function attached to a VPC: Lambda creates
// a Hyperplane interface for each subnet and security-group combination the
// function uses; one per subnet stands for them.
func (m *mapper) lambdaFunction(v view) {
	var subnets, groups []string
	vpc := ""
	for _, b := range v.blocks("vpc_config") {
		subnets = b.refs("subnet_ids")
		groups = serviceGroups(b, "security_group_ids")
		vpc = b.ref("vpc_id")
	}
	if len(subnets) == 0 {
		m.ignore(v.in, v.in.Type, "a function not attached to a VPC sends from AWS's network, not from the estate's")
		return
	}
	s := &model.Service{Meta: v.meta(), Kind: model.ServiceLambda, SubnetIDs: subnets, SecurityGroupIDs: groups, VPCID: vpc}
	v.regionAccount()
	if s.Name == "" {
		s.Name = v.str("function_name")
	}
	m.addService(s, &serviceExtra{v: v, placeholder: "Lambda gives a function's interfaces their addresses, which the input does not say"})
}

// elastiCache maps aws_elasticache_cluster and
// aws_elasticache_replication_group: its nodes have interfaces in the
// subnets of its subnet group; one per subnet stands for them (in its zone
// when it names one).
func (m *mapper) elastiCache(v view) {
	s := &model.Service{Meta: v.meta(), Kind: model.ServiceElastiCache}
	v.regionAccount()
	if s.Name == "" {
		s.Name = cmp.Or(v.str("cluster_id"), v.str("replication_group_id"))
	}
	s.SubnetIDs = m.groupSubnets("aws_elasticache_subnet_group", v, "subnet_group_name")
	s.SecurityGroupIDs = serviceGroups(v, "security_group_ids")
	s.Port, _ = v.port("port")
	x := &serviceExtra{v: v, placeholder: "ElastiCache gives its nodes their addresses, which the input does not say"}
	if n, _ := v.integer("num_cache_nodes"); n <= 1 {
		x.zone = v.str("availability_zone")
	}
	m.addService(s, x)
}

// efsMountTarget maps aws_efs_mount_target: one interface in its subnet,
// with its address and interface ID when the state has them.
func (m *mapper) efsMountTarget(v view) {
	s := &model.Service{Meta: v.meta(), Kind: model.ServiceEFSMountTarget, Port: 2049}
	v.regionAccount()
	subnet := v.needIn(&s.Meta, "subnet_id", "the mount target cannot be placed")
	s.SubnetIDs = addUnique(nil, subnet)
	s.SecurityGroupIDs = serviceGroups(v, "security_groups")
	x := &serviceExtra{v: v, given: map[string]*ifaceAddr{},
		placeholder: "EFS gives a mount target its address, which the input does not say"}
	if subnet != "" {
		na := &ifaceAddr{id: v.ref("network_interface_id")}
		na.private, _ = v.addr("ip_address", ipv4)
		x.given[subnet] = na
	}
	m.addService(s, x)
}

// serviceInterfaces gives every service its interfaces: one per subnet it
// places interfaces in (only those of its zone when it names one), with its
// groups, the address the input gives or a placeholder, and a public
// address when it is publicly accessible.
func (m *mapper) serviceInterfaces() {
	for _, s := range m.n.Services {
		x := m.serviceCfg[s]
		if x == nil {
			continue
		}
		subnets := s.SubnetIDs
		switch {
		case len(x.given) > 0:
			subnets = nil
			for _, id := range s.SubnetIDs {
				if x.given[id] != nil {
					subnets = append(subnets, id)
				}
			}
			var extra []string
			for id := range x.given {
				if !slices.Contains(subnets, id) {
					extra = append(extra, id)
				}
			}
			slices.Sort(extra)
			subnets = append(subnets, extra...)
			s.SubnetIDs = append(s.SubnetIDs, extra...)
		case x.zone != "":
			var in []string
			for _, id := range subnets {
				if sn := m.subnets[id]; sn != nil && sn.AvailabilityZone == x.zone {
					in = append(in, id)
				}
			}
			if len(in) > 0 {
				subnets = in
			}
		case x.zoneUnknown && len(subnets) > 1:
			// One interface in each subnet stands for the one AWS places.
			s.MarkUnknown("interface_ids")
		}
		if s.VPCID == "" {
			for _, id := range subnets {
				if sn := m.subnets[id]; sn != nil {
					s.VPCID = sn.VPCID
					break
				}
			}
		}
		owner := model.OwnerService
		if s.Kind == model.ServiceLambda {
			owner = model.OwnerLambda
		}
		for _, sub := range subnets {
			na := x.given[sub]
			if na == nil {
				na = &ifaceAddr{}
			}
			id := cmp.Or(na.id, s.Label()+"/"+sub)
			e := &model.NetworkInterface{
				Meta:     model.Meta{ID: id, Pos: s.Pos, Name: "interface of " + s.Label() + " in " + sub},
				SubnetID: sub, SourceDestCheck: true, OwnerKind: owner, OwnerID: s.ID,
				SecurityGroupIDs: slices.Clone(s.SecurityGroupIDs),
			}
			if na.private.IsValid() {
				e.PrivateIPs = []netip.Addr{na.private}
			}
			if s.IsUnknown("security_groups") {
				e.MarkUnknown("security_groups")
			}
			srv := &serverENI{eni: e, v: x.v, sgAttr: "security_groups", privateUnknown: len(e.PrivateIPs) == 0, placeholderWhy: x.placeholder}
			if s.Public {
				if na.public.IsValid() {
					srv.publicIP = na.public
				} else {
					srv.public = true
				}
				srv.publicWhy = "a publicly accessible database has a public address, which the input does not say"
			}
			if m.enis[id] != nil {
				s.InterfaceIDs = addUnique(s.InterfaceIDs, id)
				continue
			}
			m.addENI(e, srv)
			s.InterfaceIDs = append(s.InterfaceIDs, id)
		}
	}
}
