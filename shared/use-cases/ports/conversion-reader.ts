/** Port: ConversionReader (implemented by shared/adapters/dynamo/conversion-reader.ts). */
import type { ConversionRecord, ConversionType } from "../../domain/conversion.ts";
import type { CounterRow } from "../../domain/reports/funnel.ts";

/** A DynamoDB position in a listing (string attributes only: the log's keys are strings). */
export type LogPosition = Record<string, string>;

/** Which records of one merchant's log to read. */
export interface LogQuery {
  merchantId: string;
  /** Reads the offer index (gsi1) instead of the merchant partition. */
  offerId?: string | undefined;
  storeId?: string | undefined;
  type?: ConversionType | undefined;
  /** Inclusive lower bound, ISO instant as written in the sort key. */
  fromIso?: string | undefined;
  /** Exclusive upper bound, ISO instant. */
  toIso?: string | undefined;
}

export interface LogPage {
  /** Newest first. */
  records: ConversionRecord[];
  /** `positions[i]` resumes right after `records[i]` (lets a caller end a page anywhere). */
  positions: LogPosition[];
  /** Where the next page starts; undefined when the listing is exhausted. */
  next: LogPosition | undefined;
}

/** Port: the read side of the conversion log and its counters. */
export interface ConversionReader {
  /**
   * Up to `limit` records matching `query`, newest first, starting after `start`. Stops early
   * (with a `next` position) after `maxReads` requests, so a sparse filter cannot make one call
   * read the whole log: a page may then hold fewer than `limit` records.
   */
  queryLog(
    query: LogQuery,
    limit: number,
    start?: LogPosition,
    maxReads?: number,
  ): Promise<LogPage>;
  /** Counter rows of one offer for store-local days `fromDay`..`toDay` (inclusive). */
  offerCounters(
    merchantId: string,
    offerId: string,
    fromDay: string,
    toDay: string,
  ): Promise<CounterRow[]>;
  /** Counter rows of one store for store-local days `fromDay`..`toDay` (inclusive). */
  storeCounters(
    merchantId: string,
    storeId: string,
    fromDay: string,
    toDay: string,
  ): Promise<CounterRow[]>;
  /** Whether any counters exist for the merchant's offer (a deleted offer keeps its report). */
  hasOfferCounters(merchantId: string, offerId: string): Promise<boolean>;
  hasStoreCounters(merchantId: string, storeId: string): Promise<boolean>;
  /** Incentives sent over the offer's life (the budget slices in the incentives table, summed). */
  budgetUsed(offerId: string): Promise<number>;
}
