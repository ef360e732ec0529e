pitboss_region       = "uk"
aws_region           = "eu-west-1"
cidr                 = "10.31.0.0/16"
azs                  = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
redis_auth_secret_id = "pitboss/production-dr/uk/redis-auth"
