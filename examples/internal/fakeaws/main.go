// Command fakeaws plays the AWS account behind the Terraform fixtures of
// examples/plancheck and examples/web-platform, so that real Terraform can make
// them offline.
//
// Terraform cannot apply without AWS, but it can plan: given a state, `terraform
// plan -refresh=false` says what it would change without calling AWS. fakeaws
// turns a plan into the state the apply would have written, one round at a
// time, by keeping every value the plan knows and filling each value that the
// plan leaves "known after apply" the way AWS and the provider would (IDs in
// AWS's formats, ARNs, the account as owner, a private address from the
// subnet, a public address for instances that get one…). The regeneration
// script repeats plan and fill until Terraform reports "No changes" for the
// unchanged configuration: Terraform itself is the judge of the state.
//
//	fakeaws apply -plan plan.json -schema schema.json -state terraform.tfstate
//	fakeaws snapshot -state terraform.tfstate -out DIR
//	fakeaws checkshapes -models BOTOCORE_DATA -snapshot DIR
//
// apply adds to the state (created if absent) every resource the plan creates
// whose references are all in the state already; later rounds add the rest,
// whose references the next plan then knows. It fails when the plan would
// update or destroy something (the state is not what the configuration
// describes) or when no resource can be added.
//
// It knows the resource types the fixtures use (a table per type of what AWS
// and the provider set), and refuses what it cannot fill faithfully: a type
// or attribute it has no value for, modules, resources whose references hide
// in local values. Outputs (the state would need their values) and data
// sources that call AWS (they cannot be read offline) are not handled.
//
// snapshot writes the JSON that the AWS CLI's describe calls would print for
// the account the state describes, in the layout docs/snapshot.sh writes;
// checkshapes checks such a folder against the AWS SDK's service models.
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "apply":
		err = runApply(os.Args[2:])
	case "snapshot":
		err = runSnapshot(os.Args[2:])
	case "checkshapes":
		err = runCheckShapes(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "fakeaws:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: fakeaws apply -plan PLAN.json -schema SCHEMA.json -state STATE\n       fakeaws snapshot -state STATE -out DIR\n       fakeaws checkshapes -models BOTOCORE_DATA -snapshot DIR")
	os.Exit(2)
}
