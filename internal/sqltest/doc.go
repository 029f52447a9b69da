// Package sqltest runs the SQL that `vpcsim export allowed` writes on
// DuckDB and checks that it classifies flow-log records as verify-logs
// does, record for record. It is a module of its own: DuckDB's Go driver
// needs cgo, and vpcsim builds without it. .ci/run runs its test.
package sqltest
