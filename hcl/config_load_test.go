package hcl

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadFolder loads a configuration from disk whose module lives outside
// its folder (../../modules/vpc, the usual layout of environments): the
// module is found, and files are named relative to the path as given.
func TestLoadFolder(t *testing.T) {
	root := t.TempDir()
	write := func(name, text string) {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("envs/prod/main.tf", `module "vpc" {
  source = "../../modules/vpc"
  cidr   = "10.8.0.0/16"
}
`)
	write("modules/vpc/main.tf", `variable "cidr" {}
resource "aws_vpc" "this" {
  cidr_block = var.cidr
}
resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.this.id
  cidr_block = cidrsubnet(var.cidr, 8, 300)
}
`)
	t.Chdir(root)
	in, err := Load("envs/prod", WithEnv([]string{}))
	if err == nil {
		t.Fatal("netnum 300 in a /8 extension is an error")
	}
	if in.Path != "envs/prod" || in.Format != FormatConfig {
		t.Errorf("path %q, format %s", in.Path, in.Format)
	}
	want := filepath.FromSlash("modules/vpc/main.tf") + ":7:16: error: error in function call"
	if !strings.HasPrefix(in.Diagnostics[0].String(), want) {
		t.Errorf("diagnostic %q, want one starting %q", in.Diagnostics[0], want)
	}

	write("modules/vpc/main.tf", `variable "cidr" {}
resource "aws_vpc" "this" {
  cidr_block = var.cidr
}
`)
	in, err = Load(filepath.Join(root, "envs", "prod"), WithEnv([]string{}))
	if err != nil {
		t.Fatal(err)
	}
	vpc := in.Network.VPCs[0]
	if vpc.Address != "module.vpc.aws_vpc.this" || vpc.CIDRs[0].String() != "10.8.0.0/16" {
		t.Errorf("VPC %s %v", vpc.Address, vpc.CIDRs)
	}
	if want := filepath.Join(root, "modules", "vpc", "main.tf"); vpc.Pos.File != want || vpc.Pos.Line != 2 {
		t.Errorf("VPC at %s, want %s:2", vpc.Pos, want)
	}
}
