import { Logger } from "@aws-lambda-powertools/logger";

/**
 * One structured JSON logger per function. Callers log ids and counts, never raw coordinates or
 * raw device ids (use the pseudonymous id from shared/privacy).
 */
export const logger = new Logger({
  serviceName: "footfall",
  logLevel:
    (process.env.LOG_LEVEL as "INFO" | undefined) ?? (process.env.VITEST ? "SILENT" : "INFO"),
});
