package resource

import (
	"github.com/vpcsim/vpcsim/model"
)

// Instance is one instance of a Terraform resource or data source, the
// common form of every reader's output and the mapper's input.
type Instance struct {
	// Mode is "managed" for resources and "data" for data sources.
	Mode string
	// Type is the resource type, e.g. aws_subnet.
	Type string
	// Address is the full instance address: module path, type, name and
	// instance key (module.net.aws_subnet.private[1], aws_subnet.x["a"]).
	Address string
	// Attrs are the attribute values in the shape the AWS provider writes
	// into state: strings, bool, json.Number, nil, []any for lists, sets
	// and nested blocks, map[string]any for objects and maps, and Unknown
	// for values not known until apply. A nested block object may carry its
	// own source position under PosKey.
	Attrs map[string]any
	// Pos is where the instance was declared or stored.
	Pos model.Pos
	// Outside, when set, says why the instance describes an element the
	// input does not own (an AWS API snapshot's view of another account's
	// transit gateway or peering connection): the mapper sets
	// model.Meta.Outside to it, so that the owner's description, in another
	// input, wins a merge.
	Outside string
	// Unresolved says, by attribute path ("vpc_id", "route.gateway_id"),
	// why an unknown reference could not be resolved to a resource, so
	// that the mapper's warning can say it. Nil when the reader has nothing
	// to add.
	Unresolved map[string]string
}

// UnknownValue is the type of Unknown.
type UnknownValue struct{}

// Unknown stands for a value that is not known until apply.
var Unknown = UnknownValue{}

// PosKey is the key under which a nested block object (an inline ingress
// rule, an inline route) carries its source position, a model.Pos. Readers
// that know block positions set it; the mapper falls back to the instance's
// Pos.
const PosKey = "@pos"

// SymbolicID is the stable stand-in for an attribute of the resource at
// address that is not known until apply: the address itself for "id", else
// the reference expression Terraform users write for it
// (aws_vpc.main.default_security_group_id). A VPC's default_route_table_id and
// main_route_table_id are the same table in AWS, so both map to one name.
func SymbolicID(address, attr string) string {
	switch attr {
	case "id":
		return address
	case "default_route_table_id":
		attr = "main_route_table_id"
	}
	return address + "." + attr
}

// IsUnknown reports whether v is Unknown.
func IsUnknown(v any) bool { _, ok := v.(UnknownValue); return ok }

// NotConfigured is why an unknown reference stays unknown when the
// configuration does not set it: the value is computed by AWS (a default
// group, a default subnet). Readers record it in Instance.Unresolved; the
// mapper tells it from reasons that mean a reference was lost.
const NotConfigured = "the configuration does not set it"

// PosOf returns the position the JSON parser recorded for obj, else def.
func PosOf(obj map[string]any, def model.Pos) model.Pos {
	if p, ok := obj[PosKey].(model.Pos); ok {
		return p
	}
	return def
}
