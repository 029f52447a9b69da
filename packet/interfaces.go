package packet

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"net/netip"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/packet/flowlog"
	"github.com/vpcsim/vpcsim/reach"
)

// FlowLogInterfaces describes, for flow logs, every interface the engine
// numbers (a Walker's events name them by the same number): the network's
// interfaces with their account, VPC, subnet, instance, region, zone and
// primary addresses, then the interfaces transit gateway attachments have in
// their subnets.
//
// The input never describes an attachment's interfaces; AWS creates one per
// attachment subnet and flow logs show them (AWS's transit gateway example).
// vpcsim names each "eni-" followed by 17 hex digits of a hash of the
// attachment and subnet IDs, and gives it the highest address of the subnet
// that no interface uses (AWS picks one; which one is not published): the
// records are AWS's but those two values are invented, and stable.
func FlowLogInterfaces(e *reach.Engine) []flowlog.Interface {
	n := e.Network()
	ifaces := map[string]*model.NetworkInterface{}
	used := map[netip.Addr]bool{}
	for _, x := range n.Interfaces {
		ifaces[x.ID] = x
		for _, a := range x.PrivateIPs {
			used[a] = true
		}
	}
	subnets := map[string]*model.Subnet{}
	for _, s := range n.Subnets {
		subnets[s.ID] = s
	}
	vpcs := map[string]*model.VPC{}
	for _, v := range n.VPCs {
		vpcs[v.ID] = v
	}
	instances := map[string]string{}
	for _, in := range n.Instances {
		for _, id := range in.InterfaceIDs {
			instances[id] = in.ID
		}
	}
	out := make([]flowlog.Interface, e.Interfaces())
	for i := range out {
		c, _ := e.Interface(int32(i))
		fi := flowlog.Interface{Region: n.Region, AccountID: n.AccountID}
		var sub *model.Subnet
		if c.Subnet != nil {
			sub = subnets[c.Subnet.ID]
		}
		if sub != nil {
			fi.SubnetID, fi.VPCID, fi.AZID = sub.ID, sub.VPCID, sub.AvailabilityZoneID
			if v := vpcs[sub.VPCID]; v != nil {
				fi.Region, fi.AccountID = cmp.Or(v.Region, fi.Region), cmp.Or(v.AccountID, fi.AccountID)
			}
		}
		switch x := ifaces[c.Interface.ID]; {
		case c.Interface.Kind == "network-interface" && x != nil:
			fi.ID = x.ID
			if x.OwnerKind == model.OwnerInstance {
				fi.InstanceID = cmp.Or(instances[x.ID], x.OwnerID)
			}
			for _, a := range x.PrivateIPs {
				if a.Is4() {
					fi.PrimaryV4 = a
					break
				}
			}
			if len(x.IPv6Addrs) > 0 {
				fi.PrimaryV6 = x.IPv6Addrs[0]
			}
		default:
			// A transit gateway attachment's interface in its subnet.
			h := fnv.New64a()
			fmt.Fprintf(h, "%s/%s", c.Interface.ID, fi.SubnetID)
			fi.ID = fmt.Sprintf("eni-%017x", h.Sum64())
			if sub != nil {
				fi.PrimaryV4 = highestFree(sub.CIDR, used)
				used[fi.PrimaryV4] = true
			}
		}
		out[i] = fi
	}
	return out
}

// highestFree is the highest address of p that AWS lets interfaces use (it
// reserves the last) and that none does; invalid when there is none.
func highestFree(p netip.Prefix, used map[netip.Addr]bool) netip.Addr {
	if !p.IsValid() || !p.Addr().Is4() {
		return netip.Addr{}
	}
	b := p.Masked().Addr().As4()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	size := uint32(1) << (32 - p.Bits())
	// AWS reserves the first four addresses and the last of every subnet.
	for off := size - 2; off >= 4 && off < size; off-- {
		x := v + off
		a := netip.AddrFrom4([4]byte{byte(x >> 24), byte(x >> 16), byte(x >> 8), byte(x)})
		if !used[a] {
			return a
		}
	}
	return netip.Addr{}
}
