resource "aws_eip" "nat" {
  domain = "vpc"
}
resource "aws_security_group" "db" {
  name   = "db"
  vpc_id = "vpc-0123456789abcdef0"
}
resource "aws_security_group_rule" "from_nat" {
  type              = "ingress"
  security_group_id = aws_security_group.db.id
  protocol          = "tcp"
  from_port         = 5432
  to_port           = 5432
  cidr_blocks       = ["${aws_eip.nat.public_ip}/32"]
}
