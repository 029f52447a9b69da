// Package resource is the form in which every reader of package hcl hands
// resource instances to the mapper: one Instance per resource instance, with
// its Terraform address, its attributes in the shape the AWS provider writes
// into state, and its position. Values not known until apply are Unknown;
// SymbolicID names an unknown ID the same way in every reader, so that
// references resolve; Addr takes instance addresses apart.
//
// The readers (package tfjson for states and plans, package config for
// Terraform configuration) produce Instances; package mapper consumes them.
package resource
