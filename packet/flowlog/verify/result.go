package verify

import (
	"encoding/json"
	"net/netip"
	"time"

	"github.com/vpcsim/vpcsim/reach"
)

// Result is what verification found; docs/cli.md documents its JSON.
type Result struct {
	// Sources counts the files read.
	Sources int `json:"sources"`
	// Period is when the logged traffic happened; nil without records.
	Period *Period `json:"period,omitempty"`
	// Ephemeral is the client port range the model assumes.
	Ephemeral string `json:"ephemeral"`
	// Records counts the records by class.
	Records Counts `json:"records"`
	// Findings are the inconsistent records, grouped by class, cause,
	// interface, direction, protocol, addresses and service port, the
	// largest first; FindingsTruncated counts the records of findings past
	// the limit.
	Findings          []Finding `json:"findings"`
	FindingsTruncated int64     `json:"findings_truncated,omitempty"`
	// Interfaces sums the records of every interface of the model, logged
	// or not.
	Interfaces []InterfaceSummary `json:"interfaces"`
	// SecurityGroups sums rule usage per group.
	SecurityGroups []GroupSummary `json:"security_groups"`
	// Rules are every security group and network ACL rule that guards an
	// interface, with the traffic it carried; the unused ones are
	// least-privilege candidates.
	Rules []RuleUsage `json:"rules"`
	// UnknownInterfaces are the interfaces the logs name that the model
	// lacks; UnknownTruncated counts records of those past the limit.
	UnknownInterfaces []LoggedInterface `json:"unknown_interfaces"`
	UnknownTruncated  int64             `json:"unknown_truncated,omitempty"`
	// Notes are what the model's build noticed that the answer depends on.
	Notes []reach.Explanation `json:"notes,omitempty"`
}

// Inconsistent reports whether the logs disagree with the model: some
// record does, or the logs name an interface the model lacks (also by
// NODATA or SKIPDATA records alone).
func (r *Result) Inconsistent() bool {
	return r.Records.Inconsistent() > 0 || len(r.UnknownInterfaces) > 0 || r.UnknownTruncated > 0
}

// UnusedRules returns the rules no logged traffic used.
func (r *Result) UnusedRules() []RuleUsage {
	var out []RuleUsage
	for _, u := range r.Rules {
		if !u.Used {
			out = append(out, u)
		}
	}
	return out
}

// MarshalJSON writes the period's bounds as RFC 3339 times.
func (p *Period) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Start time.Time `json:"start"`
		End   time.Time `json:"end"`
	}{p.Start(), p.End()})
}

// Counts counts records by class.
type Counts struct {
	Total            int64 `json:"total"`
	Consistent       int64 `json:"consistent"`
	AcceptDenied     int64 `json:"accept_denied"`
	RejectAllowed    int64 `json:"reject_allowed"`
	UnknownInterface int64 `json:"unknown_interface"`
	Undetermined     int64 `json:"undetermined"`
	NoData           int64 `json:"nodata"`
	SkipData         int64 `json:"skipdata"`
}

func (c *Counts) add(k Class) {
	c.Total++
	switch k {
	case Consistent:
		c.Consistent++
	case AcceptDenied:
		c.AcceptDenied++
	case RejectAllowed:
		c.RejectAllowed++
	case UnknownInterface:
		c.UnknownInterface++
	case Undetermined:
		c.Undetermined++
	case NoData:
		c.NoData++
	case SkipData:
		c.SkipData++
	}
}

// Inconsistent counts the records that disagree with the model.
func (c Counts) Inconsistent() int64 { return c.AcceptDenied + c.RejectAllowed + c.UnknownInterface }

// Traffic sums records: how many, their packets and bytes, and the first
// start and last end (Unix seconds).
type Traffic struct {
	Records int64 `json:"records"`
	Packets int64 `json:"packets"`
	Bytes   int64 `json:"bytes"`
	First   int64 `json:"first,omitempty"`
	Last    int64 `json:"last,omitempty"`
}

func (t *Traffic) add(o Traffic) {
	if o.Records == 0 {
		return
	}
	if t.Records == 0 || o.First > 0 && o.First < t.First {
		t.First = o.First
	}
	t.Last = max(t.Last, o.Last)
	t.Records += o.Records
	t.Packets += o.Packets
	t.Bytes += o.Bytes
}

// Finding is a group of inconsistent records.
type Finding struct {
	Class Class `json:"class"`
	Cause Cause `json:"cause"`
	// InterfaceID is the log's interface-id; Interface the model's.
	InterfaceID string     `json:"interface_id"`
	Interface   *reach.Ref `json:"interface,omitempty"`
	Direction   string     `json:"direction"`
	Protocol    string     `json:"protocol"`
	// Src and Dst are the packets' addresses (pkt-srcaddr and pkt-dstaddr
	// when logged); Port the service port (the lower of TCP and UDP ports).
	Src  netip.Addr `json:"src"`
	Dst  netip.Addr `json:"dst"`
	Port int        `json:"port,omitempty"`
	// Rule is the network ACL rule that should have stopped accepted
	// packets, or that allows rejected ones; SGRule the security group
	// rule that allows rejected ones; ACL the network ACL; Groups the
	// security groups that admit none of accepted packets.
	Rule    *reach.RuleRef `json:"rule,omitempty"`
	SGRule  *reach.RuleRef `json:"sg_rule,omitempty"`
	ACL     *reach.Ref     `json:"network_acl,omitempty"`
	Groups  []reach.Ref    `json:"security_groups,omitempty"`
	Message string         `json:"message"`
	Traffic Traffic        `json:"traffic"`
	// Example is the first record, in its log's format, and where it was
	// read.
	Example string `json:"example"`
	Source  string `json:"source"`
	Record  int    `json:"record"`
}

// InterfaceSummary sums the records of one interface.
type InterfaceSummary struct {
	// InterfaceID is the ID logs name it by (empty for an interface no
	// record named and whose ID the model does not give).
	InterfaceID  string     `json:"interface_id,omitempty"`
	Interface    *reach.Ref `json:"interface"`
	Subnet       *reach.Ref `json:"subnet,omitempty"`
	Records      Counts     `json:"records"`
	Inconsistent int64      `json:"inconsistent"`
	Traffic      Traffic    `json:"traffic"`
}

// GroupSummary sums the usage of one security group's rules.
type GroupSummary struct {
	Group       reach.Ref `json:"group"`
	RulesUsed   int       `json:"rules_used"`
	RulesUnused int       `json:"rules_unused"`
	// Traffic is what its rules carried; Inconsistent counts the accepted
	// records on its interfaces that none of its rules admits.
	Traffic      Traffic `json:"traffic"`
	Inconsistent int64   `json:"inconsistent"`
}

// RuleUsage is what one security group or network ACL rule carried.
type RuleUsage struct {
	Rule reach.RuleRef `json:"rule"`
	Used bool          `json:"used"`
	// Traffic is the records it decided; Flows the largest of them, by
	// interface, direction, protocol, remote address and service port
	// (FlowsOmitted counts the records of the others).
	Traffic      Traffic `json:"traffic"`
	Flows        []Flow  `json:"flows,omitempty"`
	FlowsOmitted int64   `json:"flows_omitted,omitempty"`
	// Interfaces are the interfaces it guards.
	Interfaces []string `json:"interfaces"`
	// Admits is, for an unused rule, the traffic it would have admitted
	// (or denied): the headers it matches.
	Admits string `json:"admits,omitempty"`
}

// Flow is traffic of one interface, direction, protocol, remote address
// and service port.
type Flow struct {
	InterfaceID string     `json:"interface_id"`
	Direction   string     `json:"direction"`
	Protocol    string     `json:"protocol"`
	Remote      netip.Addr `json:"remote"`
	Port        int        `json:"port,omitempty"`
	// Reply is set when the records are the replies of connections the
	// rule admitted the other way.
	Reply   bool    `json:"reply,omitempty"`
	Traffic Traffic `json:"traffic"`
}

// LoggedInterface is an interface the logs name that the model lacks.
type LoggedInterface struct {
	InterfaceID string `json:"interface_id"`
	VPCID       string `json:"vpc_id,omitempty"`
	SubnetID    string `json:"subnet_id,omitempty"`
	InstanceID  string `json:"instance_id,omitempty"`
	// Records counts its NODATA and SKIPDATA records (the others are in
	// Traffic).
	Records Counts  `json:"records"`
	Traffic Traffic `json:"traffic"`
}

// Progress is how reading goes.
type Progress struct {
	// Phase names what is being done; Source the file being read.
	Phase  string
	Source string
	// Files and FilesTotal count files; Bytes and BytesTotal their bytes
	// as stored (compressed); Records the records read so far.
	Files, FilesTotal int
	Bytes, BytesTotal int64
	Records           int64
	// Done is set once when reading ends.
	Done bool
}
