package reach

import (
	"strings"
	"testing"
)

func TestMatrix(t *testing.T) {
	n := newNet()
	base(n)
	withNAT(n)
	e := n.engine(t)
	m, err := e.Matrix(MatrixOptions{By: BySubnet, Internet: true})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, c := range m.Cells {
		got[c.From+" -> "+c.To] = strings.Join(c.Services, ", ")
	}
	want := map[string]string{
		// web's group admits 22, 80 and 443 from anywhere, app's admits 8080
		// from web's group only.
		"internet -> test.subnet-pub":         "tcp 22, tcp 80, tcp 443",
		"test.subnet-pub -> test.subnet-priv": "tcp 8080",
		"test.subnet-priv -> test.subnet-pub": "tcp 22, tcp 80, tcp 443",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("cells %v, want %v", got, want)
	}
	if _, err := e.Matrix(MatrixOptions{By: "colour"}); err == nil {
		t.Error("an invalid grouping is accepted")
	}
}
