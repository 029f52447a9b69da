// Package verify holds real VPC Flow Logs against a model: every record
// is classified by what the model decides at the record's interface, in
// its direction, for its packets (reach.Engine.CheckRecord: the filters the
// walks cross, stateful security groups, stateless network ACLs), and the
// records are summed up per interface, security group and rule, with the
// rules no logged traffic used.
//
// It also exports what the model allows as range rows (AllowedRows,
// WriteAllowedParquet) with the SQL that classifies a flow-log table the
// same way on Athena, Trino or Spark (SQL), for logs too large for one
// machine.
//
// docs/verify.md states the classification, its rule for replies and its
// limits; docs/scale.md how to run the SQL.
package verify
