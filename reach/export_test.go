package reach

// Test helpers shared with the external test package.
var (
	NewNetForTest  = newNet
	BaseForTest    = base
	WithNATForTest = withNAT
	HubForTest     = hub
	TCPForTest     = tcp
)

type TNet = tnet

func (t *tnet) EngineForTest(tb interface {
	Helper()
	Fatalf(string, ...any)
}) *Engine {
	t.Synthesize()
	e, err := New(t.Network)
	if err != nil {
		tb.Fatalf("%v", err)
	}
	return e
}

func (t *tnet) ACLForTest(id, vpc string, subnets, in, out []string) {
	t.acl(id, vpc, subnets, in, out)
}

// AgreementNetworks are scenario networks with varied paths, for the
// agreement test.
var AgreementNetworks = map[string]func(*tnet){
	"base": base,
	"nat with acls": func(n *tnet) {
		base(n)
		withNAT(n)
		n.acl("acl-pub", "vpc-1", []string{"subnet-pub"}, []string{"90 deny tcp 22 8.0.0.0/8", "100 allow all - 0.0.0.0/0"}, []string{"100 allow tcp 1024-32767 0.0.0.0/0", "110 allow all - 10.0.0.0/8"})
		n.acl("acl-priv", "vpc-1", []string{"subnet-priv"}, []string{"100 allow tcp 8080 10.0.1.0/24", "110 allow tcp 1024-65535 0.0.0.0/0", "120 allow icmp - 0.0.0.0/0"}, []string{"100 allow all - 0.0.0.0/0"})
		n.Interfaces[1].PublicIPs = nil
	},
	"peering": twoVPCs,
	"transit": hub,
}
