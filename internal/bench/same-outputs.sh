#!/bin/sh
# same-outputs.sh OLD NEW [DIR]
#
# Checks that two vpcsim binaries write byte-identical answers: the exposure
# report (JSON, text, SARIF), matrices (every grouping, with the internet row,
# every format), graphs, reports from other sources, the checks and the plan
# gate, on the three examples, the plan pre-check cases
# and on generated estates of about 2,000 and 20,000 interfaces (written by
# NEW's gen into DIR, default a temporary folder). A speed-up is only kept
# when this prints "same" for every command. Set SIZES="2k" to skip the 20k
# estate. OLD's outputs are kept in DIR, by OLD's checksum, and reused.
set -eu
old=$1 new=$2
dir=${3:-$(mktemp -d)}
sizes=${SIZES:-"2k 20k"}
here=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$dir"

inputs=""
for ex in three-tier hub-spoke peering-endpoints; do
	inputs="$inputs $here/examples/$ex/terraform.tfstate $here/examples/$ex"
done
for s in $sizes; do
	f=$dir/estate-$s.tfstate
	if [ ! -s "$f" ]; then
		case $s in
		2k) "$new" gen --vpcs 20 --tgw-hubs 2 --peerings 10 --out "$f" >/dev/null ;;
		20k) "$new" gen --out "$f" >/dev/null ;;
		100k) "$new" gen --vpcs 1000 --tgw-hubs 10 --peerings 200 --out "$f" >/dev/null ;;
		esac
	fi
	inputs="$inputs $f"
done

fail=0
cache=$dir/old-$(sha256sum <"$old" | cut -c1-16)
mkdir -p "$cache"
run() { # run ARGS...: both binaries with ARGS, outputs and exit codes compared
	o=$cache/$(echo "$*" | sha256sum | cut -c1-16) n=$dir/new.out
	if [ ! -f "$o.code" ]; then
		oc=0
		"$old" "$@" >"$o" 2>"$o.err" || oc=$?
		echo $oc >"$o.code"
	fi
	oc=$(cat "$o.code") nc=0
	"$new" "$@" >"$n" 2>"$n.err" || nc=$?
	if [ $oc -ne $nc ] || ! cmp -s "$o" "$n" || ! cmp -s "$o.err" "$n.err"; then
		echo "DIFFERENT ($oc/$nc): $*"
		fail=1
	else
		echo "same ($(wc -c <"$n") bytes, exit $nc): $*" | sed "s|$here/||g"
	fi
}
check() { # check INPUT ARGS...
	in=$1
	shift
	run "$@" --in "$in"
}

for in in $inputs; do
	check "$in" report --format json
	check "$in" report --format text
	check "$in" matrix
	check "$in" matrix --format csv
	check "$in" matrix --by vpc --format json --internet
	case $in in
	*estate-20k* | *estate-100k*) continue ;; # the old binary may take minutes a command
	esac
	check "$in" report --format sarif
	check "$in" report --format markdown
	check "$in" report --format html
	check "$in" report --ephemeral 32768-60999 --format json
	check "$in" report --from on-premises --format json
	check "$in" report --from 10.0.0.0/8 --format json
	check "$in" report --from 10.1.0.0/16 --format json
	check "$in" report --from 'module.vpc["net-0001"].aws_subnet.app[0]' --format json
	check "$in" matrix --format json --internet
	check "$in" matrix --by security-group --format csv
	check "$in" matrix --by vpc --format text --internet
	check "$in" matrix --by tag:Tier --format csv
	check "$in" matrix --by subnet --ephemeral 32768-60999 --format csv
	check "$in" graph --format dot
	check "$in" graph --format mermaid
	check "$in" check
	check "$in" check --format json
done
# The plan gate on the plan pre-check cases, and on a one-rule change of the
# generated estates (SSH opened to the world in one group).
for plan in "$here"/examples/plancheck/*/plan.json; do
	run plan-check "$plan" --format json
	run diff "$plan" --format text
done
for s in $sizes; do
	f=$dir/estate-$s.tfstate a=$dir/estate-$s-after.tfstate
	if [ ! -s "$a" ]; then
		awk '/"egress": \[/ { in_ingress = 0 }
			/"ingress": \[/ { in_ingress = 1 }
			!done && in_ingress && sub(/"cidr_blocks": \[/, "\"cidr_blocks\": [\"0.0.0.0/0\", ") { done = 1 }
			{ print }' "$f" >"$a.tmp" && mv "$a.tmp" "$a"
	fi
	run plan-check --before "$f" --after "$a" --format json
	run check "$f" --format json
done
exit $fail
