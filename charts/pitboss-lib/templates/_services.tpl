{{/* One Service's port list: HTTP (API, health, metrics) and bet-gateway's gRPC. */}}
{{- define "pitboss.servicePorts" -}}
- name: http
  port: {{ .Values.ports.http }}
  targetPort: http
  protocol: TCP
  appProtocol: http
{{- if .Values.ports.grpc }}
- name: grpc
  port: {{ .Values.ports.grpc }}
  targetPort: grpc
  protocol: TCP
  appProtocol: grpc
{{- end }}
{{- end -}}

{{/*
Stable and canary Services (Argo Rollouts points each at its ReplicaSet), and a metrics Service over every pod
that only the ServiceMonitor selects, so a pod is scraped once whichever of the other two holds it.
*/}}
{{- define "pitboss.services" -}}
{{- $name := include "pitboss.name" . -}}
{{- range $suffix := list "" "-canary" }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ $name }}{{ $suffix }}
  labels:
    {{- include "pitboss.labels" $ | nindent 4 }}
spec:
  type: ClusterIP
  selector:
    {{- include "pitboss.selectorLabels" $ | nindent 4 }}
  ports:
    {{- include "pitboss.servicePorts" $ | nindent 4 }}
{{- end }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ $name }}-metrics
  labels:
    {{- include "pitboss.labels" . | nindent 4 }}
    pitboss.io/metrics: "true"
spec:
  type: ClusterIP
  clusterIP: None
  selector:
    {{- include "pitboss.selectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: {{ .Values.ports.http }}
      targetPort: http
      protocol: TCP
{{- end -}}
