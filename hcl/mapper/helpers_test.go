package mapper

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/vpcsim/vpcsim/model"
)

func itoa(n int) string { return strconv.Itoa(n) }

// find returns the element with the given ID or Terraform address.
func find[T any](items []*T, meta func(*T) *model.Meta, id string) *T {
	for _, x := range items {
		if m := meta(x); m.ID == id || m.Address == id {
			return x
		}
	}
	return nil
}

func findRT(n *model.Network, id string) *model.RouteTable {
	return find(n.RouteTables, func(x *model.RouteTable) *model.Meta { return &x.Meta }, id)
}

func findACL(n *model.Network, id string) *model.NetworkACL {
	return find(n.NetworkACLs, func(x *model.NetworkACL) *model.Meta { return &x.Meta }, id)
}

func findSG(n *model.Network, id string) *model.SecurityGroup {
	return find(n.SecurityGroups, func(x *model.SecurityGroup) *model.Meta { return &x.Meta }, id)
}

func findPL(n *model.Network, id string) *model.PrefixList {
	return find(n.PrefixLists, func(x *model.PrefixList) *model.Meta { return &x.Meta }, id)
}

func routeTo(rt *model.RouteTable, dest string) *model.Route {
	for i := range rt.Routes {
		if r := &rt.Routes[i]; r.Destination.String() == dest || r.DestinationPrefixListID == dest {
			return r
		}
	}
	return nil
}

func diagText(ds model.Diagnostics) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(d.String() + "\n")
	}
	return b.String()
}

func findENI(n *model.Network, id string) *model.NetworkInterface {
	return find(n.Interfaces, func(x *model.NetworkInterface) *model.Meta { return &x.Meta }, id)
}

func pfx(s string) netip.Prefix { return netip.MustParsePrefix(s) }

func findSubnet(n *model.Network, id string) *model.Subnet {
	return find(n.Subnets, func(x *model.Subnet) *model.Meta { return &x.Meta }, id)
}

func findTGWRT(n *model.Network, id string) *model.TGWRouteTable {
	return find(n.TGWRouteTables, func(x *model.TGWRouteTable) *model.Meta { return &x.Meta }, id)
}

func containsAny(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
