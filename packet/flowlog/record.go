package flowlog

import (
	"fmt"
	"net/netip"
	"time"
)

// Direction is a record's flow-direction, relative to its interface.
type Direction uint8

// Directions; DirNone prints "-".
const (
	DirNone Direction = iota
	Ingress
	Egress
)

func (d Direction) String() string {
	switch d {
	case Ingress:
		return "ingress"
	case Egress:
		return "egress"
	}
	return "-"
}

// Action is what the interface's security groups and network ACLs did.
type Action uint8

// Actions; ActionNone prints "-" (NODATA and SKIPDATA records).
const (
	ActionNone Action = iota
	Accept
	Reject
)

func (a Action) String() string {
	switch a {
	case Accept:
		return "ACCEPT"
	case Reject:
		return "REJECT"
	}
	return "-"
}

// Status is a record's log-status.
type Status uint8

// Statuses: OK, NODATA (no traffic on the interface in the interval),
// SKIPDATA (records were skipped in the interval).
const (
	StatusOK Status = iota
	StatusNoData
	StatusSkipData
)

func (s Status) String() string {
	switch s {
	case StatusNoData:
		return "NODATA"
	case StatusSkipData:
		return "SKIPDATA"
	}
	return "OK"
}

// Traffic paths of egress records (the traffic-path field).
const (
	PathNone            uint8 = 0 // "-": ingress, or no path applies
	PathSameVPC         uint8 = 1
	PathIGWOrGatewayEP  uint8 = 2
	PathVirtualPrivateG uint8 = 3
	PathPeeringIntra    uint8 = 4
	PathPeeringInter    uint8 = 5
	PathLocalGateway    uint8 = 6
	PathGatewayEPNitro  uint8 = 7
	PathIGWNitro        uint8 = 8
)

// Interface is what a flow log knows of a network interface.
type Interface struct {
	ID        string
	AccountID string
	VPCID     string
	SubnetID  string
	// InstanceID is empty for an interface with no instance of the account:
	// requester-managed interfaces (NAT gateway, transit gateway
	// attachment, endpoints) print "-".
	InstanceID string
	Region     string
	AZID       string
	// SublocationType (wavelength, outpost, localzone) and SublocationID are
	// empty for interfaces in an availability zone.
	SublocationType, SublocationID string
	// PrimaryV4 and PrimaryV6 are the interface's primary private IPv4 and
	// its IPv6 address: a record's srcaddr (egress) or dstaddr (ingress).
	PrimaryV4, PrimaryV6 netip.Addr
}

// Event is one packet seen on one interface: what the packet walker hands
// to an Aggregator. Addresses are the packet's, as it crosses the interface.
type Event struct {
	Time      time.Time
	Interface int32 // index into the Aggregator's interfaces
	Direction Direction
	Action    Action
	Src, Dst  netip.Addr
	// SrcPort and DstPort are zero for ICMP (flow logs print 0).
	SrcPort, DstPort uint16
	Protocol         uint8
	// Bytes is the IP packet's size.
	Bytes int
	// TCPFlags are the packet's TCP flags (wire bits).
	TCPFlags uint8
	// TrafficPath is the path an egress packet takes (PathSameVPC, …).
	TrafficPath uint8
	// PktSrcService and PktDstService name the AWS service owning the
	// packet's source or destination address (ip-ranges.json's service,
	// e.g. "S3"), when known.
	PktSrcService, PktDstService string
}

// Record is one flow log record. Fields that do not apply print "-": an
// invalid address, an empty string, a negative number, ActionNone, DirNone.
type Record struct {
	Version     int32
	AccountID   string
	InterfaceID string
	SrcAddr     netip.Addr
	DstAddr     netip.Addr
	SrcPort     int32
	DstPort     int32
	Protocol    int32
	Packets     int64
	Bytes       int64
	// Start and End are Unix seconds: the first and last packet of the
	// record in its interval (for NODATA and SKIPDATA, the interval).
	Start, End int64
	Action     Action
	LogStatus  Status
	VPCID      string
	SubnetID   string
	InstanceID string
	TCPFlags   int32
	// Type is "IPv4", "IPv6" or "EFA".
	Type             string
	PktSrcAddr       netip.Addr
	PktDstAddr       netip.Addr
	Region           string
	AZID             string
	SublocationType  string
	SublocationID    string
	PktSrcAWSService string
	PktDstAWSService string
	FlowDirection    Direction
	// TrafficPath is 1–8, or negative for "-".
	TrafficPath int32
	// The ECS fields (version 7) and reject-reason (version 8): vpcsim
	// models neither ECS tasks nor VPC Block Public Access, so it writes
	// them "-"; readers keep what a real log says.
	ECSClusterARN, ECSClusterName, ECSContainerInstanceARN, ECSContainerInstanceID,
	ECSContainerID, ECSSecondContainerID, ECSServiceName, ECSTaskDefinitionARN,
	ECSTaskARN, ECSTaskID, RejectReason string
}

// Blank returns a record whose every optional field is "-".
func Blank() Record {
	return Record{SrcPort: -1, DstPort: -1, Protocol: -1, Packets: -1, Bytes: -1, TCPFlags: -1, TrafficPath: -1}
}

// String prints the record in the default format.
func (r *Record) String() string {
	b, _ := DefaultFormat.AppendRecord(nil, r)
	return string(b)
}

// Key identifies the flow a record aggregates.
func (r *Record) Key() string {
	return fmt.Sprintf("%s %s %s %s:%d %s:%d %d %s", r.InterfaceID, r.FlowDirection, r.Action, r.PktSrcAddr, r.SrcPort, r.PktDstAddr, r.DstPort, r.Protocol, r.LogStatus)
}
