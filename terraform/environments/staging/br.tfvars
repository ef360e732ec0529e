pitboss_region       = "br"
aws_region           = "sa-east-1"
cidr                 = "10.12.0.0/16"
azs                  = ["sa-east-1a", "sa-east-1b", "sa-east-1c"]
redis_auth_secret_id = "pitboss/staging/br/redis-auth"
