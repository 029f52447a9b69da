package awsapi_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/vpcsim/vpcsim/hcl"
	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
)

// account writes the answers of one account and region of a small estate:
// a VPC with one subnet, a route table sending peer to the peering
// connection, the default network ACL, a group admitting SSH from peer,
// and one instance at host.
func account(fsys fstest.MapFS, acct, region, vpc, cidr, host, peer, pcx string) {
	dir := acct + "/" + region + "/"
	n := strings.TrimPrefix(vpc, "vpc-")
	put := func(name, body string) { fsys[dir+name] = &fstest.MapFile{Data: []byte(body)} }
	fsys[acct+"/sts-get-caller-identity.json"] = &fstest.MapFile{Data: []byte(fmt.Sprintf(`{"Account": %q}`, acct))}
	put("ec2-describe-vpcs.json", fmt.Sprintf(`{
    "Vpcs": [
        {
            "VpcId": %q,
            "CidrBlock": %q,
            "OwnerId": %q
        }
    ]
}`, vpc, cidr, acct))
	put("ec2-describe-subnets.json", fmt.Sprintf(`{
    "Subnets": [
        {
            "SubnetId": "subnet-%s",
            "VpcId": %q,
            "CidrBlock": %q,
            "AvailabilityZone": "%sa",
            "OwnerId": %q
        }
    ]
}`, n, vpc, cidr, region, acct))
	put("ec2-describe-route-tables.json", fmt.Sprintf(`{
    "RouteTables": [
        {
            "RouteTableId": "rtb-%s",
            "VpcId": %q,
            "OwnerId": %q,
            "Associations": [
                {"Main": true, "RouteTableAssociationId": "rtbassoc-%s", "RouteTableId": "rtb-%s"}
            ],
            "Routes": [
                {"DestinationCidrBlock": %q, "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"},
                {"DestinationCidrBlock": %q, "VpcPeeringConnectionId": %q, "Origin": "CreateRoute", "State": "active"}
            ]
        }
    ]
}`, n, vpc, acct, n, n, cidr, peer, pcx))
	put("ec2-describe-network-acls.json", fmt.Sprintf(`{
    "NetworkAcls": [
        {
            "NetworkAclId": "acl-%s",
            "VpcId": %q,
            "IsDefault": true,
            "OwnerId": %q,
            "Associations": [{"SubnetId": "subnet-%s"}],
            "Entries": [
                {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": false, "CidrBlock": "0.0.0.0/0"},
                {"RuleNumber": 32767, "Protocol": "-1", "RuleAction": "deny", "Egress": false, "CidrBlock": "0.0.0.0/0"},
                {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": true, "CidrBlock": "0.0.0.0/0"},
                {"RuleNumber": 32767, "Protocol": "-1", "RuleAction": "deny", "Egress": true, "CidrBlock": "0.0.0.0/0"}
            ]
        }
    ]
}`, n, vpc, acct, n))
	put("ec2-describe-security-groups.json", fmt.Sprintf(`{
    "SecurityGroups": [
        {
            "GroupId": "sg-%s",
            "GroupName": "ssh",
            "Description": "SSH from the peer",
            "VpcId": %q,
            "OwnerId": %q,
            "IpPermissions": [
                {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": %q}]}
            ],
            "IpPermissionsEgress": [
                {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
            ]
        }
    ]
}`, n, vpc, acct, peer))
	put("ec2-describe-network-interfaces.json", fmt.Sprintf(`{
    "NetworkInterfaces": [
        {
            "NetworkInterfaceId": "eni-%s",
            "SubnetId": "subnet-%s",
            "VpcId": %q,
            "PrivateIpAddress": %q,
            "PrivateIpAddresses": [{"PrivateIpAddress": %q, "Primary": true}],
            "Groups": [{"GroupId": "sg-%s"}],
            "InterfaceType": "interface",
            "Attachment": {"InstanceId": "i-%s", "DeviceIndex": 0}
        }
    ]
}`, n, n, vpc, host, host, n, n))
	put("ec2-describe-instances.json", fmt.Sprintf(`{
    "Reservations": [
        {
            "Instances": [
                {
                    "InstanceId": "i-%s",
                    "SubnetId": "subnet-%s",
                    "VpcId": %q,
                    "PrivateIpAddress": %q,
                    "State": {"Name": "running"},
                    "SecurityGroups": [{"GroupId": "sg-%s"}],
                    "NetworkInterfaces": [
                        {"NetworkInterfaceId": "eni-%s", "Attachment": {"DeviceIndex": 0}, "PrivateIpAddresses": [{"PrivateIpAddress": %q, "Primary": true}]}
                    ]
                }
            ]
        }
    ]
}`, n, n, vpc, host, n, n, host))
	put("ec2-describe-vpc-peering-connections.json", fmt.Sprintf(`{
    "VpcPeeringConnections": [
        {
            "VpcPeeringConnectionId": %q,
            "Status": {"Code": "active"},
            "RequesterVpcInfo": {"VpcId": "vpc-aaaa1111", "OwnerId": "111111111111", "Region": "us-east-1"},
            "AccepterVpcInfo": {"VpcId": "vpc-bbbb2222", "OwnerId": "222222222222", "Region": %q}
        }
    ]
}`, pcx, peerRegion))
}

// peerRegion is where account 222222222222's VPC is.
var peerRegion = "us-east-1"

// twoAccounts is a snapshot of two accounts whose VPCs are peered.
func twoAccounts() fstest.MapFS {
	fsys := fstest.MapFS{}
	account(fsys, "111111111111", "us-east-1", "vpc-aaaa1111", "10.1.0.0/16", "10.1.0.10", "10.2.0.0/16", "pcx-0123456789abcdef0")
	account(fsys, "222222222222", peerRegion, "vpc-bbbb2222", "10.2.0.0/16", "10.2.0.10", "10.1.0.0/16", "pcx-0123456789abcdef0")
	return fsys
}

func loadSnapshot(t *testing.T, fsys fstest.MapFS) *hcl.Input {
	t.Helper()
	in, err := hcl.LoadSnapshot(fsys, ".")
	for _, d := range in.Diagnostics {
		t.Log(d)
	}
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func traceSSH(t *testing.T, n *model.Network, from, to string) *reach.Result {
	t.Helper()
	e, err := reach.New(n)
	if err != nil {
		t.Fatal(err)
	}
	tcp, _ := model.ParseProtocol("tcp")
	port := model.PortRange{First: 22, Last: 22}
	res, err := e.Trace(reach.Query{From: from, To: to, Protocol: tcp, Port: &port})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// Both sides of a peering between accounts are in the snapshot: the
// peering resolves, each account's answer lists it and it is one
// connection, and SSH from one VPC reaches the other.
func TestTwoAccountsPeered(t *testing.T) {
	in := loadSnapshot(t, twoAccounts())
	n := in.Network
	if len(n.VPCs) != 2 || len(n.PeeringConnections) != 1 || len(n.Instances) != 2 {
		t.Fatalf("got %d VPCs, %d peering connections, %d instances; want 2, 1, 2", len(n.VPCs), len(n.PeeringConnections), len(n.Instances))
	}
	for _, v := range n.VPCs {
		if v.IsOutside() {
			t.Errorf("%s is outside, though its account is in the snapshot", v.ID)
		}
	}
	for _, d := range in.Diagnostics {
		if d.Severity != model.SeverityNote {
			t.Errorf("unexpected diagnostic: %s", d)
		}
	}
	res := traceSSH(t, n, "10.2.0.10", "10.1.0.10")
	if res.Verdict != reach.Reachable {
		t.Errorf("SSH across the peering: %v, want reachable", res.Verdict)
	}
}

// Only one side is in the snapshot: the connection is the other
// account's view, outside the input, and a trace to the peer VPC stops there
// (OUTSIDE_ESTATE): what is behind it is not in the input.
func TestOneAccountOfAPeering(t *testing.T) {
	fsys := twoAccounts()
	for name := range fsys {
		if strings.HasPrefix(name, "111111111111/") {
			delete(fsys, name)
		}
	}
	in := loadSnapshot(t, fsys)
	if in.Diagnostics.HasErrors() {
		t.Errorf("errors: %v", in.Diagnostics)
	}
	if len(in.Network.PeeringConnections) != 1 || !in.Network.PeeringConnections[0].IsOutside() {
		t.Fatalf("peering connections %+v, want one outside the input", in.Network.PeeringConnections)
	}
	res := traceSSH(t, in.Network, "10.2.0.10", "10.1.0.10")
	if res.Verdict.Passes() || !hasCode(res, reach.CodeOutsideEstate) {
		t.Errorf("SSH to the account not in the snapshot: %v %+v, want unreachable with OUTSIDE_ESTATE", res.Verdict, res.Explanations)
	}
}

func hasCode(res *reach.Result, c reach.Code) bool {
	for _, x := range res.Explanations {
		if x.Code == c {
			return true
		}
	}
	return false
}

// Snapshots of two accounts, given as two inputs, merge through LoadAll:
// each describes the peering connection, the requester's description wins
// over the accepter's view of it, and the peering resolves across them.
func TestSnapshotMergesWithOtherInputs(t *testing.T) {
	a, b := twoAccounts(), twoAccounts()
	for name := range a {
		if strings.HasPrefix(name, "222222222222/") {
			delete(a, name)
		}
	}
	for name := range b {
		if strings.HasPrefix(name, "111111111111/") {
			delete(b, name)
		}
	}
	dir := t.TempDir()
	for i, fsys := range []fstest.MapFS{a, b} {
		for name, f := range fsys {
			writeFile(t, fmt.Sprintf("%s/%d/%s", dir, i, name), f.Data)
		}
	}
	in, err := hcl.LoadAll([]string{dir + "/0", dir + "/1"})
	for _, d := range in.Diagnostics {
		t.Log(d)
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range in.Network.VPCs {
		if v.IsOutside() {
			t.Errorf("%s is outside, though the other input has it", v.ID)
		}
	}

	if res := traceSSH(t, in.Network, "10.1.0.10", "10.2.0.10"); res.Verdict != reach.Reachable {
		t.Errorf("SSH across the peering of two snapshots: %v, want reachable: %+v", res.Verdict, res.Explanations)
	}
}

// Every element read from a snapshot carries the file and line of the
// object that describes it.
func TestSnapshotPositions(t *testing.T) {
	in := loadSnapshot(t, twoAccounts())
	check := func(kind string, m *model.Meta) {
		if m.Synthetic != "" || m.IsOutside() {
			return
		}
		if m.Pos.File == "" || m.Pos.Line == 0 || !strings.HasSuffix(m.Pos.File, ".json") {
			t.Errorf("%s %s has no position in a file: %+v", kind, m.Label(), m.Pos)
		}
	}
	for _, x := range in.Network.VPCs {
		check("vpc", &x.Meta)
	}
	for _, x := range in.Network.Subnets {
		check("subnet", &x.Meta)
	}
	for _, x := range in.Network.SecurityGroups {
		check("security group", &x.Meta)
		for _, r := range x.Ingress {
			check("rule", &r.Meta)
		}
	}
	for _, x := range in.Network.Interfaces {
		check("interface", &x.Meta)
	}
	for _, x := range in.Network.RouteTables {
		check("route table", &x.Meta)
		for _, r := range x.Routes {
			check("route", &r.Meta)
		}
	}
	for _, x := range in.Network.NetworkACLs {
		check("network ACL", &x.Meta)
		for _, r := range x.Ingress {
			check("ACL rule", &r.Meta)
		}
	}
	// The SSH rule is on line 10 of the file, where its permission is.
	for _, g := range in.Network.SecurityGroups {
		if g.ID == "sg-aaaa1111" && (len(g.Ingress) != 1 || g.Ingress[0].Pos.Line != 10) {
			t.Errorf("the SSH rule of sg-aaaa1111 is at %+v, want line 10", g.Ingress)
		}
	}
}

func writeFile(t *testing.T, name string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
