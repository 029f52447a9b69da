package main

import (
	"fmt"
	"strings"
)

// elbCreateTime is when the load balancers were created, as Elastic Load
// Balancing reports it (with milliseconds).
const elbCreateTime = "2025-03-03T09:31:05.120000+00:00"

// unhealthy says which target groups' targets fail their health checks,
// and why: the internal ALB checks port 8081, which the app subnets'
// network ACL does not admit (see the estate's README).
var unhealthy = map[string][2]string{
	"web-platform-orders": {"Target.Timeout", "Request timed out"},
}

// fileKey makes a file name from the name and IDs that end an ARN:
// ".../targetgroup/NAME/HEX" -> "NAME-HEX",
// ".../listener/app/NAME/LBHEX/HEX" -> "NAME-LBHEX-HEX".
func fileKey(arn string) string {
	_, path, _ := strings.Cut(arn, ":targetgroup/")
	if path == "" {
		_, path, _ = strings.Cut(arn, ":loadbalancer/")
	}
	if path == "" {
		_, path, _ = strings.Cut(arn, ":listener/")
	}
	parts := strings.Split(path, "/")
	if len(parts) > 1 && (parts[0] == "app" || parts[0] == "net" || parts[0] == "gwy") {
		parts = parts[1:]
	}
	return strings.Join(parts, "-")
}

func (s *snap) loadBalancers() error {
	var lbs []any
	if err := s.each("aws_lb", func(addr string, lb map[string]any) error {
		scheme := "internet-facing"
		if lb["internal"] == true {
			scheme = "internal"
		}
		var zones []any
		for _, id := range strs(lb["subnets"]) {
			sn, err := s.subnet(id)
			if err != nil {
				return err
			}
			zones = append(zones, obj{{"ZoneName", sn["availability_zone"]}, {"SubnetId", id}, {"LoadBalancerAddresses", []any{}}})
		}
		o := obj{
			{"LoadBalancerArn", lb["arn"]},
			{"DNSName", lb["dns_name"]},
			{"CanonicalHostedZoneId", lb["zone_id"]},
			{"CreatedTime", elbCreateTime},
			{"LoadBalancerName", lb["name"]},
			{"Scheme", scheme},
			{"VpcId", lb["vpc_id"]},
			{"State", obj{{"Code", "active"}}},
			{"Type", lb["load_balancer_type"]},
			{"AvailabilityZones", anyList(zones)},
		}
		if sgs := strs(lb["security_groups"]); len(sgs) > 0 {
			o = append(o, kv{"SecurityGroups", anyList(sgs)})
		}
		o = append(o, kv{"IpAddressType", lb["ip_address_type"]})
		lbs = append(lbs, o)

		attrs := []any{}
		add := func(k, v string) { attrs = append(attrs, obj{{"Key", k}, {"Value", v}}) }
		add("access_logs.s3.enabled", "false")
		add("deletion_protection.enabled", fmt.Sprint(lb["enable_deletion_protection"] == true))
		add("load_balancing.cross_zone.enabled", fmt.Sprint(lb["enable_cross_zone_load_balancing"] == true))
		if lb["load_balancer_type"] == "application" {
			add("idle_timeout.timeout_seconds", str(lb["idle_timeout"]))
			add("routing.http2.enabled", fmt.Sprint(lb["enable_http2"] == true))
			add("routing.http.drop_invalid_header_fields.enabled", fmt.Sprint(lb["drop_invalid_header_fields"] == true))
			add("routing.http.desync_mitigation_mode", str(lb["desync_mitigation_mode"]))
			add("routing.http.xff_header_processing.mode", str(lb["xff_header_processing_mode"]))
			add("client_keep_alive.seconds", str(lb["client_keep_alive"]))
		} else {
			add("dns_record.client_routing_policy", str(lb["dns_record_client_routing_policy"]))
		}
		s.put("elbv2-describe-load-balancer-attributes/"+fileKey(str(lb["arn"]))+".json", obj{{"Attributes", attrs}})
		return nil
	}); err != nil {
		return err
	}
	s.put("elbv2-describe-load-balancers.json", obj{{"LoadBalancers", anyList(lbs)}})

	action := func(a map[string]any) obj {
		o := obj{{"Type", a["type"]}}
		switch a["type"] {
		case "forward":
			tg := str(a["target_group_arn"])
			o = append(o, kv{"TargetGroupArn", tg}, kv{"Order", intOf(a["order"])}, kv{"ForwardConfig", obj{
				{"TargetGroups", []any{obj{{"TargetGroupArn", tg}, {"Weight", 1}}}},
				{"TargetGroupStickinessConfig", obj{{"Enabled", false}}},
			}})
		case "redirect":
			r := objs(a["redirect"])[0]
			o = append(o, kv{"Order", intOf(a["order"])}, kv{"RedirectConfig", obj{
				{"Protocol", r["protocol"]}, {"Port", r["port"]}, {"Host", r["host"]}, {"Path", r["path"]}, {"Query", r["query"]}, {"StatusCode", r["status_code"]},
			}})
		}
		return o
	}

	// Listeners: one call per load balancer.
	listeners := map[string][]any{}
	for _, lb := range s.all("aws_lb") {
		listeners[str(lb["arn"])] = []any{}
	}
	tgLBs := map[string][]string{} // target group ARN -> load balancers that use it
	listenerOf := map[string]map[string]any{}
	if err := s.each("aws_lb_listener", func(addr string, l map[string]any) error {
		o := obj{
			{"ListenerArn", l["arn"]},
			{"LoadBalancerArn", l["load_balancer_arn"]},
			{"Port", intOf(l["port"])},
			{"Protocol", l["protocol"]},
		}
		if c := str(l["certificate_arn"]); c != "" {
			o = append(o, kv{"Certificates", []any{obj{{"CertificateArn", c}}}})
		}
		o.add("SslPolicy", str(l["ssl_policy"]))
		var acts []any
		for _, a := range objs(l["default_action"]) {
			acts = append(acts, action(a))
			if tg := str(a["target_group_arn"]); tg != "" {
				tgLBs[tg] = appendOnce(tgLBs[tg], str(l["load_balancer_arn"]))
			}
		}
		o = append(o, kv{"DefaultActions", anyList(acts)})
		if l["protocol"] == "HTTPS" {
			o = append(o, kv{"MutualAuthentication", obj{{"Mode", "off"}}})
		}
		listeners[str(l["load_balancer_arn"])] = append(listeners[str(l["load_balancer_arn"])], o)
		listenerOf[str(l["arn"])] = l
		return nil
	}); err != nil {
		return err
	}
	for lb, l := range listeners {
		s.put("elbv2-describe-listeners/"+fileKey(lb)+".json", obj{{"Listeners", l}})
	}

	// Rules: one call per listener, each answer with the listener's
	// default rule last.
	rules := map[string][]any{}
	if err := s.each("aws_lb_listener_rule", func(addr string, r map[string]any) error {
		l, ok := listenerOf[str(r["listener_arn"])]
		if !ok {
			return fmt.Errorf("no listener %v", r["listener_arn"])
		}
		var conds []any
		for _, c := range objs(r["condition"]) {
			for _, hh := range objs(c["host_header"]) {
				vals := anyList(strs(hh["values"]))
				conds = append(conds, obj{{"Field", "host-header"}, {"Values", vals}, {"HostHeaderConfig", obj{{"Values", vals}}}})
			}
			for _, pp := range objs(c["path_pattern"]) {
				vals := anyList(strs(pp["values"]))
				conds = append(conds, obj{{"Field", "path-pattern"}, {"Values", vals}, {"PathPatternConfig", obj{{"Values", vals}}}})
			}
		}
		var acts []any
		for _, a := range objs(r["action"]) {
			acts = append(acts, action(a))
			if tg := str(a["target_group_arn"]); tg != "" {
				tgLBs[tg] = appendOnce(tgLBs[tg], str(l["load_balancer_arn"]))
			}
		}
		rules[str(r["listener_arn"])] = append(rules[str(r["listener_arn"])], obj{
			{"RuleArn", r["arn"]}, {"Priority", str(r["priority"])}, {"Conditions", anyList(conds)}, {"Actions", anyList(acts)}, {"IsDefault", false},
		})
		return nil
	}); err != nil {
		return err
	}
	for _, arn := range sortedIDs(listenerOf) {
		l := listenerOf[arn]
		var acts []any
		for _, a := range objs(l["default_action"]) {
			acts = append(acts, action(a))
		}
		def := obj{
			{"RuleArn", strings.Replace(arn, ":listener/", ":listener-rule/", 1) + "/" + hexN(16, arn+"|default")},
			{"Priority", "default"}, {"Conditions", []any{}}, {"Actions", anyList(acts)}, {"IsDefault", true},
		}
		s.put("elbv2-describe-rules/"+fileKey(arn)+".json", obj{{"Rules", append(rules[arn], def)}})
	}

	// Target groups, their attributes, and the health of their targets.
	targets := map[string][]map[string]any{}
	if err := s.each("aws_lb_target_group_attachment", func(addr string, a map[string]any) error {
		tg := str(a["target_group_arn"])
		targets[tg] = append(targets[tg], a)
		return nil
	}); err != nil {
		return err
	}
	for _, in := range s.insts {
		if in.asg == "" {
			continue
		}
		for _, g := range s.all("aws_autoscaling_group") {
			if g["name"] != in.asg {
				continue
			}
			for _, tg := range strs(g["target_group_arns"]) {
				targets[tg] = append(targets[tg], map[string]any{"target_id": in.id})
			}
		}
	}
	var tgs []any
	if err := s.each("aws_lb_target_group", func(addr string, tg map[string]any) error {
		arn := str(tg["arn"])
		hc := objs(tg["health_check"])[0]
		o := obj{
			{"TargetGroupArn", arn},
			{"TargetGroupName", tg["name"]},
			{"Protocol", tg["protocol"]},
			{"Port", intOf(tg["port"])},
			{"VpcId", tg["vpc_id"]},
			{"HealthCheckProtocol", hc["protocol"]},
			{"HealthCheckPort", hc["port"]},
			{"HealthCheckEnabled", hc["enabled"] == true},
			{"HealthCheckIntervalSeconds", intOf(hc["interval"])},
			{"HealthCheckTimeoutSeconds", intOf(hc["timeout"])},
			{"HealthyThresholdCount", intOf(hc["healthy_threshold"])},
			{"UnhealthyThresholdCount", intOf(hc["unhealthy_threshold"])},
		}
		o.add("HealthCheckPath", str(hc["path"]))
		if m := str(hc["matcher"]); m != "" {
			o = append(o, kv{"Matcher", obj{{"HttpCode", m}}})
		}
		o = append(o, kv{"LoadBalancerArns", anyList(tgLBs[arn])}, kv{"TargetType", tg["target_type"]})
		o.add("ProtocolVersion", str(tg["protocol_version"]))
		o = append(o, kv{"IpAddressType", tg["ip_address_type"]})
		tgs = append(tgs, o)

		attrs := []any{}
		add := func(k, v string) { attrs = append(attrs, obj{{"Key", k}, {"Value", v}}) }
		add("deregistration_delay.timeout_seconds", str(tg["deregistration_delay"]))
		add("stickiness.enabled", "false")
		add("load_balancing.cross_zone.enabled", str(tg["load_balancing_cross_zone_enabled"]))
		if isNetworkProtocol(tg["protocol"]) {
			add("preserve_client_ip.enabled", str(tg["preserve_client_ip"]))
			add("proxy_protocol_v2.enabled", "false")
			add("stickiness.type", "source_ip")
			add("connection_termination.enabled", "false")
		} else {
			add("stickiness.type", "lb_cookie")
			add("load_balancing.algorithm.type", str(tg["load_balancing_algorithm_type"]))
			add("slow_start.duration_seconds", str(tg["slow_start"]))
		}
		s.put("elbv2-describe-target-group-attributes/"+fileKey(arn)+".json", obj{{"Attributes", attrs}})

		var health []any
		for _, t := range targets[arn] {
			in := s.instance(str(t["target_id"]))
			if in == nil {
				return fmt.Errorf("target %v is no instance", t["target_id"])
			}
			port := intOf(t["port"])
			if port == 0 {
				port = intOf(tg["port"])
			}
			hcPort := str(hc["port"])
			if hcPort == "traffic-port" {
				hcPort = fmt.Sprint(port)
			}
			th := obj{{"State", "healthy"}}
			if u, ok := unhealthy[str(tg["name"])]; ok {
				th = obj{{"State", "unhealthy"}, {"Reason", u[0]}, {"Description", u[1]}}
			}
			health = append(health, obj{
				{"Target", obj{{"Id", in.id}, {"Port", port}, {"AvailabilityZone", in.az}}},
				{"HealthCheckPort", hcPort},
				{"TargetHealth", th},
			})
		}
		s.put("elbv2-describe-target-health/"+fileKey(arn)+".json", obj{{"TargetHealthDescriptions", anyList(health)}})
		return nil
	}); err != nil {
		return err
	}
	s.put("elbv2-describe-target-groups.json", obj{{"TargetGroups", anyList(tgs)}})
	return nil
}

func appendOnce(l []string, s string) []string {
	for _, x := range l {
		if x == s {
			return l
		}
	}
	return append(l, s)
}

func (s *snap) instance(id string) *instance {
	for _, in := range s.insts {
		if in.id == id {
			return in
		}
	}
	return nil
}

func (s *snap) classicLoadBalancers() error {
	var out []any
	err := s.each("aws_elb", func(addr string, lb map[string]any) error {
		var listeners []any
		for _, l := range objs(lb["listener"]) {
			ln := obj{
				{"Protocol", strings.ToUpper(str(l["lb_protocol"]))},
				{"LoadBalancerPort", intOf(l["lb_port"])},
				{"InstanceProtocol", strings.ToUpper(str(l["instance_protocol"]))},
				{"InstancePort", intOf(l["instance_port"])},
			}
			ln.add("SSLCertificateId", str(l["ssl_certificate_id"]))
			listeners = append(listeners, obj{{"Listener", ln}, {"PolicyNames", []any{}}})
		}
		var insts []any
		for _, id := range strs(lb["instances"]) {
			insts = append(insts, obj{{"InstanceId", id}})
		}
		hc := objs(lb["health_check"])[0]
		sgName := strings.TrimPrefix(str(lb["source_security_group"]), account+"/")
		scheme := "internet-facing"
		if lb["internal"] == true {
			scheme = "internal"
		}
		out = append(out, obj{
			{"LoadBalancerName", lb["name"]},
			{"DNSName", lb["dns_name"]},
			{"CanonicalHostedZoneName", lb["dns_name"]},
			{"CanonicalHostedZoneNameID", lb["zone_id"]},
			{"ListenerDescriptions", anyList(listeners)},
			{"Policies", obj{{"AppCookieStickinessPolicies", []any{}}, {"LBCookieStickinessPolicies", []any{}}, {"OtherPolicies", []any{}}}},
			{"BackendServerDescriptions", []any{}},
			{"AvailabilityZones", anyList(strs(lb["availability_zones"]))},
			{"Subnets", anyList(strs(lb["subnets"]))},
			{"VPCId", s.vpcOfSubnet(strs(lb["subnets"]))},
			{"Instances", anyList(insts)},
			{"HealthCheck", obj{
				{"Target", hc["target"]}, {"Interval", intOf(hc["interval"])}, {"Timeout", intOf(hc["timeout"])},
				{"UnhealthyThreshold", intOf(hc["unhealthy_threshold"])}, {"HealthyThreshold", intOf(hc["healthy_threshold"])},
			}},
			{"SourceSecurityGroup", obj{{"OwnerAlias", account}, {"GroupName", sgName}}},
			{"SecurityGroups", anyList(strs(lb["security_groups"]))},
			{"CreatedTime", "2025-03-03T09:31:07.330000+00:00"},
			{"Scheme", scheme},
		})
		s.put("elb-describe-load-balancer-attributes/"+str(lb["name"])+".json", obj{{"LoadBalancerAttributes", obj{
			{"CrossZoneLoadBalancing", obj{{"Enabled", lb["cross_zone_load_balancing"] == true}}},
			{"AccessLog", obj{{"Enabled", false}}},
			{"ConnectionDraining", obj{{"Enabled", lb["connection_draining"] == true}, {"Timeout", intOf(lb["connection_draining_timeout"])}}},
			{"ConnectionSettings", obj{{"IdleTimeout", intOf(lb["idle_timeout"])}}},
			{"AdditionalAttributes", []any{obj{{"Key", "elb.http.desyncmitigationmode"}, {"Value", lb["desync_mitigation_mode"]}}}},
		}}})
		return nil
	})
	s.put("elb-describe-load-balancers.json", obj{{"LoadBalancerDescriptions", anyList(out)}})
	return err
}

func (s *snap) vpcOfSubnet(subnets []string) any {
	if len(subnets) == 0 {
		return nil
	}
	sn, err := s.subnet(subnets[0])
	if err != nil {
		return nil
	}
	return sn["vpc_id"]
}

func (s *snap) autoScalingGroups() error {
	var out []any
	err := s.each("aws_autoscaling_group", func(addr string, g map[string]any) error {
		lt := objs(g["launch_template"])[0]
		ltRef := obj{{"LaunchTemplateId", lt["id"]}, {"LaunchTemplateName", lt["name"]}, {"Version", lt["version"]}}
		var insts []any
		for _, in := range s.insts {
			if in.asg != g["name"] {
				continue
			}
			insts = append(insts, obj{
				{"InstanceId", in.id}, {"InstanceType", in.typ}, {"AvailabilityZone", in.az}, {"LifecycleState", "InService"},
				{"HealthStatus", "Healthy"}, {"LaunchTemplate", obj{{"LaunchTemplateId", lt["id"]}, {"LaunchTemplateName", lt["name"]}, {"Version", "1"}}},
				{"ProtectedFromScaleIn", false},
			})
		}
		var traffic []any
		for _, tg := range strs(g["target_group_arns"]) {
			traffic = append(traffic, obj{{"Identifier", tg}, {"Type", "elbv2"}})
		}
		out = append(out, obj{
			{"AutoScalingGroupName", g["name"]},
			{"AutoScalingGroupARN", g["arn"]},
			{"LaunchTemplate", ltRef},
			{"MinSize", intOf(g["min_size"])},
			{"MaxSize", intOf(g["max_size"])},
			{"DesiredCapacity", intOf(g["desired_capacity"])},
			{"DefaultCooldown", intOf(g["default_cooldown"])},
			{"AvailabilityZones", anyList(strs(g["availability_zones"]))},
			{"LoadBalancerNames", []any{}},
			{"TargetGroupARNs", anyList(strs(g["target_group_arns"]))},
			{"HealthCheckType", g["health_check_type"]},
			{"HealthCheckGracePeriod", intOf(g["health_check_grace_period"])},
			{"Instances", anyList(insts)},
			{"CreatedTime", "2025-03-03T09:32:10.512000+00:00"},
			{"SuspendedProcesses", []any{}},
			{"VPCZoneIdentifier", strings.Join(strs(g["vpc_zone_identifier"]), ",")},
			{"EnabledMetrics", []any{}},
			{"Tags", []any{}},
			{"TerminationPolicies", []any{"Default"}},
			{"NewInstancesProtectedFromScaleIn", false},
			{"ServiceLinkedRoleARN", g["service_linked_role_arn"]},
			{"CapacityRebalance", false},
			{"TrafficSources", anyList(traffic)},
			{"AvailabilityZoneDistribution", obj{{"CapacityDistributionStrategy", "balanced-best-effort"}}},
		})
		return nil
	})
	s.put("autoscaling-describe-auto-scaling-groups.json", obj{{"AutoScalingGroups", anyList(out)}})
	return err
}

func (s *snap) databases() error {
	var out []any
	err := s.each("aws_db_instance", func(addr string, db map[string]any) error {
		var group map[string]any
		for _, g := range s.all("aws_db_subnet_group") {
			if g["name"] == db["db_subnet_group_name"] {
				group = g
			}
		}
		if group == nil {
			return fmt.Errorf("no subnet group %v", db["db_subnet_group_name"])
		}
		var subnets []any
		for _, id := range strs(group["subnet_ids"]) {
			sn, err := s.subnet(id)
			if err != nil {
				return err
			}
			subnets = append(subnets, obj{
				{"SubnetIdentifier", id}, {"SubnetAvailabilityZone", obj{{"Name", sn["availability_zone"]}}},
				{"SubnetOutpost", obj{}}, {"SubnetStatus", "Active"},
			})
		}
		var sgs []any
		for _, id := range strs(db["vpc_security_group_ids"]) {
			sgs = append(sgs, obj{{"VpcSecurityGroupId", id}, {"Status", "active"}})
		}
		o := obj{
			{"DBInstanceIdentifier", db["identifier"]},
			{"DBInstanceClass", db["instance_class"]},
			{"Engine", db["engine"]},
			{"DBInstanceStatus", "available"},
			{"MasterUsername", db["username"]},
			{"Endpoint", obj{{"Address", db["address"]}, {"Port", intOf(db["port"])}, {"HostedZoneId", db["hosted_zone_id"]}}},
			{"AllocatedStorage", intOf(db["allocated_storage"])},
			{"InstanceCreateTime", "2025-03-03T09:36:48.221000+00:00"},
			{"PreferredBackupWindow", db["backup_window"]},
			{"BackupRetentionPeriod", intOf(db["backup_retention_period"])},
			{"DBSecurityGroups", []any{}},
			{"VpcSecurityGroups", anyList(sgs)},
			{"DBParameterGroups", []any{obj{{"DBParameterGroupName", db["parameter_group_name"]}, {"ParameterApplyStatus", "in-sync"}}}},
			{"AvailabilityZone", db["availability_zone"]},
			{"DBSubnetGroup", obj{
				{"DBSubnetGroupName", group["name"]},
				{"DBSubnetGroupDescription", group["description"]},
				{"VpcId", group["vpc_id"]},
				{"SubnetGroupStatus", "Complete"},
				{"Subnets", anyList(subnets)},
			}},
			{"PreferredMaintenanceWindow", db["maintenance_window"]},
			{"PendingModifiedValues", obj{}},
			{"LatestRestorableTime", "2025-03-03T10:25:00+00:00"},
			{"MultiAZ", db["multi_az"] == true},
			{"EngineVersion", db["engine_version_actual"]},
			{"AutoMinorVersionUpgrade", db["auto_minor_version_upgrade"] == true},
			{"ReadReplicaDBInstanceIdentifiers", []any{}},
			{"LicenseModel", db["license_model"]},
			{"OptionGroupMemberships", []any{obj{{"OptionGroupName", db["option_group_name"]}, {"Status", "in-sync"}}}},
			{"PubliclyAccessible", db["publicly_accessible"] == true},
			{"StorageType", db["storage_type"]},
			{"DbInstancePort", 0},
			{"StorageEncrypted", db["storage_encrypted"] == true},
		}
		o.add("KmsKeyId", str(db["kms_key_id"]))
		o = append(o,
			kv{"DbiResourceId", db["resource_id"]},
			kv{"CACertificateIdentifier", db["ca_cert_identifier"]},
			kv{"DomainMemberships", []any{}},
			kv{"CopyTagsToSnapshot", db["copy_tags_to_snapshot"] == true},
			kv{"MonitoringInterval", intOf(db["monitoring_interval"])},
			kv{"DBInstanceArn", db["arn"]},
			kv{"IAMDatabaseAuthenticationEnabled", false},
			kv{"DatabaseInsightsMode", db["database_insights_mode"]},
			kv{"PerformanceInsightsEnabled", false},
			kv{"DeletionProtection", false},
			kv{"AssociatedRoles", []any{}},
			kv{"TagList", tags(db["tags_all"])},
			kv{"CustomerOwnedIpEnabled", false},
			kv{"BackupTarget", db["backup_target"]},
			kv{"NetworkType", db["network_type"]},
			kv{"StorageThroughput", intOf(db["storage_throughput"])},
		)
		if ms := objs(db["master_user_secret"]); len(ms) > 0 {
			o = append(o, kv{"MasterUserSecret", obj{{"SecretArn", ms[0]["secret_arn"]}, {"SecretStatus", ms[0]["secret_status"]}, {"KmsKeyId", ms[0]["kms_key_id"]}}})
		}
		o = append(o,
			kv{"CertificateDetails", obj{{"CAIdentifier", db["ca_cert_identifier"]}, {"ValidTill", "2026-03-03T09:35:00+00:00"}}},
			kv{"DedicatedLogVolume", false},
			kv{"EngineLifecycleSupport", db["engine_lifecycle_support"]},
		)
		out = append(out, o)
		return nil
	})
	s.put("rds-describe-db-instances.json", obj{{"DBInstances", anyList(out)}})
	return err
}

func (s *snap) functions() error {
	var out []any
	err := s.each("aws_lambda_function", func(addr string, f map[string]any) error {
		o := obj{
			{"FunctionName", f["function_name"]},
			{"FunctionArn", f["arn"]},
			{"Runtime", f["runtime"]},
			{"Role", f["role"]},
			{"Handler", f["handler"]},
			{"CodeSize", intOf(f["source_code_size"])},
			{"Description", ""},
			{"Timeout", intOf(f["timeout"])},
			{"MemorySize", intOf(f["memory_size"])},
			{"LastModified", f["last_modified"]},
			{"CodeSha256", f["code_sha256"]},
			{"Version", f["version"]},
		}
		if vcs := objs(f["vpc_config"]); len(vcs) > 0 {
			o = append(o, kv{"VpcConfig", obj{
				{"SubnetIds", anyList(strs(vcs[0]["subnet_ids"]))},
				{"SecurityGroupIds", anyList(strs(vcs[0]["security_group_ids"]))},
				{"VpcId", vcs[0]["vpc_id"]},
				{"Ipv6AllowedForDualStack", false},
			}})
		}
		o = append(o,
			kv{"TracingConfig", obj{{"Mode", "PassThrough"}}},
			kv{"RevisionId", uuid(s.ns + "|" + addr + "|revision")},
			kv{"PackageType", f["package_type"]},
			kv{"Architectures", anyList(strs(f["architectures"]))},
			kv{"EphemeralStorage", obj{{"Size", 512}}},
			kv{"SnapStart", obj{{"ApplyOn", "None"}, {"OptimizationStatus", "Off"}}},
			kv{"LoggingConfig", obj{{"LogFormat", "Text"}, {"LogGroup", "/aws/lambda/" + str(f["function_name"])}}},
		)
		out = append(out, o)
		return nil
	})
	s.put("lambda-list-functions.json", obj{{"Functions", anyList(out)}})
	return err
}

func (s *snap) identity() error {
	// Global, not regional: one per account, beside the regions.
	s.files["sts-get-caller-identity.json"] = obj{
		{"UserId", "AIDA" + upperID(17, "snapshot-user")},
		{"Account", account},
		{"Arn", "arn:aws:iam::" + account + ":user/network-audit"},
	}
	return nil
}
