import { offerReportCsv } from "../shared/domain/reports/offer-report-csv.ts";
import { csvResult } from "../shared/http/accept.ts";
import { reportHandler } from "../shared/http/route-handler.ts";
import { getOfferReport } from "../shared/use-cases/reports/offer-report.ts";
import { reportDepsFromEnv } from "../shared/wiring/report-deps.ts";

const deps = reportDepsFromEnv();

/**
 * GET /v1/reports/offers/{offerId}?from&to&groupBy=day|week|month|store&includeEmpty — funnel,
 * lift, incremental visits, money and budget; `Accept: text/csv` for the rows as CSV.
 */
export const handler = reportHandler(
  "offerId",
  (principal, offerId, query) => getOfferReport(deps, principal, offerId, query),
  {
    csv: (report) =>
      csvResult(
        offerReportCsv(report),
        `offer-${report.offerId}-${report.from}-${report.to}-${report.groupBy}.csv`,
      ),
  },
);
