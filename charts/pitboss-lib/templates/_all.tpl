{{/* Everything a service chart renders; each service chart's only template is `include "pitboss.all" .`. */}}
{{- define "pitboss.all" -}}
{{- $defaults := index .Values "pitboss-lib" | default dict | deepCopy -}}
{{- $values := mergeOverwrite $defaults (omit .Values "pitboss-lib") -}}
{{- $ctx := dict "Values" $values "Release" .Release "Chart" .Chart "Capabilities" .Capabilities "Template" .Template -}}
{{- include "pitboss.objects" $ctx -}}
{{- end -}}

{{- define "pitboss.objects" -}}
{{ include "pitboss.serviceAccount" . }}
---
{{ include "pitboss.rollout" . }}
{{ include "pitboss.services" . }}
---
{{ include "pitboss.analysisTemplate" . }}
---
{{ include "pitboss.pdb" . }}
---
{{ include "pitboss.networkPolicies" . }}
{{- if .Values.autoscaling.hpa.enabled }}
---
{{ include "pitboss.hpa" . }}
{{- end }}
{{- if .Values.autoscaling.keda.enabled }}
---
{{ include "pitboss.scaledObject" . }}
{{- end }}
{{- if .Values.secretEnv }}
---
{{ include "pitboss.externalSecret" . }}
{{- end }}
{{- if .Values.migrations.enabled }}
---
{{ include "pitboss.migrationJob" . }}
{{- end }}
{{- if .Values.cronJob.enabled }}
---
{{ include "pitboss.cronJob" . }}
{{- end }}
---
{{ include "pitboss.serviceMonitor" . }}
{{- if .Values.alerts }}
---
{{ include "pitboss.prometheusRule" . }}
{{- end }}
---
{{ include "pitboss.dashboard" . }}
{{- if .Values.istio.enabled }}
---
{{ include "pitboss.peerAuthentication" . }}
{{ include "pitboss.destinationRule" . }}
{{- if .Values.istio.virtualService.enabled }}
---
{{ include "pitboss.virtualService" . }}
{{- end }}
{{- end }}
{{- end -}}
