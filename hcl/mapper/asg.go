package mapper

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/vpcsim/vpcsim/model"
)

// launchSettings are the network settings of a launch template or
// configuration: what the instances a group launches get.
type launchSettings struct {
	name      string
	groups    []string
	groupsSet bool // the template names groups (else the VPC's default applies)
	associate *bool
}

// launchTemplate maps aws_launch_template and aws_launch_configuration:
// not network elements, but what Auto Scaling groups launch instances with.
// A template's interface at device index 0 decides the public address and,
// when it names them, the groups.
func (m *mapper) launchTemplate(v view) {
	ls := &launchSettings{name: v.in.Address}
	for _, attr := range []string{"vpc_security_group_ids", "security_groups"} {
		for _, g := range v.refs(attr) {
			ls.groups = addUnique(ls.groups, groupID(g))
		}
	}
	if v.in.Type == "aws_launch_configuration" && v.known("associate_public_ip_address") {
		b := v.boolean("associate_public_ip_address", false)
		ls.associate = &b
	}
	for _, b := range v.blocks("network_interfaces") {
		if d, ok := b.integer("device_index"); ok && d != 0 {
			continue
		}
		for _, g := range b.refs("security_groups") {
			ls.groups = addUnique(ls.groups, groupID(g))
		}
		// The provider writes this one as a string: "true", "false" or
		// "" (unset).
		if s := b.str("associate_public_ip_address"); s != "" {
			if a, err := strconv.ParseBool(s); err == nil {
				ls.associate = &a
			}
		}
	}
	ls.groupsSet = len(ls.groups) > 0
	m.ignore(v.in, v.in.Type, "read for the Auto Scaling groups that launch instances from it")
	for _, k := range []string{v.str("id"), v.str("name"), v.in.Address, v.m.resolve(v.str("id"))} {
		if k != "" {
			m.templates[k] = ls
		}
	}
}

// autoScalingGroup maps aws_autoscaling_group: the group, standing for the
// instances it launches (its interfaces are finalize's).
func (m *mapper) autoScalingGroup(v view) {
	g := &model.AutoScalingGroup{Meta: v.meta()}
	v.regionAccount()
	if g.Name == "" {
		g.Name = v.str("name")
	}
	g.SubnetIDs = v.refs("vpc_zone_identifier")
	if len(g.SubnetIDs) == 0 {
		if v.listUnknown("vpc_zone_identifier") {
			g.MarkUnknown("vpc_zone_identifier")
			v.unknownf("vpc_zone_identifier", "the group's instances cannot be placed")
		} else {
			v.warnf("the group names no subnet (vpc_zone_identifier): it launches in the default VPC, which the input does not describe")
		}
	}
	g.TargetGroupIDs = v.refs("target_group_arns")
	g.LoadBalancerIDs = v.refs("load_balancers")
	var tmpl string
	for _, b := range v.blocks("launch_template") {
		tmpl = cmp.Or(b.ref("id"), b.str("name"))
	}
	for _, p := range v.blocks("mixed_instances_policy") {
		for _, lt := range p.blocks("launch_template") {
			for _, s := range lt.blocks("launch_template_specification") {
				tmpl = cmp.Or(tmpl, s.ref("launch_template_id"), s.str("launch_template_name"))
			}
		}
	}
	tmpl = cmp.Or(tmpl, v.ref("launch_configuration"))
	m.applyTemplate(v, g, tmpl)
	m.addAutoScaling(g, v)
}

// applyTemplate gives a group its template's settings.
func (m *mapper) applyTemplate(v view, g *model.AutoScalingGroup, tmpl string) {
	ls := m.templates[tmpl]
	switch {
	case ls != nil:
		g.LaunchTemplate = ls.name
		g.SecurityGroupIDs = slices.Clone(ls.groups)
		g.AssociatePublicIP = ls.associate
	case tmpl != "":
		g.LaunchTemplate = tmpl
		g.MarkUnknown("security_groups")
		v.warnf("launch template %s is not in the input: the groups and public addresses of the instances %s launches are not known", tmpl, g.Label())
	}
}

func (m *mapper) addAutoScaling(g *model.AutoScalingGroup, v view) {
	if m.asgs[g.ID] != nil {
		v.warnf("Auto Scaling group %s is also described by %s: the first description is kept", g.ID, m.asgs[g.ID].Describe())
		return
	}
	m.asgs[g.ID] = g
	m.asgViews[g] = v
	m.n.AutoScalingGroups = append(m.n.AutoScalingGroups, g)
}

// eksNodeGroup maps aws_eks_node_group: a managed node group is an Auto
// Scaling group EKS runs, launching instances in its subnets with its
// launch template's settings, else with the cluster's security group.
func (m *mapper) eksNodeGroup(v view) {
	g := &model.AutoScalingGroup{Meta: v.meta()}
	v.regionAccount()
	if g.Name == "" {
		g.Name = v.str("node_group_name")
	}
	g.SubnetIDs = v.refs("subnet_ids")
	tmpl := ""
	for _, b := range v.blocks("launch_template") {
		tmpl = cmp.Or(b.ref("id"), b.str("name"))
	}
	if tmpl != "" && m.templates[tmpl] != nil && m.templates[tmpl].groupsSet {
		m.applyTemplate(v, g, tmpl)
	} else {
		g.LaunchTemplate = "EKS managed node group of " + v.str("cluster_name")
		m.eksNodeGroups = append(m.eksNodeGroups, eksNodes{g: g, cluster: v.str("cluster_name")})
	}
	if len(v.blocks("remote_access")) > 0 {
		v.notef("remote_access: EKS adds a security group admitting SSH to the nodes, which the input does not describe")
	}
	m.addAutoScaling(g, v)
}

// eksNodes is a node group whose groups are its cluster's, found once every
// cluster is read.
type eksNodes struct {
	g       *model.AutoScalingGroup
	cluster string
}

// autoScalingAttachment maps aws_autoscaling_attachment: the group's
// instances register in a target group or a Classic Load Balancer.
func (m *mapper) autoScalingAttachment(v view) {
	name := v.ref("autoscaling_group_name")
	g := m.asgs[name]
	if g == nil {
		v.missing("autoscaling_group_name", "Auto Scaling group", name, "the registration cannot be placed")
		return
	}
	g.TargetGroupIDs = addUnique(g.TargetGroupIDs, v.ref("lb_target_group_arn"), v.ref("alb_target_group_arn"))
	g.LoadBalancerIDs = addUnique(g.LoadBalancerIDs, v.ref("elb"))
}

// asgInterfaces gives every group its interfaces: the instances the input
// shows it launched (tagged aws:autoscaling:groupName, as AWS tags them)
// join it, and each subnet where it shows none gets one interface standing
// for the instances it may launch there, with the template's groups and
// public address choice and a placeholder address. Its registrations go
// into its target groups and Classic Load Balancers.
func (m *mapper) asgInterfaces() {
	for _, ng := range m.eksNodeGroups {
		for _, s := range m.n.Services {
			if s.Kind == model.ServiceEKSCluster && (s.Name == ng.cluster || s.ID == ng.cluster) {
				ng.g.SecurityGroupIDs = m.eksClusterGroup[s]
			}
		}
	}
	byName := map[string]*model.AutoScalingGroup{}
	for _, g := range m.n.AutoScalingGroups {
		byName[cmp.Or(g.Name, g.ID)] = g
		byName[g.ID] = g
	}
	covered := map[*model.AutoScalingGroup]map[string]bool{}
	for _, in := range m.n.Instances {
		g := byName[in.Tags["aws:autoscaling:groupName"]]
		if g == nil || len(in.InterfaceIDs) == 0 {
			continue
		}
		g.InstanceIDs = addUnique(g.InstanceIDs, in.ID)
		for _, id := range in.InterfaceIDs {
			if e := m.enis[id]; e != nil {
				e.OwnerKind, e.OwnerID = model.OwnerAutoScaling, g.ID
				g.InterfaceIDs = addUnique(g.InterfaceIDs, id)
				if covered[g] == nil {
					covered[g] = map[string]bool{}
				}
				covered[g][e.SubnetID] = true
			}
		}
	}
	for _, g := range m.n.AutoScalingGroups {
		v := m.asgViews[g]
		for _, s := range g.SubnetIDs {
			if covered[g][s] {
				continue
			}
			id := g.Label() + "/" + s
			e := &model.NetworkInterface{
				Meta:     model.Meta{ID: id, Pos: g.Pos, Name: "instances of " + g.Label() + " in " + s},
				SubnetID: s, SourceDestCheck: true, OwnerKind: model.OwnerAutoScaling, OwnerID: g.ID,
				SecurityGroupIDs: slices.Clone(g.SecurityGroupIDs),
			}
			if g.IsUnknown("security_groups") {
				e.MarkUnknown("security_groups")
			}
			srv := &serverENI{eni: e, v: v, sgAttr: "security_groups", privateUnknown: true, launches: true, associate: g.AssociatePublicIP,
				placeholderWhy: "the instances an Auto Scaling group launches get their addresses when launched"}
			if m.enis[id] != nil {
				continue
			}
			m.addENI(e, srv)
			g.InterfaceIDs = append(g.InterfaceIDs, id)
		}
		for _, id := range g.TargetGroupIDs {
			if tg := m.tgs[id]; tg != nil {
				addTarget(tg, model.Target{Meta: model.Meta{Address: g.Address, Pos: g.Pos}, Kind: model.RegAutoScaling, TargetID: g.ID})
			} else if v.in != nil {
				v.aboutf(model.SeverityWarning, id, "target group %s is not in the input: the group's registration in it is not analysed", id)
			}
		}
		for _, id := range g.LoadBalancerIDs {
			for _, tg := range m.classicTGs[id] {
				addTarget(tg, model.Target{Meta: model.Meta{Address: g.Address, Pos: g.Pos}, Kind: model.RegAutoScaling, TargetID: g.ID})
			}
		}
	}
}
