// Package mapper turns resource instances (package resource), whatever
// reader produced them, into a model.Network: one handler per AWS resource
// type, in phases so that elements exist before the rules, routes and
// associations that attach to them; then model.Synthesize adds what AWS
// creates implicitly and model.Validate checks the result. Unknown IDs
// become symbolic IDs, unknown addresses placeholders, and everything else
// unknown that the analysis needs a warning: nothing is guessed silently.
package mapper
