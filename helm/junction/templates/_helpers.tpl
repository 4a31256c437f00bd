{{/*
junction.name: the chart's name, or nameOverride. Cut to 63 characters, the limit of a
label value and of a DNS label.
*/}}
{{- define "junction.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
junction.fullname: the name of every resource of a release. fullnameOverride wins; a release
whose name already contains the chart's name ("junction", "edge-junction") is used as it is,
so resources are not called "junction-junction".
*/}}
{{- define "junction.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := include "junction.name" . -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
junction.managementName: the ClusterIP Service of the management port. "-management" is 11
characters, so the base is cut to 52.
*/}}
{{- define "junction.managementName" -}}
{{- printf "%s-management" (include "junction.fullname" . | trunc 52 | trimSuffix "-") -}}
{{- end -}}

{{/*
junction.chart: chart name and version, for the helm.sh/chart label ("+" is not allowed in
a label value).
*/}}
{{- define "junction.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
junction.selectorLabels: the labels that pick this release's pods. IMMUTABLE: a Deployment's
selector cannot change after install, so adding or changing a label here breaks every
upgrade. Put new labels in junction.labels instead.
*/}}
{{- define "junction.selectorLabels" -}}
app.kubernetes.io/name: {{ include "junction.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/*
junction.labels: the labels on every resource: the selector labels plus chart, version and
manager, which may change from one release to the next.
*/}}
{{- define "junction.labels" -}}
helm.sh/chart: {{ include "junction.chart" . }}
{{ include "junction.selectorLabels" . }}
app.kubernetes.io/version: {{ include "junction.tag" . | quote }}
app.kubernetes.io/part-of: junction
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/*
junction.tag: the image tag, appVersion when image.tag is empty. "latest" is refused: pods
started at different times would run different builds, and nothing could be rolled back.
*/}}
{{- define "junction.tag" -}}
{{- $tag := toString (default .Chart.AppVersion .Values.image.tag) -}}
{{- if eq (lower $tag) "latest" -}}
{{- fail (printf "image.tag %q is refused: pin a version (such as %q) so that every pod runs the same build and a rollback is possible" $tag .Chart.AppVersion) -}}
{{- end -}}
{{- $tag -}}
{{- end -}}

{{/*
junction.image: repository:tag of the container.
*/}}
{{- define "junction.image" -}}
{{- printf "%s:%s" .Values.image.repository (include "junction.tag" .) -}}
{{- end -}}

{{/*
junction.seconds: a Spring duration written as <n>ms, <n>s or <n>m, in whole seconds,
rounded up. Called with a dict: "value" the duration, "key" where it was set (for the error).
*/}}
{{- define "junction.seconds" -}}
{{- $value := toString .value -}}
{{- if not (regexMatch "^[0-9]+(ms|s|m)$" $value) -}}
{{- fail (printf "%s %q is not a duration the chart can check: write it as <n>ms, <n>s or <n>m, such as \"10s\"" .key $value) -}}
{{- end -}}
{{- if hasSuffix "ms" $value -}}
{{- div (add (atoi (trimSuffix "ms" $value)) 999) 1000 -}}
{{- else if hasSuffix "s" $value -}}
{{- atoi (trimSuffix "s" $value) -}}
{{- else -}}
{{- mul (atoi (trimSuffix "m" $value)) 60 -}}
{{- end -}}
{{- end -}}

{{/*
junction.terminationGracePeriodSeconds: the grace period, after checking that it outlasts
the drain delay plus Spring's shutdown phase (Junction's default 20s, or
spring.lifecycle.timeout-per-shutdown-phase when config sets it as nested keys in <n>ms/s/m).
A shorter grace period makes the kubelet kill Junction while requests are still in flight.
*/}}
{{- define "junction.terminationGracePeriodSeconds" -}}
{{- $grace := int64 .Values.terminationGracePeriodSeconds -}}
{{- $drain := include "junction.seconds" (dict "value" .Values.drainDelay "key" "drainDelay") | atoi -}}
{{- $phaseValue := dig "spring" "lifecycle" "timeout-per-shutdown-phase" "20s" .Values.config -}}
{{- $phase := 20 -}}
{{- if regexMatch "^[0-9]+(ms|s|m)$" (toString $phaseValue) -}}
{{- $phase = include "junction.seconds" (dict "value" $phaseValue "key" "config.spring.lifecycle.timeout-per-shutdown-phase") | atoi -}}
{{- end -}}
{{- if le $grace (add $drain $phase) -}}
{{- fail (printf "terminationGracePeriodSeconds %d must be more than drainDelay (%ds) plus the shutdown phase (%ds), or Kubernetes kills Junction before in-flight requests finish; set it to at least %d" $grace $drain $phase (add $drain $phase 1)) -}}
{{- end -}}
{{- $grace -}}
{{- end -}}

{{/*
junction.configYml: the text of junction.yml, the config value as it is. The release's
ConfigMap and the configuration check's hook ConfigMap both render it from here, so what is
checked is always what the pods load.
*/}}
{{- define "junction.configYml" -}}
{{- toYaml .Values.config -}}
{{- end -}}

{{/*
junction.args: Junction's arguments after its configuration file: the drain delay, the
Redis of the rate limits when there is one, then extraArgs. The pods and the configuration check both take them from here, so the check sees
the configuration a pod would start with. A YAML list, to be indented by the caller.
*/}}
{{- define "junction.args" -}}
- {{ printf "--junction.shutdown.drain-delay=%s" (toString .Values.drainDelay) | quote }}
{{- with (include "junction.redisHost" .) }}
- {{ printf "--spring.data.redis.host=%s" . | quote }}
- {{ printf "--spring.data.redis.port=%d" (int $.Values.redis.port) | quote }}
{{- end }}
{{- range .Values.extraArgs }}
- {{ . | quote }}
{{- end }}
{{- end -}}

{{/*
junction.configCheckName: the configuration check's hook Job and its ConfigMap.
"-config-check" is 13 characters, so the base is cut to 50.
*/}}
{{- define "junction.configCheckName" -}}
{{- printf "%s-config-check" (include "junction.fullname" . | trunc 50 | trimSuffix "-") -}}
{{- end -}}

{{/*
junction.configCheckLabels: the labels of the configuration check's resources. Not the
selector labels (app.kubernetes.io/name is left out): the check's pod would otherwise count
as a Junction pod for the Services, which would send it traffic while it runs, for the
disruption budget and for the spread.
*/}}
{{- define "junction.configCheckLabels" -}}
helm.sh/chart: {{ include "junction.chart" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: config-check
app.kubernetes.io/version: {{ include "junction.tag" . | quote }}
app.kubernetes.io/part-of: junction
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/*
junction.redisName: the Redis the chart deploys (redis.deploy), its Deployment and Service.
*/}}
{{- define "junction.redisName" -}}
{{- printf "%s-redis" (include "junction.fullname" . | trunc 57 | trimSuffix "-") -}}
{{- end -}}

{{/*
junction.redisHost: where Junction finds Redis for the RateLimit filter: the Redis the chart
deploys, or redis.host; empty when neither. Both at once is refused.
*/}}
{{- define "junction.redisHost" -}}
{{- if and .Values.redis.deploy .Values.redis.host -}}
{{- fail "redis.deploy and redis.host are both set: deploy a Redis or point at one, not both" -}}
{{- end -}}
{{- if .Values.redis.deploy -}}
{{- include "junction.redisName" . -}}
{{- else -}}
{{- .Values.redis.host -}}
{{- end -}}
{{- end -}}
