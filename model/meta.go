package model

import (
	"fmt"
	"strings"
)

// Pos is a position in a source file. Line and Col are 1-based; zero means
// unknown. A Pos with only File set names the file as a whole.
type Pos struct {
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
	Col  int    `json:"col,omitempty"`
}

// IsZero reports whether p carries no position at all.
func (p Pos) IsZero() bool { return p.File == "" && p.Line == 0 }

// String formats p as file:line:col, file:line or file, the way compilers do.
// A line without a file (input read from stdin) prints as "line N" rather
// than a bare ":N".
func (p Pos) String() string {
	file := p.File
	if file == "" {
		file = "line "
	} else {
		file += ":"
	}
	switch {
	case p.IsZero():
		return ""
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s%d", file, p.Line)
	default:
		return fmt.Sprintf("%s%d:%d", file, p.Line, p.Col)
	}
}

// Meta identifies one element of the network and says where it came from.
type Meta struct {
	// ID is the AWS identifier (vpc-0abc…, sg-…, rtb-…). When the element
	// does not exist yet (a plan, a configuration), the loader puts a stable
	// symbolic ID here — by convention the Terraform address — and lists "id"
	// in Unknown. Rules and routes, which AWS does not always name, may leave
	// it empty.
	ID string `json:"id,omitempty"`
	// Address is the Terraform resource address, including module path and
	// instance key (module.vpc.aws_subnet.private[1]); empty when the element
	// was not declared in Terraform (synthesised, or from another source).
	Address string `json:"address,omitempty"`
	// Pos is where the element was declared: the .tf block, or the resource
	// instance in a state or plan file; for an element outside the input,
	// where the input first names it.
	Pos Pos `json:"pos,omitzero"`
	// Name is the element's Name tag, or its name when AWS has one (a
	// security group's group name). Empty when it has none.
	Name string `json:"name,omitempty"`
	// Tags are the element's tags; nil when it has none.
	Tags map[string]string `json:"tags,omitempty"`
	// Synthetic is non-empty when vpcsim created the element because AWS
	// has it but the input leaves it out (a VPC's main route table, a local
	// route, a network ACL's final "*" rule); it says which rule of AWS made
	// it. Empty means the element came from the input.
	Synthetic string `json:"synthetic,omitempty"`
	// Outside is non-empty when the element is not in the input but the
	// input refers to it: a transit gateway a route targets, the subnet of
	// another stack an interface is in, a group a rule names, an element a
	// data source reads. It says what refers to it. vpcsim knows that the
	// element exists and what the input says of it (the routes the input
	// places in a route table of another stack, the VPC a route's gateway
	// must be attached to), not what else it holds: engines stop at it and
	// say that the path leaves what vpcsim can see. Empty means the element
	// is in the input (or synthesised for one that is).
	Outside string `json:"outside,omitempty"`
	// Unknown lists the attributes whose values are not known until apply
	// (plans and configurations), for example "id" or "private_ip". Values
	// the loader put in their place are placeholders, and outputs say so.
	// A reference left empty because its attribute is listed here (vpc_id,
	// subnet_id, transit_gateway_id) is not a Validate error: the loader
	// has already warned about it.
	Unknown []string `json:"unknown,omitempty"`
}

// Label is the most useful short name of the element for a person: its
// Terraform address, else its ID, else its Name tag.
func (m *Meta) Label() string {
	switch {
	case m.Address != "":
		return m.Address
	case m.ID != "":
		return m.ID
	default:
		return m.Name
	}
}

// Describe is Label followed by the ID and the source position when they add
// something, e.g. "aws_security_group.web (sg-0abc) at main.tf:12".
func (m *Meta) Describe() string {
	var b strings.Builder
	b.WriteString(m.Label())
	if m.ID != "" && m.ID != m.Label() && !m.IsUnknown("id") {
		fmt.Fprintf(&b, " (%s)", m.ID)
	}
	if m.Synthetic != "" {
		fmt.Fprintf(&b, " [synthesised: %s]", m.Synthetic)
	}
	if m.Outside != "" {
		b.WriteString(" " + OutsideNote)
	}
	if !m.Pos.IsZero() {
		fmt.Fprintf(&b, " at %s", m.Pos)
	}
	return b.String()
}

// IsUnknown reports whether attribute attr is listed in Unknown.
func (m *Meta) IsUnknown(attr string) bool {
	for _, u := range m.Unknown {
		if u == attr {
			return true
		}
	}
	return false
}

// MarkUnknown adds attr to Unknown once.
func (m *Meta) MarkUnknown(attr string) {
	if !m.IsUnknown(attr) {
		m.Unknown = append(m.Unknown, attr)
	}
}
