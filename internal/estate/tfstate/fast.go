package tfstate

import (
	"encoding/json"
	"slices"
	"strconv"
)

// Writing a large state spends its time in encoding/json's reflection and
// in re-indenting its output. The resource envelope and the attribute types
// that dominate large estates (instances, security groups) are therefore
// written directly as indented JSON; every other value goes through
// encoding/json and indent. Tests compare both paths byte for byte with
// json.MarshalIndent.

// fastJSON is implemented by attribute types that write themselves.
type fastJSON interface {
	appendJSON(w *jsonWriter)
}

// jsonWriter appends JSON laid out as json.MarshalIndent(v, "", "  ")
// lays it out, at a given starting depth.
type jsonWriter struct {
	b     []byte
	depth int
	// empty says the innermost open container has no element yet.
	empty bool
	// err is the first value encoding/json refused.
	err error
}

// next starts an element of the open container.
func (w *jsonWriter) next() {
	if !w.empty {
		w.b = append(w.b, ',')
	}
	w.b = append(w.b, newlines(w.depth)...)
	w.empty = false
}

func (w *jsonWriter) open(c byte) {
	w.b = append(w.b, c)
	w.depth++
	w.empty = true
}

func (w *jsonWriter) close(c byte) {
	w.depth--
	if !w.empty {
		w.b = append(w.b, newlines(w.depth)...)
	}
	w.b = append(w.b, c)
	w.empty = false
}

// key starts an object member.
func (w *jsonWriter) key(k string) {
	w.next()
	w.b = append(w.b, '"')
	w.b = append(w.b, k...)
	w.b = append(w.b, '"', ':', ' ')
}

func (w *jsonWriter) str(s string) {
	for i := 0; i < len(s); i++ {
		// encoding/json escapes these (and HTML's <, >, &); anything else
		// printable ASCII is written as is.
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s)
			w.b = append(w.b, q...)
			return
		}
	}
	w.b = append(w.b, '"')
	w.b = append(w.b, s...)
	w.b = append(w.b, '"')
}

func (w *jsonWriter) int(i int)   { w.b = strconv.AppendInt(w.b, int64(i), 10) }
func (w *jsonWriter) bool(v bool) { w.b = strconv.AppendBool(w.b, v) }

// any writes v through encoding/json.
func (w *jsonWriter) any(v any) {
	switch v := v.(type) {
	case nil:
		w.b = append(w.b, "null"...)
	case fastJSON:
		v.appendJSON(w)
	case string:
		w.str(v)
	case bool:
		w.bool(v)
	case int:
		w.int(v)
	default:
		compact, err := json.Marshal(v)
		if err != nil {
			if w.err == nil {
				w.err = err
			}
			w.b = append(w.b, "null"...)
			return
		}
		w.b = indent(w.b, compact, w.depth)
	}
}

func (w *jsonWriter) strs(ss []string) {
	if ss == nil {
		w.b = append(w.b, "null"...)
		return
	}
	w.open('[')
	for _, s := range ss {
		w.next()
		w.str(s)
	}
	w.close(']')
}

func (w *jsonWriter) tags(t Tags) {
	if t == nil {
		w.b = append(w.b, "null"...)
		return
	}
	keys := make([]string, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	w.open('{')
	for _, k := range keys {
		w.next()
		w.str(k)
		w.b = append(w.b, ':', ' ')
		w.str(t[k])
	}
	w.close('}')
}

// emptyList writes [] for the provider's always-empty blocks.
func (w *jsonWriter) anys(l []any) {
	if l == nil {
		w.b = append(w.b, "null"...)
		return
	}
	if len(l) == 0 {
		w.b = append(w.b, '[', ']')
		return
	}
	w.any(l)
}

func (w *jsonWriter) resource(r *Resource) {
	w.open('{')
	if r.Module != "" {
		w.key("module")
		w.str(r.Module)
	}
	w.key("mode")
	w.str(r.Mode)
	w.key("type")
	w.str(r.Type)
	w.key("name")
	w.str(r.Name)
	w.key("provider")
	w.str(r.Provider)
	w.key("instances")
	w.open('[')
	for i := range r.Instances {
		in := &r.Instances[i]
		w.next()
		w.open('{')
		if in.IndexKey != nil {
			w.key("index_key")
			w.any(in.IndexKey)
		}
		w.key("schema_version")
		w.int(in.SchemaVersion)
		w.key("attributes")
		w.any(in.Attributes)
		w.key("sensitive_attributes")
		if in.SensitiveAttributes == nil {
			w.b = append(w.b, "null"...)
		} else if len(in.SensitiveAttributes) == 0 {
			w.b = append(w.b, '[', ']')
		} else {
			w.any(in.SensitiveAttributes)
		}
		if in.Private != "" {
			w.key("private")
			w.str(in.Private)
		}
		if len(in.Dependencies) > 0 {
			w.key("dependencies")
			w.strs(in.Dependencies)
		}
		w.close('}')
	}
	w.close(']')
	w.close('}')
}

func (a *EC2Instance) appendJSON(w *jsonWriter) {
	w.open('{')
	w.key("ami")
	w.str(a.AMI)
	w.key("arn")
	w.str(a.ARN)
	w.key("associate_public_ip_address")
	w.bool(a.AssociatePublicIPAddress)
	w.key("availability_zone")
	w.str(a.AvailabilityZone)
	w.key("capacity_reservation_specification")
	w.open('[')
	for _, c := range a.CapacityReservationSpecification {
		w.next()
		w.open('{')
		w.key("capacity_reservation_preference")
		w.str(c.CapacityReservationPreference)
		w.key("capacity_reservation_target")
		w.anys(c.CapacityReservationTarget)
		w.close('}')
	}
	w.close(']')
	w.key("cpu_core_count")
	w.int(a.CPUCoreCount)
	w.key("cpu_options")
	w.open('[')
	for _, c := range a.CPUOptions {
		w.next()
		w.open('{')
		w.key("amd_sev_snp")
		w.str(c.AMDSEVSNP)
		w.key("core_count")
		w.int(c.CoreCount)
		w.key("threads_per_core")
		w.int(c.ThreadsPerCore)
		w.close('}')
	}
	w.close(']')
	w.key("cpu_threads_per_core")
	w.int(a.CPUThreadsPerCore)
	w.key("credit_specification")
	w.open('[')
	for _, c := range a.CreditSpecification {
		w.next()
		w.open('{')
		w.key("cpu_credits")
		w.str(c.CPUCredits)
		w.close('}')
	}
	w.close(']')
	w.key("disable_api_stop")
	w.bool(a.DisableAPIStop)
	w.key("disable_api_termination")
	w.bool(a.DisableAPITermination)
	w.key("ebs_block_device")
	w.anys(a.EBSBlockDevice)
	w.key("ebs_optimized")
	w.bool(a.EBSOptimized)
	w.key("enable_primary_ipv6")
	w.any(a.EnablePrimaryIPv6)
	w.key("enclave_options")
	w.open('[')
	for _, c := range a.EnclaveOptions {
		w.next()
		w.open('{')
		w.key("enabled")
		w.bool(c.Enabled)
		w.close('}')
	}
	w.close(']')
	w.key("ephemeral_block_device")
	w.anys(a.EphemeralBlockDevice)
	w.key("get_password_data")
	w.bool(a.GetPasswordData)
	w.key("hibernation")
	w.bool(a.Hibernation)
	w.key("host_id")
	w.str(a.HostID)
	w.key("host_resource_group_arn")
	w.any(a.HostResourceGroupARN)
	w.key("iam_instance_profile")
	w.str(a.IAMInstanceProfile)
	w.key("id")
	w.str(a.ID)
	w.key("instance_initiated_shutdown_behavior")
	w.str(a.InstanceInitiatedShutdownBehavior)
	w.key("instance_lifecycle")
	w.str(a.InstanceLifecycle)
	w.key("instance_market_options")
	w.anys(a.InstanceMarketOptions)
	w.key("instance_state")
	w.str(a.InstanceState)
	w.key("instance_type")
	w.str(a.InstanceType)
	w.key("ipv6_address_count")
	w.int(a.IPv6AddressCount)
	w.key("ipv6_addresses")
	w.strs(a.IPv6Addresses)
	w.key("key_name")
	w.str(a.KeyName)
	w.key("launch_template")
	w.anys(a.LaunchTemplate)
	w.key("maintenance_options")
	w.open('[')
	for _, c := range a.MaintenanceOptions {
		w.next()
		w.open('{')
		w.key("auto_recovery")
		w.str(c.AutoRecovery)
		w.close('}')
	}
	w.close(']')
	w.key("metadata_options")
	w.open('[')
	for _, c := range a.MetadataOptions {
		w.next()
		w.open('{')
		w.key("http_endpoint")
		w.str(c.HTTPEndpoint)
		w.key("http_protocol_ipv6")
		w.str(c.HTTPProtocolIPv6)
		w.key("http_put_response_hop_limit")
		w.int(c.HTTPPutResponseHopLimit)
		w.key("http_tokens")
		w.str(c.HTTPTokens)
		w.key("instance_metadata_tags")
		w.str(c.InstanceMetadataTags)
		w.close('}')
	}
	w.close(']')
	w.key("monitoring")
	w.bool(a.Monitoring)
	w.key("network_interface")
	w.anys(a.NetworkInterface)
	w.key("outpost_arn")
	w.str(a.OutpostARN)
	w.key("password_data")
	w.str(a.PasswordData)
	w.key("placement_group")
	w.str(a.PlacementGroup)
	w.key("placement_partition_number")
	w.int(a.PlacementPartitionNumber)
	w.key("primary_network_interface_id")
	w.str(a.PrimaryNetworkInterfaceID)
	w.key("private_dns")
	w.str(a.PrivateDNS)
	w.key("private_dns_name_options")
	w.open('[')
	for _, c := range a.PrivateDNSNameOptions {
		w.next()
		w.open('{')
		w.key("enable_resource_name_dns_a_record")
		w.bool(c.EnableResourceNameDNSARecord)
		w.key("enable_resource_name_dns_aaaa_record")
		w.bool(c.EnableResourceNameDNSAAAARecord)
		w.key("hostname_type")
		w.str(c.HostnameType)
		w.close('}')
	}
	w.close(']')
	w.key("private_ip")
	w.str(a.PrivateIP)
	w.key("public_dns")
	w.str(a.PublicDNS)
	w.key("public_ip")
	w.str(a.PublicIP)
	w.key("root_block_device")
	w.open('[')
	for _, c := range a.RootBlockDevice {
		w.next()
		w.open('{')
		w.key("delete_on_termination")
		w.bool(c.DeleteOnTermination)
		w.key("device_name")
		w.str(c.DeviceName)
		w.key("encrypted")
		w.bool(c.Encrypted)
		w.key("iops")
		w.int(c.IOPS)
		w.key("kms_key_id")
		w.str(c.KMSKeyID)
		w.key("tags")
		w.tags(c.Tags)
		w.key("tags_all")
		w.tags(c.TagsAll)
		w.key("throughput")
		w.int(c.Throughput)
		w.key("volume_id")
		w.str(c.VolumeID)
		w.key("volume_size")
		w.int(c.VolumeSize)
		w.key("volume_type")
		w.str(c.VolumeType)
		w.close('}')
	}
	w.close(']')
	w.key("secondary_private_ips")
	w.strs(a.SecondaryPrivateIPs)
	w.key("security_groups")
	w.strs(a.SecurityGroups)
	w.key("source_dest_check")
	w.bool(a.SourceDestCheck)
	w.key("spot_instance_request_id")
	w.str(a.SpotInstanceRequestID)
	w.key("subnet_id")
	w.str(a.SubnetID)
	w.key("tags")
	w.tags(a.Tags)
	w.key("tags_all")
	w.tags(a.TagsAll)
	w.key("tenancy")
	w.str(a.Tenancy)
	w.key("timeouts")
	w.any(a.Timeouts)
	w.key("user_data")
	w.any(a.UserData)
	w.key("user_data_base64")
	w.any(a.UserDataBase64)
	w.key("user_data_replace_on_change")
	w.bool(a.UserDataReplaceOnChange)
	w.key("volume_tags")
	w.any(a.VolumeTags)
	w.key("vpc_security_group_ids")
	w.strs(a.VPCSecurityGroupIDs)
	w.close('}')
}

func (a *SecurityGroup) appendJSON(w *jsonWriter) {
	rules := func(rs []SecurityGroupRule) {
		if rs == nil {
			w.b = append(w.b, "null"...)
			return
		}
		w.open('[')
		for i := range rs {
			r := &rs[i]
			w.next()
			w.open('{')
			w.key("cidr_blocks")
			w.strs(r.CIDRBlocks)
			w.key("description")
			w.str(r.Description)
			w.key("from_port")
			w.int(r.FromPort)
			w.key("ipv6_cidr_blocks")
			w.strs(r.IPv6CIDRBlocks)
			w.key("prefix_list_ids")
			w.strs(r.PrefixListIDs)
			w.key("protocol")
			w.str(r.Protocol)
			w.key("security_groups")
			w.strs(r.SecurityGroups)
			w.key("self")
			w.bool(r.Self)
			w.key("to_port")
			w.int(r.ToPort)
			w.close('}')
		}
		w.close(']')
	}
	w.open('{')
	w.key("arn")
	w.str(a.ARN)
	w.key("description")
	w.str(a.Description)
	w.key("egress")
	rules(a.Egress)
	w.key("id")
	w.str(a.ID)
	w.key("ingress")
	rules(a.Ingress)
	w.key("name")
	w.str(a.Name)
	w.key("name_prefix")
	w.str(a.NamePrefix)
	w.key("owner_id")
	w.str(a.OwnerID)
	w.key("revoke_rules_on_delete")
	w.bool(a.RevokeRulesOnDelete)
	w.key("tags")
	w.tags(a.Tags)
	w.key("tags_all")
	w.tags(a.TagsAll)
	w.key("timeouts")
	w.any(a.Timeouts)
	w.key("vpc_id")
	w.str(a.VPCID)
	w.close('}')
}
