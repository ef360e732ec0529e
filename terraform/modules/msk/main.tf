# Amazon MSK: the region's own Kafka (data residency). The services' Kafka client has no TLS or SASL setting
# yet (KAFKA_BROKERS only, docs/configuration.md), so clients reach the plaintext listener (9092) from the EKS
# nodes' security group only; brokers encrypt among themselves and at rest. The DR region's Kafka is refilled
# from the event stores (npm run relay:replay), which are the source of truth, not mirrored.
variable "name" {
  description = "Cluster name (pitboss-<environment>-<region>)."
  type        = string
  validation {
    condition     = can(regex("^[a-zA-Z0-9-]{1,64}$", var.name))
    error_message = "name must be letters, digits and -, at most 64 characters."
  }
}

variable "kafka_version" {
  description = "Kafka version (the local stack runs 3.9)."
  type        = string
  default     = "3.9.x"
}

variable "broker_instance_type" {
  description = "Broker instance type."
  type        = string
  default     = "kafka.m7g.large"
}

variable "subnet_ids" {
  description = "Data subnets, one broker per zone."
  type        = list(string)
  validation {
    condition     = length(var.subnet_ids) == 3
    error_message = "subnet_ids must be three subnets (one broker per zone, replication factor 3)."
  }
}

variable "vpc_id" {
  description = "VPC of the cluster."
  type        = string
}

variable "client_security_group_ids" {
  description = "Security groups allowed to reach the brokers (the EKS nodes')."
  type        = list(string)
}

variable "kms_key_arn" {
  description = "KMS key for data at rest."
  type        = string
}

variable "volume_size_gb" {
  description = "EBS size per broker."
  type        = number
  default     = 500
  validation {
    condition     = var.volume_size_gb >= 100
    error_message = "volume_size_gb must be at least 100."
  }
}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
}

resource "aws_security_group" "this" {
  name        = "${var.name}-msk"
  description = "Kafka from the EKS nodes only"
  vpc_id      = var.vpc_id
  ingress {
    from_port       = 9092
    to_port         = 9092
    protocol        = "tcp"
    security_groups = var.client_security_group_ids
  }
  tags = var.tags
}

resource "aws_msk_configuration" "this" {
  name           = var.name
  kafka_versions = [var.kafka_version]
  # As tools/stack sets locally: acks=all with 2 in-sync replicas survives one broker.
  server_properties = <<-PROPERTIES
    auto.create.topics.enable=false
    default.replication.factor=3
    min.insync.replicas=2
    unclean.leader.election.enable=false
  PROPERTIES
}

resource "aws_msk_cluster" "this" {
  cluster_name           = var.name
  kafka_version          = var.kafka_version
  number_of_broker_nodes = 3
  broker_node_group_info {
    instance_type   = var.broker_instance_type
    client_subnets  = var.subnet_ids
    security_groups = [aws_security_group.this.id]
    storage_info {
      ebs_storage_info {
        volume_size = var.volume_size_gb
      }
    }
  }
  configuration_info {
    arn      = aws_msk_configuration.this.arn
    revision = aws_msk_configuration.this.latest_revision
  }
  encryption_info {
    encryption_at_rest_kms_key_arn = var.kms_key_arn
    encryption_in_transit {
      client_broker = "TLS_PLAINTEXT"
      in_cluster    = true
    }
  }
  client_authentication {
    unauthenticated = true
  }
  tags = var.tags
}

output "bootstrap_brokers" {
  description = "Plaintext bootstrap brokers: KAFKA_BROKERS and the charts' endpoints.kafka.brokers."
  value       = aws_msk_cluster.this.bootstrap_brokers
}

output "cluster_arn" {
  description = "ARN of the cluster."
  value       = aws_msk_cluster.this.arn
}
