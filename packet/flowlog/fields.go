package flowlog

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/agext/levenshtein"
)

// Field is one flow log field.
type Field uint8

// Fields, in the order of AWS's table of available fields.
const (
	FVersion Field = iota
	FAccountID
	FInterfaceID
	FSrcAddr
	FDstAddr
	FSrcPort
	FDstPort
	FProtocol
	FPackets
	FBytes
	FStart
	FEnd
	FAction
	FLogStatus
	FVPCID
	FSubnetID
	FInstanceID
	FTCPFlags
	FType
	FPktSrcAddr
	FPktDstAddr
	FRegion
	FAZID
	FSublocationType
	FSublocationID
	FPktSrcAWSService
	FPktDstAWSService
	FFlowDirection
	FTrafficPath
	FECSClusterARN
	FECSClusterName
	FECSContainerInstanceARN
	FECSContainerInstanceID
	FECSContainerID
	FECSSecondContainerID
	FECSServiceName
	FECSTaskDefinitionARN
	FECSTaskARN
	FECSTaskID
	FRejectReason
	numFields
)

// Kind is a field's Parquet type as AWS documents it.
type Kind uint8

// Kinds.
const (
	KindString Kind = iota
	KindInt32
	KindInt64
)

type fieldInfo struct {
	name    string
	version int32
	kind    Kind
}

var fields = [numFields]fieldInfo{
	{"version", 2, KindInt32},
	{"account-id", 2, KindString},
	{"interface-id", 2, KindString},
	{"srcaddr", 2, KindString},
	{"dstaddr", 2, KindString},
	{"srcport", 2, KindInt32},
	{"dstport", 2, KindInt32},
	{"protocol", 2, KindInt32},
	{"packets", 2, KindInt64},
	{"bytes", 2, KindInt64},
	{"start", 2, KindInt64},
	{"end", 2, KindInt64},
	{"action", 2, KindString},
	{"log-status", 2, KindString},
	{"vpc-id", 3, KindString},
	{"subnet-id", 3, KindString},
	{"instance-id", 3, KindString},
	{"tcp-flags", 3, KindInt32},
	{"type", 3, KindString},
	{"pkt-srcaddr", 3, KindString},
	{"pkt-dstaddr", 3, KindString},
	{"region", 4, KindString},
	{"az-id", 4, KindString},
	{"sublocation-type", 4, KindString},
	{"sublocation-id", 4, KindString},
	{"pkt-src-aws-service", 5, KindString},
	{"pkt-dst-aws-service", 5, KindString},
	{"flow-direction", 5, KindString},
	{"traffic-path", 5, KindInt32},
	{"ecs-cluster-arn", 7, KindString},
	{"ecs-cluster-name", 7, KindString},
	{"ecs-container-instance-arn", 7, KindString},
	{"ecs-container-instance-id", 7, KindString},
	{"ecs-container-id", 7, KindString},
	{"ecs-second-container-id", 7, KindString},
	{"ecs-service-name", 7, KindString},
	{"ecs-task-definition-arn", 7, KindString},
	{"ecs-task-arn", 7, KindString},
	{"ecs-task-id", 7, KindString},
	{"reject-reason", 8, KindString},
}

var byName = func() map[string]Field {
	m := make(map[string]Field, numFields)
	for i, f := range fields {
		m[f.name] = Field(i)
	}
	return m
}()

// Name is the field's name in a format string and a header line.
func (f Field) Name() string { return fields[f].name }

// Column is the field's Parquet column name: the name with underscores.
func (f Field) Column() string { return strings.ReplaceAll(fields[f].name, "-", "_") }

// Version is the flow log version that introduced the field.
func (f Field) Version() int32 { return fields[f].version }

// Kind is the field's Parquet type.
func (f Field) Kind() Kind { return fields[f].kind }

func (f Field) String() string { return f.Name() }

// AllFields lists every field in AWS's order.
func AllFields() Format {
	fs := make(Format, numFields)
	for i := range fs {
		fs[i] = Field(i)
	}
	return fs
}

// Format is the list of fields of a flow log's records, in order.
type Format []Field

// DefaultFormat is AWS's default format: the version 2 fields.
var DefaultFormat = Format{FVersion, FAccountID, FInterfaceID, FSrcAddr, FDstAddr, FSrcPort, FDstPort,
	FProtocol, FPackets, FBytes, FStart, FEnd, FAction, FLogStatus}

// FieldByName finds a field by its name.
func FieldByName(name string) (Field, bool) {
	f, ok := byName[name]
	return f, ok
}

// ParseFormat reads a format as AWS's --log-format takes it: fields written
// "${field}" separated by spaces. It also accepts the bare names of a header
// line. An unknown field is an error that names it.
func ParseFormat(s string) (Format, error) {
	toks := strings.Fields(s)
	if len(toks) == 0 {
		return nil, errors.New("flow log format: no field")
	}
	out := make(Format, 0, len(toks))
	seen := make(map[Field]bool, len(toks))
	for i, t := range toks {
		name := t
		if strings.HasPrefix(t, "${") || strings.HasSuffix(t, "}") || strings.HasPrefix(t, "$") {
			if !strings.HasPrefix(t, "${") || !strings.HasSuffix(t, "}") || len(t) < 4 {
				return nil, fmt.Errorf("flow log format: field %d %q: want ${name}", i+1, t)
			}
			name = t[2 : len(t)-1]
		}
		f, ok := byName[name]
		if !ok {
			return nil, fmt.Errorf("flow log format: unknown field %q (field %d)%s", name, i+1, suggest(name))
		}
		if seen[f] {
			return nil, fmt.Errorf("flow log format: field %q appears twice", name)
		}
		seen[f] = true
		out = append(out, f)
	}
	return out, nil
}

// suggest names the field closest to a misspelt one.
func suggest(name string) string {
	best, bestD := "", 3
	for _, f := range fields {
		if d := levenshtein.Distance(name, f.name, nil); d < bestD {
			best, bestD = f.name, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}

// String is the format as AWS's --log-format takes it.
func (f Format) String() string {
	var b strings.Builder
	for i, x := range f {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString("${" + x.Name() + "}")
	}
	return b.String()
}

// Header is the header line S3 delivery writes: the field names in format
// order, separated by spaces.
func (f Format) Header() string {
	var b strings.Builder
	for i, x := range f {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(x.Name())
	}
	return b.String()
}

// Version is the version records of this format carry: the highest version
// among its fields.
func (f Format) Version() int32 {
	v := int32(2)
	for _, x := range f {
		v = max(v, x.Version())
	}
	return v
}

func appendStr(b []byte, s string) []byte {
	if s == "" {
		return append(b, '-')
	}
	return append(b, s...)
}

func appendInt(b []byte, n int64) []byte {
	if n < 0 {
		return append(b, '-')
	}
	return strconv.AppendInt(b, n, 10)
}

func appendAddr(b []byte, a netip.Addr) []byte {
	if !a.IsValid() {
		return append(b, '-')
	}
	return a.AppendTo(b)
}

// AppendField appends field x of r as text.
func AppendField(b []byte, r *Record, x Field) []byte {
	switch x {
	case FVersion:
		return appendInt(b, int64(r.Version))
	case FAccountID:
		return appendStr(b, r.AccountID)
	case FInterfaceID:
		return appendStr(b, r.InterfaceID)
	case FSrcAddr:
		return appendAddr(b, r.SrcAddr)
	case FDstAddr:
		return appendAddr(b, r.DstAddr)
	case FSrcPort:
		return appendInt(b, int64(r.SrcPort))
	case FDstPort:
		return appendInt(b, int64(r.DstPort))
	case FProtocol:
		return appendInt(b, int64(r.Protocol))
	case FPackets:
		return appendInt(b, r.Packets)
	case FBytes:
		return appendInt(b, r.Bytes)
	case FStart:
		return strconv.AppendInt(b, r.Start, 10)
	case FEnd:
		return strconv.AppendInt(b, r.End, 10)
	case FAction:
		return append(b, r.Action.String()...)
	case FLogStatus:
		return append(b, r.LogStatus.String()...)
	case FVPCID:
		return appendStr(b, r.VPCID)
	case FSubnetID:
		return appendStr(b, r.SubnetID)
	case FInstanceID:
		return appendStr(b, r.InstanceID)
	case FTCPFlags:
		return appendInt(b, int64(r.TCPFlags))
	case FType:
		return appendStr(b, r.Type)
	case FPktSrcAddr:
		return appendAddr(b, r.PktSrcAddr)
	case FPktDstAddr:
		return appendAddr(b, r.PktDstAddr)
	case FRegion:
		return appendStr(b, r.Region)
	case FAZID:
		return appendStr(b, r.AZID)
	case FSublocationType:
		return appendStr(b, r.SublocationType)
	case FSublocationID:
		return appendStr(b, r.SublocationID)
	case FPktSrcAWSService:
		return appendStr(b, r.PktSrcAWSService)
	case FPktDstAWSService:
		return appendStr(b, r.PktDstAWSService)
	case FFlowDirection:
		return append(b, r.FlowDirection.String()...)
	case FTrafficPath:
		return appendInt(b, int64(r.TrafficPath))
	}
	return appendStr(b, *r.stringField(x))
}

// stringField returns the string field x of r (the ECS fields and
// reject-reason).
func (r *Record) stringField(x Field) *string {
	switch x {
	case FAccountID:
		return &r.AccountID
	case FInterfaceID:
		return &r.InterfaceID
	case FVPCID:
		return &r.VPCID
	case FSubnetID:
		return &r.SubnetID
	case FInstanceID:
		return &r.InstanceID
	case FType:
		return &r.Type
	case FRegion:
		return &r.Region
	case FAZID:
		return &r.AZID
	case FSublocationType:
		return &r.SublocationType
	case FSublocationID:
		return &r.SublocationID
	case FPktSrcAWSService:
		return &r.PktSrcAWSService
	case FPktDstAWSService:
		return &r.PktDstAWSService
	case FECSClusterARN:
		return &r.ECSClusterARN
	case FECSClusterName:
		return &r.ECSClusterName
	case FECSContainerInstanceARN:
		return &r.ECSContainerInstanceARN
	case FECSContainerInstanceID:
		return &r.ECSContainerInstanceID
	case FECSContainerID:
		return &r.ECSContainerID
	case FECSSecondContainerID:
		return &r.ECSSecondContainerID
	case FECSServiceName:
		return &r.ECSServiceName
	case FECSTaskDefinitionARN:
		return &r.ECSTaskDefinitionARN
	case FECSTaskARN:
		return &r.ECSTaskARN
	case FECSTaskID:
		return &r.ECSTaskID
	case FRejectReason:
		return &r.RejectReason
	}
	return nil
}

// AppendRecord appends r as one line of text (without newline), its fields
// separated by single spaces. The version printed is r's.
func (f Format) AppendRecord(b []byte, r *Record) ([]byte, error) {
	for i, x := range f {
		if i > 0 {
			b = append(b, ' ')
		}
		b = AppendField(b, r, x)
	}
	return b, nil
}

// SetField parses the text value v of field x into r; "-" sets "does not
// apply".
func (r *Record) SetField(x Field, v string) error { return r.setField(x, []byte(v), nil) }

// interner keeps one copy of each string a reader meets (interface, account
// and VPC IDs repeat on every line): reading allocates only for new values.
type interner struct {
	m map[string]string
}

// maxInterned bounds an interner: past it, new strings are not kept.
const maxInterned = 1 << 16

func (in *interner) str(b []byte) string {
	if in == nil {
		return string(b)
	}
	if s, ok := in.m[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(in.m) < maxInterned {
		if in.m == nil {
			in.m = map[string]string{}
		}
		in.m[s] = s
	}
	return s
}

// parseUint reads a decimal number of at most bits bits; ok is false for
// anything else.
func parseUint(b []byte, bits int) (int64, bool) {
	if len(b) == 0 || len(b) > 19 {
		return 0, false
	}
	var n uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	if n >= 1<<(bits-1) {
		return 0, false
	}
	return int64(n), true
}

// parseAddr reads an address: dotted IPv4 by hand (the common case), the
// rest through netip.
func parseAddr(b []byte) (netip.Addr, bool) {
	var a [4]byte
	part, n, digits := 0, 0, 0
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			if digits == 3 || digits > 0 && n == 0 {
				return parseAddrSlow(b) // too long, or a leading zero
			}
			n = n*10 + int(c-'0')
			digits++
			if n > 255 {
				return parseAddrSlow(b) // an IPv6 address's first group (2600:…), or no address
			}
		case c == '.' && digits > 0 && part < 3:
			a[part] = byte(n)
			part, n, digits = part+1, 0, 0
		default:
			return parseAddrSlow(b)
		}
	}
	if part != 3 || digits == 0 {
		return parseAddrSlow(b)
	}
	a[3] = byte(n)
	return netip.AddrFrom4(a), true
}

func parseAddrSlow(b []byte) (netip.Addr, bool) {
	p, err := netip.ParseAddr(string(b))
	if err != nil {
		return netip.Addr{}, false
	}
	return p.Unmap(), true
}

// setField parses field x from v; strings go through in (nil: a copy each).
func (r *Record) setField(x Field, v []byte, in *interner) error {
	dash := len(v) == 1 && v[0] == '-'
	bad := func(what string) error { return fmt.Errorf("%s: %q is not %s", x.Name(), v, what) }
	switch x {
	case FVersion, FSrcPort, FDstPort, FProtocol, FTCPFlags, FTrafficPath:
		n := int64(-1)
		if !dash {
			var ok bool
			if n, ok = parseUint(v, 32); !ok {
				return bad("a number")
			}
		}
		*r.int32Field(x) = int32(n)
	case FPackets, FBytes, FStart, FEnd:
		n := int64(-1)
		if dash {
			if x == FStart || x == FEnd {
				return fmt.Errorf("%s: a record always has a time", x.Name())
			}
		} else {
			var ok bool
			if n, ok = parseUint(v, 64); !ok {
				return bad("a number")
			}
		}
		*r.int64Field(x) = n
	case FSrcAddr, FDstAddr, FPktSrcAddr, FPktDstAddr:
		a := netip.Addr{}
		if !dash {
			var ok bool
			if a, ok = parseAddr(v); !ok {
				return bad("an IP address")
			}
		}
		switch x {
		case FSrcAddr:
			r.SrcAddr = a
		case FDstAddr:
			r.DstAddr = a
		case FPktSrcAddr:
			r.PktSrcAddr = a
		default:
			r.PktDstAddr = a
		}
	case FAction:
		switch string(v) {
		case "ACCEPT":
			r.Action = Accept
		case "REJECT":
			r.Action = Reject
		case "-":
			r.Action = ActionNone
		default:
			return fmt.Errorf("action: %q is not ACCEPT, REJECT or -", v)
		}
	case FLogStatus:
		switch string(v) {
		case "OK":
			r.LogStatus = StatusOK
		case "NODATA":
			r.LogStatus = StatusNoData
		case "SKIPDATA":
			r.LogStatus = StatusSkipData
		default:
			return fmt.Errorf("log-status: %q is not OK, NODATA or SKIPDATA", v)
		}
	case FFlowDirection:
		switch string(v) {
		case "ingress":
			r.FlowDirection = Ingress
		case "egress":
			r.FlowDirection = Egress
		case "-":
			r.FlowDirection = DirNone
		default:
			return fmt.Errorf("flow-direction: %q is not ingress, egress or -", v)
		}
	default:
		p := r.stringField(x)
		if p == nil {
			return fmt.Errorf("unknown field %d", x)
		}
		if dash {
			*p = ""
		} else {
			*p = in.str(v)
		}
	}
	return nil
}

func (r *Record) int32Field(x Field) *int32 {
	switch x {
	case FVersion:
		return &r.Version
	case FSrcPort:
		return &r.SrcPort
	case FDstPort:
		return &r.DstPort
	case FProtocol:
		return &r.Protocol
	case FTCPFlags:
		return &r.TCPFlags
	}
	return &r.TrafficPath
}

func (r *Record) int64Field(x Field) *int64 {
	switch x {
	case FPackets:
		return &r.Packets
	case FBytes:
		return &r.Bytes
	case FStart:
		return &r.Start
	}
	return &r.End
}
