pitboss_region       = "uk"
aws_region           = "eu-west-2"
cidr                 = "10.11.0.0/16"
azs                  = ["eu-west-2a", "eu-west-2b", "eu-west-2c"]
redis_auth_secret_id = "pitboss/staging/uk/redis-auth"
