# An EKS cluster with a managed node group over the private subnets, secrets encrypted with a KMS key, and the
# OIDC provider for service-account roles (External Secrets reads Secrets Manager through one).
variable "name" {
  description = "Cluster name (pitboss-<environment>-<region>; Argo CD registers it under the same name)."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,99}$", var.name))
    error_message = "name must be lower-case letters, digits and -."
  }
}

variable "kubernetes_version" {
  description = "EKS version; tools/deploy renders the charts for the same (KUBE_VERSION)."
  type        = string
  default     = "1.30"
  validation {
    condition     = can(regex("^1\\.(2[89]|3[0-9])$", var.kubernetes_version))
    error_message = "kubernetes_version must be 1.28 or later, as major.minor."
  }
}

variable "subnet_ids" {
  description = "Private subnets of the nodes and the control plane's interfaces (one per zone)."
  type        = list(string)
  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "subnet_ids needs at least two subnets in different zones."
  }
}

variable "kms_key_arn" {
  description = "KMS key encrypting Kubernetes Secrets."
  type        = string
}

variable "node_instance_types" {
  description = "Instance types of the node group."
  type        = list(string)
  default     = ["m6i.large"]
}

variable "node_min" {
  description = "Fewest nodes (at least one per zone)."
  type        = number
  default     = 3
  validation {
    condition     = var.node_min >= 3
    error_message = "node_min must be at least 3 (one per zone: the charts spread pods over zones)."
  }
}

variable "node_max" {
  description = "Most nodes the cluster autoscaler may add."
  type        = number
  default     = 12
}

variable "public_access_cidrs" {
  description = "Addresses allowed to reach the API server (the CI runners and Argo CD's)."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
}

data "aws_iam_policy_document" "cluster_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["eks.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "node_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "cluster" {
  name               = "${var.name}-cluster"
  assume_role_policy = data.aws_iam_policy_document.cluster_assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "cluster" {
  role       = aws_iam_role.cluster.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"
}

resource "aws_eks_cluster" "this" {
  name     = var.name
  version  = var.kubernetes_version
  role_arn = aws_iam_role.cluster.arn
  vpc_config {
    subnet_ids              = var.subnet_ids
    endpoint_private_access = true
    endpoint_public_access  = length(var.public_access_cidrs) > 0
    public_access_cidrs     = length(var.public_access_cidrs) > 0 ? var.public_access_cidrs : null
  }
  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = var.kms_key_arn
    }
  }
  enabled_cluster_log_types = ["api", "audit", "authenticator"]
  tags                      = var.tags
  depends_on                = [aws_iam_role_policy_attachment.cluster]
}

resource "aws_iam_role" "node" {
  name               = "${var.name}-node"
  assume_role_policy = data.aws_iam_policy_document.node_assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "node" {
  for_each = toset([
    "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
    "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
    "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
  ])
  role       = aws_iam_role.node.name
  policy_arn = each.value
}

resource "aws_eks_node_group" "default" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "default"
  node_role_arn   = aws_iam_role.node.arn
  subnet_ids      = var.subnet_ids
  instance_types  = var.node_instance_types
  scaling_config {
    min_size     = var.node_min
    desired_size = var.node_min
    max_size     = var.node_max
  }
  update_config {
    max_unavailable = 1
  }
  tags       = var.tags
  depends_on = [aws_iam_role_policy_attachment.node]
}


resource "aws_iam_openid_connect_provider" "this" {
  url            = aws_eks_cluster.this.identity[0].oidc[0].issuer
  client_id_list = ["sts.amazonaws.com"]
  tags           = var.tags
}

output "cluster_name" {
  description = "Name of the cluster."
  value       = aws_eks_cluster.this.name
}

output "cluster_endpoint" {
  description = "API server URL (Argo CD's cluster secret)."
  value       = aws_eks_cluster.this.endpoint
}

output "cluster_ca" {
  description = "Base64 certificate authority of the API server."
  value       = aws_eks_cluster.this.certificate_authority[0].data
}

output "oidc_provider_arn" {
  description = "OIDC provider for service-account IAM roles."
  value       = aws_iam_openid_connect_provider.this.arn
}

output "node_security_group_id" {
  description = "Security group of the cluster's nodes and pods: the data stores admit it."
  value       = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
}
