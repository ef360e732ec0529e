{{/* The service's name: every object of a service chart is named after it. */}}
{{- define "pitboss.name" -}}
{{- .Values.service.name -}}
{{- end -}}

{{- define "pitboss.selectorLabels" -}}
app.kubernetes.io/name: {{ include "pitboss.name" . }}
app.kubernetes.io/part-of: pitboss
{{- end -}}

{{- define "pitboss.labels" -}}
{{ include "pitboss.selectorLabels" . }}
{{ include "pitboss.commonLabels" . }}
{{- end -}}

{{/* Labels every pod of the service carries, jobs included (the NetworkPolicies select on pitboss.io/service). */}}
{{- define "pitboss.commonLabels" -}}
pitboss.io/service: {{ include "pitboss.name" . }}
app.kubernetes.io/version: {{ .Values.image.tag | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
pitboss.io/environment: {{ .Values.environment }}
pitboss.io/region: {{ .Values.region }}
{{- end -}}

{{/* registry/name:tag, or @digest when one is pinned; the schema refuses an empty or `latest` tag. */}}
{{- define "pitboss.image" -}}
{{- $ref := printf "%s/%s" .Values.image.registry .Values.image.name -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" $ref .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" $ref .Values.image.tag -}}
{{- end -}}
{{- end -}}

{{- define "pitboss.secretName" -}}
{{- printf "%s-secrets" (include "pitboss.name" .) -}}
{{- end -}}

{{/* Plain settings (docs/configuration.md), then the secret ones from the ExternalSecret's Secret. */}}
{{- define "pitboss.env" -}}
- name: PITBOSS_REGION
  value: {{ .Values.region | quote }}
- name: NODE_ENV
  value: "production"
- name: PORT
  value: {{ .Values.ports.http | quote }}
{{- if .Values.ports.grpc }}
- name: GRPC_PORT
  value: {{ .Values.ports.grpc | quote }}
{{- end }}
{{- if has "kafka" .Values.uses }}
- name: KAFKA_BROKERS
  value: {{ .Values.endpoints.kafka.brokers | quote }}
{{- end }}
{{- if has "registry" .Values.uses }}
- name: SCHEMA_REGISTRY_URL
  value: {{ .Values.endpoints.registry.url | quote }}
{{- end }}
{{- if has "wallet" .Values.uses }}
- name: WALLET_URL
  value: {{ .Values.endpoints.wallet.url | quote }}
{{- end }}
{{- if has "identity" .Values.uses }}
- name: AUTH_ISSUER_URL
  value: {{ .Values.endpoints.identity.url | quote }}
{{- end }}
{{- range $name, $value := .Values.env }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- range .Values.secretEnv }}
- name: {{ . }}
  valueFrom:
    secretKeyRef:
      name: {{ include "pitboss.secretName" $ }}
      key: {{ . }}
{{- end }}
{{- end -}}

{{/* Non-root uid 1000, read-only root filesystem, no capabilities: for every container, jobs included. */}}
{{- define "pitboss.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1000
runAsGroup: 1000
readOnlyRootFilesystem: true
allowPrivilegeEscalation: false
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "pitboss.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1000
runAsGroup: 1000
fsGroup: 1000
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* The only writable place: node's and libraries' temporary files. */}}
{{- define "pitboss.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: 64Mi
{{- end -}}

{{- define "pitboss.tmpMount" -}}
- name: tmp
  mountPath: /tmp
{{- end -}}
