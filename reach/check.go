// Design checks: the built-in checks of `vpcsim check`, each an exact
// computation on the compiled programs, walks and round trip every other
// query uses (docs/checks.md describes each).

package reach

import (
	"cmp"
	"fmt"
	"net/netip"
	"path"
	"slices"
	"strings"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach/hset"
)

// CheckID names a built-in check. IDs are stable: suppressions and baselines
// refer to them.
type CheckID string

// The built-in checks, in the order they run and are documented.
const (
	CheckInternetExposure   CheckID = "internet-exposure"
	CheckLatentExposure     CheckID = "latent-exposure"
	CheckAsymmetricPath     CheckID = "asymmetric-path"
	CheckEphemeralPartial   CheckID = "nacl-ephemeral-partial"
	CheckRouteBlackhole     CheckID = "route-blackhole"
	CheckRouteNonTransitive CheckID = "route-nontransitive"
	CheckRouteTGWZone       CheckID = "route-tgw-zone"
	CheckRouteDeadEnd       CheckID = "route-dead-end"
	CheckRouteShadowed      CheckID = "route-shadowed"
	CheckNACLRuleShadowed   CheckID = "nacl-rule-shadowed"
	CheckNACLRuleRedundant  CheckID = "nacl-rule-redundant"
	CheckRuleUnreachable    CheckID = "rule-unreachable"
	CheckOverlappingCIDRs   CheckID = "overlapping-cidrs"
	CheckUnusedSG           CheckID = "unused-security-group"
	CheckUnusedSubnet       CheckID = "unused-subnet"
	CheckUnusedRouteTable   CheckID = "unused-route-table"
	CheckUnusedNetworkACL   CheckID = "unused-network-acl"
	CheckUnusedGateway      CheckID = "unused-gateway"
	CheckUnusedElasticIP    CheckID = "unused-elastic-ip"
)

// CheckInfo documents a built-in check.
type CheckInfo struct {
	ID CheckID `json:"id"`
	// Title says in one line what the check finds.
	Title string `json:"title"`
	// Rationale says why it matters, after the AWS documentation in Docs.
	Rationale string `json:"rationale"`
	// Docs are the AWS documentation pages the rationale follows.
	Docs []string `json:"docs"`
}

const (
	docSGRules      = "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html"
	docSecurityHub  = "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html"
	docIGW          = "https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Internet_Gateway.html"
	docNACLRules    = "https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html"
	docEphemeral    = "https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html"
	docRouteTables  = "https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html"
	docRoutePrio    = "https://docs.aws.amazon.com/vpc/latest/userguide/route-tables-priority.html"
	docRouteAPI     = "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Route.html"
	docPeeringRoute = "https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-routing.html"
	docPeeringBad   = "https://docs.aws.amazon.com/vpc/latest/peering/invalid-peering-configurations.html"
	docTGWAttach    = "https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html"
	docTGWTables    = "https://docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html"
	docNAT          = "https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-troubleshooting.html"
	docNATPricing   = "https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-pricing.html"
)

// Checks lists every built-in check, in the order they run.
var Checks = []CheckInfo{
	{CheckInternetExposure, "A security group rule open to the whole internet lets the internet reach a service",
		"AWS recommends that no security group allow unrestricted ingress (0.0.0.0/0 or ::/0) to remote administration and other high-risk ports (Security Hub controls EC2.13, EC2.14, EC2.19). The check reports every rule open to the whole internet whose traffic reaches an interface from the internet and gets its replies back; how serious it is depends on the service (the severity policy).",
		[]string{docSGRules, docSecurityHub}},
	{CheckLatentExposure, "A security group rule open to the whole internet is kept closed only by routing or addressing",
		"A rule allowing 0.0.0.0/0 or ::/0 admits every address, inside the network too; an interface is reachable from the internet as soon as it has a public address, its VPC an internet gateway, its subnet a route to it, and its network ACL lets the traffic through. The check reports such rules whose traffic does not reach their interfaces from the internet today, and what would have to change for it to.",
		[]string{docSGRules, docIGW, docSecurityHub}},
	{CheckAsymmetricPath, "Traffic that security groups allow arrives, but its replies never come back",
		"Network ACLs are stateless and routing is decided separately in each direction: both sides of a peering need routes, a transit gateway attachment serves only its zones, and a NAT gateway drops replies to connections it did not open. The check follows every flow security groups clearly intend (a rule naming a group, a prefix list or a CIDR that is not the whole internet, or any rule for traffic from the internet) that reaches its destination, and reports those whose replies are dropped.",
		[]string{docNACLRules, docPeeringRoute, docTGWAttach, docNAT}},
	{CheckEphemeralPartial, "A network ACL lets replies through to part of the client ports only",
		"Clients pick their source port from an ephemeral range that depends on the operating system (1024-65535 covers them all); a network ACL must allow the replies to every one of them, or connections fail depending on the port the client picked. The check reports network ACL rules on the return path of intended flows that pass replies for part of the range.",
		[]string{docEphemeral, docNACLRules}},
	{CheckRouteBlackhole, "A route's target is gone: the route drops what it matches",
		"A route whose target no longer exists (a deleted NAT gateway, a detached gateway, a terminated instance) is in the blackhole state and drops the traffic it matches; so does a route to a gateway of another VPC or to a transit gateway the VPC is not attached to.",
		[]string{docRouteAPI, docRouteTables}},
	{CheckRouteNonTransitive, "A route relies on transitive peering or edge-to-edge routing",
		"A VPC peering connection carries only traffic addressed to the peer VPC's CIDR blocks: it is not transitive, and the peer's internet gateway, NAT gateway, VPN or transit gateway cannot be used through it. The check reports peering routes whose destinations include networks beyond the peer VPC.",
		[]string{docPeeringBad}},
	{CheckRouteTGWZone, "Subnets route to a transit gateway from a zone its attachment does not cover",
		"A VPC attachment has an interface only in the availability zones of its subnets; resources in other zones cannot reach the transit gateway, and replies to traffic arriving there die on the way back.",
		[]string{docTGWAttach}},
	{CheckRouteDeadEnd, "A route leads into a transit gateway route table that routes none of its traffic",
		"A transit gateway routes by the route table associated with the attachment traffic enters through; when that table has no route (or only blackhole routes) for the destinations of a VPC route, the VPC route carries nothing.",
		[]string{docTGWTables}},
	{CheckRouteShadowed, "A route is never used: more specific routes cover all its destinations",
		"Route tables match the most specific route (longest prefix); a route whose every destination is covered by more specific routes, or by a route of higher priority to the same prefix, decides nothing.",
		[]string{docRoutePrio}},
	{CheckNACLRuleShadowed, "A network ACL rule never applies: lower-numbered rules decide all its traffic the other way",
		"Network ACL rules are evaluated in ascending rule number and the first match decides, so a rule whose traffic is all matched by rules before it never applies; when those rules take the other action, the rule does not do what it says (an allow that never allows, a deny that never denies).",
		[]string{docNACLRules}},
	{CheckNACLRuleRedundant, "A network ACL rule is redundant: lower-numbered rules decide all its traffic the same way",
		"Network ACL rules are evaluated in ascending rule number and the first match decides; a rule whose traffic is all matched, the same way, by rules before it has no effect, and hides what the ACL really does from a reader.",
		[]string{docNACLRules}},
	{CheckRuleUnreachable, "A security group rule allows traffic that never reaches it",
		"A rule is only useful if the traffic it allows can arrive: when routing, a network ACL or the sources' own outbound rules stop everything it allows before it reaches the group's interfaces (or, for an outbound rule, before it reaches anything), the rule serves nothing and usually hides a broken path.",
		[]string{docSGRules, docNACLRules, docRouteTables}},
	{CheckOverlappingCIDRs, "Connected VPCs have overlapping CIDR blocks",
		"AWS cannot peer VPCs whose CIDR blocks overlap, and a transit gateway does not route between attached VPCs with identical or overlapping CIDRs (the later attachment's routes are not propagated): traffic meant for one goes to the other, or nowhere.",
		[]string{docPeeringBad, docTGWAttach}},
	{CheckUnusedSG, "A security group is attached to nothing",
		"Unused security groups should be removed (Security Hub control EC2.22): they clutter reviews, and rules naming them match no address.",
		[]string{docSecurityHub}},
	{CheckUnusedSubnet, "A subnet holds nothing",
		"A subnet with no interface, NAT gateway, endpoint or attachment in it is address space reserved for nothing; it is often one that was meant for something (a transit gateway attachment, a zone) and was left out.",
		[]string{docRouteTables}},
	{CheckUnusedRouteTable, "A route table is associated with nothing",
		"A route table that is not the main table and has no subnet or gateway association routes nothing: its routes have no effect.",
		[]string{docRouteTables}},
	{CheckUnusedNetworkACL, "A network ACL is associated with no subnet",
		"Unused network ACLs should be removed (Security Hub control EC2.16): their rules filter nothing.",
		[]string{docSecurityHub}},
	{CheckUnusedGateway, "A gateway or peering connection that no route uses",
		"An internet, egress-only, NAT or virtual private gateway, a gateway endpoint or a peering connection carries traffic only when a route of a table in use targets it; NAT gateways are billed by the hour whether used or not.",
		[]string{docRouteTables, docNATPricing}},
	{CheckUnusedElasticIP, "An Elastic IP address is associated with nothing",
		"Unused Elastic IP addresses should be released (Security Hub control EC2.12).",
		[]string{docSecurityHub}},
}

// CheckByID returns the check with the given ID.
func CheckByID(id CheckID) (CheckInfo, bool) {
	for _, c := range Checks {
		if c.ID == id {
			return c, true
		}
	}
	return CheckInfo{}, false
}

// MatchChecks resolves patterns to check IDs: an ID, or a pattern with "*"
// ("route-*", "unused-*"). A pattern matching no check is an error, with
// the closest ID as a suggestion.
func MatchChecks(patterns []string) ([]CheckID, error) {
	var out []CheckID
	for _, p := range patterns {
		p = strings.TrimSpace(p)
		n := 0
		for _, c := range Checks {
			if ok, _ := path.Match(p, string(c.ID)); ok {
				n++
				if !slices.Contains(out, c.ID) {
					out = append(out, c.ID)
				}
			}
		}
		if n == 0 {
			best, d := "", 1<<30
			for _, c := range Checks {
				if x := editDistance(p, string(c.ID)); x < d {
					best, d = string(c.ID), x
				}
			}
			hint := ""
			if d <= max(3, len(p)/3) {
				hint = fmt.Sprintf(" (did you mean %s?)", best)
			}
			return nil, fmt.Errorf("no check is called %q%s", p, hint)
		}
	}
	return out, nil
}

// CheckOptions says which built-in checks to run.
type CheckOptions struct {
	// Checks are the checks to run; empty runs every check.
	Checks []CheckID
	// Ephemeral is the client port range replies must reach; the zero value
	// means model.DefaultEphemeral.
	Ephemeral model.PortRange
}

// CheckResult is what the built-in checks found.
type CheckResult struct {
	// Checks are the checks that ran, in Checks order.
	Checks []CheckInfo `json:"checks"`
	// Defects are what they found, by check in Checks order, then by
	// subject.
	Defects []Defect `json:"defects"`
	// Notes are what the answers assume (the engine's notes, and what a
	// check could not judge).
	Notes []Explanation `json:"notes"`
}

// Defect is one thing a built-in check found wrong with the network.
type Defect struct {
	Check CheckID `json:"check"`
	// Subject is what to change: the element at fault, or the owner of
	// Rule (a security group, a network ACL, a route table) when a rule or
	// route is at fault.
	Subject Ref `json:"subject"`
	// Rule is the rule or route at fault, when there is one.
	Rule *RuleRef `json:"rule,omitempty"`
	// Message says what is wrong, naming the elements and the traffic.
	Message string `json:"message"`
	// Fix suggests what to change.
	Fix string `json:"fix"`
	// Involved are the elements concerned, each with its part in it.
	Involved []Involved `json:"involved"`
	// Traffic is the traffic concerned, when the defect is about traffic
	// (what a rule allows, what is exposed, what fails to come back).
	Traffic *Headers `json:"traffic,omitempty"`
	// Service is the protocol and destination ports concerned, for the
	// defects rated by service (exposures).
	Service *Service `json:"service,omitempty"`
	// Witness is one concrete packet that shows the defect, and its trace.
	Witness *Witness `json:"witness,omitempty"`
}

// Where is the defect's most useful position: the rule's, else the
// subject's.
func (d *Defect) Where() model.Pos {
	if d.Rule != nil && !d.Rule.Pos.IsZero() {
		return d.Rule.Pos
	}
	return d.Subject.Pos
}

// Involved is an element a defect or a violation concerns.
type Involved struct {
	// Role is its part: "rule", "route", "security group", "interface",
	// "source", "destination", "subnet", "attachment"…
	Role      string   `json:"role"`
	Component Ref      `json:"component"`
	Rule      *RuleRef `json:"rule,omitempty"`
}

// Check runs the built-in checks opts selects and returns what they found.
// Every check reads the compiled engine only; checks run on every
// processor, and the result does not depend on scheduling.
func (e *Engine) Check(opts CheckOptions) (*CheckResult, error) {
	run := map[CheckID]bool{}
	for _, id := range opts.Checks {
		if _, ok := CheckByID(id); !ok {
			return nil, fmt.Errorf("unknown check %q", id)
		}
		run[id] = true
	}
	on := func(ids ...CheckID) bool {
		if len(run) == 0 {
			return true
		}
		for _, id := range ids {
			if run[id] {
				return true
			}
		}
		return false
	}
	eph := opts.Ephemeral
	if eph == (model.PortRange{}) {
		eph = model.DefaultEphemeral
	}
	c := &checker{e: e, eph: eph, on: on, tiers: e.dstTiers()}
	res := &CheckResult{Notes: e.Notes()}
	for _, info := range Checks {
		if on(info.ID) {
			res.Checks = append(res.Checks, info)
		}
	}
	if on(CheckInternetExposure, CheckLatentExposure, CheckAsymmetricPath, CheckEphemeralPartial, CheckRuleUnreachable) {
		c.traffic()
	}
	if on(CheckRouteBlackhole, CheckRouteNonTransitive, CheckRouteTGWZone, CheckRouteDeadEnd, CheckRouteShadowed) {
		c.routes()
	}
	if on(CheckNACLRuleShadowed, CheckNACLRuleRedundant) {
		c.shadowedACLRules()
	}
	if on(CheckOverlappingCIDRs) {
		c.overlaps()
	}
	if on(CheckUnusedSG, CheckUnusedSubnet, CheckUnusedRouteTable, CheckUnusedNetworkACL, CheckUnusedGateway, CheckUnusedElasticIP) {
		c.unused()
	}
	var ws []*Witness
	for _, d := range c.defects {
		if d.Witness != nil && on(d.Check) {
			ws = append(ws, d.Witness)
		}
	}
	e.traceWitnesses(ws)
	order := map[CheckID]int{}
	for i, info := range Checks {
		order[info.ID] = i
	}
	for _, d := range c.defects {
		if on(d.Check) {
			res.Defects = append(res.Defects, d)
		}
	}
	slices.SortStableFunc(res.Defects, func(a, b Defect) int {
		return cmp.Or(cmp.Compare(order[a.Check], order[b.Check]), cmp.Compare(a.Subject.Label(), b.Subject.Label()),
			cmp.Compare(ruleText(a.Rule), ruleText(b.Rule)), cmp.Compare(a.Message, b.Message))
	})
	res.Notes = append(res.Notes, dedupe(c.notes)...)
	if res.Defects == nil {
		res.Defects = []Defect{}
	}
	if res.Notes == nil {
		res.Notes = []Explanation{}
	}
	return res, nil
}

func ruleText(r *RuleRef) string {
	if r == nil {
		return ""
	}
	return r.Text + "@" + r.Where()
}

// checker holds one run of the checks.
type checker struct {
	e       *Engine
	eph     model.PortRange
	on      func(...CheckID) bool
	defects []Defect
	notes   []Explanation
	// tiers are the destinations witnesses prefer (see dstTiers).
	tiers [][]hset.AddrRange
}

func (c *checker) add(d Defect) { c.defects = append(c.defects, d) }

func (c *checker) note(code Code, comp Ref, format string, args ...any) {
	c.notes = append(c.notes, Explanation{Code: code, Severity: SeverityNote, Component: comp, Message: fmt.Sprintf(format, args...)})
}

// listed names up to n labels and counts the rest: "a, b and 3 more".
func listed(labels []string, n int) string {
	switch {
	case len(labels) == 0:
		return "none"
	case len(labels) == 1:
		return labels[0]
	case len(labels) <= n:
		return strings.Join(labels[:len(labels)-1], ", ") + " and " + labels[len(labels)-1]
	}
	return strings.Join(labels[:n], ", ") + fmt.Sprintf(" and %d more", len(labels)-n)
}

// prefixesText prints prefixes comma-separated.
func prefixesText(ps []netip.Prefix) string {
	ss := make([]string, len(ps))
	for i, p := range ps {
		ss[i] = p.String()
	}
	return strings.Join(ss, ", ")
}
