package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Opening an internet-facing ALB's group to the world (web-platform's
// aws_lb.web, whose HTTPS rule admitted one office range before) opens the
// load balancer and, through its listener, its targets: plan-check fails
// the gate on each, names the way through the load balancer, says the
// targets are not reached at their own addresses, and points at the rule
// that opened the listener; vpcsim check names the way too.
func TestPlanCheckThroughLoadBalancer(t *testing.T) {
	atRoot(t)
	state, err := os.ReadFile("examples/web-platform/terraform.tfstate")
	if err != nil {
		t.Fatal(err)
	}
	s := string(state)
	i := strings.Index(s, `"name": "alb_web_https"`)
	j := strings.Index(s[i:], `"cidr_ipv4": "0.0.0.0/0"`)
	if i < 0 || j < 0 {
		t.Fatal("the web-platform state has no alb_web_https rule open to the world")
	}
	j += i
	before := filepath.Join(t.TempDir(), "before.tfstate")
	s = s[:j] + `"cidr_ipv4": "198.51.100.0/24"` + s[j+len(`"cidr_ipv4": "0.0.0.0/0"`):]
	if err := os.WriteFile(before, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCmd("", "plan-check", "--before", before, "--after", "examples/web-platform/terraform.tfstate", "--format", "json")
	if code != 3 {
		t.Fatalf("exit %d, want 3 (the gate fails)\n%s", code, errOut)
	}
	var d struct {
		Findings []struct {
			Status, Source, Target, Protocol string
			FromPort                         int `json:"from_port"`
			Fails                            bool
			Via                              []struct{ Text string }
			OnlyViaLoadBalancer              bool                          `json:"only_via_load_balancer"`
			OpenedBy                         *struct{ Owner, Text string } `json:"opened_by"`
		}
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	via := map[string]string{
		`aws_instance.web["a"]`:     "load balancer aws_lb.web listener HTTPS 443 → target group aws_lb_target_group.web port 8080",
		`aws_instance.web["b"]`:     "load balancer aws_lb.web listener HTTPS 443 → target group aws_lb_target_group.web port 8080",
		`aws_autoscaling_group.api`: "load balancer aws_lb.web listener HTTPS 443 → target group aws_lb_target_group.api port 8080",
	}
	var opened []string
	for _, f := range d.Findings {
		if f.Source != "internet" || f.Status == "unchanged" {
			continue
		}
		opened = append(opened, f.Target)
		if f.Status != "widened" || !f.Fails || f.Protocol != "tcp" || f.FromPort != 443 {
			t.Errorf("%s: %s %s %d fails=%v", f.Target, f.Status, f.Protocol, f.FromPort, f.Fails)
		}
		if f.OpenedBy == nil || f.OpenedBy.Owner != "aws_security_group.alb_web" || !strings.Contains(f.OpenedBy.Text, "0.0.0.0/0") {
			t.Errorf("%s: opened by %+v", f.Target, f.OpenedBy)
		}
		if f.Target == "aws_lb.web" {
			if len(f.Via) != 0 {
				t.Errorf("the load balancer's own finding has a way through: %+v", f.Via)
			}
			continue
		}
		if len(f.Via) != 1 || f.Via[0].Text != via[f.Target] || !f.OnlyViaLoadBalancer {
			t.Errorf("%s: via %+v (only %v), want %q", f.Target, f.Via, f.OnlyViaLoadBalancer, via[f.Target])
		}
	}
	slices.Sort(opened)
	// Each node of the ALB, each web server, the API group's interface in
	// each of its subnets.
	want := []string{"aws_autoscaling_group.api", "aws_autoscaling_group.api", "aws_instance.web[\"a\"]", "aws_instance.web[\"b\"]", "aws_lb.web", "aws_lb.web"}
	if !slices.Equal(opened, want) {
		t.Errorf("opened %q, want %q", opened, want)
	}
	text, _, _ := runCmd("", "plan-check", "--before", before, "--after", "examples/web-platform/terraform.tfstate")
	if !strings.Contains(text, "via "+via[`aws_instance.web["a"]`]) || !strings.Contains(text, "not reached at its own addresses") {
		t.Errorf("the text does not name the way through the load balancer:\n%s", text)
	}
	check, _, _ := runCmd("", "check", "examples/web-platform/terraform.tfstate", "--check", "internet-exposure")
	if !strings.Contains(check, `through the load balancer it reaches aws_autoscaling_group.api via load balancer aws_lb.web listener HTTPS 443 → target group aws_lb_target_group.api port 8080, aws_instance.web["a"] via`) {
		t.Errorf("check does not name the way through the load balancer:\n%s", check)
	}
}
