// Package estatetest is the test oracle of package estate: it reads a
// Terraform state file with encoding/json, independently of vpcsim's own
// loader, and reports everything a state written by Terraform against real
// AWS could not contain (Check), or counts what it holds (Summarize). Tests
// of the example estates and of the synthetic generator use it to prove
// their output sound.
package estatetest
