import { merchantPrincipal } from "../shared/auth/principal.ts";
import { offerReportCsv } from "../shared/domain/reports/offer-report-csv.ts";
import { csvResult, wantsCsv } from "../shared/http/accept.ts";
import { http, json, readHeader } from "../shared/http/middleware.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { lambdaHandler } from "../shared/lambda-handler.ts";
import { getOfferReport } from "../shared/use-cases/reports/offer-report.ts";
import { reportDepsFromEnv } from "../shared/wiring/report-deps.ts";

const deps = reportDepsFromEnv();

/**
 * GET /v1/reports/offers/{offerId}?from&to&groupBy=day|week|month|store&includeEmpty — funnel,
 * lift, incremental visits, money and budget; `Accept: text/csv` for the rows as CSV.
 */
export const handler = lambdaHandler<HttpEvent, HttpResult>()
  .use(http())
  .handler(async (event) => {
    const principal = merchantPrincipal(event);
    const report = await getOfferReport(
      deps,
      principal,
      event.pathParameters?.offerId,
      event.queryStringParameters ?? {},
    );
    if (wantsCsv(readHeader(event, "accept"))) {
      return csvResult(
        offerReportCsv(report),
        `offer-${report.offerId}-${report.from}-${report.to}-${report.groupBy}.csv`,
      );
    }
    return json(200, report, { "cache-control": "no-store", vary: "accept" });
  });
