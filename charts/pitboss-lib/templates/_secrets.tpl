{{/*
Every secret setting of docs/configuration.md (DATABASE_URL with its password, TENANT_SECRETS,
REDIS_URL with its auth token) comes from the region's secret store; values only name them. Sync wave -2: before
the migration job and the pods that read the Secret.
*/}}
{{- define "pitboss.externalSecret" -}}
{{- $es := .Values.externalSecrets -}}
apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata:
  name: {{ include "pitboss.secretName" . }}
  labels:
    {{- include "pitboss.labels" . | nindent 4 }}
  annotations:
    argocd.argoproj.io/sync-wave: "-2"
spec:
  refreshInterval: {{ $es.refreshInterval }}
  secretStoreRef:
    kind: {{ $es.storeKind }}
    name: {{ $es.storeName }}
  target:
    name: {{ include "pitboss.secretName" . }}
    creationPolicy: Owner
    deletionPolicy: Retain
  data:
    {{- range .Values.secretEnv }}
    - secretKey: {{ . }}
      remoteRef:
        key: {{ printf "%s/%s" $es.keyPrefix (include "pitboss.name" $) }}
        property: {{ . }}
    {{- end }}
{{- end -}}
