import middy from "@middy/core";
import { merchantPrincipal } from "../shared/auth/principal.ts";
import { http, json, readHeader } from "../shared/http/middleware.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import {
  CSV_LIMITS,
  exportConversionsCsv,
  listConversions,
} from "../shared/use-cases/reports/conversions.ts";
import { conversionLogDepsFromEnv } from "../shared/wiring/report-deps.ts";

const deps = conversionLogDepsFromEnv();

/** Quality of one media type in an Accept header (0 when absent). */
function quality(accept: string, mediaType: string): number {
  let best = 0;
  for (const range of accept.split(",")) {
    const [type = "", ...params] = range.split(";").map((p) => p.trim().toLowerCase());
    if (type !== mediaType) continue;
    const q = params.find((p) => p.startsWith("q="));
    const value = q === undefined ? 1 : Number(q.slice(2));
    if (Number.isFinite(value)) best = Math.max(best, value);
  }
  return best;
}

/** CSV when the caller asks for text/csv at least as much as for JSON. */
function wantsCsv(accept: string | undefined): boolean {
  if (!accept) return false;
  const csv = quality(accept, "text/csv");
  return csv > 0 && csv >= quality(accept, "application/json");
}

/**
 * GET /v1/conversions — the caller's conversion log, newest first (JSON pages with a cursor),
 * or `Accept: text/csv` for every page as CSV. A CSV body stops at 100,000 rows or 5 MB; then
 * `x-footfall-truncated: true` and `x-footfall-next-cursor` give where to resume.
 */
export const handler = middy<HttpEvent, HttpResult>()
  .use(http())
  .handler(async (event) => {
    const principal = merchantPrincipal(event);
    const query = event.queryStringParameters ?? {};
    const headers = { "cache-control": "no-store", vary: "accept" };
    if (!wantsCsv(readHeader(event, "accept"))) {
      return json(200, await listConversions(deps, principal, query), headers);
    }
    const out = await exportConversionsCsv(deps, principal, query);
    return {
      statusCode: 200,
      headers: {
        ...headers,
        "content-type": "text/csv; charset=utf-8; header=present",
        "content-disposition": 'attachment; filename="conversions.csv"',
        "x-footfall-row-count": String(out.rows),
        "x-footfall-row-limit": String(CSV_LIMITS.maxRows),
        "x-footfall-truncated": String(out.truncated),
        ...(out.nextCursor ? { "x-footfall-next-cursor": out.nextCursor } : {}),
      },
      body: out.csv,
    };
  });
