// Package render writes what the packet walker and the simulator found, as
// text for people and as JSON (documented in docs/cli.md) for programs. It
// decides nothing: the walk and the run are packet's and sim's.
package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/packet"
	"github.com/vpcsim/vpcsim/reach"
)

// Walk is the answer of `vpcsim walk`: every packet's fate and, for a
// conversation, whether it completed.
type Walk struct {
	// Mode is "conversation" (--from/--to) or "capture" (--pcap).
	Mode string `json:"mode"`
	// Client and Server name a conversation's ends, as given and as the
	// addresses used; Capture and Vantage the capture replayed and where it
	// was taken.
	Client *End `json:"client,omitempty"`
	Server *End `json:"server,omitempty"`
	// Via is, for a conversation with a target that the client reaches
	// only through a load balancer, the way it took: Client talked to
	// Via's listener at Server's address, and the load balancer carried
	// it on to Target.
	Via     *reach.LoadBalancing `json:"via_load_balancer,omitempty"`
	Target  string               `json:"target,omitempty"`
	Capture string               `json:"capture,omitempty"`
	Vantage string               `json:"vantage,omitempty"`
	// Complete is set for a conversation: every packet arrived where it
	// must. Failure says which packet did not, and why.
	Complete *bool   `json:"complete,omitempty"`
	Failure  *Reason `json:"failure,omitempty"`
	Packets  []Pkt   `json:"packets"`
	// Summary counts the packets by outcome, and the dropped and unplaced
	// ones by code.
	Summary Summary `json:"summary"`
}

// End is one end of a conversation.
type End struct {
	Name    string     `json:"name"`
	Address netip.Addr `json:"address"`
	Port    uint16     `json:"port,omitempty"`
}

// Pkt is one packet and its fate.
type Pkt struct {
	N    int       `json:"n"`
	Time time.Time `json:"time"`
	// Direction is "request" (the client's) or "reply" (the server's) in a
	// conversation; in a capture, "reply" for packets walked as replies.
	Direction string `json:"direction"`
	// Packet is the packet as the client sees it (a conversation) or as the
	// capture holds it; Arrived as it ended, translated (delivered or left
	// only).
	Packet  Header  `json:"packet"`
	Arrived *Header `json:"arrived,omitempty"`
	Outcome string  `json:"outcome"`
	// At is where the packet ended: the interface it was delivered to, the
	// outside world it left for, or the component that dropped it.
	At   *reach.Ref `json:"at,omitempty"`
	Hops int        `json:"hops"`
	// Code and Rule say why it was dropped (trace's codes and rules).
	Code reach.Code     `json:"code,omitempty"`
	Rule *reach.RuleRef `json:"rule,omitempty"`
}

// Header is a packet's header as JSON shows it.
type Header struct {
	Protocol string     `json:"protocol"`
	Src      netip.Addr `json:"src"`
	Dst      netip.Addr `json:"dst"`
	SrcPort  uint16     `json:"src_port,omitempty"`
	DstPort  uint16     `json:"dst_port,omitempty"`
	// Flags are TCP's ("SYN|ACK"); ICMPType and ICMPCode ICMP's.
	Flags    string `json:"flags,omitempty"`
	ICMPType *uint8 `json:"icmp_type,omitempty"`
	ICMPCode *uint8 `json:"icmp_code,omitempty"`
	Bytes    int    `json:"bytes"`
	text     string
}

// Reason is why a conversation stopped.
type Reason struct {
	Packet    int            `json:"packet"`
	Direction reach.Leg      `json:"direction"`
	Code      reach.Code     `json:"code"`
	Component *reach.Ref     `json:"component,omitempty"`
	Rule      *reach.RuleRef `json:"rule,omitempty"`
	Meaning   string         `json:"meaning"`
}

// Summary counts packets.
type Summary struct {
	Packets   int                `json:"packets"`
	Delivered int                `json:"delivered"`
	Left      int                `json:"left"`
	Dropped   int                `json:"dropped"`
	Unplaced  int                `json:"unplaced"`
	ByCode    map[reach.Code]int `json:"by_code"`
}

func headerOf(h *packet.Header) Header {
	x := Header{Protocol: h.Protocol.String(), Src: h.Src, Dst: h.Dst, Bytes: h.Length, text: short(h)}
	switch {
	case h.Protocol == model.ProtocolTCP:
		x.SrcPort, x.DstPort, x.Flags = h.SrcPort, h.DstPort, h.Flags.String()
	case h.Protocol == model.ProtocolUDP:
		x.SrcPort, x.DstPort = h.SrcPort, h.DstPort
	case h.Protocol.IsICMP():
		t, c := h.ICMPType, h.ICMPCode
		x.ICMPType, x.ICMPCode = &t, &c
	}
	return x
}

// short is a packet on one line: what it is, its size and its ends.
func short(h *packet.Header) string {
	what := h.Protocol.String()
	src, dst := h.Src.String(), h.Dst.String()
	switch {
	case h.Protocol == model.ProtocolTCP:
		what = "tcp " + h.Flags.String()
		src, dst = netip.AddrPortFrom(h.Src, h.SrcPort).String(), netip.AddrPortFrom(h.Dst, h.DstPort).String()
	case h.Protocol == model.ProtocolUDP:
		src, dst = netip.AddrPortFrom(h.Src, h.SrcPort).String(), netip.AddrPortFrom(h.Dst, h.DstPort).String()
	case h.IsEcho() && (h.ICMPType == 8 || h.ICMPType == 128):
		what += " echo request"
	case h.IsEcho():
		what += " echo reply"
	case h.Protocol.IsICMP():
		what += fmt.Sprintf(" type %d code %d", h.ICMPType, h.ICMPCode)
	}
	return fmt.Sprintf("%-17s %5d B  %s > %s", what, h.Length, src, dst)
}

// Add records one packet: as seen (sent), as it ended, and its fate.
func (w *Walk) Add(t time.Time, direction string, sent, arrived *packet.Header, f *packet.Fate) {
	p := Pkt{N: len(w.Packets) + 1, Time: t.UTC(), Direction: direction, Packet: headerOf(sent), Outcome: f.Outcome.String(), Hops: f.Hops, Code: f.Code, Rule: f.Rule}
	if f.Outcome != packet.Unplaced {
		r := f.Where()
		p.At = &r
	}
	if f.Outcome == packet.Delivered || f.Outcome == packet.Left {
		a := headerOf(arrived)
		p.Arrived = &a
	}
	w.Packets = append(w.Packets, p)
	s := &w.Summary
	s.Packets++
	switch f.Outcome {
	case packet.Delivered:
		s.Delivered++
	case packet.Left:
		s.Left++
	case packet.Dropped:
		s.Dropped++
	case packet.Unplaced:
		s.Unplaced++
	}
	if f.Code != "" && (f.Outcome == packet.Dropped || f.Outcome == packet.Unplaced) {
		if s.ByCode == nil {
			s.ByCode = map[reach.Code]int{}
		}
		s.ByCode[f.Code]++
	}
}

// Conversation fills a conversation's answer from its exchange.
func (w *Walk) Conversation(x *packet.Exchange) {
	for i := range x.Packets {
		p := &x.Packets[i]
		dir := "request"
		if !p.FromClient {
			dir = "reply"
		}
		w.Add(p.Time, dir, &p.Header, &p.Arrived, &p.Fate)
	}
	ok := x.Complete
	w.Complete = &ok
	if x.Failed >= 0 {
		f := &x.Packets[x.Failed].Fate
		r := &Reason{Packet: x.Failed + 1, Direction: x.Leg, Code: x.Code, Rule: f.Rule, Meaning: Meaning(x.Code)}
		where := f.Where()
		r.Component = &where
		w.Failure = r
	}
}

// Meaning is an explanation code's meaning, from reach's list.
func Meaning(c reach.Code) string {
	for _, x := range reach.Codes {
		if x.Code == c {
			return x.Meaning
		}
	}
	return ""
}

// WriteWalkJSON writes the answer as one JSON document.
func WriteWalkJSON(out io.Writer, w *Walk) error {
	if w.Packets == nil {
		w.Packets = []Pkt{}
	}
	if w.Summary.ByCode == nil {
		w.Summary.ByCode = map[reach.Code]int{}
	}
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(w)
}

// WriteWalkText writes the answer for people: one line a packet, then the
// verdict.
func WriteWalkText(out io.Writer, w *Walk) error {
	ew := &text{}
	switch w.Mode {
	case "conversation":
		ew.printf("walk   %s %s -> %s\n", w.protocol(), endText(w.Client), endText(w.Server))
		if w.Via != nil {
			ew.printf("via    %s, to %s\n", w.Via, w.Target)
		}
	default:
		ew.printf("walk   %s (packets enter at: %s)\n", w.Capture, w.Vantage)
	}
	ew.printf("\n")
	var start time.Time
	if len(w.Packets) > 0 {
		start = w.Packets[0].Time
	}
	for _, p := range w.Packets {
		arrow := "->"
		if p.Direction == "reply" {
			arrow = "<-"
		}
		ew.printf("%4d %8.3fs %s %-78s %s\n", p.N, p.Time.Sub(start).Seconds(), arrow, p.Packet.text, fate(&p))
		if p.Rule != nil {
			ew.printf("%18s rule: %s\n", "", p.Rule)
		}
	}
	ew.printf("\n")
	s := &w.Summary
	ew.printf("%d packets: %d delivered, %d left the network, %d dropped", s.Packets, s.Delivered, s.Left, s.Dropped)
	if s.Unplaced > 0 {
		ew.printf(", %d not sent", s.Unplaced)
	}
	ew.printf("\n")
	codes := make([]reach.Code, 0, len(s.ByCode))
	for c := range s.ByCode {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	for _, c := range codes {
		ew.printf("  %6d %s\n", s.ByCode[c], c)
	}
	if w.Complete != nil {
		if *w.Complete {
			ew.printf("COMPLETE: every packet arrived where it must\n")
		} else if f := w.Failure; f != nil {
			ew.printf("INCOMPLETE: packet %d (%s) %s\n", f.Packet, f.Direction, failureText(f))
			if f.Meaning != "" {
				ew.printf("  %s: %s\n", f.Code, f.Meaning)
			}
			if f.Rule != nil {
				ew.printf("  rule: %s\n", f.Rule)
			}
		}
	}
	return ew.flush(out)
}

// protocol is the conversation's protocol, from its first packet.
func (w *Walk) protocol() string {
	if len(w.Packets) == 0 {
		return ""
	}
	return w.Packets[0].Packet.Protocol
}

func endText(e *End) string {
	if e == nil {
		return "?"
	}
	a := e.Address.String()
	if e.Port != 0 {
		a = netip.AddrPortFrom(e.Address, e.Port).String()
	}
	if e.Name == "" || e.Name == e.Address.String() {
		return a
	}
	return fmt.Sprintf("%s (%s)", e.Name, a)
}

func fate(p *Pkt) string {
	where := ""
	if p.At != nil {
		where = p.At.Label()
	}
	switch p.Outcome {
	case "delivered":
		return "delivered to " + where
	case "left":
		return "left for " + where
	case "dropped":
		return fmt.Sprintf("DROPPED at %s: %s", where, p.Code)
	case "unplaced":
		return fmt.Sprintf("NOT SENT: %s", p.Code)
	}
	return p.Outcome
}

func failureText(f *Reason) string {
	var b strings.Builder
	switch f.Code {
	case reach.CodeDestinationNotReached:
		b.WriteString("arrived somewhere else")
	case reach.CodeReturnWrongPath:
		b.WriteString("came back somewhere else")
	default:
		b.WriteString("was dropped")
	}
	if f.Component != nil {
		fmt.Fprintf(&b, " at %s", f.Component.Describe())
	}
	return b.String()
}

// text gathers an answer's text, written at once when it is complete.
type text struct{ bytes.Buffer }

func (t *text) printf(format string, args ...any) { fmt.Fprintf(&t.Buffer, format, args...) }

func (t *text) flush(w io.Writer) error {
	_, err := w.Write(t.Bytes())
	return err
}
