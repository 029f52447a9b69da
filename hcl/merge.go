package hcl

import (
	"slices"
	"strings"

	"github.com/vpcsim/vpcsim/model"
)

// LoadAll loads several inputs (states, plans, folders; "-" at most once) as
// one network: a spoke's state and the hub's, a plan and the states of the
// stacks it refers to. Each is loaded as Load does, then the networks are
// merged (model.Merge): references across inputs resolve by ID, an element
// one input holds replaces the element outside the input another names, and
// two inputs that declare the same element are an error naming both
// positions. With one path LoadAll is Load.
//
// The merged Input's Parts are the inputs as loaded alone; its Diagnostics
// are theirs, less the warnings about elements outside an input that another
// input holds, and the merge's own. When one input is a plan, Before is the
// merge of its prior state with the other inputs' networks, and Changes are
// its changes.
//
// The error is non-nil exactly when the merged Diagnostics hold errors.
func LoadAll(paths []string, opts ...Option) (*Input, error) {
	if len(paths) == 1 {
		return Load(paths[0], opts...)
	}
	merged := &Input{Path: strings.Join(paths, " + "), Format: FormatMerged}
	for i, p := range paths {
		// Each input takes its own block of public placeholder addresses,
		// so that the placeholders of two plans do not collide.
		in, _ := Load(p, append(slices.Clip(opts), withPlaceholderBlock(i), withNamespace(p))...)
		merged.Parts = append(merged.Parts, in)
	}
	var afters, befores []*model.Network
	plans := 0
	for _, in := range merged.Parts {
		if in.Network == nil {
			// A refused input: its error says why, and nothing is merged.
			merged.Diagnostics = append(merged.Diagnostics, in.Diagnostics...)
			continue
		}
		afters = append(afters, in.Network)
		if in.Before != nil {
			plans++
			befores = append(befores, in.Before)
			merged.Changes = append(merged.Changes, in.Changes...)
		} else {
			befores = append(befores, in.Network)
		}
		if merged.TerraformVersion == "" {
			merged.TerraformVersion = in.TerraformVersion
		}
		merged.Ignored = mergeIgnored(merged.Ignored, in.Ignored)
		merged.UnknownData = append(merged.UnknownData, in.UnknownData...)
	}
	if merged.Diagnostics.HasErrors() {
		return merged.result()
	}
	var own model.Diagnostics
	merged.Network, own = mergeNetworks(afters)
	// Addresses that waited for a subnet another input holds; public
	// placeholders from a block no input used.
	own = append(own, merged.Network.PlacePending(len(paths))...)
	if plans > 0 {
		before, ds := mergeNetworks(befores)
		merged.Before = before
		for _, d := range ds {
			d.Message = "in the prior state: " + d.Message
			own = append(own, d)
		}
	}
	for _, in := range merged.Parts {
		for _, d := range in.Diagnostics {
			// A warning about an element outside this input that another
			// input holds is no longer true.
			if d.About != "" && holds(merged.Network, d.About) {
				continue
			}
			merged.Diagnostics = append(merged.Diagnostics, d)
		}
	}
	merged.Diagnostics = dedupe(append(merged.Diagnostics, own...))
	return merged.result()
}

// mergeNetworks merges networks and completes the result as a load does.
func mergeNetworks(nets []*model.Network) (*model.Network, model.Diagnostics) {
	n, ds := model.Merge(nets...)
	n.Synthesize()
	ds = append(ds, n.AddOutside()...)
	n.Synthesize()
	return n, append(ds, n.Validate()...)
}

// holds reports whether n holds the element with the given ID as an element
// of its inputs, not as one outside them.
func holds(n *model.Network, id string) bool {
	found := false
	forEachMeta(n, func(m *model.Meta) {
		if m.ID == id && !m.IsOutside() {
			found = true
		}
	})
	return found
}

// forEachMeta calls f with the Meta of every element of n that has one.
func forEachMeta(n *model.Network, f func(*model.Meta)) {
	visit := func(ms []*model.Meta) {
		for _, m := range ms {
			f(m)
		}
	}
	visit(metas(n.VPCs, func(x *model.VPC) *model.Meta { return &x.Meta }))
	visit(metas(n.Subnets, func(x *model.Subnet) *model.Meta { return &x.Meta }))
	visit(metas(n.RouteTables, func(x *model.RouteTable) *model.Meta { return &x.Meta }))
	visit(metas(n.NetworkACLs, func(x *model.NetworkACL) *model.Meta { return &x.Meta }))
	visit(metas(n.SecurityGroups, func(x *model.SecurityGroup) *model.Meta { return &x.Meta }))
	visit(metas(n.Interfaces, func(x *model.NetworkInterface) *model.Meta { return &x.Meta }))
	visit(metas(n.Instances, func(x *model.Instance) *model.Meta { return &x.Meta }))
	visit(metas(n.InternetGateways, func(x *model.InternetGateway) *model.Meta { return &x.Meta }))
	visit(metas(n.EgressOnlyGateways, func(x *model.EgressOnlyInternetGateway) *model.Meta { return &x.Meta }))
	visit(metas(n.NATGateways, func(x *model.NATGateway) *model.Meta { return &x.Meta }))
	visit(metas(n.VPNGateways, func(x *model.VPNGateway) *model.Meta { return &x.Meta }))
	visit(metas(n.CustomerGateways, func(x *model.CustomerGateway) *model.Meta { return &x.Meta }))
	visit(metas(n.VPNConnections, func(x *model.VPNConnection) *model.Meta { return &x.Meta }))
	visit(metas(n.TransitGateways, func(x *model.TransitGateway) *model.Meta { return &x.Meta }))
	visit(metas(n.TGWAttachments, func(x *model.TGWAttachment) *model.Meta { return &x.Meta }))
	visit(metas(n.TGWRouteTables, func(x *model.TGWRouteTable) *model.Meta { return &x.Meta }))
	visit(metas(n.PeeringConnections, func(x *model.PeeringConnection) *model.Meta { return &x.Meta }))
	visit(metas(n.Endpoints, func(x *model.VPCEndpoint) *model.Meta { return &x.Meta }))
	visit(metas(n.PrefixLists, func(x *model.PrefixList) *model.Meta { return &x.Meta }))
	visit(metas(n.ElasticIPs, func(x *model.ElasticIP) *model.Meta { return &x.Meta }))
	visit(metas(n.LoadBalancers, func(x *model.LoadBalancer) *model.Meta { return &x.Meta }))
	visit(metas(n.TargetGroups, func(x *model.TargetGroup) *model.Meta { return &x.Meta }))
	visit(metas(n.AutoScalingGroups, func(x *model.AutoScalingGroup) *model.Meta { return &x.Meta }))
	visit(metas(n.Services, func(x *model.Service) *model.Meta { return &x.Meta }))
}

func metas[T any](items []*T, meta func(*T) *model.Meta) []*model.Meta {
	out := make([]*model.Meta, len(items))
	for i, x := range items {
		out[i] = meta(x)
	}
	return out
}

// dedupe drops diagnostics that repeat one before them: an input loaded
// alone and the merged network may say the same thing.
func dedupe(ds model.Diagnostics) model.Diagnostics {
	seen := map[model.Diagnostic]bool{}
	out := ds[:0:0]
	for _, d := range ds {
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	return out
}

func mergeIgnored(a, b []IgnoredType) []IgnoredType {
	out := slices.Clone(a)
	for _, it := range b {
		i := slices.IndexFunc(out, func(x IgnoredType) bool { return x.Type == it.Type })
		if i < 0 {
			out = append(out, it)
			continue
		}
		out[i].Count += it.Count
		for _, addr := range it.Addresses {
			if len(out[i].Addresses) < len(it.Addresses) && !slices.Contains(out[i].Addresses, addr) {
				out[i].Addresses = append(slices.Clip(out[i].Addresses), addr)
			}
		}
	}
	slices.SortFunc(out, func(x, y IgnoredType) int { return strings.Compare(x.Type, y.Type) })
	return out
}
