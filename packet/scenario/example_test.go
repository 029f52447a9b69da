package scenario_test

import (
	"fmt"

	"github.com/vpcsim/vpcsim/packet/scenario"
)

func ExampleParse() {
	src := `
duration = "5m"

traffic "shoppers" {
  from  = "internet"
  to    = "aws_instance.web"
  port  = 443
  rate  = "120/m"
}

scan "recon" {
  from  = "203.0.113.66"
  to    = "aws_instance.web"
  ports = "1-1024"
}
`
	sc, diags := scenario.Parse("shop.hcl", []byte(src))
	if len(diags) > 0 {
		fmt.Println(diags)
		return
	}
	t := sc.Traffic[0]
	fmt.Printf("%s: %v to %v, %s/%d, %g sessions a second for %v\n", t.Name, t.From, t.To, t.Protocol, t.Port, t.Rate, sc.Duration)
	fmt.Printf("%s: %d probes\n", sc.Scans[0].Name, sc.Scans[0].Probes())

	_, diags = scenario.Parse("bad.hcl", []byte("traffic \"x\" {\n  from = \"internet\"\n  to   = \"web\"\n  port = 99999\n}\n"))
	fmt.Println(diags[0])
	// Output:
	// shoppers: [internet] to [aws_instance.web], tcp/443, 2 sessions a second for 5m0s
	// recon: 1024 probes
	// bad.hcl:4:10: error: port: want a whole number from 1 to 65535, not 99999
}
