package estatetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/vpcsim/vpcsim/internal/estate/tfstate"
	"github.com/vpcsim/vpcsim/model"
)

// Check reads a state file and reports every inconsistency that a state
// written by Terraform against real AWS could not have: it is how the tests
// of the example estates and of the generator prove their output sound,
// independently of vpcsim's own loader. It checks
//
//   - the format: version 4, Terraform's resource order, unique addresses
//     and index keys, the keys every instance carries;
//   - identity: every managed resource's ID is unique, and every string in
//     the attributes that has the shape of an AWS ID names something the
//     state defines (a resource, or what AWS created with one: a VPC's main
//     route table, an instance's primary interface, a VPN's attachment…);
//   - addresses: subnets lie in their VPC and do
//     not overlap, every interface address lies in its subnet, avoids the
//     five addresses AWS reserves and is unique, public addresses are
//     unique, every CIDR in a rule or route parses and has no host bits;
//   - rules: NACL rule numbers are within 1-32766 and unique per direction,
//     port ranges are ordered, a transit gateway attachment takes at most
//     one subnet per zone, all in its VPC.
//
// It returns the problems found, each naming the resource instance; nil
// means none.
func Check(data []byte) []error {
	c := &checker{defined: map[string]bool{}, ids: map[string]string{}}
	c.run(data)
	return c.errs
}

// CheckSummary is what Check saw, for tests that compare counts.
type CheckSummary struct {
	// Resources counts resource instances by type ("data." prefixed for
	// data sources).
	Resources map[string]int
	// Interfaces counts the network interfaces the state implies: instance
	// primary interfaces, NAT gateway and endpoint interfaces.
	Interfaces int
}

// Summarize returns the instance counts of a state, or an error when it is
// not a state file.
func Summarize(data []byte) (CheckSummary, error) {
	c := &checker{defined: map[string]bool{}, ids: map[string]string{}}
	st, err := c.decode(data)
	if err != nil {
		return CheckSummary{}, err
	}
	s := CheckSummary{Resources: map[string]int{}}
	for _, r := range st.Resources {
		t := r.Type
		if r.Mode == "data" {
			t = "data." + t
		}
		s.Resources[t] += len(r.Instances)
		for _, in := range r.Instances {
			a := in.Attributes
			switch {
			case r.Mode != "managed":
			case r.Type == "aws_instance" || r.Type == "aws_nat_gateway":
				s.Interfaces++
			case r.Type == "aws_vpc_endpoint":
				s.Interfaces += len(strs(a["network_interface_ids"]))
			}
		}
	}
	return s, nil
}

type checkState struct {
	Version          int             `json:"version"`
	TerraformVersion string          `json:"terraform_version"`
	Lineage          string          `json:"lineage"`
	Resources        []checkResource `json:"resources"`
}

type checkResource struct {
	Module    string          `json:"module"`
	Mode      string          `json:"mode"`
	Type      string          `json:"type"`
	Name      string          `json:"name"`
	Provider  string          `json:"provider"`
	Instances []checkInstance `json:"instances"`
}

type checkInstance struct {
	IndexKey            any            `json:"index_key"`
	SchemaVersion       *int           `json:"schema_version"`
	Attributes          map[string]any `json:"attributes"`
	SensitiveAttributes []any          `json:"sensitive_attributes"`
	addr                string
}

type checker struct {
	errs    []error
	defined map[string]bool   // IDs the state defines
	ids     map[string]string // managed resource ID → address
}

func (c *checker) errorf(addr, format string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf("%s: %s", addr, fmt.Sprintf(format, args...)))
}

func (c *checker) decode(data []byte) (*checkState, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var st checkState
	if err := dec.Decode(&st); err != nil {
		return nil, fmt.Errorf("not JSON: %w", err)
	}
	if st.Version != 4 {
		return nil, fmt.Errorf("state format version %d, want 4", st.Version)
	}
	for i := range st.Resources {
		r := &st.Resources[i]
		base := r.Type + "." + r.Name
		if r.Mode == "data" {
			base = "data." + base
		}
		if r.Module != "" {
			base = r.Module + "." + base
		}
		for j := range r.Instances {
			in := &r.Instances[j]
			in.addr = base
			switch k := in.IndexKey.(type) {
			case json.Number:
				in.addr += "[" + k.String() + "]"
			case string:
				in.addr += "[" + strconv.Quote(k) + "]"
			}
		}
	}
	return &st, nil
}

// idShape matches the AWS IDs whose references the checker follows.
var idShape = regexp.MustCompile(`^(vpc|subnet|sg|rtb|igw|eigw|nat|eni|i|eipalloc|pcx|tgw|tgw-attach|tgw-rtb|vpce|cgw|vpn|acl)-[0-9a-f]{8,17}$`)

func (c *checker) run(data []byte) {
	st, err := c.decode(data)
	if err != nil {
		c.errs = append(c.errs, err)
		return
	}
	if st.TerraformVersion == "" || st.Lineage == "" {
		c.errorf("state", "terraform_version or lineage missing")
	}
	c.format(st)
	c.identity(st)
	c.network(st)
}

func (c *checker) format(st *checkState) {
	for i := range st.Resources {
		r := &st.Resources[i]
		if r.Provider == "" || len(r.Instances) == 0 {
			c.errorf(r.Type+"."+r.Name, "no provider or no instances")
		}
		if i > 0 {
			p := &st.Resources[i-1]
			a := &tfstate.Resource{Module: p.Module, Mode: p.Mode, Type: p.Type, Name: p.Name}
			b := &tfstate.Resource{Module: r.Module, Mode: r.Mode, Type: r.Type, Name: r.Name}
			if !tfstate.Less(a, b) {
				c.errorf(r.Instances[0].addr, "out of Terraform's order or duplicate (after %s)", p.Instances[0].addr)
			}
		}
		keys := map[string]bool{}
		for _, in := range r.Instances {
			if keys[in.addr] {
				c.errorf(in.addr, "duplicate instance")
			}
			keys[in.addr] = true
			if in.SchemaVersion == nil || in.Attributes == nil || in.SensitiveAttributes == nil {
				c.errorf(in.addr, "schema_version, attributes or sensitive_attributes missing")
			}
		}
	}
}

// each calls f for every instance of the given mode and type ("" = any).
func each(st *checkState, mode, typ string, f func(r *checkResource, in *checkInstance)) {
	for i := range st.Resources {
		r := &st.Resources[i]
		if (mode == "" || r.Mode == mode) && (typ == "" || r.Type == typ) {
			for j := range r.Instances {
				f(r, &r.Instances[j])
			}
		}
	}
}

func (c *checker) identity(st *checkState) {
	each(st, "", "", func(r *checkResource, in *checkInstance) {
		a := in.Attributes
		id := str(a["id"])
		if r.Mode == "managed" && r.Type != "aws_vpc_peering_connection_accepter" {
			// AWS IDs are unique across types; composite IDs the provider
			// makes up (a TGW association and a propagation of the same
			// table and attachment share one) only within a type.
			key := id
			if !idShape.MatchString(id) {
				key = r.Type + " " + id
			}
			if prev, dup := c.ids[key]; dup {
				c.errorf(in.addr, "id %s is also the id of %s", id, prev)
			}
			c.ids[key] = in.addr
		}
		c.defined[id] = true
		for _, k := range []string{"default_network_acl_id", "default_route_table_id", "default_security_group_id",
			"main_route_table_id", "primary_network_interface_id", "network_interface_id", "transit_gateway_attachment_id", "allocation_id"} {
			if r.Mode == "managed" {
				if v := str(a[k]); v != "" {
					c.defined[v] = true
				}
			}
		}
		if r.Type == "aws_vpc_endpoint" {
			for _, v := range strs(a["network_interface_ids"]) {
				c.defined[v] = true
			}
		}
	})
	// tags_all is the provider's default tags merged with tags: the same
	// defaults on every resource of a state.
	defaults, defaultsFrom := "", ""
	each(st, "managed", "", func(r *checkResource, in *checkInstance) {
		all, ok := in.Attributes["tags_all"].(map[string]any)
		if !ok {
			return
		}
		tags, _ := in.Attributes["tags"].(map[string]any)
		for k, v := range tags {
			if all[k] != v {
				c.errorf(in.addr, "tag %s=%v is not in tags_all", k, v)
			}
		}
		var extra []string
		for k, v := range all {
			if _, ok := tags[k]; !ok {
				extra = append(extra, fmt.Sprintf("%s=%v", k, v))
			}
		}
		slices.Sort(extra)
		d := strings.Join(extra, ",")
		if defaultsFrom == "" {
			defaults, defaultsFrom = d, in.addr
		} else if d != defaults {
			c.errorf(in.addr, "tags_all adds {%s} to tags, %s adds {%s}: default tags differ", d, defaultsFrom, defaults)
		}
	})
	each(st, "managed", "", func(r *checkResource, in *checkInstance) {
		for k, v := range in.Attributes {
			if k == "id" {
				continue
			}
			walkStrings(v, func(s string) {
				if idShape.MatchString(s) && !c.defined[s] {
					c.errorf(in.addr, "%s refers to %s, which the state does not define", k, s)
				}
			})
		}
	})
}

func walkStrings(v any, f func(string)) {
	switch v := v.(type) {
	case string:
		f(v)
	case []any:
		for _, e := range v {
			walkStrings(e, f)
		}
	case map[string]any:
		for _, e := range v {
			walkStrings(e, f)
		}
	}
}

type subnetInfo struct {
	addr      string
	vpc, zone string
	v4, v6    netip.Prefix
}

func (c *checker) network(st *checkState) {
	vpcs := map[string][]netip.Prefix{}
	each(st, "managed", "aws_vpc", func(r *checkResource, in *checkInstance) {
		id := str(in.Attributes["id"])
		for _, k := range []string{"cidr_block", "ipv6_cidr_block"} {
			if s := str(in.Attributes[k]); s != "" {
				if p, ok := c.prefix(in.addr, k, s); ok {
					vpcs[id] = append(vpcs[id], p)
				}
			}
		}
	})
	// VPC blocks may overlap across VPCs: AWS allows it (only peered VPCs
	// and routes between them must not), so the oracle does not refuse it.
	subnets := map[string]*subnetInfo{}
	byVPC := map[string][]*subnetInfo{}
	each(st, "managed", "aws_subnet", func(r *checkResource, in *checkInstance) {
		a := in.Attributes
		s := &subnetInfo{addr: in.addr, vpc: str(a["vpc_id"]), zone: str(a["availability_zone"])}
		s.v4, _ = c.prefix(in.addr, "cidr_block", str(a["cidr_block"]))
		if v := str(a["ipv6_cidr_block"]); v != "" {
			s.v6, _ = c.prefix(in.addr, "ipv6_cidr_block", v)
		}
		for _, p := range []netip.Prefix{s.v4, s.v6} {
			if p.IsValid() && !slices.ContainsFunc(vpcs[s.vpc], func(b netip.Prefix) bool { return b.Bits() <= p.Bits() && b.Contains(p.Addr()) }) {
				c.errorf(in.addr, "CIDR block %s is outside its VPC %s", p, s.vpc)
			}
		}
		for _, o := range byVPC[s.vpc] {
			if s.v4.IsValid() && o.v4.IsValid() && s.v4.Overlaps(o.v4) || s.v6.IsValid() && o.v6.IsValid() && s.v6.Overlaps(o.v6) {
				c.errorf(in.addr, "overlaps %s", o.addr)
			}
		}
		byVPC[s.vpc] = append(byVPC[s.vpc], s)
		subnets[str(a["id"])] = s
	})

	// Interface addresses: unique per VPC, in their subnet, not reserved.
	used := map[string]string{}
	public := map[string]string{}
	hostAddr := func(addr, subnetID, ip string) {
		s := subnets[subnetID]
		if s == nil {
			c.errorf(addr, "subnet %s is not in the state", subnetID)
			return
		}
		a, err := netip.ParseAddr(ip)
		if err != nil {
			c.errorf(addr, "address %q: %v", ip, err)
			return
		}
		p := s.v4
		if a.Is6() {
			p = s.v6
		}
		if !p.IsValid() || !p.Contains(a) {
			c.errorf(addr, "address %s is outside subnet %s (%s)", a, s.addr, p)
			return
		}
		if model.IsReservedAddr(p, a) {
			c.errorf(addr, "address %s is one of the five AWS reserves in %s", a, p)
		}
		k := s.vpc + "/" + a.String()
		if prev, dup := used[k]; dup {
			c.errorf(addr, "address %s is also used by %s", a, prev)
		}
		used[k] = addr
	}
	publicAddr := func(addr, ip string) {
		if ip == "" {
			return
		}
		if _, err := netip.ParseAddr(ip); err != nil {
			c.errorf(addr, "public address %q: %v", ip, err)
		}
		if prev, dup := public[ip]; dup {
			c.errorf(addr, "public address %s is also used by %s", ip, prev)
		}
		public[ip] = addr
	}
	eniIP := map[string]string{}
	instancePublic := map[string]string{}
	each(st, "managed", "aws_instance", func(r *checkResource, in *checkInstance) {
		a := in.Attributes
		hostAddr(in.addr, str(a["subnet_id"]), str(a["private_ip"]))
		for _, ip := range strs(a["ipv6_addresses"]) {
			hostAddr(in.addr, str(a["subnet_id"]), ip)
		}
		eniIP[str(a["primary_network_interface_id"])] = str(a["private_ip"])
		if a["associate_public_ip_address"] == true {
			publicAddr(in.addr, str(a["public_ip"]))
		}
		instancePublic[str(a["id"])] = str(a["public_ip"])
	})
	each(st, "managed", "aws_nat_gateway", func(r *checkResource, in *checkInstance) {
		a := in.Attributes
		hostAddr(in.addr, str(a["subnet_id"]), str(a["private_ip"]))
		eniIP[str(a["network_interface_id"])] = str(a["private_ip"])
	})
	// An interface endpoint's addresses, from subnet_configuration; a data
	// source may describe the same interfaces again.
	endpointAddr := map[string]bool{}
	each(st, "managed", "aws_vpc_endpoint", func(r *checkResource, in *checkInstance) {
		for _, sc := range objs(in.Attributes["subnet_configuration"]) {
			for _, k := range []string{"ipv4", "ipv6"} {
				if ip := str(sc[k]); ip != "" {
					hostAddr(in.addr, str(sc["subnet_id"]), ip)
					endpointAddr[str(sc["subnet_id"])+"/"+ip] = true
				}
			}
		}
	})
	each(st, "data", "aws_network_interface", func(r *checkResource, in *checkInstance) {
		a := in.Attributes
		if !endpointAddr[str(a["subnet_id"])+"/"+str(a["private_ip"])] {
			hostAddr(in.addr, str(a["subnet_id"]), str(a["private_ip"]))
		}
		eniIP[str(a["id"])] = str(a["private_ip"])
	})
	each(st, "managed", "aws_eip", func(r *checkResource, in *checkInstance) {
		a := in.Attributes
		// An instance with an Elastic IP reports it as its public_ip: the
		// same address, not a second owner.
		if inst := str(a["instance"]); inst == "" || instancePublic[inst] != str(a["public_ip"]) {
			publicAddr(in.addr, str(a["public_ip"]))
		}
		if eni := str(a["network_interface"]); eni != "" {
			if ip, ok := eniIP[eni]; ok && ip != str(a["private_ip"]) {
				c.errorf(in.addr, "private_ip %s is not the address %s of %s", str(a["private_ip"]), ip, eni)
			}
		}
	})

	// Rules and routes.
	each(st, "managed", "", func(r *checkResource, in *checkInstance) {
		a := in.Attributes
		switch r.Type {
		case "aws_network_acl":
			for _, dir := range []string{"ingress", "egress"} {
				seen := map[int64]bool{}
				for _, e := range objs(a[dir]) {
					n := num(e["rule_no"])
					if n < 1 || n > 32766 || seen[n] {
						c.errorf(in.addr, "%s rule number %d is out of range or used twice", dir, n)
					}
					seen[n] = true
					c.ports(in.addr, str(e["protocol"]), num(e["from_port"]), num(e["to_port"]))
					c.cidrs(in.addr, dir, str(e["cidr_block"]), str(e["ipv6_cidr_block"]))
				}
			}
		case "aws_security_group":
			for _, dir := range []string{"ingress", "egress"} {
				for _, e := range objs(a[dir]) {
					c.ports(in.addr, str(e["protocol"]), num(e["from_port"]), num(e["to_port"]))
					c.cidrs(in.addr, dir, slices.Concat(strs(e["cidr_blocks"]), strs(e["ipv6_cidr_blocks"]))...)
				}
			}
		case "aws_route_table":
			for _, e := range objs(a["route"]) {
				c.cidrs(in.addr, "route", str(e["cidr_block"]), str(e["ipv6_cidr_block"]))
			}
		case "aws_route":
			c.cidrs(in.addr, "route", str(a["destination_cidr_block"]), str(a["destination_ipv6_cidr_block"]))
		case "aws_ec2_transit_gateway_route":
			c.cidrs(in.addr, "route", str(a["destination_cidr_block"]))
		case "aws_ec2_transit_gateway_vpc_attachment":
			zones := map[string]bool{}
			for _, id := range strs(a["subnet_ids"]) {
				s := subnets[id]
				if s == nil {
					continue
				}
				if s.vpc != str(a["vpc_id"]) {
					c.errorf(in.addr, "subnet %s is not in the attached VPC", s.addr)
				}
				if zones[s.zone] {
					c.errorf(in.addr, "two subnets in zone %s", s.zone)
				}
				zones[s.zone] = true
			}
		}
	})
}

func (c *checker) prefix(addr, what, s string) (netip.Prefix, bool) {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		c.errorf(addr, "%s %q: %v", what, s, err)
		return p, false
	}
	if p != p.Masked() {
		c.errorf(addr, "%s %s has host bits set", what, s)
	}
	return p, true
}

func (c *checker) cidrs(addr, what string, cidrs ...string) {
	for _, s := range cidrs {
		if s != "" {
			c.prefix(addr, what, s)
		}
	}
}

func (c *checker) ports(addr, proto string, from, to int64) {
	switch strings.ToLower(proto) {
	case "tcp", "udp", "6", "17":
		if from < 0 || to > 65535 || from > to {
			c.errorf(addr, "port range %d-%d", from, to)
		}
	}
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func strs(v any) []string {
	var out []string
	for _, e := range objsAny(v) {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func objsAny(v any) []any {
	l, _ := v.([]any)
	return l
}

func objs(v any) []map[string]any {
	var out []map[string]any
	for _, e := range objsAny(v) {
		if m, ok := e.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

func num(v any) int64 {
	n, _ := v.(json.Number)
	i, _ := n.Int64()
	return i
}
