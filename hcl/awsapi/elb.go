package awsapi

import (
	"strings"

	"github.com/vpcsim/vpcsim/hcl/resource"
	"github.com/vpcsim/vpcsim/model"
)

// loadBalancers reads Application, Network and Gateway Load Balancers with
// their attributes, nodes (the interfaces AWS describes as "ELB
// app/NAME/ID"), listeners and rules; target groups with their attributes
// and registered targets (target health lists them); and Classic Load
// Balancers.
func (r *regionReader) loadBalancers() {
	for _, lb := range r.list("elbv2-describe-load-balancers", "LoadBalancers") {
		arn := str(lb, "LoadBalancerArn")
		key := keyOf(arn)
		attrs := map[string]any{"id": arn, "arn": arn, "name": str(lb, "LoadBalancerName"), "load_balancer_type": str(lb, "Type"),
			"internal": str(lb, "Scheme") == "internal", "vpc_id": str(lb, "VpcId"),
			"security_groups": stringList(lb, "SecurityGroups", ""), "tags": map[string]any{}}
		var subnets, mapping []any
		for _, z := range objects(lb, "AvailabilityZones") {
			subnets = append(subnets, str(z, "SubnetId"))
			m := map[string]any{"subnet_id": str(z, "SubnetId")}
			for _, a := range objects(z, "LoadBalancerAddresses") {
				m["allocation_id"], m["private_ipv4_address"] = str(a, "AllocationId"), str(a, "PrivateIPv4Address")
			}
			mapping = append(mapping, m)
		}
		attrs["subnets"], attrs["subnet_mapping"] = orEmpty(subnets), orEmpty(mapping)
		for _, a := range r.keyedList("elbv2-describe-load-balancer-attributes", key, "Attributes") {
			if str(a, "Key") == "load_balancing.cross_zone.enabled" {
				attrs["enable_cross_zone_load_balancing"] = str(a, "Value") == "true"
			}
		}
		// The nodes' interfaces: AWS describes them as "ELB TYPE/NAME/ID".
		_, desc, _ := strings.Cut(arn, ":loadbalancer/")
		desc = "ELB " + desc
		attrs["network_interfaces"] = r.interfacesOf(func(e map[string]any) bool { return str(e, "Description") == desc })
		r.add("aws_lb", lb, attrs)
		listeners := r.keyedList("elbv2-describe-listeners", key, "Listeners")
		for _, l := range listeners {
			r.add("aws_lb_listener", l, map[string]any{"id": str(l, "ListenerArn"), "arn": str(l, "ListenerArn"),
				"load_balancer_arn": str(l, "LoadBalancerArn"), "port": numberOr(l, "Port"), "protocol": str(l, "Protocol"),
				"default_action": actions(l, "DefaultActions")})
			for _, ru := range r.keyedList("elbv2-describe-rules", keyOf(str(l, "ListenerArn")), "Rules") {
				if d, _ := boolean(ru, "IsDefault"); d || str(ru, "Priority") == "default" {
					continue // the listener's default action, read above
				}
				r.add("aws_lb_listener_rule", ru, map[string]any{"id": str(ru, "RuleArn"), "arn": str(ru, "RuleArn"),
					"listener_arn": str(l, "ListenerArn"), "priority": str(ru, "Priority"), "action": actions(ru, "Actions"),
					"condition": ruleConditions(ru)})
			}
		}
	}
	for _, tg := range r.list("elbv2-describe-target-groups", "TargetGroups") {
		arn := str(tg, "TargetGroupArn")
		key := keyOf(arn)
		hc := map[string]any{"protocol": str(tg, "HealthCheckProtocol"), "port": str(tg, "HealthCheckPort")}
		if b, ok := boolean(tg, "HealthCheckEnabled"); ok {
			hc["enabled"] = b
		}
		attrs := map[string]any{"id": arn, "arn": arn, "name": str(tg, "TargetGroupName"), "protocol": str(tg, "Protocol"),
			"port": numberOr(tg, "Port"), "vpc_id": str(tg, "VpcId"), "target_type": str(tg, "TargetType"),
			"health_check": []any{hc}}
		for _, a := range r.keyedList("elbv2-describe-target-group-attributes", key, "Attributes") {
			switch str(a, "Key") {
			case "preserve_client_ip.enabled":
				attrs["preserve_client_ip"] = str(a, "Value")
			case "load_balancing.cross_zone.enabled":
				attrs["load_balancing_cross_zone_enabled"] = str(a, "Value")
			}
		}
		var targets []any
		for _, h := range r.keyedList("elbv2-describe-target-health", key, "TargetHealthDescriptions") {
			t := object(h, "Target")
			targets = append(targets, map[string]any{"id": str(t, "Id"), "port": str(t, "Port"),
				"availability_zone": str(t, "AvailabilityZone"), resource.PosKey: posOf(h, r.pos())})
		}
		attrs["targets"] = orEmpty(targets)
		r.add("aws_lb_target_group", tg, attrs)
	}
	r.classic()
}

// actions turns a listener's or a rule's actions into the provider's
// blocks: the type, and the target groups a forward sends to.
func actions(v map[string]any, key string) []any {
	out := []any{}
	for _, a := range objects(v, key) {
		b := map[string]any{"type": strings.ToLower(str(a, "Type")), "target_group_arn": str(a, "TargetGroupArn"),
			resource.PosKey: posOf(a, model.Pos{})}
		var groups []any
		for _, g := range objects(object(a, "ForwardConfig"), "TargetGroups") {
			groups = append(groups, map[string]any{"arn": str(g, "TargetGroupArn")})
		}
		if len(groups) > 0 {
			b["forward"] = []any{map[string]any{"target_group": groups}}
		}
		out = append(out, b)
	}
	return out
}

// ruleConditions turns a rule's conditions into the provider's blocks.
func ruleConditions(ru map[string]any) []any {
	out := []any{}
	for _, c := range objects(ru, "Conditions") {
		b := map[string]any{}
		vals := func(cfg string) []any {
			if v := stringList(object(c, cfg), "Values", ""); len(v) > 0 {
				return v
			}
			return stringList(c, "Values", "")
		}
		switch str(c, "Field") {
		case "host-header":
			b["host_header"] = []any{map[string]any{"values": vals("HostHeaderConfig")}}
		case "path-pattern":
			b["path_pattern"] = []any{map[string]any{"values": vals("PathPatternConfig")}}
		case "http-request-method":
			b["http_request_method"] = []any{map[string]any{"values": vals("HttpRequestMethodConfig")}}
		case "source-ip":
			b["source_ip"] = []any{map[string]any{"values": vals("SourceIpConfig")}}
		case "http-header":
			b["http_header"] = []any{map[string]any{"http_header_name": str(object(c, "HttpHeaderConfig"), "HttpHeaderName")}}
		}
		out = append(out, b)
	}
	return out
}

// classic reads Classic Load Balancers, their attributes and nodes (the
// interfaces AWS describes as "ELB NAME").
func (r *regionReader) classic() {
	for _, lb := range r.list("elb-describe-load-balancers", "LoadBalancerDescriptions") {
		name := str(lb, "LoadBalancerName")
		attrs := map[string]any{"id": name, "name": name, "internal": str(lb, "Scheme") == "internal",
			"subnets": stringList(lb, "Subnets", ""), "security_groups": stringList(lb, "SecurityGroups", ""),
			"instances": stringList(lb, "Instances", "InstanceId"), "arn": r.arn("elasticloadbalancing", "loadbalancer/"+name)}
		var listeners []any
		for _, d := range objects(lb, "ListenerDescriptions") {
			l := object(d, "Listener")
			listeners = append(listeners, map[string]any{"lb_port": numberOr(l, "LoadBalancerPort"), "lb_protocol": str(l, "Protocol"),
				"instance_port": numberOr(l, "InstancePort"), "instance_protocol": str(l, "InstanceProtocol"), resource.PosKey: posOf(d, r.pos())})
		}
		attrs["listener"] = orEmpty(listeners)
		if hc := object(lb, "HealthCheck"); hc != nil {
			attrs["health_check"] = []any{map[string]any{"target": str(hc, "Target")}}
		}
		// The API's default is no cross-zone load balancing; the
		// attributes say.
		attrs["cross_zone_load_balancing"] = false
		if d := r.keyed["elb-describe-load-balancer-attributes"][name]; d != nil {
			if b, ok := boolean(object(object(d.root, "LoadBalancerAttributes"), "CrossZoneLoadBalancing"), "Enabled"); ok {
				attrs["cross_zone_load_balancing"] = b
			}
		}
		attrs["network_interfaces"] = r.interfacesOf(func(e map[string]any) bool { return str(e, "Description") == "ELB "+name })
		r.add("aws_elb", lb, attrs)
	}
}
