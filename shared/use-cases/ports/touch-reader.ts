/** Port: TouchReader (implemented by shared/adapters/dynamo/touch-reader.ts). */
import type { TouchRow } from "../../domain/o2o/channel-report.ts";

/** Port: the touch counters (channel × variant per offer and day) for the channel report. */
export interface TouchReader {
  /**
   * Touch counter rows for local days `fromDay`..`toDay` (inclusive): of one offer, or of every
   * offer of the merchant when `offerId` is null.
   */
  touchCounters(
    merchantId: string,
    offerId: string | null,
    fromDay: string,
    toDay: string,
  ): Promise<TouchRow[]>;
}
