// Package suppress decides which findings of a comparison (report.DiffReport)
// are accepted, the way tfsec and trivy users expect: a baseline file of
// accepted findings (written by `vpcsim plan-check --write-baseline`, read
// with --baseline), and inline comments on the Terraform resource that opens
// an exposure:
//
//	# vpcsim:ignore:tcp/22:exp:2027-01-31 the bastion is reached through the VPN only
//	resource "aws_security_group_rule" "ssh" { … }
//
// Every suppression is reported with the finding it accepts, never silently;
// an expired one accepts nothing and is reported as expired. docs/ci.md
// documents the syntax.
package suppress
