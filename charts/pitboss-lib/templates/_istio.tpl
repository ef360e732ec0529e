{{/* mTLS between every pod of the service and its callers: plain text is refused. */}}
{{- define "pitboss.peerAuthentication" -}}
apiVersion: security.istio.io/v1beta1
kind: PeerAuthentication
metadata:
  name: {{ include "pitboss.name" . }}
  labels:
    {{- include "pitboss.labels" . | nindent 4 }}
spec:
  selector:
    matchLabels:
      {{- include "pitboss.selectorLabels" . | nindent 6 }}
  mtls:
    mode: STRICT
{{- end -}}

{{/* Circuit breaking at the mesh: a pod answering 5xx in a row is ejected from the pool for a while. */}}
{{- define "pitboss.destinationRule" -}}
{{- $od := .Values.istio.outlierDetection -}}
{{- range $suffix := list "" "-canary" }}
---
apiVersion: networking.istio.io/v1beta1
kind: DestinationRule
metadata:
  name: {{ include "pitboss.name" $ }}{{ $suffix }}
  labels:
    {{- include "pitboss.labels" $ | nindent 4 }}
spec:
  host: {{ printf "%s%s.%s.svc.cluster.local" (include "pitboss.name" $) $suffix $.Release.Namespace }}
  trafficPolicy:
    tls:
      mode: ISTIO_MUTUAL
    connectionPool:
      http:
        http2MaxRequests: {{ $.Values.istio.maxRequests }}
        maxRequestsPerConnection: 0
    outlierDetection:
      consecutive5xxErrors: {{ $od.consecutive5xxErrors }}
      interval: {{ $od.interval }}
      baseEjectionTime: {{ $od.baseEjectionTime }}
      maxEjectionPercent: {{ $od.maxEjectionPercent }}
{{- end }}
{{- end -}}

{{/* The route Argo Rollouts shifts by weight between the stable and canary Services (HTTP and gRPC). */}}
{{- define "pitboss.virtualService" -}}
{{- $name := include "pitboss.name" . -}}
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata:
  name: {{ $name }}
  labels:
    {{- include "pitboss.labels" . | nindent 4 }}
spec:
  hosts:
    {{- toYaml .Values.istio.virtualService.hosts | nindent 4 }}
  {{- with .Values.istio.virtualService.gateways }}
  gateways:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  http:
    - name: primary
      route:
        - destination:
            host: {{ $name }}
          weight: 100
        - destination:
            host: {{ $name }}-canary
          weight: 0
{{- end -}}
