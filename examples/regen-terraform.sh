#!/usr/bin/env bash
# Regenerates, from scratch and with real Terraform, every fixture under
# examples/ that Terraform makes (the states of examples/<name>/ are made by
# examples/internal/estate instead, see examples/README.md):
#
#   examples/plancheck/base/terraform.tfstate   prior state of the plan pre-check cases
#   examples/plancheck/<case>/plan.json         terraform show -json of the case's plan
#   examples/plancheck/<case>/plan.txt          terraform show of the same plan
#   examples/web-platform/plan.json     the plan that creates that estate
#   examples/web-platform/terraform.tfstate
#   examples/web-platform/snapshot/     AWS CLI describe-* output for the same account
#
# Terraform cannot apply without AWS, so a state is made in rounds: plan
# (-refresh=false, offline), let examples/internal/fakeaws write what the apply
# of the creations it can resolve would have stored, plan again. The last plan
# of the unchanged configuration must say "No changes": that is Terraform
# itself accepting the state as what the configuration describes.
#
# Needs terraform 1.11.x, go and the hashicorp/aws provider 5.100.0. To run
# offline, point TF_PLUGIN_MIRROR at a filesystem mirror holding the provider
# (made with `terraform providers mirror DIR`); without it, terraform init
# downloads the provider from the registry. Nothing calls AWS: the
# configurations carry fake credentials and skip every AWS check.
#
# Deterministic: a rerun writes the same bytes, given the same Terraform and
# provider versions. Two things in Terraform's own output change from run to
# run: the plan's "timestamp", replaced by a fixed one (fixedTimestamp
# below), and the order of the plan's "relevant_attributes", sorted here.
# Nothing else of the plan JSON is touched: jq rewrites it byte for byte
# (checked before each rewrite).
#
# Usage: examples/regen-terraform.sh            (from anywhere in the repository)
set -euo pipefail

fixedTimestamp="2025-03-03T09:30:00Z"

repo=$(cd "$(dirname "$0")/.." && pwd)
examples="$repo/examples"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for tool in terraform go jq; do
  command -v "$tool" >/dev/null || { echo "regen-terraform: $tool is not installed" >&2; exit 1; }
done

export TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1
export TF_CLI_CONFIG_FILE="$work/cli.tfrc"
if [ -n "${TF_PLUGIN_MIRROR:-}" ]; then
  cat >"$TF_CLI_CONFIG_FILE" <<EOF
provider_installation {
  filesystem_mirror {
    path    = "$TF_PLUGIN_MIRROR"
    include = ["registry.terraform.io/*/*"]
  }
  direct {
    exclude = ["registry.terraform.io/*/*"]
  }
}
EOF
else
  : >"$TF_CLI_CONFIG_FILE"
fi
# One provider download (or mirror unpack) for every working folder.
export TF_PLUGIN_CACHE_DIR="$work/plugin-cache"
mkdir -p "$TF_PLUGIN_CACHE_DIR"

say() { echo "regen-terraform: $*" >&2; }

case "$(terraform version -json | jq -r .terraform_version)" in
  1.11.*) ;;
  *) say "want Terraform 1.11.x, have: $(terraform version | head -1)"; exit 1 ;;
esac

(cd "$repo" && go build -o "$work/fakeaws" ./examples/internal/fakeaws)

# workdir NAME SRC: a fresh working folder with SRC's .tf files (symbolic
# links followed), initialised. No lock file is kept: versions.tf pins the
# provider to one version, and a lock written from a mirror would hold the
# hashes of one platform only.
workdir() {
  local dir="$work/$1"
  mkdir -p "$dir"
  cp -L "$2"/*.tf "$dir/"
  (cd "$dir" && terraform init -no-color >"$dir/init.log" 2>&1) || { cat "$dir/init.log" >&2; exit 1; }
  echo "$dir"
}

# plan DIR NAME: terraform plan -refresh=false into DIR/NAME.plan, its JSON
# (timestamp fixed) into DIR/NAME.json and its text into DIR/NAME.txt.
# Returns terraform's -detailed-exitcode: 0 no changes, 2 changes.
plan() {
  local dir=$1 name=$2 rc=0
  (cd "$dir" && terraform plan -refresh=false -detailed-exitcode -no-color -out "$name.plan" >"$name.log" 2>&1) || rc=$?
  if [ "$rc" = 1 ]; then cat "$dir/$name.log" >&2; exit 1; fi
  (cd "$dir" && terraform show -json "$name.plan" >"$name.raw.json")
  jq -c . "$dir/$name.raw.json" | cmp -s - "$dir/$name.raw.json" ||
    { say "$dir/$name: jq does not rewrite the plan JSON byte for byte"; exit 1; }
  jq -c --arg ts "$fixedTimestamp" '.timestamp = $ts
    | if .relevant_attributes then .relevant_attributes |= sort_by(.resource, (.attribute | tostring)) else . end' \
    "$dir/$name.raw.json" >"$dir/$name.json"
  (cd "$dir" && terraform show -no-color "$name.plan" >"$name.txt")
  return "$rc"
}

# state DIR LINEAGE: plan and fill until the configuration in DIR has a
# state Terraform accepts: "No changes".
state() {
  local dir=$1 round=0 rc
  (cd "$dir" && terraform providers schema -json >schema.json)
  rm -f "$dir/terraform.tfstate"
  while :; do
    round=$((round + 1))
    if [ "$round" -gt 20 ]; then say "$dir: no fixed point after 20 rounds"; exit 1; fi
    rc=0; plan "$dir" "round$round" || rc=$?
    if [ "$rc" = 0 ]; then break; fi
    if [ "$round" = 1 ]; then cp "$dir/round1.json" "$dir/create.json"; fi
    "$work/fakeaws" apply -plan "$dir/round$round.json" -schema "$dir/schema.json" \
      -state "$dir/terraform.tfstate" -lineage "$2"
  done
  grep -q "^No changes. Your infrastructure matches the configuration." "$dir/round$round.log" ||
    { say "$dir: the last plan does not say No changes"; cat "$dir/round$round.log" >&2; exit 1; }
  say "$2: Terraform reports No changes for the state after $((round - 1)) rounds"
}

# --- The plan pre-check cases -------------------------------------------------

pc="$examples/plancheck"
base=$(workdir base "$pc/base")
state "$base" shop
cp "$base/terraform.tfstate" "$pc/base/terraform.tfstate"

for casedir in "$pc"/*/; do
  c=$(basename "$casedir")
  [ "$c" = base ] && continue
  dir=$(workdir "case-$c" "$casedir")
  cp "$pc/base/terraform.tfstate" "$dir/terraform.tfstate"
  rc=0; plan "$dir" plan || rc=$?
  if [ "$rc" != 2 ]; then say "$c: the plan has no changes"; exit 1; fi
  cp "$dir/plan.json" "$casedir/plan.json"
  cp "$dir/plan.txt" "$casedir/plan.txt"
  say "$c: $(grep -E '^Plan: ' "$dir/plan.txt")"
done

# --- The load balancer and managed services estate ----------------------------

wp="$examples/web-platform"
dir=$(workdir web-platform "$wp")
state "$dir" web-platform
cp "$dir/create.json" "$wp/plan.json"
cp "$dir/terraform.tfstate" "$wp/terraform.tfstate"
# The snapshot's account folders are generated; its README is not.
rm -rf "$wp"/snapshot/[0-9]*/
"$work/fakeaws" snapshot -state "$wp/terraform.tfstate" -out "$wp/snapshot"
say "web-platform: state, plan and snapshot written"

# --- Checks of the snapshot ----------------------------------------------------

# Its layout is what docs/snapshot.sh writes: run the script against a
# stand-in for the AWS CLI that answers from the snapshot, and compare.
mkdir -p "$work/stub"
cat >"$work/stub/aws" <<'EOF'
#!/usr/bin/env bash
set -euo pipefail
svc=$1 op=$2
shift 2
region="" query="" key=""
while [ $# -gt 0 ]; do
  case "$1" in
    --region) region=$2; shift ;;
    --query) query=$2; shift ;;
    --output | --page-size | --filters) shift ;;
    --versions) while [ $# -gt 1 ] && [[ "$2" != --* ]]; do shift; done ;;
    --prefix-list-id | --transit-gateway-route-table-id | --load-balancer-name) key=$2; shift ;;
    --load-balancer-arn | --listener-arn | --target-group-arn)
      p=${2#*:targetgroup/}; p=${p#*:loadbalancer/}; p=${p#*:listener/}
      case "$p" in app/* | net/* | gwy/*) p=${p#*/} ;; esac
      key=${p//\//-}; shift ;;
    *) echo "stub aws: unexpected argument $1" >&2; exit 1 ;;
  esac
  shift
done
acct=$(cd "$SNAPSHOT" && ls -d [0-9]*)
case "$svc $op" in
  "ec2 describe-regions") doc='{"Regions":[{"RegionName":"us-east-1"}]}' ;;
  "sts get-caller-identity") doc=$(cat "$SNAPSHOT/$acct/sts-get-caller-identity.json") ;;
  *) if [ -n "$key" ]; then doc=$(cat "$SNAPSHOT/$acct/$region/$svc-$op/$key.json"); else doc=$(cat "$SNAPSHOT/$acct/$region/$svc-$op.json"); fi ;;
esac
if [ -n "$query" ]; then jq -r ".$query" <<<"$doc"; else printf '%s\n' "$doc"; fi
EOF
chmod +x "$work/stub/aws"
SNAPSHOT="$wp/snapshot" PATH="$work/stub:$PATH" "$repo/docs/snapshot.sh" "$work/snapshot-by-script" 2>"$work/snapshot.log" ||
  { cat "$work/snapshot.log" >&2; say "docs/snapshot.sh failed against the snapshot"; exit 1; }
diff -r -x README.md "$wp/snapshot" "$work/snapshot-by-script" >&2 || { say "docs/snapshot.sh writes another layout than the snapshot's"; exit 1; }
say "snapshot: docs/snapshot.sh writes the same files"

# Its shapes are the APIs': checked against the AWS SDK's service models
# (botocore's), when Python has botocore.
if botocore=$(python3 -c 'import botocore, os; print(os.path.join(os.path.dirname(botocore.__file__), "data"))' 2>/dev/null); then
  "$work/fakeaws" checkshapes -models "$botocore" -snapshot "$wp/snapshot"
else
  say "snapshot: botocore not found, shapes not checked (pip install botocore to check them)"
fi
