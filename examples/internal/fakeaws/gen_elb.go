package main

import (
	"fmt"
	"strings"
)

// Elastic Load Balancing: ARNs and DNS names in the formats AWS uses in
// us-east-1.

const (
	// Route 53 zones of load balancer DNS names in us-east-1.
	albZoneID = "Z35SXDOTRQ7X7K" // application and classic
	nlbZoneID = "Z26RNL4JYFTOTI" // network
	elbARN    = "arn:aws:elasticloadbalancing:" + region + ":" + account + ":"
)

func lbKind(c *fillCtx) string {
	switch c.known["load_balancer_type"] {
	case "network":
		return "net"
	case "gateway":
		return "gwy"
	}
	return "app"
}

// lbSuffix is "app/NAME/16HEX", the part of a load balancer's ARN after
// "loadbalancer/", which listener and rule ARNs repeat.
func lbSuffix(c *fillCtx) string {
	name, _ := c.known["name"].(string)
	return lbKind(c) + "/" + name + "/" + hexN(16, c.seed("lb"))
}

// lbParts splits a load balancer ARN into its kind, name and hex ID.
func lbParts(arn string) (string, error) {
	_, suffix, ok := strings.Cut(arn, ":loadbalancer/")
	if !ok {
		return "", fmt.Errorf("%q is not a load balancer ARN", arn)
	}
	return suffix, nil
}

func tgARN(c *fillCtx) string {
	name, _ := c.known["name"].(string)
	return elbARN + "targetgroup/" + name + "/" + hexN(16, c.seed("tg"))
}

func isNetworkProtocol(p any) bool {
	switch p {
	case "TCP", "UDP", "TLS", "TCP_UDP":
		return true
	}
	return false
}

func init() {
	generators["aws_lb"] = map[string]gen{
		"arn":        func(c *fillCtx) (any, error) { return elbARN + "loadbalancer/" + lbSuffix(c), nil },
		"id":         same("arn"),
		"arn_suffix": func(c *fillCtx) (any, error) { return lbSuffix(c), nil },
		"dns_name": func(c *fillCtx) (any, error) {
			name, _ := c.known["name"].(string)
			prefix := ""
			if c.known["internal"] == true {
				prefix = "internal-"
			}
			if lbKind(c) == "net" {
				return prefix + name + "-" + hexN(16, c.seed("dns")) + ".elb." + region + ".amazonaws.com", nil
			}
			return fmt.Sprintf("%s%s-%d.%s.elb.amazonaws.com", prefix, name, hash64(c.seed("dns"))%2000000000, region), nil
		},
		// AWS reports "" for a load balancer without security groups and
		// for an ALB (the setting is the NLB's).
		"enforce_security_group_inbound_rules_on_private_link_traffic": constant(""),
		"ip_address_type": constant("ipv4"),
		"name_prefix":     constant(""),
		"security_groups": emptyList(),
		"subnet_mapping": func(c *fillCtx) (any, error) {
			subnets, _ := c.known["subnets"].([]any)
			out := []any{}
			for _, s := range subnets {
				out = append(out, map[string]any{"allocation_id": "", "ipv6_address": "", "outpost_id": "", "private_ipv4_address": "", "subnet_id": s})
			}
			return out, nil
		},
		"vpc_id": func(c *fillCtx) (any, error) {
			subnets, _ := c.known["subnets"].([]any)
			if len(subnets) == 0 {
				return nil, fmt.Errorf("no subnets")
			}
			sn, err := c.other(fmt.Sprint(subnets[0]))
			if err != nil {
				return nil, err
			}
			return sn["vpc_id"], nil
		},
		"zone_id": func(c *fillCtx) (any, error) {
			if lbKind(c) == "net" {
				return nlbZoneID, nil
			}
			return albZoneID, nil
		},
	}
	generators["aws_lb_target_group"] = map[string]gen{
		"arn":        func(c *fillCtx) (any, error) { return tgARN(c), nil },
		"id":         same("arn"),
		"arn_suffix": func(c *fillCtx) (any, error) { return strings.TrimPrefix(tgARN(c), elbARN), nil },
		"connection_termination": func(c *fillCtx) (any, error) {
			if isNetworkProtocol(c.known["protocol"]) {
				return false, nil
			}
			return nil, nil
		},
		"health_check": func(c *fillCtx) (any, error) {
			network := isNetworkProtocol(c.known["protocol"])
			if isTrue(c.unknown["health_check"]) {
				// Not configured: AWS's defaults for the protocol.
				if network {
					return []any{map[string]any{"enabled": true, "healthy_threshold": num(5), "interval": num(30), "matcher": "",
						"path": "", "port": "traffic-port", "protocol": "TCP", "timeout": num(10), "unhealthy_threshold": num(2)}}, nil
				}
				return []any{map[string]any{"enabled": true, "healthy_threshold": num(5), "interval": num(30), "matcher": "200",
					"path": "/", "port": "traffic-port", "protocol": "HTTP", "timeout": num(5), "unhealthy_threshold": num(2)}}, nil
			}
			return nested(map[string]func(*fillCtx, map[string]any) (any, error){
				"matcher": func(c *fillCtx, hc map[string]any) (any, error) {
					if network {
						return "", nil
					}
					return "200", nil
				},
				"timeout": func(c *fillCtx, hc map[string]any) (any, error) {
					if network {
						return num(10), nil
					}
					return num(5), nil
				},
			})(c)
		},
		"ip_address_type": constant("ipv4"),
		// The listeners that use the group come after it.
		"load_balancer_arns": emptyList(),
		"load_balancing_algorithm_type": func(c *fillCtx) (any, error) {
			if isNetworkProtocol(c.known["protocol"]) {
				return "", nil
			}
			return "round_robin", nil
		},
		"load_balancing_anomaly_mitigation": func(c *fillCtx) (any, error) {
			if isNetworkProtocol(c.known["protocol"]) {
				return "", nil
			}
			return "off", nil
		},
		"load_balancing_cross_zone_enabled": constant("use_load_balancer_configuration"),
		"name_prefix":                       constant(""),
		// Client IP preservation is on by default for instance targets
		// of a network load balancer; the attribute does not exist for
		// an ALB's groups.
		"preserve_client_ip": func(c *fillCtx) (any, error) {
			if !isNetworkProtocol(c.known["protocol"]) {
				return nil, nil
			}
			if c.known["target_type"] == "instance" || c.known["protocol"] == "UDP" || c.known["protocol"] == "TCP_UDP" {
				return "true", nil
			}
			return "false", nil
		},
		"protocol_version": func(c *fillCtx) (any, error) {
			if isNetworkProtocol(c.known["protocol"]) {
				return "", nil
			}
			return "HTTP1", nil
		},
		"stickiness": func(c *fillCtx) (any, error) {
			if isNetworkProtocol(c.known["protocol"]) {
				return []any{map[string]any{"cookie_duration": num(0), "cookie_name": "", "enabled": false, "type": "source_ip"}}, nil
			}
			return []any{map[string]any{"cookie_duration": num(86400), "cookie_name": "", "enabled": false, "type": "lb_cookie"}}, nil
		},
		"target_failover": constant([]any{map[string]any{"on_deregistration": nil, "on_unhealthy": nil}}),
		"target_group_health": constant([]any{map[string]any{
			"dns_failover":            []any{map[string]any{"minimum_healthy_targets_count": "1", "minimum_healthy_targets_percentage": "off"}},
			"unhealthy_state_routing": []any{map[string]any{"minimum_healthy_targets_count": "1", "minimum_healthy_targets_percentage": "off"}},
		}}),
		"target_health_state": func(c *fillCtx) (any, error) {
			if c.known["protocol"] == "TCP" || c.known["protocol"] == "TLS" {
				return []any{map[string]any{"enable_unhealthy_connection_termination": true, "unhealthy_draining_interval": num(0)}}, nil
			}
			return []any{}, nil
		},
	}
	actionFields := map[string]func(*fillCtx, map[string]any) (any, error){
		"order": func(*fillCtx, map[string]any) (any, error) { return num(1), nil },
		"target_group_arn": func(_ *fillCtx, a map[string]any) (any, error) {
			if a["type"] == "forward" {
				return nil, fmt.Errorf("a forward action without its target group")
			}
			return "", nil
		},
	}
	listenerHeaders := []string{
		"routing_http_request_x_amzn_mtls_clientcert_header_name", "routing_http_request_x_amzn_mtls_clientcert_issuer_header_name",
		"routing_http_request_x_amzn_mtls_clientcert_leaf_header_name", "routing_http_request_x_amzn_mtls_clientcert_serial_number_header_name",
		"routing_http_request_x_amzn_mtls_clientcert_subject_header_name", "routing_http_request_x_amzn_mtls_clientcert_validity_header_name",
		"routing_http_request_x_amzn_tls_cipher_suite_header_name", "routing_http_request_x_amzn_tls_version_header_name",
		"routing_http_response_access_control_allow_credentials_header_value", "routing_http_response_access_control_allow_headers_header_value",
		"routing_http_response_access_control_allow_methods_header_value", "routing_http_response_access_control_allow_origin_header_value",
		"routing_http_response_access_control_expose_headers_header_value", "routing_http_response_access_control_max_age_header_value",
		"routing_http_response_content_security_policy_header_value", "routing_http_response_strict_transport_security_header_value",
		"routing_http_response_x_content_type_options_header_value", "routing_http_response_x_frame_options_header_value",
	}
	listener := map[string]gen{
		"arn": func(c *fillCtx) (any, error) {
			lb, _ := c.known["load_balancer_arn"].(string)
			suffix, err := lbParts(lb)
			if err != nil {
				return nil, err
			}
			return elbARN + "listener/" + suffix + "/" + hexN(16, c.seed("listener")), nil
		},
		"id":             same("arn"),
		"default_action": nested(actionFields),
		"mutual_authentication": func(c *fillCtx) (any, error) {
			if c.known["protocol"] == "HTTPS" {
				return []any{map[string]any{"advertise_trust_store_ca_names": "", "ignore_client_certificate_expiry": false, "mode": "off", "trust_store_arn": ""}}, nil
			}
			return []any{}, nil
		},
		"routing_http_response_server_enabled": func(c *fillCtx) (any, error) {
			if isNetworkProtocol(c.known["protocol"]) {
				return nil, nil
			}
			return true, nil
		},
		"ssl_policy": constant(""),
		"tcp_idle_timeout_seconds": func(c *fillCtx) (any, error) {
			if isNetworkProtocol(c.known["protocol"]) {
				return num(350), nil
			}
			return nil, nil
		},
	}
	for _, h := range listenerHeaders {
		listener[h] = constant(nil)
	}
	generators["aws_lb_listener"] = listener
	generators["aws_lb_listener_rule"] = map[string]gen{
		"arn": func(c *fillCtx) (any, error) {
			l, _ := c.known["listener_arn"].(string)
			_, suffix, ok := strings.Cut(l, ":listener/")
			if !ok {
				return nil, fmt.Errorf("%q is not a listener ARN", l)
			}
			return elbARN + "listener-rule/" + suffix + "/" + hexN(16, c.seed("rule")), nil
		},
		"id":     same("arn"),
		"action": nested(actionFields),
	}
	generators["aws_lb_target_group_attachment"] = map[string]gen{
		// The provider's ID: the group's ARN and a unique suffix made of
		// the creation time and a counter.
		"id": func(c *fillCtx) (any, error) {
			tg, _ := c.known["target_group_arn"].(string)
			return fmt.Sprintf("%s-%s%08d", tg, uniqueTime, hash64(c.seed("id"))%100000000), nil
		},
	}
	generators["aws_elb"] = map[string]gen{
		"arn": func(c *fillCtx) (any, error) {
			name, _ := c.known["name"].(string)
			return elbARN + "loadbalancer/" + name, nil
		},
		"id": func(c *fillCtx) (any, error) { return c.known["name"], nil },
		"availability_zones": func(c *fillCtx) (any, error) {
			subnets, _ := c.known["subnets"].([]any)
			var zones []any
			for _, s := range subnets {
				sn, err := c.other(fmt.Sprint(s))
				if err != nil {
					return nil, err
				}
				zones = append(zones, sn["availability_zone"])
			}
			return zones, nil
		},
		"dns_name": func(c *fillCtx) (any, error) {
			name, _ := c.known["name"].(string)
			return fmt.Sprintf("%s-%d.%s.elb.amazonaws.com", name, hash64(c.seed("dns"))%2000000000, region), nil
		},
		"internal":    constant(false),
		"name_prefix": constant(""),
		"source_security_group": func(c *fillCtx) (any, error) {
			id, err := c.get("source_security_group_id")
			if err != nil {
				return nil, err
			}
			sg, err := c.other(fmt.Sprint(id))
			if err != nil {
				return nil, err
			}
			return account + "/" + fmt.Sprint(sg["name"]), nil
		},
		"source_security_group_id": func(c *fillCtx) (any, error) {
			sgs, _ := c.known["security_groups"].([]any)
			if len(sgs) == 0 {
				return nil, fmt.Errorf("no security groups")
			}
			return sgs[0], nil
		},
		"zone_id": constant(albZoneID),
	}
}

// uniqueTime is the time part of the unique IDs the provider makes
// (resource.PrefixedUniqueId): the fixtures' apply time.
const uniqueTime = "20250303093000"
