package dev.emma.bench.report;

/** How the report names a workload and its throughput unit. */
public record WorkloadInfo(String id, String title, String unit) {
}
