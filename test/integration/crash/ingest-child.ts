/**
 * Child process of the crash test: ingests one batch per device concurrently with the real ping
 * path, and kills itself (SIGKILL, as `kill -9`) once every device's state and outbox are saved
 * and before any of them is handed on. Argument: JSON `{ batches: [{ device, pings }] }`.
 */
import type { DevicePrincipal } from "../../../shared/auth/principal.ts";
import { ingestPings } from "../../../shared/use-cases/pings/ingest-pings.ts";
import { zoneEventSinkFromEnv } from "../../../shared/wiring/event-sink-deps.ts";
import { pingDepsFromEnv } from "../../../shared/wiring/ping-deps.ts";

const { batches } = JSON.parse(process.argv[2] ?? "{}") as {
  batches: { device: DevicePrincipal; pings: unknown[] }[];
};
const deps = pingDepsFromEnv(zoneEventSinkFromEnv());
let saved = 0;
const real = deps.visits;
deps.visits = {
  ...real,
  async save(...args) {
    const version = await real.save(...args);
    if (args[1].pending.length > 0) {
      saved++;
      if (saved === batches.length) process.kill(process.pid, "SIGKILL");
      // Hold the hand-off until the kill: the window between the save and the hand-off.
      await new Promise(() => undefined);
    }
    return version;
  },
};
await Promise.all(batches.map((b) => ingestPings(deps, b.device, b.pings)));
// Reaching this line means the kill never came: the parent reports a wrong exit.
process.exit(3);
