package hcl

import (
	"fmt"
	"strings"
	"testing"
)

// synthState writes a state of vpcs VPCs, each with subnets subnets of
// perSubnet instances, a security group per subnet with a few rules that
// reference each other, a route table per subnet and a NAT gateway.
func synthState(vpcs, subnets, perSubnet int) []byte {
	var rs []res
	for v := range vpcs {
		vid := fmt.Sprintf("vpc-%05d", v)
		rs = append(rs, r("aws_vpc", vid, fmt.Sprintf(`{"id": %q, "arn": "arn:aws:ec2:us-east-1:123456789012:vpc/%s", "cidr_block": "10.%d.0.0/16", "main_route_table_id": "rtb-m%05d", "default_network_acl_id": "acl-%05d", "default_security_group_id": "sg-d%05d", "tags": {"Name": %q}}`, vid, vid, v%250, v, v, v, vid)))
		rs = append(rs, r("aws_internet_gateway", vid, fmt.Sprintf(`{"id": "igw-%05d", "vpc_id": %q}`, v, vid)))
		for s := range subnets {
			sid := fmt.Sprintf("subnet-%05d-%03d", v, s)
			rs = append(rs, r("aws_subnet", sid, fmt.Sprintf(`{"id": %q, "vpc_id": %q, "cidr_block": "10.%d.%d.0/24", "availability_zone": "us-east-1a"}`, sid, vid, v%250, s)))
			sg := fmt.Sprintf("sg-%05d-%03d", v, s)
			rs = append(rs, r("aws_security_group", sg, fmt.Sprintf(`{"id": %q, "vpc_id": %q, "name": %q, "ingress": [{"protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": ["10.0.0.0/8", "192.168.0.0/16"], "security_groups": ["sg-d%05d"], "self": true}, {"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": [], "security_groups": [], "self": true}], "egress": [{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}]}`, sg, vid, sg, v)))
			rt := fmt.Sprintf("rtb-%05d-%03d", v, s)
			rs = append(rs, r("aws_route_table", rt, fmt.Sprintf(`{"id": %q, "vpc_id": %q, "route": [{"cidr_block": "0.0.0.0/0", "gateway_id": "igw-%05d"}]}`, rt, vid, v)))
			rs = append(rs, r("aws_route_table_association", rt, fmt.Sprintf(`{"id": "rtbassoc-%05d-%03d", "route_table_id": %q, "subnet_id": %q}`, v, s, rt, sid)))
			for i := range perSubnet {
				id := fmt.Sprintf("i-%05d-%03d-%03d", v, s, i)
				rs = append(rs, r("aws_instance", id, fmt.Sprintf(`{"id": %q, "subnet_id": %q, "private_ip": "10.%d.%d.%d", "primary_network_interface_id": "eni-%05d-%03d-%03d", "vpc_security_group_ids": [%q], "public_ip": "", "source_dest_check": true, "tags": {"Name": %q}}`, id, sid, v%250, s, 10+i, v, s, i, sg, id)))
			}
		}
	}
	b, _ := stateJSON(rs...)
	return b
}

// BenchmarkLoadBytes loads a state of 20 VPCs, 200 subnets and 2,000
// instances (a tenth of the design target's estate).
func BenchmarkLoadBytes(b *testing.B) {
	data := synthState(20, 10, 10)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		in, err := LoadBytes("bench.tfstate", data)
		if err != nil {
			b.Fatal(err)
		}
		if len(in.Network.Interfaces) != 2000 {
			b.Fatalf("%d interfaces", len(in.Network.Interfaces))
		}
	}
}

func TestSynthStateLoads(t *testing.T) {
	in, err := LoadBytes("synth.tfstate", synthState(2, 3, 4))
	if err != nil {
		t.Fatalf("%v", err)
	}
	if len(in.Network.Instances) != 24 || strings.Count(diagText(in.Diagnostics), "warning") != 0 {
		t.Errorf("%d instances; %s", len(in.Network.Instances), diagText(in.Diagnostics))
	}
}
