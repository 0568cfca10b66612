import { offerComparisonCsv } from "../shared/domain/reports/offer-comparison.ts";
import { csvResult } from "../shared/http/accept.ts";
import { reportHandler } from "../shared/http/route-handler.ts";
import { getOfferComparison } from "../shared/use-cases/reports/offer-report.ts";
import { reportDepsFromEnv } from "../shared/wiring/report-deps.ts";

const deps = reportDepsFromEnv();

/**
 * GET /v1/reports/offers?from&to — every offer of the period side by side with its key figures;
 * `Accept: text/csv` for one CSV line per offer.
 */
export const handler = reportHandler(
  undefined,
  (principal, _id, query) => getOfferComparison(deps, principal, query),
  {
    csv: (report) =>
      csvResult(offerComparisonCsv(report), `offers-${report.from}-${report.to}.csv`),
  },
);
