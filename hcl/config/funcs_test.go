package config

import (
	"strings"
	"testing"
)

// TestFunctions checks the functions against the examples of Terraform's
// documentation, and the errors at the edges of the IP functions. The
// expected values were checked against terraform console (1.11).
func TestFunctions(t *testing.T) {
	tests := []struct {
		expr, want string
		// err, when set, is part of the expected error instead.
		err string
	}{
		// IP network functions.
		{expr: `cidrsubnet("172.16.0.0/12", 4, 2)`, want: "172.18.0.0/16"},
		{expr: `cidrsubnet("10.1.2.0/24", 4, 15)`, want: "10.1.2.240/28"},
		{expr: `cidrsubnet("fd00:fd12:3456:7890::/56", 16, 162)`, want: "fd00:fd12:3456:7800:a200::/72"},
		{expr: `cidrsubnet("10.0.0.7/16", 8, 3)`, want: "10.0.3.0/24"},
		{expr: `cidrsubnet("10.0.0.0/24", 4, 16)`, err: "prefix extension of 4 does not accommodate a subnet numbered 16"},
		{expr: `cidrsubnet("10.0.0.0/30", 4, 0)`, err: "insufficient address space to extend prefix of 30 by 4"},
		{expr: `cidrsubnet("10.0.0.0/8", 8, -1)`, err: "does not accommodate a subnet numbered -1"},
		{expr: `cidrsubnet("fd00::/8", 33, 0)`, want: "fd00::/41"},
		{expr: `cidrsubnet("10.0.0.0/8", 25, 0)`, err: "insufficient address space to extend prefix of 8 by 25"},
		{expr: `cidrsubnet("010.0.0.0/8", 8, 1)`, want: "10.1.0.0/16"},
		{expr: `cidrhost("::/0", -1)`, want: "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"},
		{expr: `cidrsubnets("10.0.0.0/16", 33)`, err: "may not extend prefix by more than 32 bits"},
		{expr: `cidrsubnet("10.0.0.0", 8, 0)`, err: "invalid CIDR expression"},
		{expr: `cidrhost("10.12.112.0/20", 16)`, want: "10.12.112.16"},
		{expr: `cidrhost("10.12.112.0/20", 268)`, want: "10.12.113.12"},
		{expr: `cidrhost("fd00:fd12:3456:7890:00a2::/72", 34)`, want: "fd00:fd12:3456:7890::22"},
		{expr: `cidrhost("10.0.0.0/24", -1)`, want: "10.0.0.255"},
		{expr: `cidrhost("10.0.0.0/24", -256)`, want: "10.0.0.0"},
		{expr: `cidrhost("10.0.0.0/24", 256)`, err: "prefix of 24 does not accommodate a host numbered 256"},
		{expr: `cidrhost("10.0.0.0/24", -257)`, err: "prefix of 24 does not accommodate a host numbered -257"},
		{expr: `cidrnetmask("172.16.0.0/12")`, want: "255.240.0.0"},
		{expr: `cidrnetmask("10.0.0.0/32")`, want: "255.255.255.255"},
		{expr: `cidrnetmask("10.0.0.0/0")`, want: "0.0.0.0"},
		{expr: `cidrnetmask("fd00::/8")`, err: "IPv6 addresses cannot have a netmask"},
		{expr: `cidrsubnets("10.1.0.0/16", 4, 4, 8, 4)`, want: "[10.1.0.0/20 10.1.16.0/20 10.1.32.0/24 10.1.48.0/20]"},
		{expr: `cidrsubnets("fd00:fd12:3456:7890::/56", 16, 16, 16, 32)`,
			want: "[fd00:fd12:3456:7800::/72 fd00:fd12:3456:7800:100::/72 fd00:fd12:3456:7800:200::/72 fd00:fd12:3456:7800:300::/88]"},
		{expr: `cidrsubnets("10.0.0.0/8", 8, 4)`, want: "[10.0.0.0/16 10.16.0.0/12]"},
		// Terraform fails here, a bug of its allocator at the zero address.
		{expr: `cidrsubnets("0.0.0.0/0", 1, 1)`, want: "[0.0.0.0/1 128.0.0.0/1]"},
		{expr: `cidrsubnets("10.0.0.0/24")`, want: "[]"},
		{expr: `cidrsubnets("10.0.0.0/24", 1, 1, 1)`, err: "not enough remaining address space for a subnet with a prefix of 25 bits after 10.0.0.128/25"},
		{expr: `cidrsubnets("10.0.0.0/24", 9)`, err: "would extend prefix to 33 bits, which is too long for an IPv4 address"},
		{expr: `cidrsubnets("10.0.0.0/24", 0)`, err: "must extend prefix by at least one bit"},
		// Terraform's own versions of collection and string functions.
		{expr: `length("héllo")`, want: "5"},
		{expr: `length({ a = 1, b = 2 })`, want: "2"},
		{expr: `index(["a", "b", "c"], "b")`, want: "1"},
		{expr: `index(["a"], "z")`, err: "item not found"},
		{expr: `coalesce("", "b", "c")`, want: "b"},
		{expr: `coalesce(null, 2)`, want: "2"},
		{expr: `replace("1 + 2 + 3", "+", "-")`, want: "1 - 2 - 3"},
		{expr: `replace("hello world", "/w.*d/", "there")`, want: "hello there"},
		{expr: `one([])`, want: "null"},
		{expr: `one(["x"])`, want: "x"},
		{expr: `one(["x", "y"])`, err: "zero or one elements"},
		{expr: `sum([1, 2.5, 3])`, want: "6.5"},
		{expr: `alltrue([true, true])`, want: "true"},
		{expr: `anytrue([false, true])`, want: "true"},
		{expr: `alltrue([])`, want: "true"},
		{expr: `startswith("subnet-1", "subnet-")`, want: "true"},
		{expr: `endswith("a.tf", ".json")`, want: "false"},
		{expr: `strcontains("hello", "ell")`, want: "true"},
		{expr: `lookup({ a = "x" }, "b", null)`, want: "null"},
		{expr: `lookup({ a = "x" }, "a")`, want: "x"},
		{expr: `lookup({ a = 1, b = "s" }, "c", "d")`, want: "d"},
		{expr: `lookup({ a = "x" }, "b")`, err: `lookup failed to find key "b"`},
		{expr: `matchkeys(["i-1", "i-2"], ["a", "b"], ["b"])`, want: "[i-2]"},
		{expr: `transpose({ a = ["1", "2"], b = ["2"] })`, want: "{1:[a] 2:[a b]}"},
		{expr: `base64decode(base64encode("vpc"))`, want: "vpc"},
		{expr: `sha256("")`, want: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{expr: `urlencode("a b&c")`, want: "a+b%26c"},
		{expr: `try(tonumber("x"), "fallback")`, want: "fallback"},
		{expr: `can(regex("^10\\.", "10.0.0.0"))`, want: "true"},
		{expr: `tolist(toset(["b", "a", "b"]))`, want: "[a b]"},
		{expr: `jsonencode({ a = [1, "x"] })`, want: `{"a":[1,"x"]}`},
		{expr: `flatten([["a"], [["b"]]])`, want: "[a b]"},
		{expr: `element(["a", "b", "c"], 4)`, want: "b"},
		{expr: `element(["a", "b", "c"], -1)`, err: "negative index"},
		{expr: `formatlist("%s-%d", ["a", "b"], [1, 2])`, want: "[a-1 b-2]"},
		{expr: `nonsensitive(sensitive("x"))`, want: "x"},
		{expr: `uuid()`, want: "(unknown)"},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			res := evalTF(t, "locals {\n  e = 1\n}\nresource \"test\" \"r\" {\n  v = "+tt.expr+"\n}\n")
			if tt.err != "" {
				if !strings.Contains(res.Diagnostics.Error(), tt.err) {
					t.Errorf("errors %q, want one containing %q", res.Diagnostics.Error(), tt.err)
				}
				return
			}
			if res.Diagnostics.HasErrors() {
				t.Fatal(res.Diagnostics.Error())
			}
			if len(res.Instances) != 1 {
				t.Fatalf("got %d instances", len(res.Instances))
			}
			if got := show(res.Instances[0].Attrs["v"]); got != tt.want {
				t.Errorf("= %s, want %s", got, tt.want)
			}
		})
	}
}
