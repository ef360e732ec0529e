variable "pitboss_region" {
  description = "The Pitboss region this state is for: eu, uk or br (one state per region: -var-file=<region>.tfvars)."
  type        = string
  validation {
    condition     = contains(["eu", "uk", "br"], var.pitboss_region)
    error_message = "pitboss_region must be eu, uk or br."
  }
}

variable "aws_region" {
  description = "AWS region of this state."
  type        = string
  validation {
    condition     = can(regex("^[a-z]{2}-[a-z]+-[0-9]$", var.aws_region))
    error_message = "aws_region must look like eu-west-1."
  }
}

variable "cidr" {
  description = "The VPC's /16, as in charts/environments/<env>/<region>.yaml."
  type        = string
}

variable "azs" {
  description = "Three availability zones of aws_region."
  type        = list(string)
}

variable "redis_auth_secret_id" {
  description = "Secrets Manager secret with the Redis AUTH token (created by the secrets pipeline)."
  type        = string
}

variable "global_cluster_identifier" {
  description = "The primary's Aurora global database (output region.global_cluster_identifier of production-primary)."
  type        = string
  validation {
    condition     = length(var.global_cluster_identifier) > 0
    error_message = "global_cluster_identifier is required: the DR region's Aurora is the global database's secondary."
  }
}
