package main

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/vpcsim/vpcsim/packet/flowlog"
	"github.com/vpcsim/vpcsim/packet/flowlog/verify"
)

func newExportCmd(s *streams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Export what the model allows, for engines that hold flow logs against it at scale",
		Long: `Export writes what the model allows in forms other engines read: the exact
allowed header sets of every interface as range rows (export allowed), and the
SQL that joins them with a flow-log table in AWS's own S3 layout and classifies
every record as verify-logs does (export sql). docs/scale.md explains how to run
them on Athena and on Spark.`,
		Example: `  vpcsim export allowed --in terraform.tfstate --out allowed.parquet
  vpcsim export sql --format athena --allowed-location s3://my-bucket/vpcsim/allowed/ > classify.sql`,
	}
	cmd.AddCommand(newExportAllowedCmd(s), newExportSQLCmd(s))
	return cmd
}

type exportAllowedOptions struct {
	input  inputFlags
	out    string
	format *formatFlag
}

func newExportAllowedCmd(s *streams) *cobra.Command {
	opts := &exportAllowedOptions{}
	cmd := &cobra.Command{
		Use:   "allowed --out FILE",
		Short: "Write the model's allowed header sets per interface as range rows",
		Long: `Allowed writes, for every interface flow logs can name and both directions,
what decides its packets as range rows: the boxes of headers (source and
destination address ranges, protocol range, port ranges) each security group
rule admits, those no rule admits, the network ACL rule that decides each box,
the boxes that cross no ACL, and the interface's own addresses. The rows are
exact: a record's classification by them is verify-logs'. docs/scale.md
documents the columns.

Parquet (Snappy-compressed, for Athena, Trino, Spark or DuckDB) or CSV.`,
		Example: `  vpcsim export allowed --in terraform.tfstate --out allowed.parquet
  aws s3 cp allowed.parquet s3://my-bucket/vpcsim/allowed/`,
	}
	opts.input.register(cmd, true)
	cmd.Flags().StringVarP(&opts.out, "out", "o", "", "write to `FILE` (written whole, then renamed into place); - for standard output")
	opts.format = addFormatFlag(cmd, "parquet", "csv")
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		opts.input.args = args
		if opts.out == "" {
			return usageErrorf("name the output file with --out (- for standard output)")
		}
		return opts.input.eachNetwork(s, func(l *loaded) error {
			return writeOut(s, opts.out, func(w io.Writer) error {
				if opts.format.value == "csv" {
					return writeAllowedCSV(w, l)
				}
				n, err := verify.WriteAllowedParquet(w, l.eng)
				if err == nil {
					fmt.Fprintf(s.err, "vpcsim: %d rows\n", n)
				}
				return err
			})
		})
	}
	return cmd
}

func writeAllowedCSV(w io.Writer, l *loaded) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"iface_key", "interface", "direction", "filter", "action", "rule_id", "rule", "owner", "where",
		"src_lo", "src_hi", "dst_lo", "dst_hi", "proto_lo", "proto_hi", "sport_lo", "sport_hi", "dport_lo", "dport_hi"})
	i := func(n int32) string { return strconv.Itoa(int(n)) }
	err := verify.AllowedRows(l.eng, func(r *verify.Row) error {
		return cw.Write([]string{r.IfaceKey, r.Interface, r.Direction, r.Filter, r.Action, i(r.RuleID), r.Rule, r.Owner, r.Where,
			r.SrcLo, r.SrcHi, r.DstLo, r.DstHi, i(r.ProtoLo), i(r.ProtoHi), i(r.SportLo), i(r.SportHi), i(r.DportLo), i(r.DportHi)})
	})
	cw.Flush()
	if err != nil {
		return err
	}
	return cw.Error()
}

// writeOut writes what write writes to path atomically (a temporary file
// renamed into place), or to standard output for "-".
func writeOut(s *streams, path string, write func(io.Writer) error) error {
	if path == "-" {
		bw := bufio.NewWriter(s.out)
		if err := write(bw); err != nil {
			return err
		}
		return bw.Flush()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriterSize(tmp, 1<<20)
	if err := write(bw); err != nil {
		tmp.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

type exportSQLOptions struct {
	dialect   *formatFlag
	logs      string
	allowed   string
	location  string
	logFormat string
	ephemeral *ephemeralFlag
}

func newExportSQLCmd(s *streams) *cobra.Command {
	opts := &exportSQLOptions{}
	cmd := &cobra.Command{
		Use:   "sql --format athena|spark|duckdb",
		Short: "Write the SQL that classifies a flow-log table with the allowed rows",
		Long: `SQL writes the query that joins a flow-log table (AWS's columns: the fields'
names with underscores) with the rows of 'export allowed' and returns every
record with vpcsim_class, vpcsim_cause and vpcsim_direction, classified as
verify-logs classifies it, except that interfaces are found by ID only (a
model from a configuration or plan, whose interface IDs are unknown, needs the
state's rows). With --allowed-location it first creates the table of allowed
rows over the Parquet export. docs/scale.md runs it on Athena and on Spark.`,
		Example: `  vpcsim export sql --format athena --logs-table vpc_flow_logs --allowed-location s3://my-bucket/vpcsim/allowed/ > classify.sql
  vpcsim export sql --format duckdb --logs-table "read_parquet('logs/**/*.parquet')" --allowed-table "read_parquet('allowed.parquet')"`,
		Args: cobra.NoArgs,
	}
	f := cmd.Flags()
	f.StringVar(&opts.logs, "logs-table", "vpc_flow_logs", "the flow-log `TABLE`")
	f.StringVar(&opts.allowed, "allowed-table", "vpcsim_allowed", "the `TABLE` of allowed rows")
	f.StringVar(&opts.location, "allowed-location", "", "create the allowed table over the Parquet export at `LOCATION` (athena, spark)")
	f.StringVar(&opts.logFormat, "log-format", "", "the flow-log table's fields, as AWS's --log-format; fields it lacks read as null (default: every field of versions 2 to 5)")
	opts.ephemeral = addEphemeralFlag(cmd)
	opts.dialect = addFormatFlag(cmd, verify.Dialects...)
	cmd.RunE = func(_ *cobra.Command, _ []string) error {
		var format flowlog.Format
		if opts.logFormat != "" {
			f, err := flowlog.ParseFormat(opts.logFormat)
			if err != nil {
				return usageErrorf("--log-format: %v", err)
			}
			format = f
		}
		q, err := verify.SQL(verify.SQLOptions{Dialect: opts.dialect.value, Logs: opts.logs, Allowed: opts.allowed, AllowedLocation: opts.location,
			Format: format, Ephemeral: opts.ephemeral.value})
		if err != nil {
			return usageError{err}
		}
		_, err = io.WriteString(s.out, q)
		return err
	}
	return cmd
}
