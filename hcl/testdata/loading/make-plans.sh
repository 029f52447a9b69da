#!/usr/bin/env bash
# make-plans.sh writes plan.json, the JSON of `terraform show -json` of a
# saved plan, beside the main.tf of every folder here, with Terraform and the
# hashicorp/aws provider run offline: fake credentials, no refresh, the
# provider from a filesystem mirror. TestLoadingPlans checks that vpcsim
# loads each plan and that it agrees with loading the folder.
#
# Usage: TF_PLUGIN_MIRROR=/path/to/mirror hcl/testdata/loading/make-plans.sh [FOLDER...]
# (every folder when none is named)
# where the mirror holds registry.terraform.io/hashicorp/aws (5.100.0 made
# the committed plans). Folders whose plan needs AWS (data sources read
# during planning) are left without plan.json, and the script says so.
set -euo pipefail
: "${TF_PLUGIN_MIRROR:?set TF_PLUGIN_MIRROR to a filesystem mirror of the hashicorp/aws provider}"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat > "$work/cli.tfrc" <<CFG
provider_installation {
  filesystem_mirror {
    path    = "$TF_PLUGIN_MIRROR"
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/aws"]
  }
}
CFG
export TF_CLI_CONFIG_FILE="$work/cli.tfrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
dirs=("$here"/*/)
if [ $# -gt 0 ]; then dirs=("${@/#/$here/}"); fi
for dir in "${dirs[@]}"; do
  dir="${dir%/}/"
  name="$(basename "$dir")"
  rm -rf "$work/$name"
  mkdir "$work/$name"
  cp "$dir"/*.tf "$work/$name/"
  # An override file merges into the configuration's own provider block.
  cat > "$work/$name/zz_offline_override.tf" <<'TF'
provider "aws" {
  access_key                  = "AKIAOFFLINE000000000"
  secret_key                  = "offline"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}
TF
  (
    cd "$work/$name"
    terraform init -backend=false -input=false >init.log 2>&1 || { cat init.log; exit 1; }
    if terraform plan -refresh=false -input=false -lock=false -out=tfplan >plan.log 2>&1; then
      terraform show -json tfplan >"$dir/plan.json"
      echo "$name: plan.json"
    else
      rm -f "$dir/plan.json"
      echo "$name: no plan offline: $(grep -m1 -i 'error' plan.log | sed 's/\x1b\[[0-9;]*m//g')"
    fi
  )
done
