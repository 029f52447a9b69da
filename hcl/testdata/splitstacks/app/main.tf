# The app stack: reads the network stack's outputs from its state.
provider "aws" {
  region = "eu-west-1"
}

data "terraform_remote_state" "network" {
  backend = "local"
  config = {
    path = "${path.module}/../network.tfstate"
  }
}

resource "aws_security_group" "web" {
  name   = "web"
  vpc_id = data.terraform_remote_state.network.outputs.vpc_id
  ingress {
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "web" {
  ami                    = "ami-0123456789abcdef0"
  instance_type          = "t3.micro"
  subnet_id              = data.terraform_remote_state.network.outputs.subnet_id
  vpc_security_group_ids = [aws_security_group.web.id]
}
