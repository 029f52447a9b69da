// Package layers holds no code: its test keeps vpcsim's import graph
// pointing one way, as docs/architecture.md lays it out. Every package of
// the module must be covered by one of its rules, so a new package states
// its place when it is added.
package layers
