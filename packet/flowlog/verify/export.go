package verify

import (
	"fmt"
	"io"

	"github.com/parquet-go/parquet-go"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
	"github.com/vpcsim/vpcsim/reach/hset"
)

// Row is one range row of what the model allows at an interface: a box of
// headers (address, protocol and port ranges) and what decides it there.
// SQL joins flow-log records with them; docs/scale.md describes the
// columns.
type Row struct {
	// IfaceKey is how records name the interface: its ID (eni-…), or for a
	// transit gateway attachment's interface "subnet:" and its subnet's ID.
	IfaceKey string `parquet:"iface_key"`
	// Interface is the model's name for it (Terraform address or ID).
	Interface string `parquet:"interface"`
	Direction string `parquet:"direction"` // ingress or egress
	// Filter is sg (a security group rule admits the box as a new
	// connection; a full box with rule_id -1 for an interface without
	// groups), sg-deny (no rule admits it), acl (a network ACL rule
	// decides it: action), no-acl (no ACL is crossed: allowed), or own
	// (the interface's own address, in src_lo).
	Filter string `parquet:"filter"`
	Action string `parquet:"action"` // allow or deny
	// RuleID numbers the rule in the model (-1: none); Rule, Owner and
	// Where describe it.
	RuleID int32  `parquet:"rule_id"`
	Rule   string `parquet:"rule"`
	Owner  string `parquet:"owner"`
	Where  string `parquet:"where"`
	// Addresses are 32 upper-case hexadecimal digits of the 128-bit
	// address, IPv4 in its IPv4-mapped form (::ffff:a.b.c.d), so that they
	// compare as strings.
	SrcLo string `parquet:"src_lo"`
	SrcHi string `parquet:"src_hi"`
	DstLo string `parquet:"dst_lo"`
	DstHi string `parquet:"dst_hi"`
	// ProtoLo and ProtoHi are IANA numbers; ports for ICMP hold the type
	// (dport) and code (sport).
	ProtoLo int32 `parquet:"proto_lo"`
	ProtoHi int32 `parquet:"proto_hi"`
	SportLo int32 `parquet:"sport_lo"`
	SportHi int32 `parquet:"sport_hi"`
	DportLo int32 `parquet:"dport_lo"`
	DportHi int32 `parquet:"dport_hi"`
}

// AddrHex is a's form in Row: 32 upper-case hexadecimal digits.
func AddrHex(a hset.Addr) string { return fmt.Sprintf("%016X%016X", a.Hi, a.Lo) }

// AllowedRows yields the rows of every interface flow logs can name, in
// both directions: exactly the decisions reach.Engine.CheckRecord makes.
func AllowedRows(e *reach.Engine, yield func(*Row) error) error {
	var row Row
	for id := int32(0); id < int32(e.Interfaces()); id++ {
		c, _ := e.Interface(id)
		if c.Interface == nil {
			continue
		}
		key := c.Interface.ID
		if c.Interface.Kind == "transit-gateway-attachment" {
			if c.Subnet == nil {
				continue
			}
			key = "subnet:" + c.Subnet.ID
		}
		emit := func(filter, action string, rule int32, s hset.Set, d model.Direction) error {
			row = Row{IfaceKey: key, Interface: c.Interface.Label(), Direction: d.String(), Filter: filter, Action: action, RuleID: rule}
			if rr, ok := e.Rule(rule); ok {
				row.Rule, row.Owner, row.Where = rr.Text, rr.Owner.Label(), rr.Where()
			}
			for b := range s.All() {
				row.SrcLo, row.SrcHi, row.DstLo, row.DstHi = AddrHex(b.Src.Lo), AddrHex(b.Src.Hi), AddrHex(b.Dst.Lo), AddrHex(b.Dst.Hi)
				row.ProtoLo, row.ProtoHi = int32(b.Proto.Lo), int32(b.Proto.Hi)
				row.SportLo, row.SportHi, row.DportLo, row.DportHi = int32(b.SrcPort.Lo), int32(b.SrcPort.Hi), int32(b.DstPort.Lo), int32(b.DstPort.Hi)
				if err := yield(&row); err != nil {
					return err
				}
			}
			return nil
		}
		known := false
		for _, d := range []model.Direction{model.Ingress, model.Egress} {
			fs, ok := e.FilterSets(id, d)
			if !ok {
				continue
			}
			known = true
			if !fs.HasSG {
				if err := emit("sg", "allow", -1, everything, d); err != nil {
					return err
				}
			}
			for _, r := range fs.SGRules {
				if err := emit("sg", "allow", r.Rule, r.Set, d); err != nil {
					return err
				}
			}
			if err := emit("sg-deny", "deny", -1, fs.SGDenied, d); err != nil {
				return err
			}
			for _, r := range fs.ACL {
				action := "deny"
				if r.Allow {
					action = "allow"
				}
				if err := emit("acl", action, r.Rule, r.Set, d); err != nil {
					return err
				}
			}
			if err := emit("acl", "deny", -1, fs.ACLDenied, d); err != nil {
				return err
			}
			if err := emit("no-acl", "allow", -1, fs.NoACL, d); err != nil {
				return err
			}
		}
		if !known {
			continue
		}
		for _, a := range e.Addresses(id) {
			x := hset.AddrFrom(a)
			row = Row{IfaceKey: key, Interface: c.Interface.Label(), Filter: "own", RuleID: -1, SrcLo: AddrHex(x), SrcHi: AddrHex(x)}
			if err := yield(&row); err != nil {
				return err
			}
		}
	}
	return nil
}

// everything is every header.
var everything = hset.Of(hset.Box{Src: hset.AddrRange{Hi: hset.Addr{Hi: ^uint64(0), Lo: ^uint64(0)}},
	Dst: hset.AddrRange{Hi: hset.Addr{Hi: ^uint64(0), Lo: ^uint64(0)}}, Proto: hset.Range8{Hi: 255},
	SrcPort: hset.Range16{Hi: 65535}, DstPort: hset.Range16{Hi: 65535}})

// WriteAllowedParquet writes AllowedRows as a Parquet file (Snappy), and
// returns how many rows it wrote.
func WriteAllowedParquet(w io.Writer, e *reach.Engine) (int, error) {
	pw := parquet.NewGenericWriter[Row](w, parquet.Compression(&parquet.Snappy), parquet.CreatedBy("vpcsim", "", ""))
	buf := make([]Row, 0, 1024)
	n := 0
	flush := func() error {
		if len(buf) == 0 {
			return nil
		}
		_, err := pw.Write(buf)
		n += len(buf)
		buf = buf[:0]
		return err
	}
	err := AllowedRows(e, func(r *Row) error {
		buf = append(buf, *r)
		if len(buf) == cap(buf) {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		pw.Close()
		return n, err
	}
	return n, pw.Close()
}
