{{/*
Expand the name of the chart.
*/}}
{{- define "bria-status-bridge.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
A default fully qualified app name, truncated at 63 characters (some Kubernetes name fields are limited to this).
If the release name contains the chart name, it is used as the full name.
*/}}
{{- define "bria-status-bridge.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Chart name and version, as used by the chart label.
*/}}
{{- define "bria-status-bridge.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Common labels.
*/}}
{{- define "bria-status-bridge.labels" -}}
helm.sh/chart: {{ include "bria-status-bridge.chart" . }}
{{ include "bria-status-bridge.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: bria-status-bridge
{{- end }}

{{/*
Selector labels.
*/}}
{{- define "bria-status-bridge.selectorLabels" -}}
app.kubernetes.io/name: {{ include "bria-status-bridge.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
The service account to use.
*/}}
{{- define "bria-status-bridge.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "bria-status-bridge.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The image reference.
*/}}
{{- define "bria-status-bridge.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/*
The Secret holding Bria__ApiToken and the connection strings.
*/}}
{{- define "bria-status-bridge.secretName" -}}
{{- default (include "bria-status-bridge.fullname" .) .Values.secrets.existingSecret }}
{{- end }}

{{/*
More than one replica (replicaCount, or the HPA's minimum): only then is a PodDisruptionBudget useful.
*/}}
{{- define "bria-status-bridge.multipleReplicas" -}}
{{- if .Values.autoscaling.enabled }}
{{- if gt (int .Values.autoscaling.minReplicas) 1 }}true{{ end }}
{{- else if gt (int .Values.replicaCount) 1 }}true{{ end }}
{{- end }}

{{/*
Flattens a map of settings into environment variables: nested keys join with "__" (Section__Key).
Call with (dict "prefix" "" "values" .Values.config).
*/}}
{{- define "bria-status-bridge.flattenEnv" -}}
{{- $prefix := .prefix }}
{{- range $key, $value := .values }}
{{- $name := ternary $key (printf "%s__%s" $prefix $key) (eq $prefix "") }}
{{- if kindIs "map" $value }}
{{- include "bria-status-bridge.flattenEnv" (dict "prefix" $name "values" $value) }}
{{- else if not (kindIs "invalid" $value) }}
{{ $name }}: {{ $value | toString | quote }}
{{- end }}
{{- end }}
{{- end }}

{{/*
OpenTelemetry's standard variables, for the ConfigMap.
*/}}
{{- define "bria-status-bridge.otelEnv" -}}
{{- with .Values.otel.endpoint }}
OTEL_EXPORTER_OTLP_ENDPOINT: {{ . | quote }}
{{- end }}
{{- with .Values.otel.protocol }}
OTEL_EXPORTER_OTLP_PROTOCOL: {{ . | quote }}
{{- end }}
{{- with .Values.otel.serviceName }}
OTEL_SERVICE_NAME: {{ . | quote }}
{{- end }}
{{- with .Values.otel.resourceAttributes }}
OTEL_RESOURCE_ATTRIBUTES: {{ . | quote }}
{{- end }}
{{- end }}
