#!/usr/bin/env bash
# make-plans.sh writes examples/*/plan.json, the JSON of `terraform show
# -json` of each example's saved plan, with Terraform and the hashicorp/aws
# provider run offline: fake credentials, no refresh, the provider from a
# filesystem mirror. Offline, data.aws_availability_zones cannot be read: an
# override file stands in the zones vpcsim assumes (the region followed by
# a, b and c). Examples that need `terraform init` of registry modules or
# other data sources read from AWS get no plan, and the script says so.
#
# Usage: TF_PLUGIN_MIRROR=/path/to/mirror hcl/testdata/tfaws-vpc/make-plans.sh
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
cp -r "$here" "$work/module"
for dir in "$work"/module/examples/*/; do
  name="$(basename "$dir")"
  rm -f "$dir/plan.json"
  cat > "$dir/zz_offline_override.tf" <<'TF'
provider "aws" {
  access_key                  = "AKIAOFFLINE000000000"
  secret_key                  = "offline"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}
TF
  if grep -q 'data "aws_availability_zones" "available"' "$dir/main.tf"; then
    cat >> "$dir/zz_offline_override.tf" <<'TF'
data "aws_availability_zones" "available" {
  count = 0
}
TF
    # The zones are a local, or an argument of the module call.
    if grep -q 'local.azs' "$dir/main.tf"; then
      cat >> "$dir/zz_offline_override.tf" <<'TF'
locals {
  azs = ["${local.region}a", "${local.region}b", "${local.region}c"]
}
TF
    else
      cat >> "$dir/zz_offline_override.tf" <<'TF'
module "vpc" {
  azs = ["${local.region}a", "${local.region}b", "${local.region}c"]
}
TF
    fi
  fi
  (
    cd "$dir"
    if ! terraform init -backend=false -input=false >init.log 2>&1; then
      rm -f "$here/examples/$name/plan.json"
      echo "$name: no plan offline: init: $(grep -m1 -i 'error' init.log | sed 's/\x1b\[[0-9;]*m//g')"
      exit 0
    fi
    if terraform plan -refresh=false -input=false -lock=false -out=tfplan >plan.log 2>&1; then
      terraform show -json tfplan >"$here/examples/$name/plan.json"
      echo "$name: plan.json"
    else
      rm -f "$here/examples/$name/plan.json"
      echo "$name: no plan offline: $(sed 's/\x1b\[[0-9;]*m//g' plan.log | grep -m1 -A3 'Error' | tr '\n' ' ')"
    fi
  )
done
