pitboss_region       = "eu"
aws_region           = "eu-central-1"
cidr                 = "10.21.0.0/16"
azs                  = ["eu-central-1a", "eu-central-1b", "eu-central-1c"]
redis_auth_secret_id = "pitboss/production-dr/eu/redis-auth"
