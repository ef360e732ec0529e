{{/*
Scrapes /metrics of every pod through the headless metrics Service, and labels each series with the service
(app), the canary hash (pod_template_hash, which the AnalysisTemplate selects on), the region and the
environment, so one Prometheus or a global view can group the SLO alerts by region.
*/}}
{{- define "pitboss.serviceMonitor" -}}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ include "pitboss.name" . }}
  labels:
    {{- include "pitboss.labels" . | nindent 4 }}
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: {{ include "pitboss.name" . }}
      pitboss.io/metrics: "true"
  endpoints:
    - port: http
      path: /metrics
      interval: {{ .Values.monitoring.scrapeInterval }}
      scrapeTimeout: 5s
      {{- if .Values.istio.enabled }}
      # STRICT mTLS refuses plain scrapes: Prometheus presents the mesh certificates its Istio sidecar writes
      # (the "Prometheus with Istio certificates" set-up, docs/operations.md#cluster-prerequisites).
      scheme: https
      tlsConfig:
        caFile: /etc/prom-certs/root-cert.pem
        certFile: /etc/prom-certs/cert-chain.pem
        keyFile: /etc/prom-certs/key.pem
        insecureSkipVerify: true
      {{- end }}
      relabelings:
        - sourceLabels: [__meta_kubernetes_pod_label_app_kubernetes_io_name]
          targetLabel: app
        - sourceLabels: [__meta_kubernetes_pod_label_rollouts_pod_template_hash]
          targetLabel: pod_template_hash
        - targetLabel: region
          replacement: {{ .Values.region }}
        - targetLabel: environment
          replacement: {{ .Values.environment }}
{{- end -}}

{{- define "pitboss.prometheusRule" -}}
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: {{ include "pitboss.name" . }}-slo
  labels:
    {{- include "pitboss.labels" . | nindent 4 }}
spec:
  groups:
    - name: {{ include "pitboss.name" . }}.slo
      rules:
        {{- range .Values.alerts }}
        - alert: {{ .name }}
          expr: {{ .expr | quote }}
          for: {{ .for }}
          labels:
            severity: {{ .severity }}
            service: {{ include "pitboss.name" $ }}
          annotations:
            summary: {{ .summary | quote }}
            runbook_url: {{ printf "%s#%s" $.Values.monitoring.runbookBaseUrl .runbook | quote }}
        {{- end }}
{{- end -}}

{{/* A Grafana dashboard (the sidecar of the Grafana chart loads ConfigMaps labelled grafana_dashboard). */}}
{{- define "pitboss.dashboard" -}}
{{- $panels := list -}}
{{- range $i, $panel := .Values.dashboard.panels -}}
{{- $target := dict "expr" $panel.expr "legendFormat" ($panel.legend | default "") "refId" "A" -}}
{{- $grid := dict "h" 8 "w" 12 "x" (mul (mod $i 2) 12) "y" (mul (div $i 2) 8) -}}
{{- $defaults := dict "unit" ($panel.unit | default "short") -}}
{{- $p := dict "id" (add1 $i) "type" "timeseries" "title" $panel.title "gridPos" $grid "targets" (list $target) "fieldConfig" (dict "defaults" $defaults) "datasource" (dict "type" "prometheus" "uid" "${datasource}") -}}
{{- $panels = append $panels $p -}}
{{- end -}}
{{- $datasource := dict "name" "datasource" "type" "datasource" "query" "prometheus" -}}
{{- $dashboard := dict "uid" (printf "pitboss-%s" (include "pitboss.name" .)) "title" (printf "Pitboss / %s" (include "pitboss.name" .)) "schemaVersion" 39 "time" (dict "from" "now-6h" "to" "now") "refresh" "30s" "tags" (list "pitboss") "templating" (dict "list" (list $datasource)) "panels" $panels -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "pitboss.name" . }}-dashboard
  labels:
    {{- include "pitboss.labels" . | nindent 4 }}
    grafana_dashboard: "1"
data:
  {{ include "pitboss.name" . }}.json: {{ toJson $dashboard | quote }}
{{- end -}}
