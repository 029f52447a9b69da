#!/usr/bin/env bash
# snapshot.sh — collect an AWS account's network, as the AWS CLI prints it, into
# a folder vpcsim can read (see examples/web-platform/snapshot and its README).
#
# Usage:
#   docs/snapshot.sh OUT [REGION...]
#
# It records the account of the current credentials (AWS_PROFILE, or the
# environment's), in each REGION given, or else in every region enabled for
# the account. Run it once per account to snapshot several into the same OUT:
#
#   AWS_PROFILE=prod    docs/snapshot.sh snapshot/ us-east-1 eu-west-1
#   AWS_PROFILE=network docs/snapshot.sh snapshot/ us-east-1
#
# Layout (one file per CLI call, exactly as `--output json` prints it; the CLI
# follows NextToken/NextMarker itself and merges the pages):
#
#   OUT/ACCOUNT/sts-get-caller-identity.json
#   OUT/ACCOUNT/REGION/SERVICE-OPERATION.json          calls made once per region
#   OUT/ACCOUNT/REGION/SERVICE-OPERATION/KEY.json      calls made once per resource:
#       ec2-get-managed-prefix-list-entries/PREFIX-LIST-ID.json
#       ec2-search-transit-gateway-routes/TGW-ROUTE-TABLE-ID.json
#       ec2-get-transit-gateway-route-table-associations/TGW-ROUTE-TABLE-ID.json
#       ec2-get-transit-gateway-route-table-propagations/TGW-ROUTE-TABLE-ID.json
#       elbv2-describe-listeners/NAME-ID.json                (per load balancer)
#       elbv2-describe-load-balancer-attributes/NAME-ID.json (per load balancer)
#       elbv2-describe-rules/NAME-ID-LISTENERID.json         (per listener)
#       elbv2-describe-target-group-attributes/NAME-ID.json  (per target group)
#       elbv2-describe-target-health/NAME-ID.json            (per target group)
#       elb-describe-load-balancer-attributes/NAME.json      (per Classic ELB)
#   KEY is taken from the resource's ARN (…:targetgroup/NAME/ID -> NAME-ID), because
#   some answers (target health, rules, attributes) do not name what they describe.
#
# Permissions: read-only. The AWS managed policy ViewOnlyAccess, or
# ReadOnlyAccess, covers every call; so does a policy allowing ec2:Describe*,
# ec2:GetManagedPrefixListEntries, ec2:SearchTransitGatewayRoutes,
# ec2:GetTransitGatewayRouteTable*, elasticloadbalancing:Describe*,
# autoscaling:Describe*, rds:DescribeDBInstances, lambda:ListFunctions and
# sts:GetCallerIdentity.
#
# A call that fails stops the script with the CLI's error: a snapshot that
# silently lacks a file would read as "the account has none of these".
set -euo pipefail

if [ $# -lt 1 ]; then
  echo "usage: $0 OUT [REGION...]" >&2
  exit 2
fi
out=$1
shift
command -v aws >/dev/null || { echo "snapshot: the AWS CLI (aws) is not installed" >&2; exit 1; }
export AWS_PAGER=""

account=$(aws sts get-caller-identity --query Account --output text)
mkdir -p "$out/$account"

# save FILE CMD...: run one CLI call with JSON output into FILE, through a
# temporary file so that a failed call leaves nothing half written.
save() {
  local file=$1
  shift
  mkdir -p "$(dirname "$file")"
  "$@" --output json >"$file.tmp"
  mv "$file.tmp" "$file"
}

# key ARN: the file name of a per-resource answer, from the resource's ARN.
key() {
  local path=${1#*:targetgroup/}
  path=${path#*:loadbalancer/}
  path=${path#*:listener/}
  case "$path" in app/* | net/* | gwy/*) path=${path#*/} ;; esac
  echo "${path//\//-}"
}

save "$out/$account/sts-get-caller-identity.json" aws sts get-caller-identity

if [ $# -eq 0 ]; then
  # shellcheck disable=SC2046 # region names have no spaces
  set -- $(aws ec2 describe-regions --query 'Regions[].RegionName' --output text)
fi

for region in "$@"; do
  echo "snapshot: account $account, region $region" >&2
  d="$out/$account/$region"
  r=(--region "$region")

  # The network: VPCs and everything that routes or filters in them.
  save "$d/ec2-describe-vpcs.json" aws ec2 describe-vpcs "${r[@]}"
  save "$d/ec2-describe-subnets.json" aws ec2 describe-subnets "${r[@]}"
  save "$d/ec2-describe-route-tables.json" aws ec2 describe-route-tables "${r[@]}"
  save "$d/ec2-describe-network-acls.json" aws ec2 describe-network-acls "${r[@]}"
  save "$d/ec2-describe-security-groups.json" aws ec2 describe-security-groups "${r[@]}"
  save "$d/ec2-describe-security-group-rules.json" aws ec2 describe-security-group-rules "${r[@]}"
  # Large accounts time out on unpaginated interface listings: smaller pages.
  save "$d/ec2-describe-network-interfaces.json" aws ec2 describe-network-interfaces "${r[@]}" --page-size 500
  save "$d/ec2-describe-instances.json" aws ec2 describe-instances "${r[@]}" --page-size 500
  save "$d/ec2-describe-launch-template-versions.json" aws ec2 describe-launch-template-versions "${r[@]}" --versions '$Latest' '$Default'
  save "$d/ec2-describe-internet-gateways.json" aws ec2 describe-internet-gateways "${r[@]}"
  save "$d/ec2-describe-egress-only-internet-gateways.json" aws ec2 describe-egress-only-internet-gateways "${r[@]}"
  save "$d/ec2-describe-nat-gateways.json" aws ec2 describe-nat-gateways "${r[@]}"
  save "$d/ec2-describe-addresses.json" aws ec2 describe-addresses "${r[@]}"
  save "$d/ec2-describe-vpc-peering-connections.json" aws ec2 describe-vpc-peering-connections "${r[@]}"
  save "$d/ec2-describe-vpc-endpoints.json" aws ec2 describe-vpc-endpoints "${r[@]}"

  # Prefix lists, AWS-managed ones included, with their entries.
  save "$d/ec2-describe-managed-prefix-lists.json" aws ec2 describe-managed-prefix-lists "${r[@]}"
  for pl in $(aws ec2 describe-managed-prefix-lists "${r[@]}" --query 'PrefixLists[].PrefixListId' --output text); do
    save "$d/ec2-get-managed-prefix-list-entries/$pl.json" aws ec2 get-managed-prefix-list-entries "${r[@]}" --prefix-list-id "$pl"
  done

  # Transit gateways: attachments, route tables and, per route table, its
  # routes, associations and propagations.
  save "$d/ec2-describe-transit-gateways.json" aws ec2 describe-transit-gateways "${r[@]}"
  save "$d/ec2-describe-transit-gateway-attachments.json" aws ec2 describe-transit-gateway-attachments "${r[@]}"
  save "$d/ec2-describe-transit-gateway-vpc-attachments.json" aws ec2 describe-transit-gateway-vpc-attachments "${r[@]}"
  save "$d/ec2-describe-transit-gateway-peering-attachments.json" aws ec2 describe-transit-gateway-peering-attachments "${r[@]}"
  save "$d/ec2-describe-transit-gateway-route-tables.json" aws ec2 describe-transit-gateway-route-tables "${r[@]}"
  for rtb in $(aws ec2 describe-transit-gateway-route-tables "${r[@]}" --query 'TransitGatewayRouteTables[].TransitGatewayRouteTableId' --output text); do
    # search-transit-gateway-routes needs a filter; these two cover every route.
    save "$d/ec2-search-transit-gateway-routes/$rtb.json" aws ec2 search-transit-gateway-routes "${r[@]}" \
      --transit-gateway-route-table-id "$rtb" --filters Name=type,Values=static,propagated
    save "$d/ec2-get-transit-gateway-route-table-associations/$rtb.json" aws ec2 get-transit-gateway-route-table-associations "${r[@]}" \
      --transit-gateway-route-table-id "$rtb"
    save "$d/ec2-get-transit-gateway-route-table-propagations/$rtb.json" aws ec2 get-transit-gateway-route-table-propagations "${r[@]}" \
      --transit-gateway-route-table-id "$rtb"
  done

  # Load balancers (Application, Network, Gateway), their listeners and rules,
  # target groups, target health and attributes.
  save "$d/elbv2-describe-load-balancers.json" aws elbv2 describe-load-balancers "${r[@]}"
  for lb in $(aws elbv2 describe-load-balancers "${r[@]}" --query 'LoadBalancers[].LoadBalancerArn' --output text); do
    save "$d/elbv2-describe-listeners/$(key "$lb").json" aws elbv2 describe-listeners "${r[@]}" --load-balancer-arn "$lb"
    save "$d/elbv2-describe-load-balancer-attributes/$(key "$lb").json" aws elbv2 describe-load-balancer-attributes "${r[@]}" --load-balancer-arn "$lb"
    for l in $(aws elbv2 describe-listeners "${r[@]}" --load-balancer-arn "$lb" --query 'Listeners[].ListenerArn' --output text); do
      save "$d/elbv2-describe-rules/$(key "$l").json" aws elbv2 describe-rules "${r[@]}" --listener-arn "$l"
    done
  done
  save "$d/elbv2-describe-target-groups.json" aws elbv2 describe-target-groups "${r[@]}"
  for tg in $(aws elbv2 describe-target-groups "${r[@]}" --query 'TargetGroups[].TargetGroupArn' --output text); do
    save "$d/elbv2-describe-target-health/$(key "$tg").json" aws elbv2 describe-target-health "${r[@]}" --target-group-arn "$tg"
    save "$d/elbv2-describe-target-group-attributes/$(key "$tg").json" aws elbv2 describe-target-group-attributes "${r[@]}" --target-group-arn "$tg"
  done

  # Classic load balancers.
  save "$d/elb-describe-load-balancers.json" aws elb describe-load-balancers "${r[@]}"
  for name in $(aws elb describe-load-balancers "${r[@]}" --query 'LoadBalancerDescriptions[].LoadBalancerName' --output text); do
    save "$d/elb-describe-load-balancer-attributes/$name.json" aws elb describe-load-balancer-attributes "${r[@]}" --load-balancer-name "$name"
  done

  # Services that place interfaces in the VPCs.
  save "$d/autoscaling-describe-auto-scaling-groups.json" aws autoscaling describe-auto-scaling-groups "${r[@]}"
  save "$d/rds-describe-db-instances.json" aws rds describe-db-instances "${r[@]}"
  save "$d/lambda-list-functions.json" aws lambda list-functions "${r[@]}"
done
echo "snapshot: written to $out/$account" >&2
