/**
 * The Kubernetes chart and its image (deploy/, docs/kubernetes.md) without a cluster: Helm renders and
 * lints the chart, the Kubernetes model classes and the pinned operator's field list check what it
 * renders ({@code ChartTest}), the operator's injection is replayed on a JVM with the real agents
 * ({@code OperatorInjectionIT}), and the kind job of the hosted CI is held to the repository
 * ({@code KubernetesWorkflowTest}).
 */
package io.profilingkit.workshop.kubernetes;
