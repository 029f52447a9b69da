locals {
  # Active Directory: protocol, ports, description.
  directory_ports = [
    ["tcp", 53, 53, "DNS"],
    ["udp", 53, 53, "DNS"],
    ["tcp", 88, 88, "Kerberos"],
    ["udp", 88, 88, "Kerberos"],
    ["tcp", 389, 389, "LDAP"],
    ["udp", 389, 389, "LDAP"],
    ["tcp", 445, 445, "SMB"],
    ["tcp", 636, 636, "LDAPS"],
    ["tcp", 3268, 3269, "Global catalog"],
    ["tcp", 49152, 65535, "RPC dynamic ports"],
    ["icmp", -1, -1, "ICMP"],
  ]
}

resource "aws_security_group" "directory" {
  name        = "${var.name}-directory"
  description = "Active Directory domain controllers"
  vpc_id      = aws_vpc.this.id

  dynamic "ingress" {
    for_each = local.directory_ports
    content {
      protocol    = ingress.value[0]
      from_port   = ingress.value[1]
      to_port     = ingress.value[2]
      description = ingress.value[3]
      cidr_blocks = var.internal_cidrs
    }
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = { Name = "${var.name}-directory" }
}

resource "aws_instance" "directory" {
  count                  = length(var.zones)
  ami                    = "ami-0ae8f15ae66fe8cda"
  instance_type          = "m6i.large"
  subnet_id              = aws_subnet.services[count.index].id
  private_ip             = var.directory_ips[count.index]
  vpc_security_group_ids = [aws_security_group.directory.id]

  root_block_device {
    volume_size = 100
  }

  tags = { Name = "ad-dc-${count.index + 1}", Role = "domain-controller" }
}
