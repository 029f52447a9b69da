package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vpcsim/vpcsim/internal/hostile"
)

// TestPathologicalInputs runs every input of hostile.Pathological through
// `vpcsim report`: each is refused with exit status 1, nothing on standard
// output, and an error on standard error naming the file and line that
// cause it and what to do (docs/limits.md). Each takes seconds at most:
// the limits bound the work, not a timeout.
func TestPathologicalInputs(t *testing.T) {
	for _, c := range hostile.Pathological() {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			in, err := c.Write(dir)
			if err != nil {
				t.Fatal(err)
			}
			args := []string{"report", "--format", "json", "--in", in}
			for _, a := range c.Args {
				args = append(args, strings.ReplaceAll(a, "DIR", dir))
			}
			start := time.Now()
			code, stdout, stderr := runArgs(args...)
			t.Logf("%v", time.Since(start).Round(time.Millisecond))
			wantRefusal(t, code, stdout, stderr, whereOf(dir, c), c.Line, c.Want)
		})
	}
}

// wantRefusal checks that a command refused a hostile input: exit status 1,
// nothing on standard output, and an error on standard error at where
// (a file, or a folder ending in / for any file under it), line (0: any)
// saying want, in a message people can read.
func wantRefusal(t *testing.T, code int, stdout, stderr, where string, line int, want string) {
	t.Helper()
	if code != exitError {
		t.Errorf("exit %d, want %d; stderr:\n%.2000s", code, exitError, stderr)
	}
	if stdout != "" {
		t.Errorf("stdout holds %d bytes, want nothing: %.200s", len(stdout), stdout)
	}
	switch {
	case strings.HasSuffix(where, string(filepath.Separator)):
	case line > 0:
		where += fmt.Sprintf(":%d:", line)
	default:
		where += ":"
	}
	var found bool
	for _, l := range strings.Split(stderr, "\n") {
		if strings.Contains(l, where) && strings.Contains(l, want) {
			found = true
		}
	}
	if !found {
		t.Errorf("no error at %s saying %q; stderr:\n%.3000s", where, want, stderr)
	}
	// The error is read by people: a hostile input must not make it
	// megabytes long.
	if len(stderr) > 20000 {
		t.Errorf("stderr is %d bytes", len(stderr))
	}
}

// whereOf is the path of the file or folder c's error must name, once its
// files are written under dir.
func whereOf(dir string, c hostile.Case) string {
	where := filepath.Join(dir, filepath.FromSlash(c.Where))
	if strings.HasSuffix(c.Where, "/") {
		where += string(filepath.Separator)
	}
	return where
}

// TestLimitFlagsRaiseLimits checks that each limit's flag raises it: the
// input refused by default is read with the flag.
func TestLimitFlagsRaiseLimits(t *testing.T) {
	cases := []struct {
		name  string
		files hostile.Files
		flag  []string
	}{
		{"instances", hostile.Files{"main.tf": `resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_security_group" "g" {
  count  = 10001
  name   = "g${count.index}"
  vpc_id = aws_vpc.main.id
}
`}, []string{"--max-instances", "10001"}},
		{"string size", hostile.Files{"main.tf": `resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
  tags       = { Big = "` + strings.Repeat("x", 2000) + `" }
}
`}, []string{"--max-string-size", "2000"}},
		{"evaluation steps", hostile.Files{"main.tf": `resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
  tags       = { N = length([for a in range(100) : [for b in range(100) : a * b]]) }
}
`}, []string{"--max-eval-steps", "100000"}},
		{"configuration size", hostile.Files{"main.tf": `resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
`}, []string{"--max-config-size", "1kB"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := c.files.Write(dir); err != nil {
				t.Fatal(err)
			}
			// Lowered below what the input needs, the limit refuses it...
			lower := append([]string{"inspect", "--in", dir}, c.flag...)
			switch c.name {
			case "instances":
				lower[len(lower)-1] = "10000"
			case "string size":
				lower[len(lower)-1] = "1999B"
			case "evaluation steps":
				lower[len(lower)-1] = "1000"
			case "configuration size":
				lower[len(lower)-1] = "20B"
			}
			if code, _, stderr := runArgs(lower...); code != exitError || !strings.Contains(stderr, c.flag[0]) {
				t.Errorf("%v: exit %d, want 1 and an error naming %s; stderr:\n%s", lower, code, c.flag[0], stderr)
			}
			// ...and raised, it reads it.
			args := append([]string{"inspect", "--in", dir}, c.flag...)
			if code, _, stderr := runArgs(args...); code != exitOK {
				t.Errorf("%v: exit %d; stderr:\n%s", args, code, stderr)
			}
		})
	}
}
