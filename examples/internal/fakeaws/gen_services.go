package main

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
)

// applyTime is when the fixtures' first apply happened, for the few
// attributes that record a time.
const applyTime = "2025-03-03T09:30:00Z"

// rdsHostID is the account's part of RDS endpoint names in us-east-1
// ("NAME.ID.us-east-1.rds.amazonaws.com").
var rdsHostID = "c" + hexN(11, "rds|"+account)

// rdsZoneID is the Route 53 zone of RDS endpoints in us-east-1.
const rdsZoneID = "Z2R2ITUGPM61AM"

// s3PrefixList and s3CIDRs are the AWS-managed prefix list of S3 in
// us-east-1 and its entries (AWS changes them from time to time; these are
// the ones examples/ uses).
const s3PrefixList = "pl-63a5400a"

var s3CIDRs = []string{"16.15.176.0/20", "16.15.192.0/18", "16.182.0.0/16", "18.34.0.0/19", "18.34.232.0/21",
	"3.5.0.0/19", "44.192.134.240/28", "44.192.140.64/28", "52.216.0.0/15", "54.231.0.0/16"}

// fullAccessPolicy is the endpoint policy AWS attaches when none is given.
const fullAccessPolicy = `{"Statement":[{"Action":"*","Effect":"Allow","Principal":"*","Resource":"*"}],"Version":"2008-10-17"}`

// upperID is n characters of AWS's upper-case alphanumeric IDs (IAM unique
// IDs, RDS resource IDs).
func upperID(n int, seed string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	sum := sha256.Sum256([]byte(seed))
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteByte(alphabet[sum[i%len(sum)]%32])
	}
	return b.String()
}

func kmsKeyARN(seed string) string {
	return "arn:aws:kms:" + region + ":" + account + ":key/" + uuid("kms|"+seed)
}

func strList(v any) []string {
	l, _ := v.([]any)
	out := make([]string, 0, len(l))
	for _, x := range l {
		out = append(out, fmt.Sprint(x))
	}
	return out
}

// zonesOf returns the zones of the subnets in attribute name, in order,
// without repeats.
func zonesOf(c *fillCtx, name string) ([]any, error) {
	v, err := c.get(name)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	out := []any{}
	for _, s := range strList(v) {
		sn, err := c.other(s)
		if err != nil {
			return nil, err
		}
		z := fmt.Sprint(sn["availability_zone"])
		if !seen[z] {
			seen[z] = true
			out = append(out, z)
		}
	}
	return out, nil
}

func vpcOfSubnets(c *fillCtx, subnets []string) (any, error) {
	if len(subnets) == 0 {
		return nil, fmt.Errorf("no subnets")
	}
	sn, err := c.other(subnets[0])
	if err != nil {
		return nil, err
	}
	return sn["vpc_id"], nil
}

func init() {
	generators["aws_ec2_managed_prefix_list"] = map[string]gen{
		"id":      idGen("pl"),
		"arn":     arnGen("prefix-list"),
		"version": constant(num(1)),
	}
	generators["aws_vpc_endpoint"] = map[string]gen{
		"id":  idGen("vpce"),
		"arn": arnGen("vpc-endpoint"),
		"cidr_blocks": func(c *fillCtx) (any, error) {
			if c.known["vpc_endpoint_type"] != "Gateway" || c.known["service_name"] != "com.amazonaws."+region+".s3" {
				return []any{}, nil
			}
			out := []any{}
			for _, s := range s3CIDRs {
				out = append(out, s)
			}
			return out, nil
		},
		"dns_entry": func(c *fillCtx) (any, error) {
			if c.known["vpc_endpoint_type"] != "Interface" {
				return []any{}, nil
			}
			id, _ := c.str("id")
			svc := strings.TrimPrefix(fmt.Sprint(c.known["service_name"]), "com.amazonaws."+region+".")
			base := id + "-" + hexN(8, c.seed("dns"))
			out := []any{map[string]any{"dns_name": base + "." + svc + "." + region + ".vpce.amazonaws.com", "hosted_zone_id": "Z7HUB22UULQXV"}}
			zones, err := zonesOf(c, "subnet_ids")
			if err != nil {
				return nil, err
			}
			for _, z := range zones {
				out = append(out, map[string]any{"dns_name": base + "-" + fmt.Sprint(z) + "." + svc + "." + region + ".vpce.amazonaws.com", "hosted_zone_id": "Z7HUB22UULQXV"})
			}
			if c.known["private_dns_enabled"] == true {
				out = append(out, map[string]any{"dns_name": svc + "." + region + ".amazonaws.com", "hosted_zone_id": "Z" + upperID(20, c.seed("phz"))})
			}
			return out, nil
		},
		"dns_options": func(c *fillCtx) (any, error) {
			if c.known["vpc_endpoint_type"] != "Interface" {
				return []any{}, nil
			}
			return []any{map[string]any{"dns_record_ip_type": "ipv4", "private_dns_only_for_inbound_resolver_endpoint": false}}, nil
		},
		"ip_address_type": func(c *fillCtx) (any, error) {
			if c.known["vpc_endpoint_type"] != "Interface" {
				return "", nil
			}
			return "ipv4", nil
		},
		"network_interface_ids": func(c *fillCtx) (any, error) {
			cfg, err := c.get("subnet_configuration")
			if err != nil {
				return nil, err
			}
			out := []any{}
			for i := range cfg.([]any) {
				out = append(out, hexID("eni", c.seed(fmt.Sprint("eni", i))))
			}
			return out, nil
		},
		"policy": constant(fullAccessPolicy),
		"prefix_list_id": func(c *fillCtx) (any, error) {
			if c.known["vpc_endpoint_type"] == "Gateway" && c.known["service_name"] == "com.amazonaws."+region+".s3" {
				return s3PrefixList, nil
			}
			return "", nil
		},
		"private_dns_enabled": constant(false),
		"requester_managed":   constant(false),
		"route_table_ids":     emptyList(),
		"security_group_ids":  emptyList(),
		"service_region":      constant(region),
		"state":               constant("available"),
		// One interface per subnet, with an address AWS picks.
		"subnet_configuration": func(c *fillCtx) (any, error) {
			if c.known["vpc_endpoint_type"] != "Interface" {
				return []any{}, nil
			}
			subnets, err := c.get("subnet_ids")
			if err != nil {
				return nil, err
			}
			out := []any{}
			for _, s := range strList(subnets) {
				sn, err := c.other(s)
				if err != nil {
					return nil, err
				}
				ip, err := c.a.addrs.private(fmt.Sprint(sn["cidr_block"]), c.seed("ip|"+s))
				if err != nil {
					return nil, err
				}
				out = append(out, map[string]any{"ipv4": ip, "ipv6": "", "subnet_id": s})
			}
			return out, nil
		},
		"subnet_ids": emptyList(),
	}
	generators["aws_launch_template"] = map[string]gen{
		"id":                     idGen("lt"),
		"arn":                    arnGen("launch-template"),
		"default_version":        constant(num(1)),
		"latest_version":         constant(num(1)),
		"metadata_options":       emptyList(),
		"name_prefix":            constant(""),
		"vpc_security_group_ids": emptyList(),
		"network_interfaces":     nested(nil),
	}
	generators["aws_autoscaling_group"] = map[string]gen{
		"id": func(c *fillCtx) (any, error) { return c.known["name"], nil },
		"arn": func(c *fillCtx) (any, error) {
			return fmt.Sprintf("arn:aws:autoscaling:%s:%s:autoScalingGroup:%s:autoScalingGroupName/%s", region, account, uuid(c.seed("asg")), c.known["name"]), nil
		},
		"availability_zone_distribution":     constant([]any{map[string]any{"capacity_distribution_strategy": "balanced-best-effort"}}),
		"availability_zones":                 func(c *fillCtx) (any, error) { return zonesOf(c, "vpc_zone_identifier") },
		"capacity_reservation_specification": constant([]any{map[string]any{"capacity_reservation_preference": "default", "capacity_reservation_target": []any{}}}),
		"default_cooldown":                   constant(num(300)),
		"health_check_type":                  constant("EC2"),
		"launch_template": nested(map[string]func(*fillCtx, map[string]any) (any, error){
			"name": func(c *fillCtx, lt map[string]any) (any, error) {
				other, err := c.other(fmt.Sprint(lt["id"]))
				if err != nil {
					return nil, err
				}
				return other["name"], nil
			},
		}),
		"load_balancers":          emptyList(),
		"mixed_instances_policy":  emptyList(),
		"name_prefix":             constant(""),
		"predicted_capacity":      constant(num(0)),
		"service_linked_role_arn": constant("arn:aws:iam::" + account + ":role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"),
		"target_group_arns":       emptyList(),
		"traffic_source": func(c *fillCtx) (any, error) {
			tgs, err := c.get("target_group_arns")
			if err != nil {
				return nil, err
			}
			out := []any{}
			for _, tg := range strList(tgs) {
				out = append(out, map[string]any{"identifier": tg, "type": "elbv2"})
			}
			return out, nil
		},
		"warm_pool_size": constant(num(0)),
	}
	generators["aws_db_subnet_group"] = map[string]gen{
		"id": func(c *fillCtx) (any, error) { return c.known["name"], nil },
		"arn": func(c *fillCtx) (any, error) {
			return fmt.Sprintf("arn:aws:rds:%s:%s:subgrp:%s", region, account, c.known["name"]), nil
		},
		"name_prefix":             constant(""),
		"supported_network_types": constant([]any{"IPV4"}),
		"vpc_id":                  func(c *fillCtx) (any, error) { return vpcOfSubnets(c, strList(c.known["subnet_ids"])) },
	}
	generators["aws_db_instance"] = dbInstanceGens
	generators["aws_iam_role"] = map[string]gen{
		"id": func(c *fillCtx) (any, error) { return c.known["name"], nil },
		"arn": func(c *fillCtx) (any, error) {
			return fmt.Sprintf("arn:aws:iam::%s:role%s%s", account, c.known["path"], c.known["name"]), nil
		},
		"create_date":         constant(applyTime),
		"inline_policy":       emptyList(),
		"managed_policy_arns": emptyList(),
		"name_prefix":         constant(""),
		"unique_id":           func(c *fillCtx) (any, error) { return "AROA" + upperID(17, c.seed("unique")), nil },
	}
	generators["aws_iam_role_policy_attachment"] = map[string]gen{
		"id": func(c *fillCtx) (any, error) {
			return fmt.Sprintf("%s-%s%08d", c.known["role"], uniqueTime, hash64(c.seed("id"))%100000000), nil
		},
	}
	generators["aws_lambda_function"] = lambdaGens
}

var dbInstanceGens = map[string]gen{
	"id":          func(c *fillCtx) (any, error) { return "db-" + upperID(26, c.seed("resource")), nil },
	"resource_id": same("id"),
	"arn": func(c *fillCtx) (any, error) {
		return fmt.Sprintf("arn:aws:rds:%s:%s:db:%s", region, account, c.known["identifier"]), nil
	},
	"address": func(c *fillCtx) (any, error) {
		return fmt.Sprintf("%s.%s.%s.rds.amazonaws.com", c.known["identifier"], rdsHostID, region), nil
	},
	"endpoint": func(c *fillCtx) (any, error) {
		addr, err := c.str("address")
		if err != nil {
			return nil, err
		}
		port, err := c.get("port")
		return fmt.Sprintf("%s:%v", addr, port), err
	},
	"port": func(c *fillCtx) (any, error) {
		if c.known["engine"] == "postgres" {
			return num(5432), nil
		}
		return num(3306), nil
	},
	// The zone AWS placed the instance in: the zone of the subnet
	// group's first subnet.
	"availability_zone": func(c *fillCtx) (any, error) {
		sg := dbSubnetGroup(c)
		if sg == nil {
			return nil, fmt.Errorf("no subnet group %v in the state", c.known["db_subnet_group_name"])
		}
		subnets := strList(sg["subnet_ids"])
		if len(subnets) == 0 {
			return nil, fmt.Errorf("subnet group without subnets")
		}
		sn, err := c.other(subnets[0])
		if err != nil {
			return nil, err
		}
		return sn["availability_zone"], nil
	},
	"backup_retention_period": constant(num(1)),
	"backup_target":           constant("region"),
	"backup_window":           constant("06:27-06:57"),
	"ca_cert_identifier":      constant("rds-ca-rsa2048-g1"),
	"character_set_name":      constant(""),
	"database_insights_mode":  constant("standard"),
	"db_name":                 constant(""),
	"domain_fqdn":             constant(""),
	"engine_lifecycle_support": func(c *fillCtx) (any, error) {
		return "open-source-rds-extended-support", nil
	},
	"engine_version_actual": func(c *fillCtx) (any, error) { return c.known["engine_version"], nil },
	"hosted_zone_id":        constant(rdsZoneID),
	"identifier_prefix":     constant(""),
	"iops":                  constant(num(0)),
	"kms_key_id": func(c *fillCtx) (any, error) {
		if c.known["storage_encrypted"] == true {
			return kmsKeyARN("aws/rds"), nil
		}
		return "", nil
	},
	"latest_restorable_time": constant(""),
	"license_model": func(c *fillCtx) (any, error) {
		if c.known["engine"] == "postgres" {
			return "postgresql-license", nil
		}
		return "general-public-license", nil
	},
	"listener_endpoint":  emptyList(),
	"maintenance_window": constant("sun:08:36-sun:09:06"),
	"master_user_secret": func(c *fillCtx) (any, error) {
		if c.known["manage_master_user_password"] != true {
			return []any{}, nil
		}
		return []any{map[string]any{
			"kms_key_id":    kmsKeyARN("aws/secretsmanager"),
			"secret_arn":    fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:rds!db-%s-%s", region, account, uuid(c.seed("secret")), hexN(6, c.seed("secret-suffix"))),
			"secret_status": "active",
		}}, nil
	},
	"master_user_secret_kms_key_id": func(c *fillCtx) (any, error) {
		if c.known["manage_master_user_password"] != true {
			return "", nil
		}
		return kmsKeyARN("aws/secretsmanager"), nil
	},
	"monitoring_role_arn":      constant(""),
	"multi_az":                 constant(false),
	"nchar_character_set_name": constant(""),
	"network_type":             constant("IPV4"),
	"option_group_name": func(c *fillCtx) (any, error) {
		return "default:" + fmt.Sprint(c.known["engine"]) + "-" + strings.ReplaceAll(majorVersion(c), ".", "-"), nil
	},
	"parameter_group_name": func(c *fillCtx) (any, error) {
		return "default." + fmt.Sprint(c.known["engine"]) + majorVersion(c), nil
	},
	"performance_insights_kms_key_id":       constant(""),
	"performance_insights_retention_period": constant(num(0)),
	"replica_mode":                          constant(""),
	"replicas":                              emptyList(),
	"snapshot_identifier":                   constant(nil),
	"status":                                constant("available"),
	"storage_throughput":                    constant(num(0)),
	"storage_type":                          constant("gp2"),
	"timezone":                              constant(""),
}

// majorVersion is the engine version that names default parameter and
// option groups: "16" for PostgreSQL 16.3, "8.0" for MySQL 8.0.39.
func majorVersion(c *fillCtx) string {
	v := strings.Split(fmt.Sprint(c.known["engine_version"]), ".")
	if c.known["engine"] == "postgres" || len(v) < 2 {
		return v[0]
	}
	return v[0] + "." + v[1]
}

func dbSubnetGroup(c *fillCtx) map[string]any {
	name := fmt.Sprint(c.known["db_subnet_group_name"])
	for _, attrs := range c.a.byID {
		if attrs["name"] == name && strings.Contains(fmt.Sprint(attrs["arn"]), ":subgrp:") {
			return attrs
		}
	}
	return nil
}

var lambdaGens = map[string]gen{
	"id":            func(c *fillCtx) (any, error) { return c.known["function_name"], nil },
	"architectures": constant([]any{"x86_64"}),
	"arn": func(c *fillCtx) (any, error) {
		return fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s", region, account, c.known["function_name"]), nil
	},
	"code_sha256": func(c *fillCtx) (any, error) {
		sum := sha256.Sum256([]byte(c.seed("code")))
		return base64.StdEncoding.EncodeToString(sum[:]), nil
	},
	"ephemeral_storage": constant([]any{map[string]any{"size": num(512)}}),
	"invoke_arn": func(c *fillCtx) (any, error) {
		arn, err := c.str("arn")
		return fmt.Sprintf("arn:aws:apigateway:%s:lambda:path/2015-03-31/functions/%s/invocations", region, arn), err
	},
	"last_modified": constant("2025-03-03T09:31:12.000+0000"),
	"logging_config": func(c *fillCtx) (any, error) {
		return []any{map[string]any{"application_log_level": "", "log_format": "Text", "log_group": "/aws/lambda/" + fmt.Sprint(c.known["function_name"]), "system_log_level": ""}}, nil
	},
	"qualified_arn": func(c *fillCtx) (any, error) {
		arn, err := c.str("arn")
		return arn + ":$LATEST", err
	},
	"qualified_invoke_arn": func(c *fillCtx) (any, error) {
		arn, err := c.str("qualified_arn")
		return fmt.Sprintf("arn:aws:apigateway:%s:lambda:path/2015-03-31/functions/%s/invocations", region, arn), err
	},
	"signing_job_arn":             constant(""),
	"signing_profile_version_arn": constant(""),
	"source_code_hash":            same("code_sha256"),
	"source_code_size":            constant(num(48213)),
	"tracing_config":              constant([]any{map[string]any{"mode": "PassThrough"}}),
	"version":                     constant("$LATEST"),
	"vpc_config": nested(map[string]func(*fillCtx, map[string]any) (any, error){
		"vpc_id": func(c *fillCtx, vc map[string]any) (any, error) { return vpcOfSubnets(c, strList(vc["subnet_ids"])) },
	}),
}
