// Package intent reads intent files — what a network must and must not
// allow, written in HCL — and evaluates them on a network with package
// reach's expectations. `vpcsim check --intent FILE` and the plan gate use
// it alike.
//
// An intent file is a list of named expectations:
//
//	# Nothing in the database subnets is reachable from the internet.
//	deny "db-not-from-internet" {
//	  from = internet
//	  to   = subnet("module.network.aws_subnet.db")
//	}
//
//	# Only the web tier may reach the app tier, and only on 8443.
//	only "web-to-app" {
//	  to       = tag("Tier", "app")
//	  from     = security_group("aws_security_group.web")
//	  services = ["tcp/8443"]
//	}
//
// Parse reads a file, collecting every problem with its position;
// Selection.Resolve turns selectors into the interfaces and addresses of one
// network; Evaluate checks every expectation of a file on an engine, each
// violation with a witness packet and its trace. docs/intent.md is the
// reference for the language.
package intent
