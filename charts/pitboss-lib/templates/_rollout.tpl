{{/*
Argo Rollouts canary: 5 % → pause → analysis → 25 % → 50 % → 100 %. The analysis also runs in the background
from the first step, so a failure at any step aborts and scales the canary back to the stable ReplicaSet.
*/}}
{{- define "pitboss.rollout" -}}
{{- $name := include "pitboss.name" . -}}
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: {{ $name }}
  labels:
    {{- include "pitboss.labels" . | nindent 4 }}
spec:
  {{- if not (or .Values.autoscaling.hpa.enabled .Values.autoscaling.keda.enabled) }}
  replicas: {{ .Values.replicas }}
  {{- end }}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- include "pitboss.selectorLabels" . | nindent 6 }}
  strategy:
    canary:
      stableService: {{ $name }}
      canaryService: {{ $name }}-canary
      {{- if and .Values.istio.enabled .Values.istio.virtualService.enabled }}
      trafficRouting:
        istio:
          virtualService:
            name: {{ $name }}
            routes:
              - primary
      {{- end }}
      abortScaleDownDelaySeconds: 30
      analysis:
        templates:
          - templateName: {{ $name }}-slo
        startingStep: 1
        args:
          - name: canary-hash
            valueFrom:
              podTemplateHashValue: Latest
      steps:
        - setWeight: 5
        - pause:
            duration: {{ .Values.rollout.firstPause | quote }}
        - analysis:
            templates:
              - templateName: {{ $name }}-slo
            args:
              - name: canary-hash
                valueFrom:
                  podTemplateHashValue: Latest
        - setWeight: 25
        - pause:
            duration: {{ .Values.rollout.stepPause | quote }}
        - setWeight: 50
        - pause:
            duration: {{ .Values.rollout.stepPause | quote }}
        - setWeight: 100
  template:
    metadata:
      labels:
        {{- include "pitboss.labels" . | nindent 8 }}
      annotations:
        sidecar.istio.io/inject: {{ .Values.istio.enabled | quote }}
    spec:
      serviceAccountName: {{ $name }}
      automountServiceAccountToken: false
      terminationGracePeriodSeconds: {{ .Values.terminationGracePeriodSeconds }}
      securityContext:
        {{- include "pitboss.podSecurityContext" . | nindent 8 }}
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: DoNotSchedule
          labelSelector:
            matchLabels:
              {{- include "pitboss.selectorLabels" . | nindent 14 }}
          matchLabelKeys:
            - rollouts-pod-template-hash
        - maxSkew: 1
          topologyKey: kubernetes.io/hostname
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              {{- include "pitboss.selectorLabels" . | nindent 14 }}
      containers:
        - name: {{ $name }}
          image: {{ include "pitboss.image" . | quote }}
          imagePullPolicy: {{ .Values.image.pullPolicy }}
          ports:
            - name: http
              containerPort: {{ .Values.ports.http }}
              protocol: TCP
            {{- if .Values.ports.grpc }}
            - name: grpc
              containerPort: {{ .Values.ports.grpc }}
              protocol: TCP
            {{- end }}
          env:
            {{- include "pitboss.env" . | nindent 12 }}
          startupProbe:
            httpGet:
              path: /health/live
              port: http
            periodSeconds: 2
            failureThreshold: 60
          livenessProbe:
            httpGet:
              path: /health/live
              port: http
            periodSeconds: 10
            timeoutSeconds: 3
            failureThreshold: 3
          readinessProbe:
            httpGet:
              path: /health/ready
              port: http
            periodSeconds: 5
            timeoutSeconds: 3
            failureThreshold: 2
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
          securityContext:
            {{- include "pitboss.containerSecurityContext" . | nindent 12 }}
          volumeMounts:
            {{- include "pitboss.tmpMount" . | nindent 12 }}
      volumes:
        {{- include "pitboss.tmpVolume" . | nindent 8 }}
{{- end -}}

{{- define "pitboss.serviceAccount" -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "pitboss.name" . }}
  labels:
    {{- include "pitboss.labels" . | nindent 4 }}
  {{- with .Values.serviceAccount.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
automountServiceAccountToken: false
{{- end -}}
