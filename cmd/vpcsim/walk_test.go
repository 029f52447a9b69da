package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestWalk(t *testing.T) {
	cases := []cliCase{
		{name: "ssh from the internet", args: []string{"walk", "--from", "internet", "--to", "aws_instance.bastion", "--protocol", "tcp", "--port", "22"},
			code: 0, golden: "bastion-ssh.txt"},
		{name: "app to db as json", args: []string{"walk", "--from", "aws_instance.app[0]", "--to", `aws_instance.db["primary"]`, "--protocol", "tcp", "--port", "5432", "--format", "json"},
			code: 3, golden: "app-db.json"},
		{name: "app to db from an accepted port", args: []string{"walk", "--from", "aws_instance.app[0]", "--to", `aws_instance.db["primary"]`, "--protocol", "tcp", "--port", "5432", "--src-port", "20000"},
			code: 0, stdout: []string{"COMPLETE"}},
		{name: "ping refused", args: []string{"walk", "--from", "internet", "--to", "aws_instance.bastion", "--protocol", "icmp"},
			code: 3, stdout: []string{"DROPPED at eni-0ecf461540cab6768: ENI_SG_RULES_MISMATCH", "INCOMPLETE: packet 1 (forward)"}},
		{name: "udp with rst", args: []string{"walk", "--from", "internet", "--to", "aws_instance.bastion", "--protocol", "udp", "--port", "53", "--teardown", "rst"},
			code: 3, stdout: []string{"INCOMPLETE"}},
		{name: "load balancer", args: []string{"walk", "--from", "internet", "--to", "aws_lb.web", "--protocol", "tcp", "--port", "80"},
			code: 0, stdout: []string{"delivered to aws_lb.web/", "COMPLETE"}},
		{name: "target through its load balancer", args: []string{"walk", "--from", "internet", "--to", "aws_instance.app[0]", "--protocol", "tcp", "--port", "8080", "--format", "json"},
			code: 0, stdout: []string{`"via_load_balancer": {`, `"target": "aws_instance.app[0]"`, `"complete": true`}},
		{name: "nothing to walk", args: []string{"walk"}, code: 2, stderr: []string{"walk needs --from, --to and --protocol, or --pcap"}},
		{name: "both modes", args: []string{"walk", "--pcap", "x.pcap", "--from", "internet"}, code: 2, stderr: []string{"give one or the other"}},
		{name: "half a conversation", args: []string{"walk", "--from", "internet", "--protocol", "tcp"}, code: 2, stderr: []string{"a conversation needs --from, --to and --protocol"}},
		{name: "at without pcap", args: []string{"walk", "--from", "internet", "--to", "10.0.0.57", "--protocol", "tcp", "--port", "22", "--at", "internet"}, code: 2, stderr: []string{"--at applies to --pcap"}},
		{name: "bad teardown", args: []string{"walk", "--from", "internet", "--to", "10.0.0.57", "--protocol", "tcp", "--teardown", "fast"}, code: 2, stderr: []string{`--teardown: "fast" is not fin or rst`}},
		{name: "every protocol", args: []string{"walk", "--from", "internet", "--to", "aws_instance.bastion", "--protocol", "all"}, code: 1, stderr: []string{"a conversation needs one protocol"}},
		{name: "no port", args: []string{"walk", "--from", "internet", "--to", "aws_instance.bastion", "--protocol", "tcp"}, code: 1, stderr: []string{"needs a destination port"}},
		{name: "unknown end", args: []string{"walk", "--from", "aws_instance.bastoin", "--to", "internet", "--protocol", "tcp", "--port", "22"}, code: 1, stderr: []string{"did you mean aws_instance.bastion?"}},
		{name: "missing capture", args: []string{"walk", "--pcap", "testdata/walk/nope.pcap"}, code: 1, stderr: []string{"nope.pcap"}},
		{name: "not a capture", args: []string{"walk", "--pcap", "testdata/walk/bastion-ssh.txt"}, code: 1, stderr: []string{"bastion-ssh.txt"}},
		{name: "bad vantage", args: []string{"walk", "--pcap", "testdata/walk/ssh.pcap", "--at", "aws_instance.nope"}, code: 2, stderr: []string{"--at aws_instance.nope"}},
	}
	for i := range cases {
		// The embedded example's load balancer has placeholder addresses,
		// which every command notes on stderr.
		if c := &cases[i]; len(c.stderr) == 0 && (c.code == 0 || c.code == 3) {
			c.stderr = []string{"2 notes about the input"}
		}
	}
	runCases(t, "walk", cases)
}

// TestWalkCaptureRoundTrip: what walk --pcap-out writes replays through walk
// --pcap to the same fates, from the capture checked in and from the
// output of a conversation.
func TestWalkCaptureRoundTrip(t *testing.T) {
	dir := t.TempDir()
	ours := filepath.Join(dir, "ours.pcap")
	out, errOut, code := runCmd("", "walk", "--from", "internet", "--to", "aws_instance.bastion", "--protocol", "tcp", "--port", "22", "--pcap-out", ours)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	replayed, errOut, code := runCmd("", "walk", "--pcap", ours)
	if code != 0 {
		t.Fatalf("replay: exit %d: %s\n%s", code, errOut, replayed)
	}
	if summary(out) != summary(replayed) || !strings.Contains(replayed, "10 packets: 6 delivered, 4 left the network, 0 dropped") {
		t.Errorf("the replay differs:\n%s\n---\n%s", out, replayed)
	}
	// The capture in testdata is the same conversation, written by this
	// command: it stays readable.
	checkedIn, _, code := runCmd("", "walk", "--pcap", filepath.Join("testdata", "walk", "ssh.pcap"), "--at", "internet")
	if code != 0 || summary(checkedIn) != summary(out) {
		t.Errorf("testdata/walk/ssh.pcap: exit %d\n%s", code, checkedIn)
	}
	if *update {
		data, err := os.ReadFile(ours)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("testdata", "walk", "ssh.pcap"), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A capture from stdin, and a reply whose request never arrived.
	data, err := os.ReadFile(filepath.Join("testdata", "walk", "ssh.pcap"))
	if err != nil {
		t.Fatal(err)
	}
	if got, errOut, code := runCmd(string(data), "walk", "--pcap", "-", "--format", "json"); code != 0 || !strings.Contains(got, `"mode": "capture"`) {
		t.Errorf("from stdin: exit %d %s\n%s", code, errOut, got)
	}
}

func summary(out string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, " packets: ") {
			return l
		}
	}
	return ""
}

// TestWalkCaptureTools: tcpdump and tshark read the capture walk --pcap-out
// writes, and a capture tcpdump rewrites replays through walk. CI installs
// both tools and sets VPCSIM_REQUIRE_PCAP_TOOLS=1; elsewhere the test runs
// when they are there.
func TestWalkCaptureTools(t *testing.T) {
	required := os.Getenv("VPCSIM_REQUIRE_PCAP_TOOLS") == "1"
	tools := map[string]string{}
	for _, name := range []string{"tcpdump", "tshark"} {
		path, err := exec.LookPath(name)
		if err != nil {
			if required {
				t.Fatalf("%s is not installed (VPCSIM_REQUIRE_PCAP_TOOLS=1)", name)
			}
			t.Skipf("%s is not installed", name)
		}
		tools[name] = path
	}
	dir := t.TempDir()
	for _, ext := range []string{".pcap", ".pcapng"} {
		ours := filepath.Join(dir, "ours"+ext)
		out, errOut, code := runCmd("", "walk", "--from", "internet", "--to", "aws_instance.bastion", "--protocol", "tcp", "--port", "22", "--pcap-out", ours)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		td, err := exec.Command(tools["tcpdump"], "-nn", "-r", ours).CombinedOutput()
		if err != nil {
			t.Fatalf("tcpdump -r %s: %v\n%s", ours, err, td)
		}
		if n := strings.Count(string(td), " IP 198.51.100.7.49152 > 44.210.93.18.22:") + strings.Count(string(td), " IP 10.0.0.57.22 > 198.51.100.7.49152:"); n != 10 {
			t.Errorf("tcpdump shows %d of the 10 packets:\n%s", n, td)
		}
		// tshark's warnings (running as root) go to stderr: read stdout only.
		ts, err := exec.Command(tools["tshark"], "-r", ours, "-T", "fields", "-e", "ip.src", "-e", "tcp.flags.str").Output()
		if err != nil {
			t.Fatalf("tshark -r %s: %v\n%s", ours, err, ts)
		}
		if lines := strings.Count(strings.TrimSpace(string(ts)), "\n") + 1; lines != 10 || strings.Contains(string(ts), "malformed") {
			t.Errorf("tshark reads %d packets:\n%s", lines, ts)
		}
		// A capture written by tcpdump replays through walk.
		theirs := filepath.Join(dir, "theirs"+ext+".pcap")
		if b, err := exec.Command(tools["tcpdump"], "-r", ours, "-w", theirs).CombinedOutput(); err != nil {
			t.Fatalf("tcpdump -w: %v\n%s", err, b)
		}
		replayed, errOut, code := runCmd("", "walk", "--pcap", theirs)
		if code != 0 || summary(replayed) != summary(out) {
			t.Errorf("tcpdump's capture replays: exit %d %s\n%s", code, errOut, replayed)
		}
	}
}

// TestWalkOutputIsNotACapture: -o (or --out, its alias) names the answer's
// file; a capture's name there is a usage error pointing to --pcap-out,
// never a text file named .pcap.
func TestWalkOutputIsNotACapture(t *testing.T) {
	dir := t.TempDir()
	for _, flag := range []string{"-o", "--out", "--output"} {
		path := filepath.Join(dir, "walked.pcap")
		_, errOut, code := runCmd("", "walk", "--from", "internet", "--to", "aws_instance.bastion", "--protocol", "tcp", "--port", "22", flag, path)
		if code != 2 || !strings.Contains(errOut, "--pcap-out "+path) {
			t.Errorf("%s %s: exit %d, stderr %q", flag, path, code, errOut)
		}
		if _, err := os.Stat(path); err == nil {
			t.Errorf("%s %s: the file was written", flag, path)
		}
	}
}
