package reach

import (
	"encoding/json"
	"testing"

	"github.com/vpcsim/vpcsim/model"
)

func TestSmokeS3(t *testing.T) {
	n := newNet()
	n.vpc("vpc-1", "10.0.0.0/16")
	n.subnet("subnet-1", "vpc-1", "us-east-1a", "10.0.0.0/24")
	n.igw("igw-1", "vpc-1")
	n.rt("rtb-1", "vpc-1", []string{"subnet-1"}, "0.0.0.0/0 igw-1")
	n.sg("sg-1", "vpc-1", []sgSpec{"tcp 22 0.0.0.0/0"}, []sgSpec{"all - 0.0.0.0/0"})
	n.instance("i-1", "subnet-1", []string{"sg-1"}, "18.216.80.133", "10.0.0.91")
	e := n.engine(t)
	p22 := model.Port(22)
	for _, q := range []Query{
		{From: "8.8.8.8", To: "i-1", Protocol: model.ProtocolTCP, Port: &p22},
		{From: "8.8.8.8", To: "18.216.80.133", Protocol: model.ProtocolTCP, Port: &model.PortRange{First: 80, Last: 80}},
		{From: "i-1", To: "8.8.8.8", Protocol: model.ProtocolTCP, Port: &p22},
		{From: "internet", To: "10.0.0.91", Protocol: model.ProtocolTCP, Port: &p22},
	} {
		r, err := e.Trace(q)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.MarshalIndent(r, "", " ")
		t.Logf("%s -> %s: reachable=%v\n%s", q.From, q.To, r.Reachable, b)
	}
}
