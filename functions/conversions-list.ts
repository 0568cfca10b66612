import { csvResult } from "../shared/http/accept.ts";
import { reportHandler } from "../shared/http/route-handler.ts";
import {
  CSV_LIMITS,
  exportConversionsCsv,
  listConversions,
} from "../shared/use-cases/reports/conversions.ts";
import { conversionLogDepsFromEnv } from "../shared/wiring/report-deps.ts";

const deps = conversionLogDepsFromEnv();

/**
 * GET /v1/conversions — the caller's conversion log, newest first (JSON pages with a cursor),
 * or `Accept: text/csv` for every page as CSV. A CSV body stops at 100,000 rows or 5 MB; then
 * `x-footfall-truncated: true` and `x-footfall-next-cursor` give where to resume.
 */
export const handler = reportHandler(
  undefined,
  (principal, _id, query) => listConversions(deps, principal, query),
  {
    // Every page of the log, up to the caps, rather than one page as CSV.
    export: async (principal, _id, query) => {
      const out = await exportConversionsCsv(deps, principal, query);
      return csvResult(out.csv, "conversions.csv", {
        "x-footfall-row-count": String(out.rows),
        "x-footfall-row-limit": String(CSV_LIMITS.maxRows),
        "x-footfall-truncated": String(out.truncated),
        ...(out.nextCursor ? { "x-footfall-next-cursor": out.nextCursor } : {}),
      });
    },
  },
);
