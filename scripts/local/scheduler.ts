import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { FUNCTION_SPECS, type FunctionSpec } from "../../infra/function-specs.ts";

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

export interface LocalSchedule {
  /** Runs every scheduled function once now (after any run in flight) and resolves when done. */
  runNow(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The local stand-in for the EventBridge rules of scheduled functions: every function whose spec
 * has a `schedule` trigger (infra/function-specs.ts, the same definition CDK deploys) is invoked
 * with a scheduled-event payload every `localIntervalS`. Runs of one function never overlap; a
 * failed run is reported and the next one comes at the next tick, as in AWS (no retries).
 */
export async function startSchedules(options: {
  specs?: Record<string, FunctionSpec>;
  onError?: (name: string, error: unknown) => void;
  onResult?: (name: string, result: unknown) => void;
}): Promise<LocalSchedule> {
  const specs = options.specs ?? FUNCTION_SPECS;
  const functionsDir = join(import.meta.dirname, "..", "..", "functions");
  const jobs: { name: string; handler: Handler; intervalMs: number }[] = [];
  for (const [name, spec] of Object.entries(specs)) {
    if (spec.trigger?.kind !== "schedule") continue;
    const mod = (await import(pathToFileURL(join(functionsDir, `${name}.ts`)).href)) as {
      handler: Handler;
    };
    jobs.push({ name, handler: mod.handler, intervalMs: spec.trigger.localIntervalS * 1000 });
  }
  let running = true;
  const inFlight = new Map<string, Promise<void>>();
  const timers = new Map<string, NodeJS.Timeout>();

  function run(job: (typeof jobs)[number]): Promise<void> {
    const previous = inFlight.get(job.name) ?? Promise.resolve();
    const next = previous.then(async () => {
      if (!running) return;
      try {
        const event = {
          version: "0",
          "detail-type": "Scheduled Event",
          source: "aws.events",
          time: new Date().toISOString(),
          detail: {},
        };
        const result = await job.handler(event, {});
        options.onResult?.(job.name, result);
      } catch (error) {
        options.onError?.(job.name, error);
      }
    });
    inFlight.set(job.name, next);
    return next;
  }

  function schedule(job: (typeof jobs)[number]) {
    timers.set(
      job.name,
      setTimeout(async () => {
        await run(job);
        if (running) schedule(job);
      }, job.intervalMs),
    );
  }
  for (const job of jobs) schedule(job);

  return {
    async runNow() {
      await Promise.all(jobs.map((job) => run(job)));
    },
    async stop() {
      running = false;
      for (const t of timers.values()) clearTimeout(t);
      await Promise.all(inFlight.values());
    },
  };
}
