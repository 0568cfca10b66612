/**
 * In-memory conversion log, counters and budget items, keyed exactly like the tables (through the
 * same key helpers as the DynamoDB adapters), and the conversion-reader port over them, with
 * DynamoDB's sort-key order. Implements the port type: a port change breaks it at typecheck.
 */
import {
  type ConversionRecord,
  conversionItem,
  conversionKeys,
  NO_OFFER,
} from "../../../shared/domain/conversion.ts";
import { type CounterRow, funnelFromItem } from "../../../shared/domain/reports/funnel.ts";
import type {
  ConversionReader,
  LogPosition,
} from "../../../shared/use-cases/ports/conversion-reader.ts";

type Item = Record<string, unknown>;

/** A conversions + incentives table pair in memory. */
export class MemoryTables {
  readonly conversions = new Map<string, Item>();
  readonly incentives = new Map<string, Item>();
  /** Query calls made through the reader, to show reports never read the log. */
  logQueries = 0;

  static key(pk: string, sk: string): string {
    return `${pk}\u0000${sk}`;
  }

  putRecord(record: ConversionRecord, expiresAt = 0): void {
    const item = conversionItem(record, expiresAt);
    this.conversions.set(MemoryTables.key(String(item.pk), String(item.sk)), item);
  }

  putOfferCounters(
    merchantId: string,
    offerId: string,
    storeId: string,
    localDay: string,
    fields: Record<string, number>,
  ): void {
    for (const key of [
      conversionKeys.offerCounters(merchantId, offerId, storeId, localDay),
      conversionKeys.storeCounters(merchantId, storeId, localDay, offerId),
    ]) {
      const id = MemoryTables.key(key.pk, key.sk);
      const existing = this.conversions.get(id) ?? {
        ...key,
        merchantId,
        offerId,
        storeId,
        localDay,
      };
      for (const [f, n] of Object.entries(fields)) existing[f] = Number(existing[f] ?? 0) + n;
      this.conversions.set(id, existing);
    }
  }

  setBudget(offerId: string, sent: number): void {
    this.incentives.set(MemoryTables.key(`OFFER#${offerId}`, "BUDGET"), { sent });
  }

  items(pk: string): Item[] {
    return [...this.conversions.values()].filter((i) => i.pk === pk);
  }
}

/** The conversion-reader port over `MemoryTables`, with DynamoDB's descending sort-key order. */
export function memoryReader(tables: MemoryTables): ConversionReader {
  const counters = (pk: string, from: string, to: string) =>
    tables
      .items(pk)
      .filter((i) => String(i.sk) >= `${from}#` && String(i.sk) <= `${to}$`)
      .sort((a, b) => (String(a.sk) < String(b.sk) ? -1 : 1));
  return {
    async queryLog(query, limit, start) {
      tables.logQueries += 1;
      const viaOffer = query.offerId !== undefined;
      const all = [...tables.conversions.values()]
        .filter((i) =>
          viaOffer
            ? i.gsi1pk === conversionKeys.offerLogPartition(query.merchantId, query.offerId ?? "")
            : i.pk === conversionKeys.logPartition(query.merchantId),
        )
        .filter((i) => query.fromIso === undefined || String(i.sk) >= query.fromIso)
        .filter((i) => query.toIso === undefined || String(i.sk) <= query.toIso)
        .filter((i) => query.storeId === undefined || i.storeId === query.storeId)
        .filter((i) => query.type === undefined || i.type === query.type)
        .sort((a, b) => (String(a.sk) < String(b.sk) ? 1 : -1));
      const from = start ? all.findIndex((i) => String(i.sk) < String(start.sk)) : 0;
      const rest = from < 0 ? [] : all.slice(from);
      const page = rest.slice(0, limit);
      const positions: LogPosition[] = page.map((i) => ({
        pk: String(i.pk),
        sk: String(i.sk),
        ...(viaOffer ? { gsi1pk: String(i.gsi1pk), gsi1sk: String(i.gsi1sk) } : {}),
      }));
      return {
        records: page.map((i) => {
          const { pk: _p, sk: _s, gsi1pk: _g, gsi1sk: _gs, expiresAt: _x, ...record } = i;
          return record as unknown as ConversionRecord;
        }),
        positions,
        next: rest.length > limit ? positions[positions.length - 1] : undefined,
      };
    },
    async offerCounters(merchantId, offerId, from, to): Promise<CounterRow[]> {
      return counters(conversionKeys.offerCounterPartition(merchantId, offerId), from, to).map(
        (i) => ({
          offerId,
          storeId: String(i.storeId),
          localDay: String(i.localDay),
          funnel: funnelFromItem(i),
        }),
      );
    },
    async storeCounters(merchantId, storeId, from, to): Promise<CounterRow[]> {
      return counters(conversionKeys.storeCounterPartition(merchantId, storeId), from, to).map(
        (i) => ({
          offerId: String(i.offerId ?? NO_OFFER),
          storeId,
          localDay: String(i.localDay),
          funnel: funnelFromItem(i),
        }),
      );
    },
    async hasOfferCounters(merchantId, offerId) {
      return tables.items(conversionKeys.offerCounterPartition(merchantId, offerId)).length > 0;
    },
    async hasStoreCounters(merchantId, storeId) {
      return tables.items(conversionKeys.storeCounterPartition(merchantId, storeId)).length > 0;
    },
    async budgetUsed(offerId) {
      return Number(
        tables.incentives.get(MemoryTables.key(`OFFER#${offerId}`, "BUDGET"))?.sent ?? 0,
      );
    },
  };
}
