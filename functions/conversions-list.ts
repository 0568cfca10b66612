import { merchantPrincipal } from "../shared/auth/principal.ts";
import { wantsCsv } from "../shared/http/accept.ts";
import { http, json, readHeader } from "../shared/http/middleware.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { lambdaHandler } from "../shared/lambda-handler.ts";
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
export const handler = lambdaHandler<HttpEvent, HttpResult>()
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
