/** A dependency probe: resolves when the dependency answers, rejects otherwise. */
export type Probe = () => Promise<unknown>;

export interface HealthReport {
  status: "ok" | "degraded";
  checks: Record<string, { status: "ok" | "unavailable"; latencyMs: number }>;
}

/**
 * Runs every probe in parallel with a timeout so one hung dependency cannot hang the health check;
 * the report names the failing dependency but never its error text.
 */
export async function checkHealth(
  probes: Record<string, Probe>,
  now: () => number,
  timeoutMs = 2_000,
): Promise<HealthReport> {
  const entries = await Promise.all(
    Object.entries(probes).map(async ([name, probe]) => {
      const start = now();
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          probe(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error("timeout")), timeoutMs);
          }),
        ]);
        return [name, { status: "ok" as const, latencyMs: now() - start }] as const;
      } catch {
        return [name, { status: "unavailable" as const, latencyMs: now() - start }] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const checks = Object.fromEntries(entries);
  const healthy = entries.every(([, c]) => c.status === "ok");
  return { status: healthy ? "ok" : "degraded", checks };
}
