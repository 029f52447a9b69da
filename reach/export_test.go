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
