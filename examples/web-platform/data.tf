# The orders database: private, in the data subnets.
resource "aws_db_subnet_group" "data" {
  name       = "web-platform-data"
  subnet_ids = [for s in aws_subnet.data : s.id]
  tags       = { Name = "web-platform-data" }
}

resource "aws_db_instance" "orders" {
  identifier                  = "web-platform-orders"
  engine                      = "postgres"
  engine_version              = "16.3"
  instance_class              = "db.t4g.medium"
  allocated_storage           = 50
  storage_encrypted           = true
  username                    = "orders"
  manage_master_user_password = true
  db_subnet_group_name        = aws_db_subnet_group.data.name
  vpc_security_group_ids      = [aws_security_group.db.id]
  publicly_accessible         = false
  skip_final_snapshot         = true
}

# The reporting database: publicly accessible, in the public subnets, MySQL
# open to the world.
resource "aws_db_subnet_group" "public" {
  name       = "web-platform-public"
  subnet_ids = [for s in aws_subnet.public : s.id]
  tags       = { Name = "web-platform-public" }
}

resource "aws_db_instance" "reports" {
  identifier                  = "web-platform-reports"
  engine                      = "mysql"
  engine_version              = "8.0.39"
  instance_class              = "db.t4g.small"
  allocated_storage           = 20
  username                    = "reports"
  manage_master_user_password = true
  db_subnet_group_name        = aws_db_subnet_group.public.name
  vpc_security_group_ids      = [aws_security_group.reports_db.id]
  publicly_accessible         = true
  skip_final_snapshot         = true
}
