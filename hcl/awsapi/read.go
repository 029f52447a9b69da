package awsapi

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/vpcsim/vpcsim/hcl/resource"
	"github.com/vpcsim/vpcsim/model"
)

// Result is what Read makes of a snapshot.
type Result struct {
	// Instances are the snapshot's elements as resource instances, in the
	// shape the AWS provider writes into state, for the mapper every reader
	// shares.
	Instances []resource.Instance
	// Diagnostics are the problems and remarks of the reading.
	Diagnostics model.Diagnostics
	// Accounts and Regions are those the snapshot covers, in the order
	// read.
	Accounts, Regions []string
}

// operations are the AWS CLI calls a snapshot holds, by file name without
// ".json": one file a region, or one folder of files a resource (the key
// files).
var operations = []string{
	"ec2-describe-vpcs", "ec2-describe-subnets", "ec2-describe-route-tables", "ec2-describe-network-acls",
	"ec2-describe-security-groups", "ec2-describe-security-group-rules", "ec2-describe-network-interfaces",
	"ec2-describe-instances", "ec2-describe-launch-template-versions", "ec2-describe-internet-gateways",
	"ec2-describe-egress-only-internet-gateways", "ec2-describe-nat-gateways", "ec2-describe-addresses",
	"ec2-describe-vpc-peering-connections", "ec2-describe-vpc-endpoints", "ec2-describe-managed-prefix-lists",
	"ec2-get-managed-prefix-list-entries", "ec2-describe-transit-gateways", "ec2-describe-transit-gateway-attachments",
	"ec2-describe-transit-gateway-vpc-attachments", "ec2-describe-transit-gateway-peering-attachments",
	"ec2-describe-transit-gateway-route-tables", "ec2-search-transit-gateway-routes",
	"ec2-get-transit-gateway-route-table-associations", "ec2-get-transit-gateway-route-table-propagations",
	"elbv2-describe-load-balancers", "elbv2-describe-listeners", "elbv2-describe-load-balancer-attributes",
	"elbv2-describe-rules", "elbv2-describe-target-groups", "elbv2-describe-target-health",
	"elbv2-describe-target-group-attributes", "elb-describe-load-balancers", "elb-describe-load-balancer-attributes",
	"autoscaling-describe-auto-scaling-groups", "rds-describe-db-instances", "lambda-list-functions",
}

// required are the calls without which a region's network cannot be told:
// their absence is a warning (docs/snapshot.sh stops when a call fails, so a
// missing file means the folder was not made by it, or was cut).
var required = []string{"ec2-describe-vpcs", "ec2-describe-subnets", "ec2-describe-route-tables",
	"ec2-describe-network-acls", "ec2-describe-security-groups", "ec2-describe-network-interfaces", "ec2-describe-instances"}

var (
	regionRe  = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d+$`)
	accountRe = regexp.MustCompile(`^\d{12}$`)
	opFileRe  = regexp.MustCompile(`^(ec2|elbv2|elb|autoscaling|rds|lambda)-[a-z0-9-]+\.json$`)
)

// IsSnapshot reports whether folder dir of fsys holds an AWS CLI snapshot:
// answers of the AWS CLI named as docs/snapshot.sh names them, in the folder
// or in folders up to two levels below it (ACCOUNT/REGION).
func IsSnapshot(fsys fs.FS, dir string) bool {
	return len(regionFolders(fsys, dir)) > 0
}

// regionFolders are the folders under dir (dir included, two levels down)
// that hold answers of the AWS CLI.
func regionFolders(fsys fs.FS, dir string) []string {
	var out []string
	var walk func(d string, depth int)
	walk = func(d string, depth int) {
		es, err := fs.ReadDir(fsys, d)
		if err != nil {
			return
		}
		holds := false
		for _, e := range es {
			if !e.IsDir() && opFileRe.MatchString(e.Name()) {
				holds = true
			}
		}
		if holds {
			out = append(out, d)
		}
		if depth == 2 {
			return
		}
		for _, e := range es {
			if e.IsDir() && !strings.HasPrefix(e.Name(), ".") && !slices.Contains(operations, e.Name()) {
				walk(path.Join(d, e.Name()), depth+1)
			}
		}
	}
	walk(dir, 0)
	return out
}

// Read reads the AWS CLI snapshot in folder dir of fsys: one folder per
// account (its sts-get-caller-identity.json names it), one folder per
// region in it, one file per call (docs/snapshot.sh), or the files of one
// region in dir itself. display names a path of fsys as the user knows it,
// for positions; nil shows it unchanged. Every account and region is read
// into one list of instances: IDs are unique across them, so references
// between accounts resolve when both are in the snapshot.
func Read(fsys fs.FS, dir string, display func(string) string) Result {
	if display == nil {
		display = func(s string) string { return s }
	}
	var res Result
	folders := regionFolders(fsys, dir)
	if len(folders) == 0 {
		res.Diagnostics = append(res.Diagnostics, model.Diagnostic{Severity: model.SeverityError, Pos: model.Pos{File: display(dir)},
			Message: "no answer of the AWS CLI here: a snapshot holds files such as ec2-describe-vpcs.json, in ACCOUNT/REGION folders as docs/snapshot.sh writes them"})
		return res
	}
	for _, f := range folders {
		region := path.Base(f)
		if !regionRe.MatchString(region) {
			region = ""
		}
		account := accountOf(fsys, f, display, &res)
		if region != "" && !slices.Contains(res.Regions, region) {
			res.Regions = append(res.Regions, region)
		}
		if account != "" && !slices.Contains(res.Accounts, account) {
			res.Accounts = append(res.Accounts, account)
		}
		r := &regionReader{fsys: fsys, dir: f, display: display, region: region, account: account, res: &res}
		r.read()
	}
	res.Instances = dedupe(res.Instances)
	return res
}

// accountOf is the account of a region folder: the name of its parent when
// it is an account ID, else what sts-get-caller-identity.json says there.
func accountOf(fsys fs.FS, dir string, display func(string) string, res *Result) string {
	for _, d := range []string{dir, path.Dir(dir)} {
		if accountRe.MatchString(path.Base(d)) {
			return path.Base(d)
		}
		name := path.Join(d, "sts-get-caller-identity.json")
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			continue
		}
		doc, err := parseDocument(display(name), data)
		if err != nil {
			res.Diagnostics = append(res.Diagnostics, errorAt(display(name), err))
			continue
		}
		if a := str(doc.root, "Account"); accountRe.MatchString(a) {
			return a
		}
	}
	return ""
}

// regionReader reads the answers of one account in one region.
type regionReader struct {
	fsys    fs.FS
	dir     string
	display func(string) string
	region  string
	account string
	res     *Result

	// docs are the parsed answers by operation; keyed are the per-resource
	// answers by operation and key.
	docs  map[string]*document
	keyed map[string]map[string]*document
	// enis are the interfaces of describe-network-interfaces, which
	// several owners (load balancers, databases, functions, endpoints)
	// take theirs from.
	enis []map[string]any
	// taken are the interfaces an owner took.
	taken map[string]bool
}

func (r *regionReader) read() {
	r.docs, r.keyed, r.taken = map[string]*document{}, map[string]map[string]*document{}, map[string]bool{}
	es, _ := fs.ReadDir(r.fsys, r.dir)
	for _, e := range es {
		name := e.Name()
		op := strings.TrimSuffix(name, ".json")
		full := path.Join(r.dir, name)
		switch {
		case e.IsDir() && slices.Contains(operations, name):
			r.keyed[name] = map[string]*document{}
			sub, _ := fs.ReadDir(r.fsys, full)
			for _, k := range sub {
				if !k.IsDir() && strings.HasSuffix(k.Name(), ".json") {
					if d := r.parse(path.Join(full, k.Name())); d != nil {
						r.keyed[name][strings.TrimSuffix(k.Name(), ".json")] = d
					}
				}
			}
		case e.IsDir():
		case !strings.HasSuffix(name, ".json") || name == "sts-get-caller-identity.json":
		case slices.Contains(operations, op):
			if d := r.parse(full); d != nil {
				r.docs[op] = d
			}
		default:
			r.diag(model.SeverityNote, model.Pos{File: r.display(full)}, "", "not an answer vpcsim reads: left out")
		}
	}
	for _, op := range required {
		if r.docs[op] == nil {
			r.diag(model.SeverityWarning, model.Pos{File: r.display(r.dir)}, "", "%s.json is missing: the snapshot says nothing of what it lists (docs/snapshot.sh writes it, empty when there is nothing)", op)
		}
	}
	r.enis = append(r.enis, r.list("ec2-describe-network-interfaces", "NetworkInterfaces")...)
	r.ec2()
	r.transit()
	r.loadBalancers()
	r.services()
	r.standaloneInterfaces()
}

// parse reads one file; a file that is not JSON is an error at its
// position, and nothing of it is read.
func (r *regionReader) parse(name string) *document {
	data, err := fs.ReadFile(r.fsys, name)
	if err != nil {
		r.diag(model.SeverityError, model.Pos{File: r.display(name)}, "", "cannot read: %v", err)
		return nil
	}
	d, err := parseDocument(r.display(name), data)
	if err != nil {
		r.res.Diagnostics = append(r.res.Diagnostics, errorAt(r.display(name), err))
		return nil
	}
	if _, ok := d.root.(map[string]any); !ok {
		r.diag(model.SeverityError, d.pos(0), "", "not an answer of the AWS CLI (--output json prints one object)")
		return nil
	}
	return d
}

// list returns the objects of member key of an operation's answer.
func (r *regionReader) list(op, key string) []map[string]any {
	d := r.docs[op]
	if d == nil {
		return nil
	}
	if m, _ := d.root.(map[string]any); m != nil {
		if _, ok := m[key]; !ok {
			r.diag(model.SeverityWarning, d.pos(0), "", "the answer has no %q member: it is not what %s prints", key, op)
		}
	}
	return objects(d.root, key)
}

// keyedList returns the objects of member key of the per-resource answer
// of op for key.
func (r *regionReader) keyedList(op, key, member string) []map[string]any {
	d := r.keyed[op][key]
	if d == nil {
		return nil
	}
	return objects(d.root, member)
}

func (r *regionReader) diag(sev model.Severity, pos model.Pos, elem, format string, args ...any) {
	r.res.Diagnostics = append(r.res.Diagnostics, model.Diagnostic{Severity: sev, Pos: pos, Element: elem, Message: fmt.Sprintf(format, args...)})
}

// add appends an instance of a resource type at the position of the object
// that describes it. Snapshot elements have no Terraform address: they are
// named by their IDs.
func (r *regionReader) add(typ string, src map[string]any, attrs map[string]any) {
	r.addMode("managed", typ, src, attrs)
}

func (r *regionReader) addMode(mode, typ string, src map[string]any, attrs map[string]any) {
	r.res.Instances = append(r.res.Instances, resource.Instance{Mode: mode, Type: typ, Attrs: attrs, Pos: posOf(src, model.Pos{File: r.display(r.dir)})})
}

// addOwned adds an element that another account may own: when owner is
// an account other than this one, the instance is this account's view of
// it (a shared transit gateway, the accepter's side of a peering
// connection), marked outside, so that the owner's description wins.
func (r *regionReader) addOwned(typ string, src map[string]any, attrs map[string]any, owner string) {
	r.add(typ, src, attrs)
	if owner != "" && r.account != "" && owner != r.account {
		r.res.Instances[len(r.res.Instances)-1].Outside = "owned by account " + owner + ", as account " + r.account + " sees it"
	}
}

// shared are the resource types several accounts' answers describe the
// same element with: each account sees the other's side of a peering
// connection, a shared transit gateway and its attachments, the VPCs and
// subnets shared with it, and the prefix lists AWS manages.
var shared = map[string]bool{
	"aws_vpc": true, "aws_subnet": true, "aws_vpc_peering_connection": true, "aws_ec2_transit_gateway": true,
	"aws_ec2_transit_gateway_vpc_attachment": true, "aws_ec2_transit_gateway_peering_attachment": true,
	"aws_ec2_managed_prefix_list": true,
}

// dedupe keeps one instance of each shared element the answers of several
// accounts or regions describe: the owner's, else the first.
func dedupe(ins []resource.Instance) []resource.Instance {
	best := map[string]int{}
	for i, in := range ins {
		id, _ := in.Attrs["id"].(string)
		if !shared[in.Type] || id == "" {
			continue
		}
		k := in.Type + "|" + id
		if j, ok := best[k]; !ok || ins[j].Outside != "" && in.Outside == "" {
			best[k] = i
		}
	}
	out := ins[:0:0]
	for i, in := range ins {
		id, _ := in.Attrs["id"].(string)
		if shared[in.Type] && id != "" && best[in.Type+"|"+id] != i {
			continue
		}
		out = append(out, in)
	}
	return out
}

// arn builds an ARN of this account and region, for the region and account
// evidence the mapper reads.
func (r *regionReader) arn(service, what string) string {
	if r.region == "" || r.account == "" {
		return ""
	}
	return fmt.Sprintf("arn:aws:%s:%s:%s:%s", service, r.region, r.account, what)
}

// keyOf is the file name docs/snapshot.sh gives a per-resource answer,
// from the resource's ARN: …:targetgroup/NAME/ID gives NAME-ID,
// …:loadbalancer/app/NAME/ID gives NAME-ID, …:listener/app/NAME/LB/ID gives
// NAME-LB-ID.
func keyOf(arn string) string {
	p := arn
	for _, s := range []string{":targetgroup/", ":loadbalancer/", ":listener/"} {
		if _, after, ok := strings.Cut(p, s); ok {
			p = after
		}
	}
	for _, s := range []string{"app/", "net/", "gwy/"} {
		if strings.HasPrefix(p, s) {
			p = p[len(s):]
			break
		}
	}
	return strings.ReplaceAll(p, "/", "-")
}
