{{/*
HTTP services: HPA on CPU and on requests per second per pod (a Pods metric served by prometheus-adapter from
http_server_request_duration_seconds_count; the adapter rule is in docs/operations.md).
*/}}
{{- define "pitboss.hpa" -}}
{{- $hpa := .Values.autoscaling.hpa -}}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "pitboss.name" . }}
  labels:
    {{- include "pitboss.labels" . | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: argoproj.io/v1alpha1
    kind: Rollout
    name: {{ include "pitboss.name" . }}
  minReplicas: {{ $hpa.minReplicas }}
  maxReplicas: {{ $hpa.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $hpa.cpuUtilization }}
    - type: Pods
      pods:
        metric:
          name: {{ $hpa.requestsMetric }}
        target:
          type: AverageValue
          averageValue: {{ $hpa.requestsPerPod | quote }}
  behavior:
    scaleDown:
      stabilizationWindowSeconds: 300
      policies:
        - type: Percent
          value: 25
          periodSeconds: 60
{{- end -}}

{{/*
Kafka consumers: KEDA scales on the consumer group's lag, which its Kafka scaler reads from the brokers
(endpoints.kafka.brokers, the same as KAFKA_BROKERS), so it needs no metric of ours. Replicas beyond the topic's partitions would idle.
*/}}
{{- define "pitboss.scaledObject" -}}
{{- $keda := .Values.autoscaling.keda -}}
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: {{ include "pitboss.name" . }}
  labels:
    {{- include "pitboss.labels" . | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: argoproj.io/v1alpha1
    kind: Rollout
    name: {{ include "pitboss.name" . }}
  minReplicaCount: {{ $keda.minReplicas }}
  maxReplicaCount: {{ $keda.maxReplicas }}
  pollingInterval: 15
  cooldownPeriod: 300
  triggers:
    - type: kafka
      metadata:
        bootstrapServers: {{ .Values.endpoints.kafka.brokers | quote }}
        consumerGroup: {{ printf "%s%s" (.Values.env.KAFKA_TOPIC_PREFIX | default "") $keda.consumerGroup | quote }}
        topic: {{ printf "%s%s" (.Values.env.KAFKA_TOPIC_PREFIX | default "") $keda.topic | quote }}
        lagThreshold: {{ $keda.lagThreshold | quote }}
        offsetResetPolicy: earliest
    {{- with $keda.backlogQuery }}
    - type: prometheus
      metadata:
        serverAddress: {{ $.Values.monitoring.prometheusAddress | quote }}
        query: {{ .query | quote }}
        threshold: {{ .threshold | quote }}
    {{- end }}
{{- end -}}

{{- define "pitboss.pdb" -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "pitboss.name" . }}
  labels:
    {{- include "pitboss.labels" . | nindent 4 }}
spec:
  maxUnavailable: {{ .Values.pdb.maxUnavailable }}
  selector:
    matchLabels:
      {{- include "pitboss.selectorLabels" . | nindent 6 }}
{{- end -}}
