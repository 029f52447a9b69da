package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vpcsim/vpcsim/internal/atomicfile"
	"github.com/vpcsim/vpcsim/internal/estate"
)

type genOptions struct {
	params estate.Params
	out    string
}

func newGenCmd(s *streams) *cobra.Command {
	opts := &genOptions{params: estate.Default()}
	d := estate.Default()
	cmd := &cobra.Command{
		Use:   "gen -o FILE",
		Short: "Write a synthetic AWS estate of any size as a Terraform state file",
		Long: `gen writes a synthetic estate as a Terraform state file (format version 4, as
terraform 1.9 with the hashicorp/aws provider 5.x writes it), for benchmarks and
experiments: VPCs with public, app and database subnets over up to three zones,
internet and NAT gateways, route tables, a network ACL per VPC, security groups
that reference each other, instances in every subnet, transit gateway hubs and
peerings — and some mistakes a review should find (admin ports open to the
world, blackhole routes, an attachment missing a zone, references to groups in
peered VPCs).

The same flags and seed always give the same bytes. The defaults are vpcsim's
performance target: 200 VPCs, 2,000 subnets, 20,000 instances, 5,000 security
groups.

Exit status: 0 when the state is written, 1 on an error, 2 on a usage error.`,
		Example: `  vpcsim gen -o estate.tfstate
  vpcsim gen --vpcs 1000 --subnets-per-vpc 4 --instances-per-subnet 5 --seed 7 -o big.tfstate
  vpcsim gen --vpcs 2 --subnets-per-vpc 3 --instances-per-subnet 1 -o - | head`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			// The default hub and peering counts suit the default size; with
			// fewer VPCs they shrink to what fits unless given explicitly.
			p := &opts.params
			if !cmd.Flags().Changed("tgw-hubs") {
				p.TGWHubs = min(p.TGWHubs, max(p.VPCs, 0))
			}
			if !cmd.Flags().Changed("peerings") {
				p.Peerings = min(p.Peerings, max(p.VPCs*(p.VPCs-1)/2, 0))
			}
			return runGen(s, opts)
		},
	}
	f := cmd.Flags()
	f.IntVar(&opts.params.VPCs, "vpcs", d.VPCs, "number of VPCs")
	f.IntVar(&opts.params.SubnetsPerVPC, "subnets-per-vpc", d.SubnetsPerVPC, "subnets in each VPC (tiers public, app, db over up to 3 zones)")
	f.IntVar(&opts.params.InstancesPerSubnet, "instances-per-subnet", d.InstancesPerSubnet, "EC2 instances in each subnet")
	f.IntVar(&opts.params.SGsPerVPC, "sgs-per-vpc", d.SGsPerVPC, "security groups in each VPC")
	f.IntVar(&opts.params.RulesPerSG, "rules-per-sg", d.RulesPerSG, "ingress rules in each security group")
	f.IntVar(&opts.params.NACLRules, "nacl-rules", d.NACLRules, "rules in each direction of each VPC's network ACL")
	f.IntVar(&opts.params.TGWHubs, "tgw-hubs", d.TGWHubs, "transit gateways; every VPC attaches to one (0: none; the default shrinks to --vpcs)")
	f.IntVar(&opts.params.Peerings, "peerings", d.Peerings, "VPC peering connections between distinct pairs of VPCs (the default shrinks to the pairs there are)")
	f.Uint64Var(&opts.params.Seed, "seed", d.Seed, "seed: the same flags and seed give the same bytes")
	f.StringVarP(&opts.out, "output", "o", "", "write the state to `FILE` (written whole, then renamed into place), - for standard output (required)")
	_ = cmd.MarkFlagRequired("output")
	return cmd
}

func runGen(s *streams, opts *genOptions) error {
	if err := opts.params.Validate(); err != nil {
		return usageError{genFlagError(err)}
	}
	if opts.out == "-" {
		return estate.Write(s.out, opts.params)
	}
	// An interrupted or failed run never leaves a truncated state where a
	// good one was.
	cw := &countWriter{}
	err := atomicfile.WriteFile(opts.out, 0o644, func(w io.Writer) error {
		cw.w = w
		return estate.Write(cw, opts.params)
	})
	if err != nil {
		return err
	}
	c := opts.params.Counts()
	fmt.Fprintf(s.err, "vpcsim: wrote %s: %d VPCs, %d subnets, %d network interfaces, %d security groups, %d resources (%s)\n",
		opts.out, c.VPCs, c.Subnets, c.Interfaces, c.SecurityGroups, c.Resources, byteSize(cw.n))
	return nil
}

// genFlagError names gen's flags in estate.Params' complaints ("--vpcs is
// -1", not "vpcs is -1"), all on one line.
func genFlagError(err error) error {
	var msgs []string
	for _, m := range strings.Split(err.Error(), "\n") {
		for _, name := range []string{"vpcs", "subnets-per-vpc", "instances-per-subnet", "sgs-per-vpc", "rules-per-sg", "nacl-rules", "tgw-hubs", "peerings"} {
			if strings.HasPrefix(m, name+" ") {
				m = "--" + m
				break
			}
		}
		msgs = append(msgs, m)
	}
	return errors.New(strings.Join(msgs, "; "))
}
