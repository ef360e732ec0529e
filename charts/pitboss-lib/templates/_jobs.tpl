{{/* Pod labels of a job of the service: not the workload's selector labels, so no Service routes to it. */}}
{{- define "pitboss.jobLabels" -}}
{{- $ := index . 0 -}}
app.kubernetes.io/name: {{ printf "%s-%s" (include "pitboss.name" $) (index . 1) }}
app.kubernetes.io/part-of: pitboss
{{ include "pitboss.commonLabels" $ }}
{{- end -}}

{{- define "pitboss.jobPod" -}}
{{- $ := index . 0 -}}
{{- $command := index . 1 -}}
serviceAccountName: {{ include "pitboss.name" $ }}
automountServiceAccountToken: false
restartPolicy: Never
securityContext:
  {{- include "pitboss.podSecurityContext" $ | nindent 2 }}
containers:
  - name: {{ index . 2 }}
    image: {{ include "pitboss.image" $ | quote }}
    imagePullPolicy: {{ $.Values.image.pullPolicy }}
    command:
      {{- toYaml $command | nindent 6 }}
    env:
      {{- include "pitboss.env" $ | nindent 6 }}
    resources:
      {{- toYaml $.Values.jobResources | nindent 6 }}
    securityContext:
      {{- include "pitboss.containerSecurityContext" $ | nindent 6 }}
    volumeMounts:
      {{- include "pitboss.tmpMount" $ | nindent 6 }}
volumes:
  {{- include "pitboss.tmpVolume" $ | nindent 2 }}
{{- end -}}

{{/*
The service's migrate job (apps/<service>/src/migrate.ts, built to migrate.js), run by Argo CD before the new
version's pods: a Sync hook in wave -1, after the ExternalSecret (wave -2) that holds its DATABASE_URL. (A PreSync
hook would run before that Secret exists on an Application's first sync.) Migrations are expand-only: the stable
version keeps running on the migrated schema during the whole canary.
*/}}
{{- define "pitboss.migrationJob" -}}
{{- $name := include "pitboss.name" . -}}
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ $name }}-migrate
  labels:
    {{- include "pitboss.jobLabels" (list . "migrate") | nindent 4 }}
  annotations:
    argocd.argoproj.io/hook: Sync
    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation
    argocd.argoproj.io/sync-wave: "-1"
spec:
  backoffLimit: 2
  activeDeadlineSeconds: 900
  ttlSecondsAfterFinished: 86400
  template:
    metadata:
      labels:
        {{- include "pitboss.jobLabels" (list . "migrate") | nindent 8 }}
      annotations:
        sidecar.istio.io/inject: "false"
    spec:
      {{- include "pitboss.jobPod" (list . (list "node" (printf "apps/%s/src/migrate.js" $name)) "migrate") | nindent 6 }}
{{- end -}}

{{/* reconciliation's scheduled run (values: cronJob). */}}
{{- define "pitboss.cronJob" -}}
{{- $cron := .Values.cronJob -}}
apiVersion: batch/v1
kind: CronJob
metadata:
  name: {{ include "pitboss.name" . }}-{{ $cron.name }}
  labels:
    {{- include "pitboss.labels" . | nindent 4 }}
spec:
  schedule: {{ $cron.schedule | quote }}
  timeZone: "Etc/UTC"
  suspend: {{ $cron.suspend }}
  concurrencyPolicy: Forbid
  startingDeadlineSeconds: 600
  successfulJobsHistoryLimit: 3
  failedJobsHistoryLimit: 5
  jobTemplate:
    spec:
      backoffLimit: 1
      activeDeadlineSeconds: {{ $cron.activeDeadlineSeconds }}
      template:
        metadata:
          labels:
            {{- include "pitboss.jobLabels" (list . $cron.name) | nindent 12 }}
          annotations:
            sidecar.istio.io/inject: "false"
        spec:
          {{- include "pitboss.jobPod" (list . $cron.command $cron.name) | nindent 10 }}
{{- end -}}
