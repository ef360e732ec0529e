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

variable "dr_backup_vault_arn" {
  description = "The DR region's backup vault (output backup_vault_arn of production-dr); empty on the first apply."
  type        = string
  default     = ""
}

variable "dns_zone_id" {
  description = "Route 53 zone of the API name."
  type        = string
}

variable "api_record_name" {
  description = "The aggregators' API name of this region, e.g. api.eu.pitboss.example."
  type        = string
}

variable "primary_lb_dns_name" {
  description = "bet-gateway's load balancer in this region (created by the ingress controller)."
  type        = string
}

variable "dr_lb_dns_name" {
  description = "bet-gateway's load balancer in the DR region."
  type        = string
}
