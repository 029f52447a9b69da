package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vpcsim/vpcsim/packet"
	"github.com/vpcsim/vpcsim/packet/render"
	"github.com/vpcsim/vpcsim/reach"
)

type walkOptions struct {
	input    inputFlags
	flow     flowFlags
	pcap     string
	pcapOut  string
	at       string
	teardown string
	output   *outputFlags
}

func newWalkCmd(s *streams) *cobra.Command {
	opts := &walkOptions{}
	cmd := &cobra.Command{
		Use:   "walk (--from SRC --to DST --protocol P [--port N] | --pcap FILE [--at POINT]) [--pcap-out FILE]",
		Short: "Push real packets through the network, with connection tracking and NAT",
		Long: `Walk sends real packets through the network hop by hop, the way AWS would carry
them: security groups with connection tracking (replies of a tracked connection
pass whatever the rules say), network ACLs on every packet, routes, internet
gateways' one-to-one translation, NAT gateways' source translation and session
table (a reply that matches no session dies), peering, transit gateways and
endpoints. Every decision comes from the same rules trace uses; each packet ends
delivered, left the network, or dropped with trace's explanation code and rule.

With --from, --to and --protocol (the same flags as trace), walk builds the
packets of one conversation between the two ends — a TCP connection (handshake,
request, response, FIN or RST teardown), a UDP exchange, or a ping — and prints
each packet's fate. The client's source port is --src-port, else 49152.

With --pcap, walk replays a capture (pcap or pcapng, gzipped or not). --at says
where it was taken: "auto" (the default: every packet sets off from the element
owning its source address), "internet", a network interface (instance,
interface, NAT gateway or endpoint) or a subnet. A packet that answers one sent
from there is walked back as the reply it is.

--pcap-out writes every packet walked as its sender sent it (pcap; pcapng when the
name ends .pcapng): a capture tcpdump and Wireshark read, which replays through
walk to the same fates.

Exit status: 0 when the conversation completes (every packet of a capture
arrives), 3 when it does not, 1 on an error, 2 on a usage error.`,
		Example: `  # A TCP connection from the internet to the web server
  vpcsim walk --in terraform.tfstate --from internet --to aws_instance.web --protocol tcp --port 443

  # Ping the bastion from an on-premises host, as JSON
  vpcsim walk --in plan.json --from 192.168.1.10 --to aws_instance.bastion --protocol icmp --format json

  # Replay a capture taken on an instance, writing what was sent
  vpcsim walk --in . --pcap web.pcap --at aws_instance.web --pcap-out walked.pcap`,
	}
	opts.input.register(cmd, true)
	opts.flow.register(cmd, false)
	f := cmd.Flags()
	f.StringVar(&opts.pcap, "pcap", "", "replay the capture in `FILE` (pcap or pcapng, gzipped or not; - for standard input)")
	f.StringVar(&opts.at, "at", "auto", "where the capture was taken: auto, internet, a network interface or a subnet (with --pcap)")
	f.StringVar(&opts.pcapOut, "pcap-out", "", "write the packets walked, as their senders sent them, to `FILE` (pcap, or pcapng for .pcapng)")
	f.StringVar(&opts.teardown, "teardown", "fin", "how the TCP conversation ends: fin or rst")
	opts.output = addOutputFlags(cmd, "walk", "text", "json")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		opts.input.args = args
		switch {
		case opts.pcap == "" && !opts.flow.set(cmd):
			return usageErrorf("walk needs --from, --to and --protocol, or --pcap")
		case opts.pcap != "" && opts.flow.set(cmd):
			return usageErrorf("--pcap replays a capture; --from, --to and --protocol build a conversation: give one or the other")
		case opts.pcap == "" && (opts.flow.from == "" || opts.flow.to == "" || opts.flow.protocol == ""):
			return usageErrorf("a conversation needs --from, --to and --protocol")
		case opts.pcap == "" && cmd.Flags().Changed("at"):
			return usageErrorf("--at applies to --pcap")
		case opts.teardown != "fin" && opts.teardown != "rst":
			return usageErrorf("--teardown: %q is not fin or rst", opts.teardown)
		}
		return runWalk(s, opts)
	}
	return cmd
}

func runWalk(s *streams, opts *walkOptions) error {
	if err := opts.output.check(); err != nil {
		return err
	}
	// -o (and its alias --out, which walk once used for the capture) takes
	// the answer as text or JSON: a capture's name there would get text.
	if ext := strings.ToLower(filepath.Ext(opts.output.path)); ext == ".pcap" || ext == ".pcapng" {
		return usageErrorf("-o %s writes walk's answer as %s, not packets: write the capture with --pcap-out %s", opts.output.path, opts.output.format, opts.output.path)
	}
	var q reach.Query
	if opts.pcap == "" {
		var err error
		if q, err = opts.flow.query(); err != nil {
			return err
		}
	}
	return opts.input.eachNetwork(s, func(l *loaded) error { return walkNetwork(s, opts, q, l) })
}

// walkNetwork walks the conversation or the capture through one network.
func walkNetwork(s *streams, opts *walkOptions, q reach.Query, l *loaded) error {
	e := l.eng
	r := packet.NewReplayer(packet.NewWalker(e, nil, packet.DefaultTimeouts), packet.Vantage{})
	var out *packet.CaptureFile
	var err error
	if opts.pcapOut != "" {
		if out, err = packet.CreateCapture(opts.pcapOut); err != nil {
			return err
		}
		defer out.Abort()
		r.OnSend = out.Write
	}
	res := &render.Walk{}
	if opts.pcap == "" {
		conv, start, client, server, err := packet.ConversationFor(e, q)
		if err != nil {
			return fmt.Errorf("walk: %w", err)
		}
		if server.Kind == reach.EndpointInterface {
			// A target clients reach only through a load balancer is
			// talked to through its listener.
			leg, ok, err := packet.ViaLoadBalancer(e, q)
			if err != nil {
				return fmt.Errorf("walk: %w", err)
			}
			if ok {
				target := server.Name
				if conv, start, client, server, err = packet.ConversationVia(e, q, leg); err != nil {
					return fmt.Errorf("walk: %w", err)
				}
				res.Via, res.Target = &leg.LoadBalancing, target
			}
		}
		if opts.teardown == "rst" {
			conv.Teardown = packet.CloseRST
		}
		pkts, err := conv.Packets(packet.NewSimClock(time.Unix(1700000000, 0)))
		if err != nil {
			return fmt.Errorf("walk: %w", err)
		}
		x := packet.Converse(r, start, pkts, client, server)
		res.Mode = "conversation"
		res.Client = &render.End{Name: client.Name, Address: conv.Client, Port: conv.ClientPort}
		res.Server = &render.End{Name: server.Name, Address: conv.Server, Port: conv.ServerPort}
		res.Conversation(&x)
	} else {
		v, err := packet.ParseVantage(e, opts.at)
		if err != nil {
			return usageErrorf("%v", err)
		}
		r = packet.NewReplayer(r.Walker(), v)
		if out != nil {
			r.OnSend = out.Write
		}
		res.Mode, res.Capture, res.Vantage = "capture", opts.pcap, v.String()
		if err := replay(s, opts.pcap, r, res); err != nil {
			return err
		}
	}
	if out != nil {
		if err := out.Commit(); err != nil {
			return err
		}
	}
	err = opts.output.write(s, l.part, func(w io.Writer, format string) error {
		if format == "json" {
			return render.WriteWalkJSON(w, res)
		}
		return render.WriteWalkText(w, res)
	})
	if err != nil {
		return err
	}
	arrived := res.Summary.Delivered+res.Summary.Left == res.Summary.Packets && res.Summary.Packets > 0
	if res.Complete != nil && !*res.Complete || res.Complete == nil && !arrived {
		return errViolation
	}
	return nil
}

// replay walks every packet of a capture.
func replay(s *streams, path string, r *packet.Replayer, res *render.Walk) error {
	var in io.Reader
	if path == "-" {
		in = s.in
	} else {
		f, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("walk: %w", err)
		}
		defer f.Close()
		in = f
	}
	cr, err := packet.NewReader(bufio.NewReader(in))
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	d := packet.NewDecoder()
	for n := 1; ; n++ {
		data, ci, err := cr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: packet %d: %w", path, n, err)
		}
		var h packet.Header
		if err := d.Decode(data, cr.LinkType(), &h); err != nil {
			return fmt.Errorf("%s: packet %d: %w", path, n, err)
		}
		captured := h
		f := r.Send(&h, ci.Timestamp)
		dir := "request"
		if f.Reply {
			dir = "reply"
		}
		res.Add(ci.Timestamp, dir, &captured, &h, &f)
	}
}
