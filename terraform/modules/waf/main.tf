# The WAF in front of bet-gateway's load balancer: AWS's managed rule groups plus a rate limit per source
# address above the service's own per-tenant limits (RATE_LIMIT_TENANT_*), against floods of unsigned requests.
variable "name" {
  description = "Web ACL name."
  type        = string
}

variable "rate_limit_per_5_min" {
  description = "Requests per source address per 5 minutes before it is blocked."
  type        = number
  default     = 20000
  validation {
    condition     = var.rate_limit_per_5_min >= 100
    error_message = "rate_limit_per_5_min must be at least 100 (AWS's minimum)."
  }
}

variable "load_balancer_arn" {
  description = "ARN of the ALB to protect (empty: the ACL is created but not attached)."
  type        = string
  default     = ""
}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
}

locals {
  managed = ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList"]
}

resource "aws_wafv2_web_acl" "this" {
  name  = var.name
  scope = "REGIONAL"
  default_action {
    allow {}
  }
  dynamic "rule" {
    for_each = local.managed
    content {
      name     = rule.value
      priority = rule.key + 1
      override_action {
        none {}
      }
      statement {
        managed_rule_group_statement {
          name        = rule.value
          vendor_name = "AWS"
        }
      }
      visibility_config {
        cloudwatch_metrics_enabled = true
        metric_name                = rule.value
        sampled_requests_enabled   = true
      }
    }
  }
  rule {
    name     = "rate-per-ip"
    priority = 10
    action {
      block {}
    }
    statement {
      rate_based_statement {
        limit              = var.rate_limit_per_5_min
        aggregate_key_type = "IP"
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "rate-per-ip"
      sampled_requests_enabled   = true
    }
  }
  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = var.name
    sampled_requests_enabled   = true
  }
  tags = var.tags
}

resource "aws_wafv2_web_acl_association" "this" {
  count        = var.load_balancer_arn == "" ? 0 : 1
  resource_arn = var.load_balancer_arn
  web_acl_arn  = aws_wafv2_web_acl.this.arn
}

output "web_acl_arn" {
  description = "ARN of the web ACL (the ingress controller's annotation when not attached here)."
  value       = aws_wafv2_web_acl.this.arn
}
