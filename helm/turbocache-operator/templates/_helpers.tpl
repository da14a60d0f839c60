{{/* Names are cut at 63 characters: the limit of a label value and of a DNS label. */}}
{{- define "turbocache-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release name alone when it already contains the chart name (release "turbocache-operator"). */}}
{{- define "turbocache-operator.fullname" -}}
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

{{- define "turbocache-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "turbocache-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "turbocache-operator.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "turbocache-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "turbocache-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "turbocache-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Who the Roles and ClusterRoles are bound to: the operator's ServiceAccount. */}}
{{- define "turbocache-operator.subjects" -}}
- kind: ServiceAccount
  name: {{ include "turbocache-operator.serviceAccountName" . }}
  namespace: {{ .Release.Namespace }}
{{- end }}

{{/* The Lease the replicas compete for, one per release. */}}
{{- define "turbocache-operator.leaseName" -}}
{{- include "turbocache-operator.fullname" . }}
{{- end }}

{{/*
What the operator does with TurboCaches and their children: the only copy of these rules. It
becomes a ClusterRole, or a Role in each of .Values.watchNamespaces. The children are the
operator's workflow (OperatorInstallManifestTest checks every one is covered). Secrets: the
tokens, Redis password and S3 keys the TurboCaches name are only read; the one Secret the operator
writes is the generated password of a Redis it runs. Pods are never created, only watched and (Redis,
in a rolling update) deleted.
*/}}
{{- define "turbocache-operator.rules" -}}
- apiGroups: [turbocache.dev]
  resources: [turbocaches]
  verbs: [get, list, watch, patch, update]
- apiGroups: [turbocache.dev]
  resources: [turbocaches/status]
  verbs: [get, patch, update]
{{- /* the Secrets a TurboCache references are only read; the operator writes the generated password of the Redis it runs */}}
- apiGroups: [""]
  resources: [secrets]
  verbs: [get, list, watch, create, patch, update, delete]
- apiGroups: [""]
  resources: [configmaps, services, serviceaccounts]
  verbs: [get, list, watch, create, patch, update, delete]
{{- /* the Redis pods: watched by the topology check, deleted one by one in a rolling update */}}
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list, watch, delete]
- apiGroups: [apps]
  resources: [deployments, statefulsets]
  verbs: [get, list, watch, create, patch, update, delete]
- apiGroups: [networking.k8s.io]
  resources: [ingresses, networkpolicies]
  verbs: [get, list, watch, create, patch, update, delete]
- apiGroups: [autoscaling]
  resources: [horizontalpodautoscalers]
  verbs: [get, list, watch, create, patch, update, delete]
- apiGroups: [policy]
  resources: [poddisruptionbudgets]
  verbs: [get, list, watch, create, patch, update, delete]
{{- /* spec.monitoring's ServiceMonitor and PrometheusRule, used only while prometheus-operator's CRDs are installed */}}
- apiGroups: [monitoring.coreos.com]
  resources: [servicemonitors, prometheusrules]
  verbs: [get, list, watch, create, patch, update, delete]
- apiGroups: [""]
  resources: [events]
  verbs: [create, patch]
{{- end }}

{{/*
Cluster-scoped reads beside those rules: whether prometheus-operator's CRDs are installed (asked
again every few seconds, so installing it later needs no operator restart), and whether the
TurboCache CRD declares every field of this operator's (Helm never upgrades it). Part of the
ClusterRole, or a ClusterRole of its own when the rules above are namespaced Roles.
*/}}
{{- define "turbocache-operator.clusterRules" -}}
- apiGroups: [apiextensions.k8s.io]
  resources: [customresourcedefinitions]
  resourceNames: [servicemonitors.monitoring.coreos.com, prometheusrules.monitoring.coreos.com, turbocaches.turbocache.dev]
  verbs: [get]
{{- end }}
