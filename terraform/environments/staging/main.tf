# Staging: one stack per Pitboss region, no DR pair (a staging outage costs no money).
module "region" {
  source               = "../../modules/region-stack"
  name                 = "pitboss-staging-${var.pitboss_region}"
  cidr                 = var.cidr
  azs                  = var.azs
  aurora_instances     = 1
  redis_auth_secret_id = var.redis_auth_secret_id
}

output "region" {
  description = "Endpoints for charts/environments/staging/<region>.yaml and the secrets pipeline."
  value = {
    cluster_name  = module.region.cluster_name
    data_cidr     = module.region.data_cidr
    kafka_brokers = module.region.kafka_bootstrap_brokers
    aurora_writer = module.region.aurora_writer_endpoint
    redis_primary = module.region.redis_primary_endpoint
    waf_web_acl   = module.region.waf_web_acl_arn
  }
}
