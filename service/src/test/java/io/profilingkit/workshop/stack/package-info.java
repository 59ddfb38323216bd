/**
 * The stack's files (compose, provisioning, dashboards, configs) and the docs, held to the service
 * and to each other: {@code StackFilesTest} and {@code WorkshopGuideTest} read the files,
 * {@code StackContractIT} runs the dashboards' queries against what the real service and agents emit.
 */
package io.profilingkit.workshop.stack;
