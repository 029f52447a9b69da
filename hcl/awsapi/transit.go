package awsapi

import (
	"strings"

	"github.com/vpcsim/vpcsim/model"
)

// transit reads transit gateways, their attachments and route tables, and
// each table's associations, propagations and static routes (propagated
// routes are the engine's to derive from the propagations). Associations
// and propagations are explicit in a snapshot: an attachment takes no
// default table beside them.
func (r *regionReader) transit() {
	for _, g := range r.list("ec2-describe-transit-gateways", "TransitGateways") {
		switch str(g, "State") {
		case "deleted", "deleting":
			continue
		}
		o := object(g, "Options")
		r.addOwned("aws_ec2_transit_gateway", g, map[string]any{"id": str(g, "TransitGatewayId"), "owner_id": str(g, "OwnerId"),
			"arn": str(g, "TransitGatewayArn"), "tags": tags(g),
			"default_route_table_association":    strings.ToLower(str(o, "DefaultRouteTableAssociation")),
			"default_route_table_propagation":    strings.ToLower(str(o, "DefaultRouteTablePropagation")),
			"association_default_route_table_id": str(o, "AssociationDefaultRouteTableId"),
			"propagation_default_route_table_id": str(o, "PropagationDefaultRouteTableId")}, str(g, "OwnerId"))
	}
	for _, a := range r.list("ec2-describe-transit-gateway-vpc-attachments", "TransitGatewayVpcAttachments") {
		if gone(str(a, "State")) {
			continue
		}
		// The VPC's owner owns the attachment (in Terraform, its
		// aws_ec2_transit_gateway_vpc_attachment); the gateway's owner
		// accepts it.
		r.addOwned("aws_ec2_transit_gateway_vpc_attachment", a, map[string]any{"id": str(a, "TransitGatewayAttachmentId"),
			"transit_gateway_id": str(a, "TransitGatewayId"), "vpc_id": str(a, "VpcId"), "vpc_owner_id": str(a, "VpcOwnerId"),
			"subnet_ids": stringList(a, "SubnetIds", ""), "tags": tags(a),
			"appliance_mode_support":                          strings.ToLower(str(object(a, "Options"), "ApplianceModeSupport")),
			"transit_gateway_default_route_table_association": false, "transit_gateway_default_route_table_propagation": false},
			str(a, "VpcOwnerId"))
	}
	for _, a := range r.list("ec2-describe-transit-gateway-peering-attachments", "TransitGatewayPeeringAttachments") {
		if gone(str(object(a, "Status"), "Code")) {
			continue
		}
		// The requester owns the attachment (in Terraform, its
		// aws_ec2_transit_gateway_peering_attachment), from its gateway to
		// the accepter's: the answers of both ends describe it so.
		req, acc := object(a, "RequesterTgwInfo"), object(a, "AccepterTgwInfo")
		r.addOwned("aws_ec2_transit_gateway_peering_attachment", a, map[string]any{"id": str(a, "TransitGatewayAttachmentId"),
			"transit_gateway_id": str(req, "TransitGatewayId"), "peer_transit_gateway_id": str(acc, "TransitGatewayId"),
			"peer_account_id": str(acc, "OwnerId"), "peer_region": str(acc, "Region"), "tags": tags(a)}, str(req, "OwnerId"))
	}
	for _, a := range r.list("ec2-describe-transit-gateway-attachments", "TransitGatewayAttachments") {
		switch t := str(a, "ResourceType"); t {
		case "vpc", "peering":
		default:
			if !gone(str(a, "State")) {
				r.diag(model.SeverityWarning, posOf(a, r.pos()), str(a, "TransitGatewayAttachmentId"),
					"a transit gateway attachment of type %s: the snapshot does not describe what is behind it (a VPN connection, Direct Connect, Connect), which vpcsim leaves out", t)
			}
		}
	}
	for _, t := range r.list("ec2-describe-transit-gateway-route-tables", "TransitGatewayRouteTables") {
		if gone(str(t, "State")) {
			continue
		}
		id := str(t, "TransitGatewayRouteTableId")
		def, _ := boolean(t, "DefaultAssociationRouteTable")
		r.add("aws_ec2_transit_gateway_route_table", t, map[string]any{"id": id, "transit_gateway_id": str(t, "TransitGatewayId"),
			"default_association_route_table": def, "tags": tags(t)})
		for _, k := range []struct{ op, member, typ string }{
			{"ec2-get-transit-gateway-route-table-associations", "Associations", "aws_ec2_transit_gateway_route_table_association"},
			{"ec2-get-transit-gateway-route-table-propagations", "TransitGatewayRouteTablePropagations", "aws_ec2_transit_gateway_route_table_propagation"},
		} {
			for _, l := range r.keyedList(k.op, id, k.member) {
				if st := str(l, "State"); st != "" && st != "associated" && st != "enabled" {
					continue
				}
				r.add(k.typ, l, map[string]any{"transit_gateway_route_table_id": id, "transit_gateway_attachment_id": str(l, "TransitGatewayAttachmentId")})
			}
		}
		for _, ro := range r.keyedList("ec2-search-transit-gateway-routes", id, "Routes") {
			if str(ro, "Type") != "static" {
				continue
			}
			attrs := map[string]any{"transit_gateway_route_table_id": id, "destination_cidr_block": str(ro, "DestinationCidrBlock"),
				"blackhole": str(ro, "State") == "blackhole"}
			for _, a := range objects(ro, "TransitGatewayAttachments") {
				attrs["transit_gateway_attachment_id"] = str(a, "TransitGatewayAttachmentId")
			}
			r.add("aws_ec2_transit_gateway_route", ro, attrs)
		}
	}
}

// gone reports whether a state says the element no longer carries traffic.
func gone(state string) bool {
	switch state {
	case "deleted", "deleting", "failed", "rejected", "failing":
		return true
	}
	return false
}
