package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/vpcsim/vpcsim/packet/flowlog"
	"github.com/vpcsim/vpcsim/packet/flowlog/verify"
	"github.com/vpcsim/vpcsim/report"
)

type verifyLogsOptions struct {
	input     inputFlags
	logs      []string
	logFormat string
	records   string
	ephemeral *ephemeralFlag
	format    *formatFlag
}

func newVerifyLogsCmd(s *streams) *cobra.Command {
	opts := &verifyLogsOptions{}
	cmd := &cobra.Command{
		Use:   "verify-logs --logs FILES|DIR",
		Short: "Hold real VPC Flow Logs against the model",
		Long: `Verify-logs reads VPC Flow Logs as AWS delivers them and holds every record
against the model: what the model decides at the record's interface, in its
direction, for its packets (security groups stateful, network ACLs stateless
and only across the subnet's boundary).

It reads text logs (with their header line, gzipped or not, in the default or a
custom format of versions 2 to 8), Parquet, S3 delivery's folders (plain or
Hive-compatible, each file's folders checked against its name) and what
CloudWatch Logs lets out (export task objects, get-log-events and
filter-log-events JSON, subscription payloads). Folders are walked. Memory does
not grow with the number of records.

A record is consistent when the model decides its packets as AWS did. The
others: ACCEPT where the model denies (drift, or a path the model lacks: the
rule that should have stopped it is named), REJECT where the model allows (a
security group or network ACL changed outside Terraform, or the reply of an
admitted connection to a client port outside the assumed ephemeral range), and
interfaces the logs name that the model lacks. Replies pass stateful security
groups: a record is taken for a reply when its TCP flags say so (SYN-ACK), or,
without flags, when its source port is the lower one; docs/verify.md states
the rule and its limits.

The answer sums up the records per interface, security group and rule, lists
the rules no logged traffic used (least-privilege candidates, with the traffic
each would admit) and the flows the used rules carried.

Exit status: 0 when every record is consistent, 3 when some disagree with the
model, 1 on an error, 2 on a usage error.`,
		Example: `  # An S3 bucket's flow logs, synced to a folder, against the state
  aws s3 sync s3://my-flow-logs/AWSLogs/ logs/AWSLogs/
  vpcsim verify-logs --in terraform.tfstate --logs logs/

  # A CloudWatch Logs export, in a custom format, as JSON
  vpcsim verify-logs --in . --logs export/ --log-format '${version} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${action} ${log-status} ${flow-direction}' --format json

  # Every inconsistent record, for a spreadsheet
  vpcsim verify-logs --in plan.json --logs flows.log.gz --records inconsistent.csv`,
	}
	opts.input.register(cmd, true)
	f := cmd.Flags()
	f.StringArrayVar(&opts.logs, "logs", nil, "read flow logs from `PATH`: a file, or a folder walked for them (S3 delivery's layout, CloudWatch exports, Parquet, text); repeat it for several")
	f.StringVar(&opts.logFormat, "log-format", "", "the `FORMAT` of records without a header line (CloudWatch Logs, headerless text), as AWS's --log-format takes it: '${version} ${srcaddr} ...'; default AWS's default format")
	f.StringVar(&opts.records, "records", "", "also write every inconsistent record to `FILE` as CSV: file, record number, class, cause, interface, direction, action, the record as logged")
	opts.ephemeral = addEphemeralFlag(cmd)
	opts.format = addFormatFlag(cmd, report.VerifyFormats...)
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		opts.input.args = args
		return runVerifyLogs(s, opts)
	}
	return cmd
}

func runVerifyLogs(s *streams, opts *verifyLogsOptions) error {
	if len(opts.logs) == 0 {
		return usageErrorf("name the flow logs to verify with --logs")
	}
	var format flowlog.Format
	if opts.logFormat != "" {
		f, err := flowlog.ParseFormat(opts.logFormat)
		if err != nil {
			return usageErrorf("--log-format: %v", err)
		}
		format = f
	}
	sources, skipped, err := verify.Find(opts.logs)
	if err != nil {
		return err
	}
	for _, p := range skipped {
		fmt.Fprintf(s.err, "vpcsim: %s: skipped: not named like a flow log (.log, .gz, .txt, .json, .jsonl, .parquet)\n", p)
	}
	return opts.input.eachNetwork(s, func(l *loaded) error {
		bar := newProgressBar(s.err)
		vo := verify.Options{Format: format, Ephemeral: opts.ephemeral.value, Progress: bar.update}
		var rw *csv.Writer
		var tmp *os.File
		if opts.records != "" {
			var err error
			if tmp, err = os.CreateTemp(filepath.Dir(opts.records), "."+filepath.Base(opts.records)+".*"); err != nil {
				return err
			}
			defer os.Remove(tmp.Name())
			defer tmp.Close()
			rw = csv.NewWriter(tmp)
			rw.Write([]string{"file", "record", "class", "cause", "interface_id", "direction", "action", "record_text"})
			vo.Records = func(source string, n int, r *flowlog.Record, text []byte, v *verify.Verdict) error {
				if !v.Class.Inconsistent() {
					return nil
				}
				return rw.Write([]string{source, strconv.Itoa(n), v.Class.String(), v.Cause.String(), r.InterfaceID, dirText(v), r.Action.String(), string(text)})
			}
		}
		v := verify.New(l.eng, vo)
		if err := v.Run(sources); err != nil {
			bar.finish()
			return err
		}
		bar.finish()
		if rw != nil {
			rw.Flush()
			if err := rw.Error(); err != nil {
				return err
			}
			if err := tmp.Chmod(0o644); err != nil {
				return err
			}
			if err := tmp.Close(); err != nil {
				return err
			}
			if err := os.Rename(tmp.Name(), opts.records); err != nil {
				return err
			}
		}
		res := v.Result()
		if err := report.WriteVerify(s.out, res, opts.format.value, report.InputNotes(l.in.Diagnostics)...); err != nil {
			return err
		}
		if res.Inconsistent() {
			return errViolation
		}
		return nil
	})
}

func dirText(v *verify.Verdict) string {
	if v.Direction == 0 {
		return ""
	}
	return v.Direction.String()
}
