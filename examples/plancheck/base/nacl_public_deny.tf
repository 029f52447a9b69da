# Deny rules of the public subnets' ACL, kept apart from the allow rules
# because the security team owns them (CODEOWNERS). RDP is denied at the
# edge (rule 90) before anything is allowed.

resource "aws_network_acl_rule" "public_in_deny_rdp" {
  network_acl_id = aws_network_acl.public.id
  rule_number    = 90
  egress         = false
  protocol       = "tcp"
  rule_action    = "deny"
  cidr_block     = "0.0.0.0/0"
  from_port      = 3389
  to_port        = 3389
}
