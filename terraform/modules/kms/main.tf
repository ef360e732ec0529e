# One customer-managed key per purpose and region (Aurora, MSK, ElastiCache, EKS secrets, backups), rotated yearly.
variable "name" {
  description = "Alias of the key, without the alias/ prefix (e.g. pitboss-production-eu-aurora)."
  type        = string
  validation {
    condition     = can(regex("^[a-zA-Z0-9/_-]{3,250}$", var.name))
    error_message = "name must be 3-250 characters of letters, digits, /, _ and -."
  }
}

variable "description" {
  description = "What the key encrypts."
  type        = string
}

variable "deletion_window_in_days" {
  description = "Days a scheduled deletion can still be cancelled."
  type        = number
  default     = 30
  validation {
    condition     = var.deletion_window_in_days >= 7 && var.deletion_window_in_days <= 30
    error_message = "deletion_window_in_days must be between 7 and 30."
  }
}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
}

resource "aws_kms_key" "this" {
  description             = var.description
  deletion_window_in_days = var.deletion_window_in_days
  enable_key_rotation     = true
  multi_region            = false
  tags                    = var.tags
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.this.key_id
}

output "key_arn" {
  description = "ARN of the key, for the encryption settings of the other modules."
  value       = aws_kms_key.this.arn
}

output "key_id" {
  description = "Id of the key."
  value       = aws_kms_key.this.key_id
}
