package examples_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/examples"
	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
	"github.com/vpcsim/vpcsim/report"
)

// fingerprints are the report's findings of n from the internet and from
// the sources froms, as "fingerprint\tsource\ttarget\tprotocol ports"
// (a source's name may hold spaces: "VPC aws_vpc.main"), sorted.
func fingerprints(t *testing.T, n *model.Network, froms ...string) []string {
	t.Helper()
	e, err := reach.New(n)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, from := range append([]string{"internet"}, froms...) {
		a, err := e.Analyze(reach.AnalyzeOptions{From: from})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range report.NewReport(a, nil, "").Findings {
			out = append(out, f.Fingerprint+"\t"+a.Source+"\t"+f.Target+"\t"+f.ServiceText())
		}
	}
	slices.Sort(out)
	return out
}

// A finding's fingerprint depends on what it is, not on the IDs and
// addresses AWS assigns at apply: a folder of configuration (symbolic IDs,
// placeholder addresses) and its state (real ones) give the same
// fingerprints, from the internet and from each VPC (named by its Terraform
// address: the source is part of what a finding is).
func TestFingerprintsFolderAndState(t *testing.T) {
	for _, e := range examples.All() {
		t.Run(e.Name, func(t *testing.T) {
			dir := filepath.Dir(e.StatePath)
			stateNet := load(t, e.StatePath).Network
			var vpcs []string
			for _, v := range stateNet.VPCs {
				vpcs = append(vpcs, v.Address)
			}
			folderNet := load(t, dir).Network
			folder := fingerprints(t, folderNet, vpcs...)
			state := fingerprints(t, stateNet, vpcs...)
			if len(state) == 0 {
				t.Fatal("the state exposes nothing: the test proves nothing")
			}
			// A database whose zone AWS picks at apply has one interface
			// in each subnet of its group in the configuration, standing
			// for the one the state has: the others' findings are the
			// configuration's alone.
			folder = slices.DeleteFunc(folder, func(f string) bool {
				return !slices.Contains(state, f) && placedAtApply(folderNet, strings.Split(f, "\t")[2])
			})
			if !slices.Equal(folder, state) {
				t.Errorf("folder and state differ:\nfolder %q\nstate  %q", folder, state)
			}
		})
	}
}

// placedAtApply reports whether the service at Terraform address addr has
// interfaces standing for the one AWS places at apply.
func placedAtApply(n *model.Network, addr string) bool {
	for _, s := range n.Services {
		if s.Address == addr {
			return s.IsUnknown("interface_ids")
		}
	}
	return false
}

// The plan pre-check cases were made with real Terraform: the base
// configuration, its state and every plan's prior state expose the same
// findings under the same fingerprints; each plan's planned network and the
// case's configuration agree too, including touch-exposed, whose web server
// gets a public address unknown until apply.
func TestFingerprintsPlanCases(t *testing.T) {
	if got := fingerprints(t, load(t, "plancheck/base").Network); len(got) != 3 {
		t.Fatalf("base exposes %d findings, want the 3 its README lists: %q", len(got), got)
	}
	// From the internet and from each VPC: the source is part of what a
	// finding is.
	vpcs := []string{"aws_vpc.shop", "aws_vpc.reporting"}
	base := fingerprints(t, load(t, "plancheck/base").Network, vpcs...)
	if state := fingerprints(t, load(t, "plancheck/base/terraform.tfstate").Network, vpcs...); !slices.Equal(base, state) {
		t.Fatalf("base folder and state differ:\nfolder %q\nstate  %q", base, state)
	}
	cases := []string{"open-ssh-world", "peering-route", "nacl-deny-removed", "subnet-to-public-rt", "attach-eip", "close-ssh-world", "touch-exposed"}
	for _, c := range cases {
		t.Run(c, func(t *testing.T) {
			plan := load(t, "plancheck/"+c+"/plan.json")
			if got := fingerprints(t, plan.Before, vpcs...); !slices.Equal(got, base) {
				t.Errorf("prior state differs from base:\nplan %q\nbase %q", got, base)
			}
			after := fingerprints(t, plan.Network, vpcs...)
			if folder := fingerprints(t, load(t, "plancheck/"+c).Network, vpcs...); !slices.Equal(after, folder) {
				t.Errorf("planned network and configuration differ:\nplan   %q\nfolder %q", after, folder)
			}
			if c == "touch-exposed" && !slices.Equal(after, base) {
				t.Errorf("touch-exposed changes no exposure, yet its fingerprints differ:\nplan %q\nbase %q", after, base)
			}
		})
	}
}

// checkFingerprints are vpcsim check's built-in findings of n, as
// "fingerprint check subject", sorted.
func checkFingerprints(t *testing.T, n *model.Network) []string {
	t.Helper()
	e, err := reach.New(n)
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.Check(reach.CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range report.NewCheckReport(report.CheckInput{Result: res}).Findings {
		out = append(out, f.Fingerprint+" "+f.Check+" "+f.Subject.Label)
	}
	slices.Sort(out)
	return out
}

// vpcsim check's findings are identified like the report's: by what they
// are, so that a folder and its state give the same fingerprints (a route
// names its target by ID, which only the state has; elements come in the
// order of their IDs). A state may know more than its folder: what the
// folder cannot decide (a prefix list whose entries a data source would
// give) is left out of its findings, and said in a note.
func TestCheckFingerprintsFolderAndState(t *testing.T) {
	onlyState := map[string][]string{
		// data.aws_prefix_list.s3's entries are unknown in the folder.
		"peering-endpoints": {"rule-unreachable module.data.aws_security_group.db"},
		// The orders database's zone is picked at apply: in the folder
		// it stands in each subnet of its group, data["b"] too.
		"web-platform": {`unused-subnet aws_subnet.data["b"]`},
	}
	for _, e := range examples.All() {
		t.Run(e.Name, func(t *testing.T) {
			state := checkFingerprints(t, load(t, e.StatePath).Network)
			folder := checkFingerprints(t, load(t, filepath.Dir(e.StatePath)).Network)
			if len(folder) == 0 {
				t.Fatal("check finds nothing in the folder: the test proves nothing")
			}
			var extra []string
			for _, s := range state {
				if !slices.Contains(folder, s) {
					_, what, _ := strings.Cut(s, " ")
					extra = append(extra, what)
				}
			}
			for _, f := range folder {
				if !slices.Contains(state, f) {
					t.Errorf("the folder's finding %s is not the state's:\nfolder %q\nstate  %q", f, folder, state)
				}
			}
			if !slices.Equal(extra, onlyState[e.Name]) {
				t.Errorf("findings of the state only %q, want %q", extra, onlyState[e.Name])
			}
		})
	}
}
