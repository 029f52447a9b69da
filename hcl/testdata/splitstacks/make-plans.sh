#!/usr/bin/env bash
# make-plans.sh writes the plans of the split-stack fixture with Terraform and
# the hashicorp/aws provider run offline (fake credentials, no refresh, the
# provider from a filesystem mirror):
#
#   app/plan.json     the app stack's plan; it reads the network stack's
#                     outputs from network.tfstate (terraform_remote_state,
#                     local backend).
#   single/plan.json  the same network and app as one stack, planned on the
#                     same network state: the network is in place, the app
#                     is created.
#
# network.tfstate is the network stack's state after apply (AWS IDs of the
# example account 111122223333); applying needs AWS, so it is written by hand
# in Terraform's format and read by Terraform here, which checks it.
#
# Usage: TF_PLUGIN_MIRROR=/path/to/mirror hcl/testdata/splitstacks/make-plans.sh
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
cp -r "$here/." "$work/"
for name in app single; do
  dir="$work/$name"
  cat > "$dir/zz_offline_override.tf" <<'TF'
provider "aws" {
  access_key                  = "AKIAOFFLINE000000000"
  secret_key                  = "offline"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}
TF
  (
    cd "$dir"
    if [ "$name" = single ]; then
      cp ../network.tfstate terraform.tfstate
    fi
    terraform init -backend=false -input=false >/dev/null
    terraform plan -refresh=false -input=false -lock=false -out=tfplan >/dev/null
    terraform show -json tfplan >"$here/$name/plan.json"
    echo "$name/plan.json"
  )
done
