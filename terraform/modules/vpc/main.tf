# A VPC over three availability zones: public subnets (load balancers, NAT), private subnets (EKS nodes) and
# data subnets (Aurora, MSK, ElastiCache) that have no route to the internet. The charts' NetworkPolicies name
# the data subnets' range (data_cidr) as the egress destination of Postgres, Kafka and Redis.
variable "name" {
  description = "Name prefix of every resource (pitboss-<environment>-<region>)."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,40}$", var.name))
    error_message = "name must be lower-case letters, digits and -, 3-41 characters."
  }
}

variable "cidr" {
  description = "The VPC's /16 (10.<n>.0.0/16; charts/environments/<env>/<region>.yaml use the same)."
  type        = string
  validation {
    condition     = can(cidrhost(var.cidr, 0)) && endswith(var.cidr, "/16")
    error_message = "cidr must be a valid IPv4 /16."
  }
}

variable "azs" {
  description = "Exactly three availability zones of the region."
  type        = list(string)
  validation {
    condition     = length(var.azs) == 3
    error_message = "azs must list exactly three availability zones."
  }
}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
}

locals {
  # /16 → private /18 at .0, data /18 at .64 (three /20s), public /20s at .128.
  private = [for i, _ in var.azs : cidrsubnet(var.cidr, 4, i)]
  data    = [for i, _ in var.azs : cidrsubnet(var.cidr, 4, 4 + i)]
  public  = [for i, _ in var.azs : cidrsubnet(var.cidr, 4, 8 + i)]
}

resource "aws_vpc" "this" {
  cidr_block           = var.cidr
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = merge(var.tags, { Name = var.name })
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id
  tags   = merge(var.tags, { Name = var.name })
}

resource "aws_subnet" "public" {
  count                   = length(var.azs)
  vpc_id                  = aws_vpc.this.id
  cidr_block              = local.public[count.index]
  availability_zone       = var.azs[count.index]
  map_public_ip_on_launch = false
  tags                    = merge(var.tags, { Name = "${var.name}-public-${count.index}", "kubernetes.io/role/elb" = "1" })
}

resource "aws_subnet" "private" {
  count             = length(var.azs)
  vpc_id            = aws_vpc.this.id
  cidr_block        = local.private[count.index]
  availability_zone = var.azs[count.index]
  tags              = merge(var.tags, { Name = "${var.name}-private-${count.index}", "kubernetes.io/role/internal-elb" = "1" })
}

resource "aws_subnet" "data" {
  count             = length(var.azs)
  vpc_id            = aws_vpc.this.id
  cidr_block        = local.data[count.index]
  availability_zone = var.azs[count.index]
  tags              = merge(var.tags, { Name = "${var.name}-data-${count.index}" })
}

resource "aws_eip" "nat" {
  count  = length(var.azs)
  domain = "vpc"
  tags   = merge(var.tags, { Name = "${var.name}-nat-${count.index}" })
}

# One NAT gateway per zone, so losing a zone does not cut the other zones' egress (the wallet is on the internet).
resource "aws_nat_gateway" "this" {
  count         = length(var.azs)
  allocation_id = aws_eip.nat[count.index].id
  subnet_id     = aws_subnet.public[count.index].id
  tags          = merge(var.tags, { Name = "${var.name}-${count.index}" })
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.this.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.this.id
  }
  tags = merge(var.tags, { Name = "${var.name}-public" })
}

resource "aws_route_table_association" "public" {
  count          = length(var.azs)
  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}

resource "aws_route_table" "private" {
  count  = length(var.azs)
  vpc_id = aws_vpc.this.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.this[count.index].id
  }
  tags = merge(var.tags, { Name = "${var.name}-private-${count.index}" })
}

resource "aws_route_table_association" "private" {
  count          = length(var.azs)
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private[count.index].id
}

# Data subnets keep the VPC's local route only.
resource "aws_route_table" "data" {
  vpc_id = aws_vpc.this.id
  tags   = merge(var.tags, { Name = "${var.name}-data" })
}

resource "aws_route_table_association" "data" {
  count          = length(var.azs)
  subnet_id      = aws_subnet.data[count.index].id
  route_table_id = aws_route_table.data.id
}

output "vpc_id" {
  description = "Id of the VPC."
  value       = aws_vpc.this.id
}

output "private_subnet_ids" {
  description = "Subnets of the EKS nodes, one per zone."
  value       = aws_subnet.private[*].id
}

output "public_subnet_ids" {
  description = "Subnets of the internet-facing load balancers."
  value       = aws_subnet.public[*].id
}

output "data_subnet_ids" {
  description = "Subnets of Aurora, MSK and ElastiCache, without internet route."
  value       = aws_subnet.data[*].id
}

output "private_cidr" {
  description = "Range of the private subnets (the pods' source addresses with the VPC CNI)."
  value       = cidrsubnet(var.cidr, 2, 0)
}

output "data_cidr" {
  description = "Range of the data subnets: the charts' endpoints.<postgres|kafka|redis>.cidrs."
  value       = cidrsubnet(var.cidr, 2, 1)
}
