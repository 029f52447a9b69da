package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/vpcsim/vpcsim/hcl"
	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/packet"
	"github.com/vpcsim/vpcsim/packet/flowlog"
	"github.com/vpcsim/vpcsim/packet/render"
	"github.com/vpcsim/vpcsim/packet/scenario"
	"github.com/vpcsim/vpcsim/packet/sim"
)

type simulateOptions struct {
	input     inputFlags
	scenario  string
	logs      string
	seed      uint64
	flowLogs  []string
	logFormat string
	interval  time.Duration
	noData    bool
	maxFlows  int
	capture   bool
	flowLogID string
	hourly    bool
	print     bool
	output    *outputFlags
}

func newSimulateCmd(s *streams) *cobra.Command {
	opts := &simulateOptions{}
	cmd := &cobra.Command{
		Use:   "simulate --logs DIR [--scenario FILE]",
		Short: "Generate realistic traffic over simulated time and write its flow logs and capture",
		Long: `Simulate runs a traffic scenario through the network over simulated time: the
scenario's clients open sessions to its targets at their rates (TCP connections
with handshake and teardown, UDP exchanges, pings) and its scans probe port
after port, every packet walked through the network by the packet walker, with
connection tracking and NAT. It writes the VPC Flow Logs AWS would write for
them (--flow-logs, --log-format, --interval) and, with --pcap, a capture of every
packet as its sender sent it, into the folder --logs names (verify-logs --logs
reads it back). Files are written under temporary names and renamed into place
when complete. The summary (text or json) goes to standard output, or to -o.

The scenario is an HCL file (docs/scenario.md). Without --scenario, simulate
derives one from the network: internet clients to every service the network
exposes, each tier to the tiers its security groups let in, and port scans the
network should refuse; --print-scenario prints it, to start your own from.

The same network, scenario and --seed give the same files, byte for byte.

Flow-log outputs (--flow-logs, comma-separated): text (flowlogs.log, with the
header line), gzip (flowlogs.log.gz), s3 and s3-hive (gzipped text in S3's
folders and file names), s3-parquet, parquet (flowlogs.parquet), jsonl
(flowlogs.jsonl), cloudwatch (one stream per interface), none.

Progress goes to stderr: a bar on a terminal, one line a phase otherwise.

Exit status: 0 when the simulation ran and its files are written, 1 on an
error, 2 on a usage error.`,
		Example: `  # Ten minutes of the embedded example's own traffic
  vpcsim simulate --logs sim

  # A scenario of your own, flow logs as S3 would deliver them, and a capture
  vpcsim simulate --in terraform.tfstate --scenario shop.hcl --seed 7 --flow-logs s3,parquet --pcap --logs sim

  # Version 5 fields, one-minute aggregation
  vpcsim simulate --in . --logs sim --interval 1m \
    --log-format '${version} ${interface-id} ${srcaddr} ${dstaddr} ${action} ${flow-direction} ${traffic-path}'

  # Start a scenario from the network's own
  vpcsim simulate --in . --print-scenario > scenario.hcl`,
	}
	opts.input.register(cmd, true)
	f := cmd.Flags()
	f.StringVar(&opts.scenario, "scenario", "", "read the traffic scenario from `FILE` (HCL, docs/scenario.md); without it, one derived from the network")
	f.StringVar(&opts.logs, "logs", "", "write the flow logs and the capture into the folder `DIR` (required; verify-logs --logs reads it)")
	f.Uint64Var(&opts.seed, "seed", 0, "seed: the same network, scenario and seed give the same files (default: the scenario's, else 1)")
	f.StringSliceVar(&opts.flowLogs, "flow-logs", []string{sim.FlowText}, "flow-log outputs: "+strings.Join(sim.FlowOutputs, ", "))
	f.StringVar(&opts.logFormat, "log-format", "", "flow-log record `FORMAT`, as AWS's --log-format takes it ('${version} ${srcaddr} …'); default: version 2's")
	f.DurationVar(&opts.interval, "interval", flowlog.Interval10m, "aggregation interval: 1m or 10m")
	f.BoolVar(&opts.noData, "nodata", false, "write a NODATA record for each interval in which an interface saw no packet, as AWS does, from the first interval with traffic to the last")
	f.IntVar(&opts.maxFlows, "max-flows", 0, "keep at most `N` records per interface and interval, and mark the interval SKIPDATA, as AWS does past its capacity (0: no limit)")
	f.BoolVar(&opts.capture, "pcap", false, "also write "+sim.CaptureName+": every packet as its sender sent it")
	f.StringVar(&opts.flowLogID, "flow-log-id", "fl-0123456789abcdef0", "the flow log's `ID` in S3 file names")
	f.BoolVar(&opts.hourly, "hourly", false, "S3 outputs: partition folders by hour")
	f.BoolVar(&opts.print, "print-scenario", false, "print the scenario (the one given, or the one derived) as HCL and stop")
	opts.output = addOutputFlags(cmd, "simulate", "text", "json")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		opts.input.args = args
		if opts.logs == "" && !opts.print {
			return usageErrorf("simulate needs --logs DIR (or --print-scenario)")
		}
		if err := opts.output.check(); err != nil {
			return err
		}
		if opts.interval != flowlog.Interval1m && opts.interval != flowlog.Interval10m {
			return usageErrorf("--interval: AWS aggregates over 1m or 10m, not %v", opts.interval)
		}
		if opts.maxFlows < 0 {
			return usageErrorf("--max-flows: %d is negative", opts.maxFlows)
		}
		for _, n := range opts.flowLogs {
			if !contains(sim.FlowOutputs, n) {
				return usageErrorf("--flow-logs: unknown output %q: want %s", n, strings.Join(sim.FlowOutputs, ", "))
			}
		}
		return runSimulate(s, opts, cmd.Flags().Changed("seed"))
	}
	return cmd
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

func runSimulate(s *streams, opts *simulateOptions, seedGiven bool) error {
	format := flowlog.DefaultFormat
	if opts.logFormat != "" {
		var err error
		if format, err = flowlog.ParseFormat(opts.logFormat); err != nil {
			return usageErrorf("--log-format: %v", err)
		}
	}
	if sets, err := opts.input.inputSets(); err != nil {
		return err
	} else if len(sets) > 1 {
		return usageErrorf("simulate runs one network: name one root module, not %d (--recursive)", len(sets))
	}
	ph := newPhases(s.err)
	ph.say("loading the network")
	return opts.input.eachNetwork(s, func(l *loaded) error { return simulateNetwork(s, opts, seedGiven, format, ph, l) })
}

// simulateNetwork runs the scenario through one network.
func simulateNetwork(s *streams, opts *simulateOptions, seedGiven bool, format flowlog.Format, ph *phases, l *loaded) error {
	in, e := l.in, l.eng
	var sc *scenario.Scenario
	var err error
	name := "derived from " + in.Path
	if opts.scenario != "" {
		src, err := os.ReadFile(opts.scenario)
		if err != nil {
			return fmt.Errorf("--scenario: %w", err)
		}
		var ds model.Diagnostics
		sc, ds = scenario.Parse(opts.scenario, src)
		if len(ds) > 0 {
			if err := hcl.WriteDiagnostics(s.err, ds); err != nil {
				return err
			}
			return silentError{fmt.Errorf("%s: %d errors", opts.scenario, len(ds))}
		}
		name = opts.scenario
	} else {
		ph.say("deriving a scenario from the network")
		if sc, err = scenario.Default(e); err != nil {
			return err
		}
	}
	if opts.print {
		_, err := s.out.Write(sc.HCL("vpcsim traffic scenario " + name))
		return err
	}
	seed := uint64(1)
	switch {
	case seedGiven:
		seed = opts.seed
	case sc.HasSeed:
		seed = sc.Seed
	}
	n := e.Network()
	out, err := sim.OpenOutputs(sim.OutputOptions{Dir: opts.logs, FlowLogs: opts.flowLogs, Format: format,
		Config: flowlog.Config{Interval: opts.interval, NoData: opts.noData, MaxFlows: opts.maxFlows}, Interfaces: packet.FlowLogInterfaces(e), Capture: opts.capture,
		AccountID: orDefault(n.AccountID, "123456789012"), Region: orDefault(n.Region, "us-east-1"), FlowLogID: opts.flowLogID, Hourly: opts.hourly})
	if err != nil {
		return err
	}
	ph.say("simulating %s of traffic", sc.Duration)
	start := time.Now()
	st, err := sim.Run(e, sc, sim.Options{Seed: seed, Recorder: out.Recorder(), Sent: out.Sent(), Progress: ph.progress})
	ph.done()
	if err != nil {
		out.Abort()
		return fmt.Errorf("simulate: %w", err)
	}
	ph.say("writing %s", opts.logs)
	files, err := out.Close()
	if err != nil {
		return err
	}
	res := &render.Simulation{Scenario: name, Seed: seed, Start: sc.Start, Duration: sc.Duration.String(), Stats: st, Records: out.Records, Files: files, Elapsed: time.Since(start)}
	return opts.output.write(s, l.part, func(w io.Writer, format string) error {
		if format == "json" {
			return render.WriteSimulationJSON(w, res)
		}
		return render.WriteSimulationText(w, res)
	})
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// phases report a long run on stderr: a progress bar over simulated time
// on a terminal, one line a phase otherwise.
type phases struct {
	w     io.Writer
	tty   bool
	bar   *progressbar.ProgressBar
	start time.Time
}

func newPhases(w io.Writer) *phases {
	p := &phases{w: w, start: time.Now()}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	return p
}

func (p *phases) say(format string, args ...any) {
	fmt.Fprintf(p.w, "vpcsim: [%5.1fs] %s\n", time.Since(p.start).Seconds(), fmt.Sprintf(format, args...))
}

// progress follows simulated time: the bar on a terminal, nothing more
// otherwise (the phase lines say enough in a log).
func (p *phases) progress(done, total time.Duration) {
	if !p.tty {
		return
	}
	if p.bar == nil {
		p.bar = progressbar.NewOptions64(int64(total/time.Second), progressbar.OptionSetWriter(p.w), progressbar.OptionSetDescription("simulated seconds"),
			progressbar.OptionShowCount(), progressbar.OptionSetWidth(30), progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
	}
	_ = p.bar.Set64(int64(done / time.Second))
}

func (p *phases) done() {
	if p.bar != nil {
		_ = p.bar.Finish()
		p.bar = nil
	}
}
