pitboss_region       = "br"
aws_region           = "us-east-1"
cidr                 = "10.41.0.0/16"
azs                  = ["us-east-1a", "us-east-1b", "us-east-1c"]
redis_auth_secret_id = "pitboss/production-dr/br/redis-auth"
