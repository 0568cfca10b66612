import { inject } from "vitest";

// Handlers read config at module load (as at a Lambda cold start), so the env is set first.
Object.assign(process.env, inject("localEnv"), {
  LOG_LEVEL: "SILENT",
  POWERTOOLS_METRICS_DISABLED: "true",
});
