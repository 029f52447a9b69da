// Package flowlog is vpcsim's model of AWS VPC Flow Logs: the record with
// every documented field (versions 2 to 5, and the later ECS and
// reject-reason fields vpcsim reads and writes as "-"), the default and
// custom formats, the aggregation of packets into records per interface,
// direction, 5-tuple and action over an aggregation interval, and writers and
// readers for what AWS delivers: text with a header line (gzipped, in S3's
// folder layout and file names, plain or Hive-compatible), Parquet with AWS's
// column names and types, JSON lines, and CloudWatch-style streams, one per
// interface.
//
// docs/flowlogs.md cites AWS's documentation for each rule implemented
// here.
package flowlog
