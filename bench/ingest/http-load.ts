/**
 * HTTP load stage: `POST /v1/pings` through the local server (the same server as `npm start`:
 * route table, device authorizer with API Gateway's 60 s decision cache, the real handlers) at
 * several concurrencies, against DynamoDB Local. Each concurrent client is one device posting
 * batches of 50 pings of a walk in the zone-free area back to back over keep-alive connections;
 * pings per second and latency percentiles are wall clock on the shared machine, so they say
 * what one local process sustains under the load recorded beside them, not what Lambda would.
 */
import type { AddressInfo } from "node:net";
import type { DeviceBatch } from "./workload.ts";

/** One concurrency level's figures. */
export interface HttpLoadRow {
  concurrency: number;
  requests: number;
  pings: number;
  seconds: number;
  pingsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers other than 202 (each one fails the stage's checks in the report). */
  errors: number;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

/**
 * Runs each concurrency for `seconds` (after a short warm-up at that concurrency) with one
 * device per client: `tokens[i]` posts `batches[i]` in a loop.
 */
export async function measureHttpLoad(options: {
  tokens: string[];
  batches: DeviceBatch[][];
  concurrencies: number[];
  seconds: number;
  warmupSeconds: number;
}): Promise<HttpLoadRow[]> {
  const { createLocalServer } = await import("../../scripts/local/server.ts");
  const { generateDevKey } = await import("../../scripts/local/dev-jwt.ts");
  const server = createLocalServer({ jwtKey: await generateDevKey() });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/pings`;
  const bodies = options.batches.map((list) => list.map((b) => JSON.stringify({ pings: b.pings })));
  const rows: HttpLoadRow[] = [];
  try {
    for (const concurrency of options.concurrencies) {
      if (concurrency > options.tokens.length) {
        throw new Error(`${concurrency} clients need as many devices`);
      }
      const run = async (untilMs: number, latencies: number[] | undefined) => {
        let requests = 0;
        let errors = 0;
        await Promise.all(
          Array.from({ length: concurrency }, async (_, c) => {
            const token = options.tokens[c] as string;
            const mine = bodies[c] as string[];
            for (let i = 0; performance.now() < untilMs; i++) {
              const started = performance.now();
              const res = await fetch(url, {
                method: "POST",
                headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
                body: mine[i % mine.length] as string,
              });
              await res.arrayBuffer();
              latencies?.push(performance.now() - started);
              requests++;
              if (res.status !== 202) errors++;
            }
          }),
        );
        return { requests, errors };
      };
      await run(performance.now() + options.warmupSeconds * 1000, undefined);
      const latencies: number[] = [];
      const started = performance.now();
      const { requests, errors } = await run(started + options.seconds * 1000, latencies);
      const seconds = (performance.now() - started) / 1000;
      latencies.sort((a, b) => a - b);
      const pings = requests * 50;
      rows.push({
        concurrency,
        requests,
        pings,
        seconds,
        pingsPerSecond: pings / seconds,
        p50Ms: quantile(latencies, 0.5),
        p99Ms: quantile(latencies, 0.99),
        errors,
      });
    }
  } finally {
    await new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  }
  return rows;
}
