package flowlog

import (
	"cmp"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"time"
)

// Aggregation intervals AWS offers.
const (
	Interval1m  = 60 * time.Second
	Interval10m = 600 * time.Second
)

// Config sets up an Aggregator.
type Config struct {
	// Interval is the aggregation interval: 60 s or 600 s (AWS's default;
	// Nitro instances always 60 s or less). Zero means 600 s.
	Interval time.Duration
	// Origin is when capture began (the flow log's creation): intervals are
	// [Origin + k·Interval, Origin + (k+1)·Interval). The zero value means
	// the Unix epoch, so intervals fall on multiples of Interval.
	Origin time.Time
	// Version is the version records carry: the format's (Format.Version).
	// Zero means 2.
	Version int32
	// NoData emits a NODATA record for every interface with no packet in an
	// interval, from the first interval with traffic to the last.
	NoData bool
	// MaxFlows caps the records of one interface in one interval; packets of
	// further flows are dropped from the log and the interval gets a
	// SKIPDATA record, as when AWS's capture hits a capacity limit. Zero
	// means no cap.
	MaxFlows int
}

// Aggregator turns packet Events into flow log records as AWS does: one
// record per interface, direction, 5-tuple and action within an interval,
// with packets and bytes summed, the first and last packet's times, and TCP
// flags OR-ed. Events must come in time order. When an interval ends its
// records go to the sink sorted by start, interface and flow, so output is
// deterministic; memory holds one interval's flows.
type Aggregator struct {
	cfg      Config
	ifaces   []Interface
	sink     func(*Record) error
	interval int64 // nanoseconds
	origin   int64
	window   int64 // index of the open interval
	open     bool
	index    map[flowKey]int32
	flows    []flowAcc
	perIface []ifaceWindow
	rec      Record
	order    []int32
	// epoch counts the times the flows were handed out and forgotten
	// (hints from before point at nothing); never zero.
	epoch uint32
}

type flowKey struct {
	src, dst         netip.Addr
	iface            int32
	srcPort, dstPort uint16
	proto            uint8
	dir              Direction
	action           Action
}

type flowAcc struct {
	key                  flowKey
	first, last          int64
	packets, bytes       int64
	flags, path          uint8
	srcService, dstSvice string
}

type ifaceWindow struct {
	flows   int32
	skipped bool
}

// NewAggregator returns an Aggregator over the given interfaces (Event.
// Interface indexes them) that hands each finished record to sink. The
// record passed is reused: the sink copies what it keeps.
func NewAggregator(cfg Config, ifaces []Interface, sink func(*Record) error) (*Aggregator, error) {
	if cfg.Interval == 0 {
		cfg.Interval = Interval10m
	}
	if cfg.Interval < time.Second || cfg.Interval%time.Second != 0 {
		return nil, fmt.Errorf("flow log: aggregation interval %v is not a whole number of seconds", cfg.Interval)
	}
	if cfg.Version == 0 {
		cfg.Version = 2
	}
	var origin int64
	if !cfg.Origin.IsZero() {
		origin = cfg.Origin.UnixNano()
	}
	return &Aggregator{cfg: cfg, ifaces: ifaces, sink: sink, interval: int64(cfg.Interval), origin: origin,
		index: make(map[flowKey]int32), perIface: make([]ifaceWindow, len(ifaces)), epoch: 1}, nil
}

// ErrOutOfOrder is returned for an event older than the open interval.
var ErrOutOfOrder = errors.New("flow log: event before the open aggregation interval (events must come in time order)")

func (a *Aggregator) windowOf(ns int64) int64 {
	d := ns - a.origin
	w := d / a.interval
	if d < 0 && d%a.interval != 0 {
		w--
	}
	return w
}

// TCP flags as flow logs keep them.
const (
	flagFIN = 1
	flagSYN = 2
	flagRST = 4
	flagACK = 16
)

// loggedFlags keeps FIN, SYN and RST, and ACK only with SYN (SYN-ACK is 18):
// ACK and PSH alone log as 0.
func loggedFlags(f uint8) uint8 {
	out := f & (flagFIN | flagSYN | flagRST)
	if f&flagSYN != 0 && f&flagACK != 0 {
		out |= flagACK
	}
	return out
}

// Hint remembers where an Aggregator keeps the record of one flow in the
// open interval, so that the flow's next event reaches it without a lookup.
// The zero Hint remembers nothing; a stale one is noticed.
type Hint struct {
	idx    int32
	window int64
	epoch  uint32
}

// Add aggregates one event.
func (a *Aggregator) Add(e *Event) error { return a.AddHint(e, nil) }

// AddHint is Add that remembers the event's record in hint and finds it
// there for the flow's next event (a packet walker keeps one hint per flow
// and interface).
func (a *Aggregator) AddHint(e *Event, hint *Hint) error {
	if e.Interface < 0 || int(e.Interface) >= len(a.ifaces) {
		return fmt.Errorf("flow log: event on unknown interface %d", e.Interface)
	}
	ns := e.Time.UnixNano()
	w := a.windowOf(ns)
	switch {
	case !a.open:
		a.window, a.open = w, true
	case w < a.window:
		return ErrOutOfOrder
	case w > a.window:
		if err := a.flushTo(w); err != nil {
			return err
		}
	}
	k := flowKey{src: e.Src, dst: e.Dst, iface: e.Interface, srcPort: e.SrcPort, dstPort: e.DstPort, proto: e.Protocol, dir: e.Direction, action: e.Action}
	var i int32
	ok := hint != nil && hint.epoch == a.epoch && hint.epoch != 0 && hint.window == a.window && int(hint.idx) < len(a.flows) && a.flows[hint.idx].key == k
	if ok {
		i = hint.idx
	} else {
		i, ok = a.index[k]
	}
	if !ok {
		pw := &a.perIface[e.Interface]
		if a.cfg.MaxFlows > 0 && int(pw.flows) >= a.cfg.MaxFlows {
			pw.skipped = true
			return nil
		}
		pw.flows++
		i = int32(len(a.flows))
		a.flows = append(a.flows, flowAcc{key: k, first: ns, srcService: e.PktSrcService, dstSvice: e.PktDstService})
		a.index[k] = i
	}
	if hint != nil {
		hint.idx, hint.window, hint.epoch = i, a.window, a.epoch
	}
	f := &a.flows[i]
	f.last = ns
	f.packets++
	f.bytes += int64(e.Bytes)
	f.flags |= loggedFlags(e.TCPFlags)
	if e.TrafficPath != 0 {
		f.path = e.TrafficPath
	}
	return nil
}

// Flush ends the open interval, handing its records to the sink. Call it
// after the last event.
func (a *Aggregator) Flush() error {
	if !a.open {
		return nil
	}
	err := a.flushTo(a.window + 1)
	a.open = false
	return err
}

// flushTo closes the open interval and the empty ones before interval w.
func (a *Aggregator) flushTo(w int64) error {
	if err := a.emit(a.window); err != nil {
		return err
	}
	if a.cfg.NoData {
		for x := a.window + 1; x < w; x++ {
			if err := a.emit(x); err != nil {
				return err
			}
		}
	}
	a.window = w
	return nil
}

func (a *Aggregator) emit(w int64) error {
	start := (a.origin + w*a.interval) / int64(time.Second)
	end := (a.origin + (w+1)*a.interval) / int64(time.Second)
	a.order = a.order[:0]
	for i := range a.flows {
		a.order = append(a.order, int32(i))
	}
	slices.SortFunc(a.order, func(x, y int32) int { return compareFlows(&a.flows[x], &a.flows[y]) })
	for _, i := range a.order {
		a.fill(&a.flows[i])
		if err := a.sink(&a.rec); err != nil {
			return err
		}
	}
	for i := range a.perIface {
		pw := &a.perIface[i]
		switch {
		case pw.skipped:
			a.status(i, StatusSkipData, start, end)
		case pw.flows == 0 && a.cfg.NoData:
			a.status(i, StatusNoData, start, end)
		default:
			*pw = ifaceWindow{}
			continue
		}
		*pw = ifaceWindow{}
		if err := a.sink(&a.rec); err != nil {
			return err
		}
	}
	clear(a.index)
	a.flows = a.flows[:0]
	if a.epoch++; a.epoch == 0 {
		a.epoch = 1
	}
	return nil
}

func compareFlows(x, y *flowAcc) int {
	if c := cmp.Compare(x.first/int64(time.Second), y.first/int64(time.Second)); c != 0 {
		return c
	}
	if c := cmp.Compare(x.key.iface, y.key.iface); c != 0 {
		return c
	}
	if c := cmp.Compare(x.first, y.first); c != 0 {
		return c
	}
	if c := x.key.src.Compare(y.key.src); c != 0 {
		return c
	}
	if c := x.key.dst.Compare(y.key.dst); c != 0 {
		return c
	}
	if c := cmp.Compare(x.key.srcPort, y.key.srcPort); c != 0 {
		return c
	}
	if c := cmp.Compare(x.key.dstPort, y.key.dstPort); c != 0 {
		return c
	}
	if c := cmp.Compare(x.key.proto, y.key.proto); c != 0 {
		return c
	}
	if c := cmp.Compare(x.key.dir, y.key.dir); c != 0 {
		return c
	}
	return cmp.Compare(x.key.action, y.key.action)
}

func (a *Aggregator) base(iface int) {
	in := &a.ifaces[iface]
	a.rec = Blank()
	r := &a.rec
	r.Version = a.cfg.Version
	r.AccountID, r.InterfaceID = in.AccountID, in.ID
	r.VPCID, r.SubnetID, r.InstanceID = in.VPCID, in.SubnetID, in.InstanceID
	r.Region, r.AZID, r.SublocationType, r.SublocationID = in.Region, in.AZID, in.SublocationType, in.SublocationID
}

func (a *Aggregator) status(iface int, s Status, start, end int64) {
	a.base(iface)
	a.rec.LogStatus, a.rec.Start, a.rec.End = s, start, end
}

// own is the interface's address of the packet's family: what srcaddr shows
// for egress and dstaddr for ingress.
func own(in *Interface, packet netip.Addr) netip.Addr {
	if packet.Is4() && in.PrimaryV4.IsValid() {
		return in.PrimaryV4
	}
	if packet.Is6() && in.PrimaryV6.IsValid() {
		return in.PrimaryV6
	}
	return packet
}

func (a *Aggregator) fill(f *flowAcc) {
	k := &f.key
	a.base(int(k.iface))
	in := &a.ifaces[k.iface]
	r := &a.rec
	r.PktSrcAddr, r.PktDstAddr = k.src, k.dst
	r.SrcAddr, r.DstAddr = k.src, k.dst
	if k.dir == Egress {
		r.SrcAddr = own(in, k.src)
	} else {
		r.DstAddr = own(in, k.dst)
	}
	r.SrcPort, r.DstPort, r.Protocol = int32(k.srcPort), int32(k.dstPort), int32(k.proto)
	r.Packets, r.Bytes = f.packets, f.bytes
	r.Start, r.End = f.first/int64(time.Second), f.last/int64(time.Second)
	r.Action, r.LogStatus = k.action, StatusOK
	r.TCPFlags = int32(f.flags)
	r.Type = "IPv4"
	if k.src.Is6() {
		r.Type = "IPv6"
	}
	r.PktSrcAWSService, r.PktDstAWSService = f.srcService, f.dstSvice
	r.FlowDirection = k.dir
	if k.dir == Egress && f.path != 0 {
		r.TrafficPath = int32(f.path)
	}
}

// Collect returns a sink that appends copies of the records to *out.
func Collect(out *[]Record) func(*Record) error {
	return func(r *Record) error {
		*out = append(*out, *r)
		return nil
	}
}

// Record aggregates one event: the Aggregator is the packet walker's
// Recorder.
func (a *Aggregator) Record(e *Event) error { return a.Add(e) }
