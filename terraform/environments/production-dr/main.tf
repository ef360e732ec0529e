# Production, DR region of a Pitboss region: the same stack, its Aurora a read-only secondary of the primary's
# global database (replication lag about 1 s: RPO ≤ 5 min), EKS and MSK running so that failing over is a
# promotion and a sync, not a build (RTO ≤ 30 min). Runbook: docs/operations.md#dr-drill.
module "region" {
  source                    = "../../modules/region-stack"
  name                      = "pitboss-production-${var.pitboss_region}-dr"
  cidr                      = var.cidr
  azs                       = var.azs
  aurora_instances          = 2
  global_cluster_identifier = var.global_cluster_identifier
  redis_auth_secret_id      = var.redis_auth_secret_id
}

output "region" {
  description = "Endpoints of the DR region."
  value = {
    cluster_name     = module.region.cluster_name
    data_cidr        = module.region.data_cidr
    kafka_brokers    = module.region.kafka_bootstrap_brokers
    aurora_writer    = module.region.aurora_writer_endpoint
    backup_vault_arn = module.region.backup_vault_arn
    redis_primary    = module.region.redis_primary_endpoint
  }
}
