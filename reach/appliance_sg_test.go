package reach

import (
	"net/netip"
	"testing"

	"github.com/vpcsim/vpcsim/model"
)

// TestApplianceSecurityGroupNamesInterface checks that the security groups
// of an interface a route sends traffic to (an appliance, by a subnet's
// route table or by a gateway's) are named as that interface's, in traces
// and in the packet stepper's events (whose interface number says whose
// flow log shows the decision).
func TestApplianceSecurityGroupNamesInterface(t *testing.T) {
	for _, c := range []struct {
		name  string
		build func(n *tnet)
		from  string
		dst   string
	}{
		{"subnet route to an appliance", func(n *tnet) {
			base(n)
			fw := n.instance("fw", "subnet-pub", []string{"sg-web"}, "", "10.0.1.50")
			fw.SourceDestCheck = false
			addRoute(n, "rtb-main", "0.0.0.0/0 eni-fw")
		}, "app", "8.8.8.8"},
		{"gateway route to an appliance", func(n *tnet) {
			base(n)
			fw := n.instance("fw", "subnet-priv", []string{"sg-any"}, "", "10.0.2.50")
			fw.SourceDestCheck = false
			n.sg("sg-any", "vpc-1", []sgSpec{"all - 0.0.0.0/0"}, []sgSpec{"all - 0.0.0.0/0"})
			rt := n.rt("rtb-edge", "vpc-1", nil, "10.0.1.0/24 eni-fw")
			rt.Associations = []model.RouteTableAssociation{{GatewayID: "igw-1"}}
		}, "8.8.8.8", "54.0.0.10"},
	} {
		t.Run(c.name, func(t *testing.T) {
			n := newNet()
			c.build(n)
			e := n.engine(t)
			fw := e.eni["eni-fw"]
			if fw == nil {
				t.Fatal("no eni-fw")
			}
			res, err := e.Trace(tcp(c.from, c.dst, 443))
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, h := range res.Forward {
				for _, st := range h.Steps {
					if st.Kind == StepSecurityGroup && st.Direction == model.Ingress && h.Component.ID == "eni-fw" {
						found = true
						if st.Component != fw.ref {
							t.Errorf("trace: the appliance's inbound security group step names %+v, want %+v", st.Component, fw.ref)
						}
					}
				}
			}
			if !found {
				t.Errorf("trace: no inbound security group step at the appliance in %+v", res.Forward)
			}

			pos, err := e.StartAt(c.from)
			if err != nil {
				t.Fatal(err)
			}
			src := netip.MustParseAddr("8.8.8.8")
			if pos.n.kind == nodeENI {
				src = pos.n.eni.PrimaryIP()
			}
			h := Header{Src: src, Dst: netip.MustParseAddr(c.dst), Proto: 6, SrcPort: 40000, DstPort: 443}
			var hop PacketHop
			found = false
			for range 20 {
				e.Step(pos, h, false, &hop)
				for _, ev := range hop.Events() {
					// The packet enters no interface but the appliance.
					if ev.Kind == StepSecurityGroup && ev.Direction == model.Ingress {
						if ev.Iface != fw.iid || ev.Component == nil || *ev.Component != fw.ref {
							t.Errorf("stepper: an inbound security group event names interface %d, %+v; the appliance is %d, %+v", ev.Iface, ev.Component, fw.iid, fw.ref)
						}
						found = true
					}
				}
				if hop.Outcome != OutcomeForward {
					break
				}
				pos, h = hop.Next, hop.Header
			}
			if !found {
				t.Errorf("stepper: no inbound security group event at the appliance")
			}
		})
	}
}
