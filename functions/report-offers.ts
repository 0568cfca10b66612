import { merchantPrincipal } from "../shared/auth/principal.ts";
import { offerComparisonCsv } from "../shared/domain/reports/offer-comparison.ts";
import { csvResult, wantsCsv } from "../shared/http/accept.ts";
import { http, json, readHeader } from "../shared/http/middleware.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { lambdaHandler } from "../shared/lambda-handler.ts";
import { getOfferComparison } from "../shared/use-cases/reports/offer-report.ts";
import { reportDepsFromEnv } from "../shared/wiring/report-deps.ts";

const deps = reportDepsFromEnv();

/**
 * GET /v1/reports/offers?from&to — every offer of the period side by side with its key figures;
 * `Accept: text/csv` for one CSV line per offer.
 */
export const handler = lambdaHandler<HttpEvent, HttpResult>()
  .use(http())
  .handler(async (event) => {
    const principal = merchantPrincipal(event);
    const report = await getOfferComparison(deps, principal, event.queryStringParameters ?? {});
    if (wantsCsv(readHeader(event, "accept"))) {
      return csvResult(offerComparisonCsv(report), `offers-${report.from}-${report.to}.csv`);
    }
    return json(200, report, { "cache-control": "no-store", vary: "accept" });
  });
