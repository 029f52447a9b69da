package estate

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"fmt"
	"slices"
	"strings"

	"github.com/vpcsim/vpcsim/internal/estate/tfstate"
)

// ExampleNames lists the estates, sorted.
func ExampleNames() []string { return []string{"hub-spoke", "peering-endpoints", "three-tier"} }

// Example returns the state file of the named estate.
func Example(name string) ([]byte, error) {
	var b *builder
	switch name {
	case "three-tier":
		b = threeTier()
	case "hub-spoke":
		b = hubSpoke()
	case "peering-endpoints":
		b = peeringEndpoints()
	default:
		return nil, fmt.Errorf("unknown estate %q", name)
	}
	return b.bytes()
}

const (
	account          = "123456789012"
	region           = "us-east-1"
	terraformVersion = "1.9.8"
	// ami is an Amazon Linux 2023 image of us-east-1.
	ami = "ami-0ae8f15ae66fe8cda"
)

// builder accumulates the resources of one estate.
type builder struct {
	name    string
	serial  int64
	env     tfstate.Env
	kmsKey  string
	rs      []*tfstate.Resource
	outputs map[string]tfstate.Output
}

func newBuilder(name string, serial int64, defaultTags tfstate.Tags) *builder {
	b := &builder{name: name, serial: serial, outputs: map[string]tfstate.Output{},
		env: tfstate.Env{Region: region, AccountID: account, DefaultTags: defaultTags}}
	b.kmsKey = "arn:aws:kms:" + region + ":" + account + ":key/" + b.uuid("ebs-key")
	return b
}

// id returns the AWS-style ID of the thing named key in this estate.
func (b *builder) id(prefix, key string) string { return tfstate.HashID(prefix, b.name+"/"+key) }

// hex returns n hex digits derived from key.
func (b *builder) hex(key string, n int) string {
	sum := sha256.Sum256([]byte(b.name + "/hex/" + key))
	return fmt.Sprintf("%x", sum[:])[:n]
}

// uuid returns a version-4-shaped UUID derived from key.
func (b *builder) uuid(key string) string {
	h := b.hex("uuid/"+key, 32)
	return h[:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:32]
}

// add adds one instance of a managed resource at module.typ.name[key].
func (b *builder) add(module, typ, name string, key any, schema int, attrs any, private string, deps ...string) {
	b.addInstance("managed", module, typ, name, tfstate.NewInstance(key, schema, attrs, private, sortedDeps(deps)...))
}

// data adds one instance of a data source.
func (b *builder) data(module, typ, name string, key any, attrs any) {
	b.addInstance("data", module, typ, name, tfstate.NewInstance(key, 0, attrs, ""))
}

func (b *builder) addInstance(mode, module, typ, name string, inst tfstate.Instance) {
	for _, r := range b.rs {
		if r.Mode == mode && r.Module == module && r.Type == typ && r.Name == name {
			r.Instances = append(r.Instances, inst)
			return
		}
	}
	b.rs = append(b.rs, &tfstate.Resource{Module: module, Mode: mode, Type: typ, Name: name,
		Provider: tfstate.AWSProvider, Instances: []tfstate.Instance{inst}})
}

// sortedDeps sorts and de-duplicates dependency addresses, as Terraform
// records them.
func sortedDeps(deps []string) []string {
	if len(deps) == 0 {
		return nil
	}
	out := slices.Clone(deps)
	slices.Sort(out)
	return slices.Compact(out)
}

// in prefixes a module path to configuration addresses (dependencies carry
// module paths without instance keys).
func in(module string, addrs ...string) []string {
	if module == "" {
		return addrs
	}
	if i := strings.IndexByte(module, '['); i >= 0 {
		module = module[:i]
	}
	out := make([]string, len(addrs))
	for i, a := range addrs {
		out[i] = module + "." + a
	}
	return out
}

func cat(lists ...[]string) []string { return slices.Concat(lists...) }

func (b *builder) output(name string, value, typ any) {
	b.outputs[name] = tfstate.Output{Value: value, Type: typ}
}

func (b *builder) bytes() ([]byte, error) {
	tfstate.SortResources(b.rs)
	var buf bytes.Buffer
	w := tfstate.NewWriter(&buf, tfstate.Header{TerraformVersion: terraformVersion, Serial: b.serial,
		Lineage: b.uuid("lineage"), Outputs: b.outputs})
	for _, r := range b.rs {
		if err := w.Write(r); err != nil {
			return nil, fmt.Errorf("estate %s: %w", b.name, err)
		}
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("estate %s: %w", b.name, err)
	}
	return buf.Bytes(), nil
}

// vpcIDs are the IDs AWS gives a VPC and the elements it creates with it.
type vpcIDs struct{ vpc, mainRTB, defaultACL, defaultSG string }

func (b *builder) vpcIDs(key string) vpcIDs {
	return vpcIDs{b.id("vpc", key), b.id("rtb", key+"/main"), b.id("acl", key+"/default"), b.id("sg", key+"/default")}
}

func (b *builder) vpc(ids vpcIDs, cidr string, tags tfstate.Tags) *tfstate.VPC {
	return b.env.VPC(ids.vpc, cidr, tags, ids.mainRTB, ids.defaultACL, ids.defaultSG, b.id("dopt", "dhcp"))
}

// az is an availability zone: its name and this account's zone ID.
type az struct{ name, id string }

var (
	azA = az{"us-east-1a", "use1-az4"}
	azB = az{"us-east-1b", "use1-az6"}
)

func (b *builder) availabilityZones(module string) {
	b.data(module, "aws_availability_zones", "available", nil, &tfstate.AvailabilityZones{
		GroupNames: []string{region}, ID: region, State: "available",
		Names:   []string{"us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"},
		ZoneIDs: []string{"use1-az4", "use1-az6", "use1-az1", "use1-az2", "use1-az3", "use1-az5"},
	})
}

// instance returns an aws_instance with IDs derived from key.
func (b *builder) instance(key, typ string, zone az, subnetID, privateIP, publicIP string, sgs []string, tags tfstate.Tags) *tfstate.EC2Instance {
	return b.env.Instance(b.id("i", key), ami, typ, zone.name, subnetID, b.id("eni", key), b.id("vol", key), b.kmsKey,
		privateIP, publicIP, sgs, tags)
}

// rt is shorthand for a route-table route.
type rt = tfstate.RouteTableRoute

// routesSorted orders a route table's route set the way the provider's set
// hashing would give a stable order; any fixed order will do for a set, so
// sort by destination.
func routesSorted(rs ...rt) []rt {
	slices.SortFunc(rs, func(a, b rt) int {
		return cmp.Or(cmp.Compare(a.CIDRBlock, b.CIDRBlock), cmp.Compare(a.IPv6CIDRBlock, b.IPv6CIDRBlock))
	})
	return rs
}
