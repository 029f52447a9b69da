package awsapi

import "strings"

// services reads Auto Scaling groups, RDS instances and Lambda functions.
// AWS describes the interfaces of databases and functions apart from them,
// without naming which database an interface is: an interface AWS manages
// for RDS belongs to the database whose subnet group holds its subnet and
// whose groups are its groups; one for Lambda names its function in its
// requester.
func (r *regionReader) services() {
	for _, g := range r.list("autoscaling-describe-auto-scaling-groups", "AutoScalingGroups") {
		name := str(g, "AutoScalingGroupName")
		attrs := map[string]any{"id": name, "name": name, "arn": str(g, "AutoScalingGroupARN"),
			"target_group_arns": stringList(g, "TargetGroupARNs", ""), "load_balancers": stringList(g, "LoadBalancerNames", ""),
			"launch_configuration": str(g, "LaunchConfigurationName")}
		var subnets []any
		for _, s := range strings.Split(str(g, "VPCZoneIdentifier"), ",") {
			if s = strings.TrimSpace(s); s != "" {
				subnets = append(subnets, s)
			}
		}
		attrs["vpc_zone_identifier"] = orEmpty(subnets)
		lt := object(g, "LaunchTemplate")
		if lt == nil {
			lt = object(object(object(g, "MixedInstancesPolicy"), "LaunchTemplate"), "LaunchTemplateSpecification")
		}
		if lt != nil {
			attrs["launch_template"] = []any{map[string]any{"id": str(lt, "LaunchTemplateId"), "name": str(lt, "LaunchTemplateName"), "version": str(lt, "Version")}}
		}
		r.add("aws_autoscaling_group", g, attrs)
	}
	for _, db := range r.list("rds-describe-db-instances", "DBInstances") {
		sg := object(db, "DBSubnetGroup")
		group := str(sg, "DBSubnetGroupName")
		var subnets []any
		for _, s := range objects(sg, "Subnets") {
			subnets = append(subnets, str(s, "SubnetIdentifier"))
		}
		if group != "" {
			r.add("aws_db_subnet_group", sg, map[string]any{"id": group, "name": group, "subnet_ids": orEmpty(subnets), "vpc_id": str(sg, "VpcId")})
		}
		groups := stringList(db, "VpcSecurityGroups", "VpcSecurityGroupId")
		public, _ := boolean(db, "PubliclyAccessible")
		attrs := map[string]any{"id": str(db, "DbiResourceId"), "identifier": str(db, "DBInstanceIdentifier"),
			"arn": str(db, "DBInstanceArn"), "db_subnet_group_name": group, "vpc_security_group_ids": groups,
			"publicly_accessible": public, "availability_zone": str(db, "AvailabilityZone"),
			"port": numberOr(object(db, "Endpoint"), "Port")}
		in := map[string]bool{}
		for _, s := range subnets {
			in[s.(string)] = true
		}
		attrs["network_interfaces"] = r.interfacesOf(func(e map[string]any) bool {
			return str(e, "RequesterId") == "amazon-rds" && in[str(e, "SubnetId")] && sameGroups(e, groups) &&
				(str(db, "AvailabilityZone") == "" || str(e, "AvailabilityZone") == str(db, "AvailabilityZone"))
		})
		r.add("aws_db_instance", db, attrs)
	}
	for _, f := range r.list("lambda-list-functions", "Functions") {
		name := str(f, "FunctionName")
		vc := object(f, "VpcConfig")
		attrs := map[string]any{"id": name, "function_name": name, "arn": str(f, "FunctionArn"),
			"vpc_config": []any{map[string]any{"subnet_ids": stringList(vc, "SubnetIds", ""),
				"security_group_ids": stringList(vc, "SecurityGroupIds", ""), "vpc_id": str(vc, "VpcId")}}}
		attrs["network_interfaces"] = r.interfacesOf(func(e map[string]any) bool {
			return str(e, "InterfaceType") == "lambda" && strings.HasSuffix(str(e, "RequesterId"), ":"+name)
		})
		r.add("aws_lambda_function", f, attrs)
	}
}
