import { reportHandler } from "../shared/http/route-handler.ts";
import { getChannelReport } from "../shared/use-cases/o2o/channel-report.ts";
import { channelReportDepsFromEnv } from "../shared/wiring/channel-report-deps.ts";

const deps = channelReportDepsFromEnv();

/**
 * GET /v1/reports/channels and GET /v1/reports/offers/{offerId}/channels?from&to — claims,
 * exposures and sends by channel and variant with visits, lift, money and variant tests.
 * (The offer id is absent on the first.)
 */
export const handler = reportHandler("offerId", (principal, offerId, query) =>
  getChannelReport(deps, principal, offerId, query),
);
