{{/*
Default deny for every pod of the service (workload, migration job, CronJob), then exactly the flows of
docs/architecture.md: services never call each other, so there is no pod-to-pod rule between them; ingress is
the aggregators' (through the ingress gateway, bet-gateway only; the operators' for the NOC page) and Prometheus's
scrape; egress is DNS, the mesh's control plane, Prometheus for the NOC's federation reads, and the dependencies
the service uses (values: uses) at the region's addresses.
*/}}
{{- define "pitboss.networkPolicies" -}}
{{- $name := include "pitboss.name" . -}}
{{- $np := .Values.networkPolicy -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ $name }}-default-deny
  labels:
    {{- include "pitboss.labels" . | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      pitboss.io/service: {{ $name }}
  policyTypes: ["Ingress", "Egress"]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ $name }}-allow
  labels:
    {{- include "pitboss.labels" . | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      pitboss.io/service: {{ $name }}
  policyTypes: ["Ingress", "Egress"]
  ingress:
    - from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: {{ $np.monitoringNamespace }}
      ports:
        - port: http
          protocol: TCP
    {{- if $np.ingressGateway.enabled }}
    - from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: {{ $np.ingressGateway.namespace }}
      ports:
        - port: http
          protocol: TCP
        {{- if .Values.ports.grpc }}
        - port: grpc
          protocol: TCP
        {{- end }}
    {{- end }}
  egress:
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: kube-system
          podSelector:
            matchLabels:
              k8s-app: kube-dns
      ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
    {{- if .Values.istio.enabled }}
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: istio-system
      ports:
        - port: 15012
          protocol: TCP
    {{- end }}
    {{- if $np.prometheusEgress.enabled }}
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: {{ $np.monitoringNamespace }}
      ports:
        - port: {{ $np.prometheusEgress.port }}
          protocol: TCP
    {{- end }}
    {{- range $dependency := .Values.uses }}
    {{- $target := get $.Values.endpoints $dependency }}
    - to:
        {{- range $target.cidrs }}
        - ipBlock:
            cidr: {{ . }}
        {{- end }}
      ports:
        {{- range $target.ports }}
        - port: {{ . }}
          protocol: TCP
        {{- end }}
    {{- end }}
{{- end -}}
