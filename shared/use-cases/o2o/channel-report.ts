import type { MerchantPrincipal } from "../../auth/principal.ts";
import { offerCosts } from "../../domain/money.ts";
import {
  buildChannelReport,
  type ChannelReport,
  channelReportQuerySchema,
} from "../../domain/o2o/channel-report.ts";
import { resolveDayRange } from "../../domain/reports/day-range.ts";
import type { Clock } from "../../ports.ts";
import type { CatalogReader, DeletedCatalogReader } from "../ports/catalog-store.ts";
import type { TouchReader } from "../ports/touch-reader.ts";
import { commonTimeZone, storeLabels } from "../reports/names.ts";
import {
  liveOrDeletedOffer,
  openReport,
  subjectId,
  subjectNotFound,
} from "../reports/report-request.ts";

export interface ChannelReportDeps {
  touches: TouchReader;
  catalog: Pick<CatalogReader, "getOffer" | "getOffers" | "getStore" | "getStores"> &
    Pick<DeletedCatalogReader, "getDeletedOffers" | "getDeletedStores">;
  clock: Clock;
}

/**
 * The channel report of the caller's offer (`offerId`), or across all its offers (undefined):
 * claims, exposures and sends by channel and variant, visits, visit rates treated vs control,
 * lift with interval, credited visits, redemptions, web claims, time to visit, money, and the
 * two-sample comparison of variants. From the touch counters only. Another merchant's offer is a
 * 404 (its counters are keyed by the caller's merchant id and cannot be read anyway).
 */
export async function getChannelReport(
  deps: ChannelReportDeps,
  principal: MerchantPrincipal,
  offerId: string | undefined,
  rawQuery: unknown,
): Promise<ChannelReport> {
  const { merchantId, query } = openReport(principal, channelReportQuerySchema, rawQuery);
  const now = deps.clock.now();
  let timeZone: string | undefined;
  if (offerId !== undefined) {
    const offer = await liveOrDeletedOffer(deps.catalog, merchantId, subjectId("offerId", offerId));
    if (!offer) throw subjectNotFound("offerId");
    timeZone = commonTimeZone(
      (await storeLabels(deps.catalog, merchantId, offer.storeIds)).values(),
    );
  }
  const range = resolveDayRange(query, now, timeZone);
  const rows = await deps.touches.touchCounters(merchantId, offerId ?? null, range.from, range.to);
  const ids = [...new Set([...(offerId ? [offerId] : []), ...rows.map((r) => r.offerId)])];
  const keys = ids.map((id) => ({ merchantId, offerId: id }));
  const live = await deps.catalog.getOffers(keys);
  const gone = await deps.catalog.getDeletedOffers(
    keys.filter((k) => !live.some((o) => o.offerId === k.offerId)),
  );
  const offers = new Map<string, { name: string | null; costs: ReturnType<typeof offerCosts> }>();
  for (const o of [...live, ...gone]) offers.set(o.offerId, { name: o.name, costs: offerCosts(o) });
  return buildChannelReport({ range, offerId: offerId ?? null, rows, offers });
}
