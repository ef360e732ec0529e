{{/*
The canary's SLO analysis. Every query selects the canary's own pods (`pod_template_hash`, relabelled by the
ServiceMonitor from the pod's rollouts-pod-template-hash label) and ends in `or vector(0)`: a canary without traffic yet
(or without a single 5xx series) must read as "no errors" rather than as an empty result, which Argo Rollouts
counts as a measurement error. Which metrics a service is judged on is its
values' analysis.metrics: only names its /metrics exports (checked against the running fleet by deploy:check's
int test).
*/}}
{{- define "pitboss.analysisQueries" -}}
{{- $app := include "pitboss.name" . -}}
{{- $w := .Values.analysis.window -}}
{{- $sel := printf "app=\"%s\",pod_template_hash=\"{{args.canary-hash}}\"" $app -}}
httpErrorRatio:
  condition: "result[0] <= {{ .Values.analysis.maxErrorRatio }}"
  query: |
    (
      sum(rate(http_server_request_duration_seconds_count{{ printf "{%s,status_code=~\"5..\"}" $sel }}[{{ $w }}]))
      /
      sum(rate(http_server_request_duration_seconds_count{{ printf "{%s}" $sel }}[{{ $w }}]))
    ) or vector(0)
httpP95:
  condition: "result[0] <= {{ .Values.analysis.maxP95Seconds }}"
  query: |
    histogram_quantile(0.95, sum by (le) (rate(http_server_request_duration_seconds_bucket{{ printf "{%s}" $sel }}[{{ $w }}]))) or vector(0)
settleP95:
  condition: "result[0] <= {{ .Values.analysis.maxSettleP95Seconds }}"
  query: |
    histogram_quantile(0.95, sum by (le) (rate(settle_lag_seconds_bucket{{ printf "{%s}" $sel }}[{{ $w }}]))) or vector(0)
deadLetters:
  condition: "result[0] == 0"
  query: |
    sum(increase(kafka_consumer_messages_total{{ printf "{%s,outcome=\"dead_lettered\"}" $sel }}[{{ $w }}])) or vector(0)
settleAlerts:
  condition: "result[0] == 0"
  query: |
    sum(increase(settle_alerts_total{{ printf "{%s}" $sel }}[{{ $w }}])) or vector(0)
relayPublishErrors:
  condition: "result[0] == 0"
  query: |
    sum(increase(outbox_publish_errors_total{{ printf "{%s}" $sel }}[{{ $w }}])) or vector(0)
outboxLag:
  condition: "result[0] <= {{ .Values.analysis.maxOutboxLagSeconds }}"
  query: |
    max(outbox_lag_seconds{{ printf "{app=\"%s\"}" $app }}) or vector(0)
{{- end -}}

{{- define "pitboss.analysisTemplate" -}}
{{- $queries := include "pitboss.analysisQueries" . | fromYaml -}}
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata:
  name: {{ include "pitboss.name" . }}-slo
  labels:
    {{- include "pitboss.labels" . | nindent 4 }}
spec:
  args:
    - name: canary-hash
  metrics:
    {{- range $metric := .Values.analysis.metrics }}
    {{- $q := get $queries $metric }}
    - name: {{ $metric | kebabcase }}
      interval: {{ $.Values.analysis.interval }}
      count: {{ $.Values.analysis.count }}
      failureLimit: {{ $.Values.analysis.failureLimit }}
      successCondition: {{ $q.condition | quote }}
      provider:
        prometheus:
          address: {{ $.Values.monitoring.prometheusAddress | quote }}
          query: {{ $q.query | quote }}
    {{- end }}
{{- end -}}
