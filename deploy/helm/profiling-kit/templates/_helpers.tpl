{{/* Labels on everything the chart makes. */}}
{{- define "profiling-kit.labels" -}}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: profiling-kit
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* The annotation value that names this chart's Instrumentation from any namespace. */}}
{{- define "profiling-kit.instrumentationRef" -}}
{{ printf "%s/%s" .Release.Namespace .Values.instrumentation.name }}
{{- end -}}

{{/* The preset's settings (service/run-instrumented.sh, TELEMETRY_PRESET). */}}
{{- define "profiling-kit.preset" -}}
{{- if eq .Values.preset "production" -}}
sampler: parentbased_traceidratio
samplerArg: "0.1"
alloc: 2m
upload: 30s
wall: ""
{{- else -}}
sampler: parentbased_always_on
samplerArg: ""
alloc: 512k
upload: 10s
wall: 20ms
{{- end -}}
{{- end -}}

{{- define "profiling-kit.tracesEndpoint" -}}
{{- if eq .Values.destination.type "grafanaCloud" -}}
{{ required "destination.grafanaCloud.traces: the OTLP gateway, https://otlp-gateway-<zone>.grafana.net/otlp" .Values.destination.grafanaCloud.traces }}
{{- else -}}
{{ required "destination.endpoints.traces: an OTLP/HTTP endpoint" .Values.destination.endpoints.traces }}
{{- end -}}
{{- end -}}

{{- define "profiling-kit.profilesEndpoint" -}}
{{- if eq .Values.destination.type "grafanaCloud" -}}
{{ required "destination.grafanaCloud.profiles: the Pyroscope endpoint, https://profiles-<zone>.grafana.net" .Values.destination.grafanaCloud.profiles }}
{{- else -}}
{{ required "destination.endpoints.profiles: a Pyroscope endpoint" .Values.destination.endpoints.profiles }}
{{- end -}}
{{- end -}}
