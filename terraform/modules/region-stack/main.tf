# Everything one Pitboss region needs in one AWS region: VPC, keys, EKS, Aurora, MSK, ElastiCache, WAF. Each
# Pitboss region (eu, uk, br) gets its own (data residency); the environments compose it once per region.
variable "name" {
  description = "pitboss-<environment>-<region>: the prefix of every resource, and the EKS cluster's name."
  type        = string
}

variable "cidr" {
  description = "The VPC's /16; must match charts/environments/<env>/<region>.yaml."
  type        = string
}

variable "azs" {
  description = "Three availability zones."
  type        = list(string)
}

variable "aurora_instances" {
  description = "Aurora instances (writer + readers)."
  type        = number
  default     = 2
}

variable "create_global_cluster" {
  description = "Primary of a DR pair: create the Aurora global database."
  type        = bool
  default     = false
}

variable "global_cluster_identifier" {
  description = "DR region: the global database to join as a secondary."
  type        = string
  default     = ""
}

variable "dr_backup_vault_arn" {
  description = "DR region's backup vault, the copy destination of the snapshots (empty: none)."
  type        = string
  default     = ""
}

variable "redis_auth_secret_id" {
  description = "Secrets Manager secret with the Redis AUTH token."
  type        = string
}

variable "eks_public_access_cidrs" {
  description = "Addresses allowed to reach the EKS API."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
}

module "kms" {
  source      = "../kms"
  name        = var.name
  description = "Pitboss ${var.name}: EKS secrets, Aurora, MSK, ElastiCache, backups"
  tags        = var.tags
}

module "vpc" {
  source = "../vpc"
  name   = var.name
  cidr   = var.cidr
  azs    = var.azs
  tags   = var.tags
}

module "eks" {
  source              = "../eks"
  name                = var.name
  subnet_ids          = module.vpc.private_subnet_ids
  kms_key_arn         = module.kms.key_arn
  public_access_cidrs = var.eks_public_access_cidrs
  tags                = var.tags
}

module "aurora" {
  source                    = "../aurora-postgres"
  name                      = var.name
  vpc_id                    = module.vpc.vpc_id
  subnet_ids                = module.vpc.data_subnet_ids
  client_security_group_ids = [module.eks.node_security_group_id]
  kms_key_arn               = module.kms.key_arn
  instances                 = var.aurora_instances
  create_global_cluster     = var.create_global_cluster
  global_cluster_identifier = var.global_cluster_identifier
  dr_backup_vault_arn       = var.dr_backup_vault_arn
  tags                      = var.tags
}

module "msk" {
  source                    = "../msk"
  name                      = var.name
  vpc_id                    = module.vpc.vpc_id
  subnet_ids                = module.vpc.data_subnet_ids
  client_security_group_ids = [module.eks.node_security_group_id]
  kms_key_arn               = module.kms.key_arn
  tags                      = var.tags
}

module "redis" {
  source                    = "../elasticache"
  name                      = var.name
  vpc_id                    = module.vpc.vpc_id
  subnet_ids                = module.vpc.data_subnet_ids
  client_security_group_ids = [module.eks.node_security_group_id]
  kms_key_arn               = module.kms.key_arn
  auth_token_secret_id      = var.redis_auth_secret_id
  tags                      = var.tags
}

module "waf" {
  source = "../waf"
  name   = var.name
  tags   = var.tags
}

output "cluster_name" {
  description = "EKS cluster (registered in Argo CD under this name)."
  value       = module.eks.cluster_name
}

output "cluster_endpoint" {
  description = "EKS API server URL."
  value       = module.eks.cluster_endpoint
}

output "data_cidr" {
  description = "Range of the data subnets: the charts' endpoints.*.cidrs of Postgres, Kafka, Redis."
  value       = module.vpc.data_cidr
}

output "kafka_bootstrap_brokers" {
  description = "KAFKA_BROKERS / endpoints.kafka.brokers."
  value       = module.msk.bootstrap_brokers
}

output "aurora_writer_endpoint" {
  description = "Host of every service's DATABASE_URL."
  value       = module.aurora.writer_endpoint
}

output "aurora_global_cluster_identifier" {
  description = "Global database id (for the DR environment's variable)."
  value       = module.aurora.global_cluster_identifier
}

output "backup_vault_arn" {
  description = "This region's backup vault."
  value       = module.aurora.backup_vault_arn
}

output "redis_primary_endpoint" {
  description = "Host of REDIS_URL."
  value       = module.redis.primary_endpoint
}

output "waf_web_acl_arn" {
  description = "Web ACL for bet-gateway's load balancer."
  value       = module.waf.web_acl_arn
}
