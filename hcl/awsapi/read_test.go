package awsapi

import (
	"os"
	"path"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/vpcsim/vpcsim/hcl/mapper"
	"github.com/vpcsim/vpcsim/model"
)

const webPlatform = "../../examples/web-platform/snapshot"

// The web-platform snapshot, made by docs/snapshot.sh's calls against an
// account Terraform built, reads without an error or a warning into what
// the state holds, every instance at a line of a file.
func TestReadWebPlatform(t *testing.T) {
	res := Read(os.DirFS(webPlatform), ".", nil)
	for _, d := range res.Diagnostics {
		if d.Severity != model.SeverityNote {
			t.Errorf("%s", d)
		}
	}
	if strings.Join(res.Accounts, ",") != "123456789012" || strings.Join(res.Regions, ",") != "us-east-1" {
		t.Errorf("accounts %v, regions %v", res.Accounts, res.Regions)
	}
	count := map[string]int{}
	for _, in := range res.Instances {
		count[in.Type]++
		if in.Pos.File == "" || in.Pos.Line == 0 {
			t.Errorf("%s %v has no position", in.Type, in.Attrs["id"])
		}
		if in.Address != "" {
			t.Errorf("%s %v has a Terraform address: a snapshot has none", in.Type, in.Attrs["id"])
		}
	}
	for typ, want := range map[string]int{
		"aws_vpc": 1, "aws_subnet": 8, "aws_instance": 9, "aws_lb": 3, "aws_elb": 1, "aws_lb_target_group": 4,
		"aws_autoscaling_group": 2, "aws_db_instance": 2, "aws_nat_gateway": 1, "aws_internet_gateway": 1,
	} {
		if count[typ] != want {
			t.Errorf("%d %s, want %d", count[typ], typ, want)
		}
	}
}

// The layouts docs/snapshot.sh and a user make: ACCOUNT/REGION folders, the
// files of one region in the folder itself (its region and account then
// unknown unless sts-get-caller-identity.json says the account).
func TestReadLayouts(t *testing.T) {
	vpcs := `{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "OwnerId": "123456789012"}]}`
	for _, c := range []struct {
		name            string
		files           map[string]string
		account, region string
	}{
		{"account and region folders", map[string]string{"123456789012/eu-west-1/ec2-describe-vpcs.json": vpcs}, "123456789012", "eu-west-1"},
		{"region folder", map[string]string{"eu-west-1/ec2-describe-vpcs.json": vpcs, "sts-get-caller-identity.json": `{"Account": "210987654321"}`}, "210987654321", "eu-west-1"},
		{"flat", map[string]string{"ec2-describe-vpcs.json": vpcs}, "", ""},
		{"flat with the caller", map[string]string{"ec2-describe-vpcs.json": vpcs, "sts-get-caller-identity.json": `{"Account": "210987654321"}`}, "210987654321", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for name, body := range c.files {
				fsys[name] = &fstest.MapFile{Data: []byte(body)}
			}
			if !IsSnapshot(fsys, ".") {
				t.Fatal("not recognised as a snapshot")
			}
			res := Read(fsys, ".", nil)
			if got := strings.Join(res.Accounts, ","); got != c.account {
				t.Errorf("account %q, want %q", got, c.account)
			}
			if got := strings.Join(res.Regions, ","); got != c.region {
				t.Errorf("region %q, want %q", got, c.region)
			}
			if len(res.Instances) != 1 || res.Instances[0].Type != "aws_vpc" {
				t.Errorf("instances %+v, want the VPC", res.Instances)
			}
		})
	}
	if IsSnapshot(fstest.MapFS{"main.tf": {Data: []byte("")}}, ".") {
		t.Error("a folder of .tf files is taken for a snapshot")
	}
}

// What goes wrong in a snapshot is said at the file, line and column.
func TestReadDiagnostics(t *testing.T) {
	dir := "123456789012/us-east-1/"
	for _, c := range []struct {
		name, file, body string
		sev              model.Severity
		line, col        int
		msg              string
	}{
		{"invalid JSON", "ec2-describe-vpcs.json", "{\n  \"Vpcs\": [\n    {\"VpcId\": \"vpc-1\",,}\n  ]\n}\n", model.SeverityError, 3, 23, "invalid JSON"},
		{"truncated", "ec2-describe-subnets.json", "{\n  \"Subnets\": [\n    {\"SubnetId\": \"subnet-1\"", model.SeverityError, 3, 28, "truncated"},
		{"two values", "ec2-describe-vpcs.json", "{\"Vpcs\": []}\n{\"Vpcs\": []}\n", model.SeverityError, 2, 2, "more than one JSON value"},
		{"not an object", "ec2-describe-vpcs.json", "[1, 2]\n", model.SeverityError, 1, 1, "not an answer of the AWS CLI"},
		{"wrong answer", "ec2-describe-vpcs.json", "{\n  \"Subnets\": []\n}\n", model.SeverityWarning, 1, 1, `no "Vpcs" member`},
		{"unknown call", "ec2-describe-flow-logs.json", "{}", model.SeverityNote, 0, 0, "not an answer vpcsim reads"},
		{"too deep", "ec2-describe-vpcs.json", strings.Repeat("[", 300) + strings.Repeat("]", 300), model.SeverityError, 1, 258, "nests too deeply"},
	} {
		t.Run(c.name, func(t *testing.T) {
			fsys := fstest.MapFS{dir + c.file: {Data: []byte(c.body)}}
			res := Read(fsys, ".", nil)
			var found bool
			for _, d := range res.Diagnostics {
				if d.Severity == c.sev && strings.Contains(d.Message, c.msg) {
					found = true
					if d.Pos.File != dir+c.file || d.Pos.Line != c.line || d.Pos.Col != c.col {
						t.Errorf("%s at %s, want %s%s:%d:%d", d.Message, d.Pos, dir, c.file, c.line, c.col)
					}
				}
			}
			if !found {
				t.Errorf("no %v %q in %v", c.sev, c.msg, res.Diagnostics)
			}
		})
	}
	// A region without the answers every network needs is warned of, once
	// per missing call.
	res := Read(fstest.MapFS{dir + "ec2-describe-vpcs.json": {Data: []byte(`{"Vpcs": []}`)}}, ".", nil)
	missing := 0
	for _, d := range res.Diagnostics {
		if d.Severity == model.SeverityWarning && strings.Contains(d.Message, "is missing") {
			missing++
			if d.Pos.File != path.Clean(dir) {
				t.Errorf("%s at %s, want the region folder", d.Message, d.Pos)
			}
		}
	}
	if missing != len(required)-1 {
		t.Errorf("%d warnings of missing calls, want %d: %v", missing, len(required)-1, res.Diagnostics)
	}
	// Nothing to read at all is an error.
	if res := Read(fstest.MapFS{"README": {Data: []byte("")}}, ".", nil); !res.Diagnostics.HasErrors() {
		t.Error("a folder without answers reads without an error")
	}
}

// FuzzRead reads arbitrary bytes as each answer of a snapshot and maps what
// it reads: neither must panic, and everything read carries a position.
func FuzzRead(f *testing.F) {
	ops, _ := os.ReadDir(webPlatform + "/123456789012/us-east-1")
	for _, e := range ops {
		if e.IsDir() {
			continue
		}
		data, err := os.ReadFile(webPlatform + "/123456789012/us-east-1/" + e.Name())
		if err == nil && len(data) < 64<<10 {
			f.Add(strings.TrimSuffix(e.Name(), ".json"), data)
		}
	}
	f.Add("ec2-describe-vpcs", []byte(`{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]}`))
	f.Fuzz(func(t *testing.T, op string, data []byte) {
		known := false
		for _, o := range operations {
			known = known || o == op
		}
		if !known {
			op = "ec2-describe-network-interfaces"
		}
		fsys := fstest.MapFS{"123456789012/us-east-1/" + op + ".json": {Data: data}}
		res := Read(fsys, ".", nil)
		for _, in := range res.Instances {
			if in.Pos.File == "" {
				t.Errorf("%s without a position", in.Type)
			}
		}
		for _, d := range res.Diagnostics {
			if d.Pos.File == "" {
				t.Errorf("diagnostic without a file: %s", d)
			}
		}
		b := mapper.Build("snapshot", res.Instances, mapper.Options{Region: "us-east-1", AccountID: "123456789012"})
		if b.Network != nil {
			b.Network.Validate()
		}
	})
}
