#!/bin/bash
# CPU time per operation of one Go benchmark, for a shared machine where
# wall-clock ns/op measures the run queue: the benchmark runs a fixed number
# of iterations under /usr/bin/time (user + system time), minus a run of one
# iteration (the setup), divided by the iterations.
#
#   docs/cpubench.sh ./packet 'BenchmarkWalk/conntrack\+nat$' 3000000
set -euo pipefail
pkg=$1 bench=$2 n=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go test -c -o "$tmp/b.test" "$pkg"
cd "$pkg"
cpu() { /usr/bin/time -f "%U %S" "$tmp/b.test" -test.run '^$' -test.bench "$bench" -test.benchtime "$1x" -test.count 1 2>&1 >"$tmp/out" | tail -1; }
full=$(cpu "$n")
wall=$(awk '/ns\/op/ {print $3; exit}' "$tmp/out")
base=$(cpu 1)
awk -v f="$full" -v b="$base" -v n="$n" -v w="$wall" -v name="$bench" 'BEGIN {
	split(f, x, " "); split(b, y, " "); c = (x[1] + x[2] - y[1] - y[2]) / n
	printf "%-50s cpu %8.1f ns/op (%6.2f M/s)  wall %s ns/op\n", name, c * 1e9, 1 / c / 1e6, w }'
