// The small enums of vpcsim's answers. Each zero value is invalid, each
// prints (and marshals) as the word the JSON contract uses.

package reach

import "fmt"

// StepKind is what decided a step.
type StepKind uint8

// Step kinds.
const (
	StepSecurityGroup StepKind = iota + 1 // an interface's security groups
	StepNetworkACL                        // a subnet's network ACL
	StepRoute                             // a route table, or a component's own routing
	StepTranslate                         // an address translation (internet or NAT gateway)
)

func (k StepKind) String() string {
	return enumName(k, "security-group", "network-acl", "route", "translate")
}

// MarshalText implements encoding.TextMarshaler.
func (k StepKind) MarshalText() ([]byte, error) { return enumText(k) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (k *StepKind) UnmarshalText(b []byte) error { return enumParse(k, b) }

// Decision is what a step decided.
type Decision uint8

// Decisions: allow and deny for filters; forward, exit (the traffic leaves
// the network for a host outside it) and drop for routes; the translations.
const (
	DecisionAllow Decision = iota + 1
	DecisionDeny
	DecisionForward
	DecisionExit
	DecisionDrop
	DecisionSourceNAT      // the source address (and for a NAT gateway, port) is translated
	DecisionDestinationNAT // the destination address is translated (inbound through an internet gateway)
	DecisionReverseNAT     // a NAT gateway translates a reply back to the session's source
	// A load balancer node sends a connection it accepted on to a
	// target: to the target's address and port, from its own address
	// unless it preserves the client's.
	DecisionLoadBalance
	// A load balancer node sends a target's reply back to the client, as
	// the client's connection had it.
	DecisionReverseLoadBalance
)

func (d Decision) String() string {
	return enumName(d, "allow", "deny", "forward", "exit", "drop", "source-nat", "destination-nat", "reverse-nat",
		"load-balance", "reverse-load-balance")
}

// MarshalText implements encoding.TextMarshaler.
func (d Decision) MarshalText() ([]byte, error) { return enumText(d) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Decision) UnmarshalText(b []byte) error { return enumParse(d, b) }

// Leg is the way traffic goes: the request or its reply.
type Leg uint8

// Legs.
const (
	LegForward Leg = iota + 1 // the request, from the source to the destination
	LegReturn                 // the reply, back to the source
)

func (l Leg) String() string { return enumName(l, "forward", "return") }

// MarshalText implements encoding.TextMarshaler.
func (l Leg) MarshalText() ([]byte, error) { return enumText(l) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (l *Leg) UnmarshalText(b []byte) error { return enumParse(l, b) }

// Verdict is the answer of a trace.
type Verdict uint8

// Verdicts.
const (
	// Unreachable: no part of the flow reaches the destination and gets its
	// replies back.
	Unreachable Verdict = iota + 1
	// Reachable: all of the flow passes both ways.
	Reachable
	// PartlyReachable: some of the flow passes both ways (some client
	// ports, some sources), or a NAT gateway answers part of its ports only.
	PartlyReachable
)

func (v Verdict) String() string { return enumName(v, "unreachable", "reachable", "partly-reachable") }

// MarshalText implements encoding.TextMarshaler.
func (v Verdict) MarshalText() ([]byte, error) { return enumText(v) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (v *Verdict) UnmarshalText(b []byte) error { return enumParse(v, b) }

// Passes reports whether some of the flow passes both ways.
func (v Verdict) Passes() bool { return v == Reachable || v == PartlyReachable }

// RuleKind is the kind of rule or route that decided.
type RuleKind uint8

// Rule kinds.
const (
	RuleSecurityGroup RuleKind = iota + 1 // a security group rule
	RuleNetworkACL                        // a network ACL rule
	RuleRoute                             // a route of a route table, or a component's own routing
	RuleTGWRoute                          // a transit gateway route
)

func (k RuleKind) String() string {
	return enumName(k, "security-group-rule", "network-acl-rule", "route", "transit-gateway-route")
}

// MarshalText implements encoding.TextMarshaler.
func (k RuleKind) MarshalText() ([]byte, error) { return enumText(k) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (k *RuleKind) UnmarshalText(b []byte) error { return enumParse(k, b) }

type enum interface {
	~uint8
	String() string
}

// enumName is the name of v among names (the first for value 1); "invalid"
// for zero and values past the last.
func enumName[E ~uint8](v E, names ...string) string {
	if v == 0 || int(v) > len(names) {
		return "invalid"
	}
	return names[v-1]
}

// enumText marshals a valid enum as its name and refuses an invalid one, so
// that a value never set cannot pass for one in JSON.
func enumText[E enum](v E) ([]byte, error) {
	s := v.String()
	if s == "invalid" {
		return nil, fmt.Errorf("invalid %T %d", v, uint8(v))
	}
	return []byte(s), nil
}

// enumParse sets *v to the value whose name is b.
func enumParse[E enum](v *E, b []byte) error {
	for i := 1; i < 256; i++ {
		e := E(i)
		n := e.String()
		if n == "invalid" {
			break
		}
		if n == string(b) {
			*v = e
			return nil
		}
	}
	return fmt.Errorf("invalid %T %q", *v, b)
}
