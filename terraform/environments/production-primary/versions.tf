terraform {
  required_version = ">= 1.6"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }
  # State per environment and region: terraform init -backend-config=key=production/<region>.tfstate
  backend "s3" {}
}

provider "aws" {
  region = var.aws_region
  default_tags {
    tags = {
      project     = "pitboss"
      environment = "production"
      region      = var.pitboss_region
    }
  }
}
