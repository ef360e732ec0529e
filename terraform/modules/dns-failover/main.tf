# Route 53 failover for the aggregator API: the primary region's record answers while its health check
# (GET /health/ready of bet-gateway through its load balancer) passes; when it fails for
# failure_threshold × 10 s, DNS answers the DR region's record. TTL 60 s keeps the switch inside the RTO.
variable "zone_id" {
  description = "Hosted zone of the API name."
  type        = string
}

variable "record_name" {
  description = "The API's name (e.g. api.eu.pitboss.example)."
  type        = string
}

variable "primary_target" {
  description = "DNS name of the primary region's load balancer."
  type        = string
}

variable "secondary_target" {
  description = "DNS name of the DR region's load balancer."
  type        = string
}

variable "health_check_path" {
  description = "Path probed on the primary (bet-gateway's readiness)."
  type        = string
  default     = "/health/ready"
  validation {
    condition     = startswith(var.health_check_path, "/")
    error_message = "health_check_path must start with /."
  }
}

variable "failure_threshold" {
  description = "Consecutive failed checks (10 s apart) before failing over."
  type        = number
  default     = 3
  validation {
    condition     = var.failure_threshold >= 1 && var.failure_threshold <= 10
    error_message = "failure_threshold must be between 1 and 10."
  }
}

variable "ttl" {
  description = "TTL of the records, in seconds."
  type        = number
  default     = 60
  validation {
    condition     = var.ttl <= 300
    error_message = "ttl must be at most 300 s, or the switch would outlast the 30 min RTO's budget for DNS."
  }
}

resource "aws_route53_health_check" "primary" {
  fqdn              = var.primary_target
  port              = 443
  type              = "HTTPS"
  resource_path     = var.health_check_path
  request_interval  = 10
  failure_threshold = var.failure_threshold
  measure_latency   = true
  tags              = { Name = "${var.record_name}-primary" }
}

resource "aws_route53_record" "primary" {
  zone_id         = var.zone_id
  name            = var.record_name
  type            = "CNAME"
  ttl             = var.ttl
  records         = [var.primary_target]
  set_identifier  = "primary"
  health_check_id = aws_route53_health_check.primary.id
  failover_routing_policy {
    type = "PRIMARY"
  }
}

resource "aws_route53_record" "secondary" {
  zone_id        = var.zone_id
  name           = var.record_name
  type           = "CNAME"
  ttl            = var.ttl
  records        = [var.secondary_target]
  set_identifier = "secondary"
  failover_routing_policy {
    type = "SECONDARY"
  }
}

output "health_check_id" {
  description = "The primary's health check (its CloudWatch metric HealthCheckStatus alarms the on-call)."
  value       = aws_route53_health_check.primary.id
}

output "fqdn" {
  description = "The failover name aggregators use."
  value       = aws_route53_record.primary.fqdn
}
