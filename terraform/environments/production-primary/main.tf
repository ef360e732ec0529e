# Production, primary region of a Pitboss region: the Aurora global database's writer, hourly snapshots copied
# to the DR region, and the Route 53 failover record that sends aggregators to the DR region when this one's
# bet-gateway stops answering /health/ready.
module "region" {
  source                = "../../modules/region-stack"
  name                  = "pitboss-production-${var.pitboss_region}"
  cidr                  = var.cidr
  azs                   = var.azs
  aurora_instances      = 3
  create_global_cluster = true
  dr_backup_vault_arn   = var.dr_backup_vault_arn
  redis_auth_secret_id  = var.redis_auth_secret_id
}

module "dns" {
  source           = "../../modules/dns-failover"
  zone_id          = var.dns_zone_id
  record_name      = var.api_record_name
  primary_target   = var.primary_lb_dns_name
  secondary_target = var.dr_lb_dns_name
}

output "region" {
  description = "Endpoints for charts/environments/production/<region>.yaml and the DR environment."
  value = {
    cluster_name              = module.region.cluster_name
    data_cidr                 = module.region.data_cidr
    kafka_brokers             = module.region.kafka_bootstrap_brokers
    aurora_writer             = module.region.aurora_writer_endpoint
    global_cluster_identifier = module.region.aurora_global_cluster_identifier
    redis_primary             = module.region.redis_primary_endpoint
    waf_web_acl               = module.region.waf_web_acl_arn
    api_fqdn                  = module.dns.fqdn
    health_check_id           = module.dns.health_check_id
  }
}
