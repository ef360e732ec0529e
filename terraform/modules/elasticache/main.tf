# ElastiCache for Redis: bet-gateway's rate limits and bonus-grant's counters. Multi-AZ with automatic failover,
# TLS in transit (REDIS_URL is rediss://…). The AUTH token is read from a Secrets Manager secret that the secrets
# pipeline creates (auth_token_secret_id); it never appears in variables or in git.
variable "name" {
  description = "Replication group id (pitboss-<environment>-<region>)."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,39}$", var.name))
    error_message = "name must be lower-case letters, digits and -, at most 40 characters."
  }
}

variable "node_type" {
  description = "Cache node type."
  type        = string
  default     = "cache.r7g.large"
}

variable "replicas" {
  description = "Replicas besides the primary."
  type        = number
  default     = 2
  validation {
    condition     = var.replicas >= 1 && var.replicas <= 5
    error_message = "replicas must be between 1 and 5 (automatic failover needs one)."
  }
}

variable "subnet_ids" {
  description = "Data subnets."
  type        = list(string)
}

variable "vpc_id" {
  description = "VPC of the group."
  type        = string
}

variable "client_security_group_ids" {
  description = "Security groups allowed on 6379 (the EKS nodes')."
  type        = list(string)
}

variable "kms_key_arn" {
  description = "KMS key for data at rest."
  type        = string
}

variable "auth_token_secret_id" {
  description = "Secrets Manager secret holding the AUTH token (also the password part of REDIS_URL)."
  type        = string
}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
}

data "aws_secretsmanager_secret_version" "auth" {
  secret_id = var.auth_token_secret_id
}

resource "aws_elasticache_subnet_group" "this" {
  name       = var.name
  subnet_ids = var.subnet_ids
}

resource "aws_security_group" "this" {
  name        = "${var.name}-redis"
  description = "Redis from the EKS nodes only"
  vpc_id      = var.vpc_id
  ingress {
    from_port       = 6379
    to_port         = 6379
    protocol        = "tcp"
    security_groups = var.client_security_group_ids
  }
  tags = var.tags
}

resource "aws_elasticache_replication_group" "this" {
  replication_group_id       = var.name
  description                = "Pitboss rate limits and promo counters"
  engine                     = "redis"
  engine_version             = "7.1"
  node_type                  = var.node_type
  num_cache_clusters         = var.replicas + 1
  automatic_failover_enabled = true
  multi_az_enabled           = true
  subnet_group_name          = aws_elasticache_subnet_group.this.name
  security_group_ids         = [aws_security_group.this.id]
  at_rest_encryption_enabled = true
  kms_key_id                 = var.kms_key_arn
  transit_encryption_enabled = true
  auth_token                 = data.aws_secretsmanager_secret_version.auth.secret_string
  snapshot_retention_limit   = 1
  tags                       = var.tags
}

output "primary_endpoint" {
  description = "Host of REDIS_URL (rediss://:<token>@<host>:6379)."
  value       = aws_elasticache_replication_group.this.primary_endpoint_address
}
