package examples_test

import (
	"fmt"
	"strings"

	"github.com/vpcsim/vpcsim/examples"
)

func ExampleAll() {
	for _, e := range examples.All() {
		fmt.Println(e.Name, e.StatePath)
	}
	// Output:
	// hub-spoke hub-spoke/terraform.tfstate
	// peering-endpoints peering-endpoints/terraform.tfstate
	// three-tier three-tier/terraform.tfstate
	// web-platform web-platform/terraform.tfstate
}

func ExampleDefault() {
	e := examples.Default()
	state := e.State()
	fmt.Println(e.Name, strings.HasPrefix(string(state), "{\n  \"version\": 4,"))
	// Output: three-tier true
}
