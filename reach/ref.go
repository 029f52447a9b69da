package reach

import (
	"fmt"
	"strings"

	"github.com/vpcsim/vpcsim/model"
)

// Ref names a component of the network in a result: enough to find it in
// AWS (ID), in Terraform (Address) and in the source (Pos).
type Ref struct {
	// Kind is the component kind: network-interface, subnet, vpc,
	// security-group, network-acl, route-table, internet-gateway,
	// egress-only-internet-gateway, nat-gateway, vpn-gateway,
	// transit-gateway, transit-gateway-route-table,
	// transit-gateway-attachment, vpc-peering-connection, vpc-endpoint,
	// internet, on-premises, aws-service, instance.
	Kind    string    `json:"kind"`
	ID      string    `json:"id,omitempty"`
	Address string    `json:"address,omitempty"`
	Name    string    `json:"name,omitempty"`
	Pos     model.Pos `json:"pos,omitzero"`
	// Synthetic says why vpcsim created the component when the input did
	// not describe it.
	Synthetic string `json:"synthetic,omitempty"`
	// Outside says what names the component when it is not in the input
	// (model.Meta.Outside): an answer that depends on it depends on what
	// vpcsim cannot see.
	Outside string `json:"outside,omitempty"`
	// Unknown lists, comma-separated, the component's attributes whose
	// values the input does not give (model.Meta.Unknown, less its own ID,
	// which decides nothing).
	Unknown string `json:"unknown,omitempty"`
}

func refOf(kind string, m *model.Meta) Ref {
	return Ref{Kind: kind, ID: m.ID, Address: m.Address, Name: m.Name, Pos: m.Pos, Synthetic: m.Synthetic,
		Outside: m.Outside, Unknown: unknownAttrs(m)}
}

// unknownAttrs lists the attributes of m that are unknown and decide
// something: all but the ID, which a symbolic one stands for, and the
// addresses placeholders stand for, which answers mark as placeholders
// (PLACEHOLDER_ADDRESS).
func unknownAttrs(m *model.Meta) string {
	var out []string
	for _, a := range m.Unknown {
		if a != "id" && a != "private_ip" && a != "public_ip" && a != model.PendingPublic && a != model.PendingPublicOnLaunch {
			out = append(out, a)
		}
	}
	return strings.Join(out, ", ")
}

// Caveat says what an answer that depends on the component cannot know:
// that it is outside the input, or which of its values are unknown; empty
// when the input describes it fully.
func (r Ref) Caveat() string {
	switch {
	case r.Outside != "":
		return fmt.Sprintf("%s is not in the input (%s): what else it holds is not known", r.Label(), r.Outside)
	case r.Unknown != "":
		return fmt.Sprintf("%s has values unknown until apply (%s): the answer takes what the input gives and may change when they are known", r.Label(), r.Unknown)
	}
	return ""
}

// Label is the most useful short name: the Terraform address, else the ID,
// else the name, else the kind.
func (r Ref) Label() string {
	switch {
	case r.Address != "":
		return r.Address
	case r.ID != "":
		return r.ID
	case r.Name != "":
		return r.Name
	}
	return r.Kind
}

// Short is Label, except that a component known by its ARN (a load
// balancer or target group read from an AWS API snapshot) is labelled by its
// name, as the AWS console and Inspector do.
func (r Ref) Short() string {
	if r.Address == "" && r.Name != "" && strings.HasPrefix(r.ID, "arn:") {
		return r.Name
	}
	return r.Label()
}

// Describe is Label with the ID and position when they add something.
func (r Ref) Describe() string {
	s := r.Label()
	if r.ID != "" && r.ID != s {
		s += " (" + r.ID + ")"
	}
	if !r.Pos.IsZero() {
		s += " at " + r.Pos.String()
	}
	return s
}

// RuleRef names the rule or route that decided a step.
type RuleRef struct {
	Kind RuleKind `json:"kind"`
	// Text describes the rule as the console shows it, e.g.
	// "ingress rule 100 allow tcp 443 from 0.0.0.0/0".
	Text string `json:"text"`
	// Owner is the security group, network ACL or route table holding it.
	Owner   Ref       `json:"owner"`
	ID      string    `json:"id,omitempty"`
	Address string    `json:"address,omitempty"`
	Pos     model.Pos `json:"pos,omitzero"`
	// Synthetic says why vpcsim created the rule (a NACL's "*" rule, a local
	// route, a default security group rule).
	Synthetic string `json:"synthetic,omitempty"`
}

// Where is the rule's most useful location: its position, else its address,
// else its owner's position.
func (r RuleRef) Where() string {
	switch {
	case !r.Pos.IsZero():
		return r.Pos.String()
	case r.Address != "":
		return r.Address
	case r.Synthetic != "":
		return "synthesised: " + r.Synthetic
	case !r.Owner.Pos.IsZero():
		return r.Owner.Pos.String()
	}
	return r.Owner.Label()
}

func (r RuleRef) String() string { return fmt.Sprintf("%s (%s)", r.Text, r.Where()) }

// ruleService prints a rule's protocol and ports: "tcp 443", "udp 1024-65535",
// "icmp type 8", "all traffic".
func ruleService(p model.Protocol, ports model.PortRange, icmp model.ICMPMatch) string {
	switch {
	case p == model.ProtocolAll:
		return "all traffic"
	case p.HasPorts():
		return p.String() + " " + ports.String()
	case p.IsICMP():
		if icmp.IsAny() {
			return p.String() + " all"
		}
		return p.String() + " " + icmp.String()
	}
	return "protocol " + p.String()
}
