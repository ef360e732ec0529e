# Aurora PostgreSQL for the services' event stores (one schema per service). Daily automated backups (retention
# backup_retention_days), hourly snapshots by AWS Backup copied to the DR region, and for DR a global database:
# the primary environment creates it (create_global_cluster), the DR environment joins it as a read-only
# secondary (global_cluster_identifier) that replicates in about a second and is promoted in a region loss.
variable "name" {
  description = "Cluster identifier (pitboss-<environment>-<region>)."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,62}$", var.name))
    error_message = "name must be lower-case letters, digits and -, at most 63 characters."
  }
}

variable "engine_version" {
  description = "Aurora PostgreSQL version."
  type        = string
  default     = "16.4"
}

variable "instance_class" {
  description = "Instance class of the writer and readers."
  type        = string
  default     = "db.r6g.large"
}

variable "instances" {
  description = "Instances (one writer, the rest readers in other zones)."
  type        = number
  default     = 2
  validation {
    condition     = var.instances >= 1 && var.instances <= 15
    error_message = "instances must be between 1 and 15."
  }
}

variable "subnet_ids" {
  description = "Data subnets."
  type        = list(string)
}

variable "vpc_id" {
  description = "VPC of the cluster."
  type        = string
}

variable "client_security_group_ids" {
  description = "Security groups allowed to connect on 5432 (the EKS nodes')."
  type        = list(string)
}

variable "kms_key_arn" {
  description = "KMS key for storage, snapshots and Performance Insights."
  type        = string
}

variable "backup_retention_days" {
  description = "Days of daily automated backups (point-in-time recovery window)."
  type        = number
  default     = 14
  validation {
    condition     = var.backup_retention_days >= 7 && var.backup_retention_days <= 35
    error_message = "backup_retention_days must be between 7 and 35."
  }
}

variable "hourly_snapshot_retention_days" {
  description = "Days AWS Backup keeps the hourly snapshots."
  type        = number
  default     = 2
  validation {
    condition     = var.hourly_snapshot_retention_days >= 1
    error_message = "hourly_snapshot_retention_days must be at least 1."
  }
}

variable "dr_backup_vault_arn" {
  description = "Backup vault in the DR region that receives a copy of every hourly snapshot (empty: no copy)."
  type        = string
  default     = ""
}

variable "create_global_cluster" {
  description = "Primary region: create the global database the DR region joins."
  type        = bool
  default     = false
}

variable "global_cluster_identifier" {
  description = "DR region: the global database to join as a secondary (empty for a primary)."
  type        = string
  default     = ""
}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
}

locals {
  secondary = var.global_cluster_identifier != ""
}

resource "aws_rds_global_cluster" "this" {
  count                     = var.create_global_cluster ? 1 : 0
  global_cluster_identifier = "${var.name}-global"
  engine                    = "aurora-postgresql"
  engine_version            = var.engine_version
  storage_encrypted         = true
}

resource "aws_db_subnet_group" "this" {
  name       = var.name
  subnet_ids = var.subnet_ids
  tags       = var.tags
}

resource "aws_security_group" "this" {
  name        = "${var.name}-aurora"
  description = "Postgres from the EKS nodes only"
  vpc_id      = var.vpc_id
  ingress {
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = var.client_security_group_ids
  }
  tags = var.tags
}

resource "aws_rds_cluster" "this" {
  cluster_identifier        = var.name
  engine                    = "aurora-postgresql"
  engine_version            = var.engine_version
  global_cluster_identifier = var.create_global_cluster ? aws_rds_global_cluster.this[0].id : (local.secondary ? var.global_cluster_identifier : null)
  database_name             = local.secondary ? null : "pitboss"
  master_username           = local.secondary ? null : "pitboss_admin"
  # RDS keeps the master password in Secrets Manager (rotated); it is never in Terraform's variables or state.
  manage_master_user_password     = local.secondary ? null : true
  master_user_secret_kms_key_id   = local.secondary ? null : var.kms_key_arn
  db_subnet_group_name            = aws_db_subnet_group.this.name
  vpc_security_group_ids          = [aws_security_group.this.id]
  storage_encrypted               = true
  kms_key_id                      = var.kms_key_arn
  backup_retention_period         = var.backup_retention_days
  preferred_backup_window         = "02:00-03:00"
  copy_tags_to_snapshot           = true
  deletion_protection             = true
  skip_final_snapshot             = false
  final_snapshot_identifier       = "${var.name}-final"
  enabled_cloudwatch_logs_exports = ["postgresql"]
  tags                            = var.tags
  lifecycle {
    ignore_changes = [replication_source_identifier, global_cluster_identifier]
  }
}

resource "aws_rds_cluster_instance" "this" {
  count                           = var.instances
  identifier                      = "${var.name}-${count.index}"
  cluster_identifier              = aws_rds_cluster.this.id
  instance_class                  = var.instance_class
  engine                          = aws_rds_cluster.this.engine
  engine_version                  = aws_rds_cluster.this.engine_version
  performance_insights_enabled    = true
  performance_insights_kms_key_id = var.kms_key_arn
  tags                            = var.tags
}

resource "aws_backup_vault" "this" {
  name        = "${var.name}-aurora"
  kms_key_arn = var.kms_key_arn
  tags        = var.tags
}

resource "aws_backup_plan" "this" {
  name = "${var.name}-aurora"
  rule {
    rule_name         = "hourly"
    target_vault_name = aws_backup_vault.this.name
    schedule          = "cron(0 * * * ? *)"
    start_window      = 60
    completion_window = 120
    lifecycle {
      delete_after = var.hourly_snapshot_retention_days
    }
    dynamic "copy_action" {
      for_each = var.dr_backup_vault_arn == "" ? [] : [var.dr_backup_vault_arn]
      content {
        destination_vault_arn = copy_action.value
        lifecycle {
          delete_after = var.hourly_snapshot_retention_days
        }
      }
    }
  }
  rule {
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.this.name
    schedule          = "cron(30 3 * * ? *)"
    lifecycle {
      delete_after = 35
    }
    dynamic "copy_action" {
      for_each = var.dr_backup_vault_arn == "" ? [] : [var.dr_backup_vault_arn]
      content {
        destination_vault_arn = copy_action.value
        lifecycle {
          delete_after = 35
        }
      }
    }
  }
  tags = var.tags
}

data "aws_iam_policy_document" "backup_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["backup.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "backup" {
  name               = "${var.name}-backup"
  assume_role_policy = data.aws_iam_policy_document.backup_assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "backup" {
  role       = aws_iam_role.backup.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"
}

resource "aws_backup_selection" "this" {
  name         = "${var.name}-aurora"
  plan_id      = aws_backup_plan.this.id
  iam_role_arn = aws_iam_role.backup.arn
  resources    = [aws_rds_cluster.this.arn]
}

output "writer_endpoint" {
  description = "Writer endpoint: the host of DATABASE_URL (stored in Secrets Manager with the service's credentials)."
  value       = aws_rds_cluster.this.endpoint
}

output "reader_endpoint" {
  description = "Reader endpoint (reports, BI)."
  value       = aws_rds_cluster.this.reader_endpoint
}

output "master_user_secret_arn" {
  description = "Secrets Manager secret RDS keeps the master password in (null on a secondary)."
  value       = try(aws_rds_cluster.this.master_user_secret[0].secret_arn, null)
}

output "global_cluster_identifier" {
  description = "The global database the DR region joins (empty unless create_global_cluster)."
  value       = var.create_global_cluster ? aws_rds_global_cluster.this[0].id : var.global_cluster_identifier
}

output "backup_vault_arn" {
  description = "This region's backup vault (the primary's copy_action destination when this is the DR region)."
  value       = aws_backup_vault.this.arn
}
