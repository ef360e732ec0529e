pitboss_region       = "eu"
aws_region           = "eu-west-1"
cidr                 = "10.10.0.0/16"
azs                  = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
redis_auth_secret_id = "pitboss/staging/eu/redis-auth"
