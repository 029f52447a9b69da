package hcl

import (
	"slices"
	"testing"

	"github.com/vpcsim/vpcsim/model"
)

// Load balancers, target groups and what registers targets in them; Auto
// Scaling groups; managed services. See docs/loading.md, "Load balancers"
// and "Launched and managed interfaces".
func TestMapLoadBalancers(t *testing.T) {
	base := []res{
		r("aws_vpc", "a", vpcA), r("aws_subnet", "a", subnetA), r("aws_subnet", "b", subnetB),
		r("aws_security_group", "alb", `{"id": "sg-alb", "vpc_id": "vpc-a", "name": "alb", "ingress": [], "egress": []}`),
		r("aws_security_group", "app", `{"id": "sg-app", "vpc_id": "vpc-a", "name": "app", "ingress": [], "egress": []}`),
		r("aws_instance", "web", `{"id": "i-web", "subnet_id": "subnet-a", "private_ip": "10.0.1.10", "vpc_security_group_ids": ["sg-app"], "primary_network_interface_id": "eni-web"}`),
	}
	const albARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/1"
	const tgARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/2"
	const apiARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/3"
	alb := r("aws_lb", "web", `{"id": "`+albARN+`", "arn": "`+albARN+`", "name": "web", "load_balancer_type": "application", "internal": false,
		"subnets": ["subnet-a", "subnet-b"], "security_groups": ["sg-alb"], "vpc_id": "vpc-a", "subnet_mapping": []}`)
	tg := r("aws_lb_target_group", "web", `{"id": "`+tgARN+`", "arn": "`+tgARN+`", "name": "web", "port": 8080, "protocol": "HTTP", "target_type": "instance",
		"vpc_id": "vpc-a", "health_check": [{"enabled": true, "port": "8081", "protocol": "HTTP"}]}`)
	runMapCases(t, []mapCase{{
		// An internet-facing ALB in two subnets: a node interface in each,
		// with its groups, a placeholder private and public address; a
		// listener forwarding to a target group with one attachment; a
		// listener rule adding a second group.
		name: "application load balancer",
		rs: append(slices.Clone(base), alb, tg,
			r("aws_lb_target_group", "api", `{"id": "`+apiARN+`", "arn": "`+apiARN+`", "name": "api", "port": 9090, "protocol": "HTTP", "target_type": "ip", "vpc_id": "vpc-a"}`),
			r("aws_lb_listener", "https", `{"id": "lis-1", "arn": "lis-1", "load_balancer_arn": "`+albARN+`", "port": 443, "protocol": "HTTPS",
				"default_action": [{"type": "forward", "target_group_arn": "`+tgARN+`", "forward": []}]}`),
			r("aws_lb_listener", "http", `{"id": "lis-2", "arn": "lis-2", "load_balancer_arn": "`+albARN+`", "port": 80, "protocol": "HTTP",
				"default_action": [{"type": "redirect", "target_group_arn": "", "redirect": [{"port": "443", "protocol": "HTTPS", "status_code": "HTTP_301"}]}]}`),
			r("aws_lb_listener_rule", "api", `{"id": "rule-1", "arn": "rule-1", "listener_arn": "lis-1", "priority": 10,
				"action": [{"type": "forward", "target_group_arn": "`+apiARN+`"}],
				"condition": [{"host_header": [{"values": ["api.example.com"]}], "path_pattern": [], "http_header": [], "source_ip": []}]}`),
			r("aws_lb_target_group_attachment", "web", `{"id": "att-1", "target_group_arn": "`+tgARN+`", "target_id": "i-web", "port": 8080}`),
			r("aws_lb_target_group_attachment", "ip", `{"id": "att-2", "target_group_arn": "`+apiARN+`", "target_id": "10.0.2.99", "port": 9090, "availability_zone": ""}`),
		),
		check: func(t *testing.T, n *model.Network) {
			lb := findLB(n, albARN)
			if lb == nil || lb.Type != model.LBApplication || lb.Internal || !lb.CrossZone || !slices.Equal(lb.SecurityGroupIDs, []string{"sg-alb"}) {
				t.Fatalf("load balancer %+v", lb)
			}
			if len(lb.InterfaceIDs) != 2 {
				t.Fatalf("node interfaces %v, want one per subnet", lb.InterfaceIDs)
			}
			for _, id := range lb.InterfaceIDs {
				e := findENI(n, id)
				if e.OwnerKind != model.OwnerLoadBalancer || e.OwnerID != albARN || !slices.Equal(e.SecurityGroupIDs, []string{"sg-alb"}) ||
					len(e.PrivateIPs) != 1 || len(e.PublicIPs) != 1 || !e.PublicIPs[0].Placeholder {
					t.Errorf("node %+v", e)
				}
			}
			if len(lb.Listeners) != 2 {
				t.Fatalf("listeners %+v", lb.Listeners)
			}
			for _, l := range lb.Listeners {
				switch l.Port {
				case 443:
					var tgs []string
					for _, f := range l.Forwards {
						tgs = append(tgs, f.TargetGroupID)
					}
					if l.Protocol != "HTTPS" || !slices.Equal(tgs, []string{tgARN, apiARN}) {
						t.Errorf("listener 443 forwards to %v", l.Forwards)
					}
				case 80:
					if len(l.Forwards) != 0 {
						t.Errorf("a redirect forwards to %v", l.Forwards)
					}
				}
			}
			g := findTG(n, tgARN)
			if g == nil || g.Port != 8080 || g.HealthCheckPort != 8081 || len(g.Targets) != 1 ||
				g.Targets[0].Kind != model.RegInstance || g.Targets[0].TargetID != "i-web" || g.Targets[0].Port != 8080 {
				t.Errorf("target group %+v", g)
			}
			if a := findTG(n, apiARN); a == nil || len(a.Targets) != 1 || a.Targets[0].Kind != model.RegIP || a.Targets[0].TargetID != "10.0.2.99" {
				t.Errorf("ip target group %+v", a)
			}
		},
	}, {
		// An internal NLB without groups, cross-zone from the attribute,
		// client IP preservation as the target group says.
		name: "network load balancer",
		rs: append(slices.Clone(base),
			r("aws_lb", "nlb", `{"id": "nlb-1", "arn": "nlb-1", "name": "nlb", "load_balancer_type": "network", "internal": true, "subnets": ["subnet-a"],
				"security_groups": [], "enable_cross_zone_load_balancing": true, "subnet_mapping": [{"subnet_id": "subnet-a", "private_ipv4_address": "10.0.1.200", "allocation_id": "", "ipv6_address": ""}]}`),
			r("aws_lb_target_group", "tcp", `{"id": "tg-tcp", "arn": "tg-tcp", "name": "tcp", "port": 6514, "protocol": "TCP", "target_type": "ip", "vpc_id": "vpc-a", "preserve_client_ip": "false"}`),
			r("aws_lb_listener", "tcp", `{"id": "lis-3", "arn": "lis-3", "load_balancer_arn": "nlb-1", "port": 6514, "protocol": "TCP", "default_action": [{"type": "forward", "target_group_arn": "tg-tcp"}]}`),
		),
		check: func(t *testing.T, n *model.Network) {
			lb := findLB(n, "nlb-1")
			if lb == nil || lb.Type != model.LBNetwork || !lb.Internal || !lb.CrossZone || len(lb.SecurityGroupIDs) != 0 || len(lb.InterfaceIDs) != 1 {
				t.Fatalf("load balancer %+v", lb)
			}
			e := findENI(n, lb.InterfaceIDs[0])
			if !slices.Equal(e.PrivateIPs, []netipAddr{ip("10.0.1.200")}) || len(e.PublicIPs) != 0 || len(e.Placeholders) != 0 {
				t.Errorf("node %+v: want the subnet mapping's address, no public address", e)
			}
			g := findTG(n, "tg-tcp")
			if g == nil || g.PreserveClientIP == nil || *g.PreserveClientIP || g.PreservesClientIP() {
				t.Errorf("target group %+v: preserve_client_ip false", g)
			}
		},
	}, {
		// A Classic Load Balancer: its instances are the targets of one
		// target group per instance port, listeners forward to them.
		name: "classic load balancer",
		rs: append(slices.Clone(base),
			r("aws_elb", "legacy", `{"id": "legacy", "name": "legacy", "internal": false, "subnets": ["subnet-a", "subnet-b"], "security_groups": ["sg-alb"],
				"instances": ["i-web"], "cross_zone_load_balancing": true,
				"listener": [{"lb_port": 80, "lb_protocol": "http", "instance_port": 8080, "instance_protocol": "http", "ssl_certificate_id": ""}],
				"health_check": [{"target": "HTTP:8080/health", "healthy_threshold": 2, "unhealthy_threshold": 2, "interval": 30, "timeout": 5}]}`),
		),
		check: func(t *testing.T, n *model.Network) {
			lb := findLB(n, "legacy")
			if lb == nil || lb.Type != model.LBClassic || len(lb.Listeners) != 1 || len(lb.Listeners[0].Forwards) != 1 {
				t.Fatalf("load balancer %+v", lb)
			}
			g := findTG(n, lb.Listeners[0].Forwards[0].TargetGroupID)
			if g == nil || g.Port != 8080 || len(g.Targets) != 1 || g.Targets[0].TargetID != "i-web" {
				t.Errorf("target group %+v", g)
			}
		},
	}, {
		// An Auto Scaling group from a launch template that asks for a
		// public address: an interface per subnet standing for its
		// instances, with the template's groups, in the target group.
		name: "auto scaling group",
		rs: append(slices.Clone(base), tg,
			r("aws_launch_template", "rdp", `{"id": "lt-1", "name": "rdp", "latest_version": 3, "default_version": 1, "vpc_security_group_ids": [],
				"network_interfaces": [{"associate_public_ip_address": "true", "security_groups": ["sg-app"], "device_index": 0, "subnet_id": ""}]}`),
			r("aws_autoscaling_group", "rdp", `{"id": "rdp", "name": "rdp", "vpc_zone_identifier": ["subnet-a", "subnet-b"], "target_group_arns": ["`+tgARN+`"],
				"load_balancers": [], "launch_template": [{"id": "lt-1", "name": "rdp", "version": "$Latest"}], "mixed_instances_policy": []}`),
		),
		check: func(t *testing.T, n *model.Network) {
			var g *model.AutoScalingGroup
			for _, x := range n.AutoScalingGroups {
				if x.ID == "rdp" {
					g = x
				}
			}
			if g == nil || !slices.Equal(g.SubnetIDs, []string{"subnet-a", "subnet-b"}) || g.AssociatePublicIP == nil || !*g.AssociatePublicIP ||
				!slices.Equal(g.SecurityGroupIDs, []string{"sg-app"}) || len(g.InterfaceIDs) != 2 {
				t.Fatalf("group %+v", g)
			}
			for _, id := range g.InterfaceIDs {
				e := findENI(n, id)
				if e.OwnerKind != model.OwnerAutoScaling || len(e.PublicIPs) != 1 || !slices.Equal(e.SecurityGroupIDs, []string{"sg-app"}) {
					t.Errorf("interface %+v", e)
				}
			}
			if tg := findTG(n, tgARN); tg == nil || !slices.ContainsFunc(tg.Targets, func(x model.Target) bool {
				return x.Kind == model.RegAutoScaling && x.TargetID == "rdp"
			}) {
				t.Errorf("target group %+v: want the group registered", tg)
			}
		},
	}, {
		// Managed services: a publicly accessible database in its zone's
		// subnet of its subnet group, with its port by engine; Lambda in a
		// VPC, an interface per subnet; an EFS mount target at its
		// address; ElastiCache in its subnet group.
		name: "managed services",
		rs: append(slices.Clone(base),
			r("aws_db_subnet_group", "db", `{"id": "db", "name": "db", "subnet_ids": ["subnet-a", "subnet-b"]}`),
			r("aws_db_instance", "db", `{"id": "db-1", "identifier": "db", "engine": "postgres", "db_subnet_group_name": "db", "availability_zone": "us-east-1b",
				"publicly_accessible": true, "vpc_security_group_ids": ["sg-app"]}`),
			r("aws_lambda_function", "fn", `{"id": "fn", "function_name": "fn", "vpc_config": [{"subnet_ids": ["subnet-a", "subnet-b"], "security_group_ids": ["sg-app"], "vpc_id": "vpc-a"}]}`),
			r("aws_lambda_function", "plain", `{"id": "plain", "function_name": "plain", "vpc_config": []}`),
			r("aws_efs_mount_target", "a", `{"id": "fsmt-1", "subnet_id": "subnet-a", "ip_address": "10.0.1.77", "security_groups": ["sg-app"], "network_interface_id": "eni-efs"}`),
			r("aws_elasticache_subnet_group", "c", `{"id": "c", "name": "c", "subnet_ids": ["subnet-a"]}`),
			r("aws_elasticache_cluster", "c", `{"id": "c", "cluster_id": "c", "subnet_group_name": "c", "security_group_ids": ["sg-app"], "port": 6379, "num_cache_nodes": 1}`),
			r("aws_eks_cluster", "k", `{"id": "k", "name": "k", "vpc_config": [{"subnet_ids": ["subnet-a", "subnet-b"], "security_group_ids": ["sg-alb"], "cluster_security_group_id": "sg-app", "vpc_id": "vpc-a", "endpoint_public_access": true}]}`),
		),
		check: func(t *testing.T, n *model.Network) {
			by := map[string]*model.Service{}
			for _, s := range n.Services {
				by[s.ID] = s
			}
			db := by["db-1"]
			if db == nil || !db.Public || db.Port != 5432 || len(db.InterfaceIDs) != 1 {
				t.Fatalf("database %+v", db)
			}
			if e := findENI(n, db.InterfaceIDs[0]); e.SubnetID != "subnet-b" || len(e.PublicIPs) != 1 {
				t.Errorf("database interface %+v: want in the zone's subnet, public", e)
			}
			if fn := by["fn"]; fn == nil || len(fn.InterfaceIDs) != 2 || findENI(n, fn.InterfaceIDs[0]).OwnerKind != model.OwnerLambda {
				t.Errorf("function %+v", fn)
			}
			if by["plain"] != nil {
				t.Errorf("a function outside any VPC has interfaces")
			}
			if efs := by["fsmt-1"]; efs == nil || !slices.Equal(efs.InterfaceIDs, []string{"eni-efs"}) ||
				!slices.Equal(findENI(n, "eni-efs").PrivateIPs, []netipAddr{ip("10.0.1.77")}) {
				t.Errorf("mount target %+v", efs)
			}
			if c := by["c"]; c == nil || c.Port != 6379 || len(c.InterfaceIDs) != 1 {
				t.Errorf("cache %+v", c)
			}
			// The control plane's interfaces have the cluster group and
			// the additional ones.
			if k := by["k"]; k == nil || len(k.InterfaceIDs) != 2 || !slices.Equal(findENI(n, k.InterfaceIDs[0]).SecurityGroupIDs, []string{"sg-app", "sg-alb"}) {
				t.Errorf("EKS cluster %+v", k)
			}
		},
	}})
}

func findLB(n *model.Network, id string) *model.LoadBalancer {
	for _, x := range n.LoadBalancers {
		if x.ID == id || x.Address == id {
			return x
		}
	}
	return nil
}

func findTG(n *model.Network, id string) *model.TargetGroup {
	for _, x := range n.TargetGroups {
		if x.ID == id || x.Address == id {
			return x
		}
	}
	return nil
}
