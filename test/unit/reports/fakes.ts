/**
 * In-memory stand-ins for the report and redemption ports, keyed exactly like the tables, so
 * use-case tests exercise tenant scoping through the same key helpers as production.
 */
import type { Deleted, Page } from "../../../shared/adapters/dynamo/catalog-store.ts";
import type {
  ConversionReader,
  LogPosition,
} from "../../../shared/adapters/dynamo/conversion-reader.ts";
import type {
  AttemptKey,
  IssuedCode,
  RedemptionStore,
  RedemptionWrite,
  StaticCap,
} from "../../../shared/adapters/dynamo/redemption-store.ts";
import type { MerchantPrincipal, Role } from "../../../shared/auth/principal.ts";
import type { Offer } from "../../../shared/domain/catalog/offer.ts";
import type { Store } from "../../../shared/domain/catalog/store.ts";
import {
  type ConversionRecord,
  conversionItem,
  conversionKeys,
  NO_OFFER,
} from "../../../shared/domain/conversion.ts";
import { type CounterRow, funnelFromItem } from "../../../shared/domain/reports/funnel.ts";
import type { Clock, Random } from "../../../shared/ports.ts";

export function principal(
  merchantId: string,
  role: Role,
  subject = `${role}@${merchantId}`,
): MerchantPrincipal {
  return { merchantId, subject, roles: [role] };
}

export function fixedClock(now: number): Clock & { set(ms: number): void } {
  let t = now;
  return {
    now: () => t,
    set: (ms) => {
      t = ms;
    },
  };
}

export function counterRandom(): Random {
  let n = 0;
  return {
    bytes: (length) => new Uint8Array(length).fill(7),
    id: (prefix) => `${prefix}_${String(++n).padStart(12, "0")}`,
  };
}

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

/** The reader port over `MemoryTables`, with DynamoDB's descending sort-key order. */
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

/** Catalog fake keyed by merchant, like the catalog partition. */
export class MemoryCatalog {
  readonly stores = new Map<string, Store>();
  readonly offers = new Map<string, Offer>();
  listCalls = 0;

  async storeIdByRef(merchantId: string, externalRef: string): Promise<string | undefined> {
    for (const store of this.stores.values()) {
      if (store.merchantId === merchantId && store.externalRef === externalRef) {
        return store.storeId;
      }
    }
    return undefined;
  }

  addStore(merchantId: string, storeId: string, timeZone = "Europe/Paris"): void {
    this.stores.set(`${merchantId}|${storeId}`, {
      merchantId,
      storeId,
      name: `Store ${storeId}`,
      location: { lat: 48.86, lon: 2.34 },
      locationSource: "request",
      timeZone,
      footprint: { type: "Circle", center: { lat: 48.86, lon: 2.34 }, radiusM: 30 },
      zoneCells: 1,
      offerIds: [],
      version: 1,
      createdAt: "2026-01-01T00:00:00.000Z",
      updatedAt: "2026-01-01T00:00:00.000Z",
    } as Store);
  }

  addOffer(merchantId: string, offerId: string, patch: Partial<Offer> = {}): void {
    this.offers.set(`${merchantId}|${offerId}`, {
      merchantId,
      offerId,
      status: "active",
      name: `Offer ${offerId}`,
      storeIds: [],
      triggerZone: { type: "StoreRadius", radiusM: 500 },
      trigger: { on: "enter" },
      message: { title: `Title ${offerId}`, body: "body" },
      validFrom: "2026-01-01T00:00:00.000Z",
      validTo: "2027-01-01T00:00:00.000Z",
      caps: {},
      holdoutPercent: 20,
      attributionWindowHours: 24,
      redemption: { codeKind: "unique", expiresAfterHours: 48 },
      priority: 0,
      triggerRadiusM: 500,
      zoneCells: 0,
      version: 1,
      createdAt: "2026-01-01T00:00:00.000Z",
      updatedAt: "2026-01-01T00:00:00.000Z",
      ...patch,
    } as Offer);
  }

  readonly deletedStores = new Map<string, Deleted<Store>>();
  readonly deletedOffers = new Map<string, Deleted<Offer>>();

  /** Deletes like the catalog does: what the store or offer was is kept. */
  deleteStore(merchantId: string, storeId: string, deletedAt: string): void {
    const store = this.stores.get(`${merchantId}|${storeId}`);
    if (!store) return;
    this.stores.delete(`${merchantId}|${storeId}`);
    this.deletedStores.set(`${merchantId}|${storeId}`, { ...store, deletedAt });
  }

  deleteOffer(merchantId: string, offerId: string, deletedAt: string): void {
    const offer = this.offers.get(`${merchantId}|${offerId}`);
    if (!offer) return;
    this.offers.delete(`${merchantId}|${offerId}`);
    this.deletedOffers.set(`${merchantId}|${offerId}`, { ...offer, deletedAt });
  }

  async getStore(merchantId: string, storeId: string) {
    return this.stores.get(`${merchantId}|${storeId}`);
  }

  async getStores(keys: readonly { merchantId: string; storeId: string }[]) {
    return keys.flatMap((k) => this.stores.get(`${k.merchantId}|${k.storeId}`) ?? []);
  }

  async getOffers(keys: readonly { merchantId: string; offerId: string }[]) {
    return keys.flatMap((k) => this.offers.get(`${k.merchantId}|${k.offerId}`) ?? []);
  }

  async getDeletedStores(keys: readonly { merchantId: string; storeId: string }[]) {
    return keys.flatMap((k) => this.deletedStores.get(`${k.merchantId}|${k.storeId}`) ?? []);
  }

  async getDeletedOffers(keys: readonly { merchantId: string; offerId: string }[]) {
    return keys.flatMap((k) => this.deletedOffers.get(`${k.merchantId}|${k.offerId}`) ?? []);
  }

  async listDeletedOffers(merchantId: string) {
    return [...this.deletedOffers.values()].filter((o) => o.merchantId === merchantId);
  }

  async getOffer(merchantId: string, offerId: string) {
    return this.offers.get(`${merchantId}|${offerId}`);
  }

  async listOffers(
    merchantId: string,
    limit: number,
    startKey?: Record<string, string>,
  ): Promise<Page<Offer>> {
    this.listCalls += 1;
    const all = [...this.offers.values()]
      .filter((o) => o.merchantId === merchantId)
      .sort((a, b) => (a.offerId < b.offerId ? -1 : 1));
    const from = startKey ? all.findIndex((o) => o.offerId > String(startKey.offerId)) : 0;
    const items = from < 0 ? [] : all.slice(from, from + limit);
    const last = items[items.length - 1];
    return {
      items,
      lastKey:
        from >= 0 && from + limit < all.length && last ? { offerId: last.offerId } : undefined,
    };
  }
}

/**
 * RedemptionStore fake: the code flip is atomic per call (like the transaction), and a test can
 * interleave a competitor between the read and the write with `beforeRedeem`.
 */
export class MemoryRedemptions implements RedemptionStore {
  readonly codes = new Map<string, IssuedCode>();
  readonly writes: RedemptionWrite[] = [];
  beforeRedeem: (() => void) | undefined;

  addCode(code: IssuedCode): void {
    this.codes.set(`${code.merchantId}|${code.code}`, { ...code });
  }

  async findCode(merchantId: string, code: string) {
    const found = this.codes.get(`${merchantId}|${code}`);
    return found ? { ...found } : undefined;
  }

  async redeem(code: IssuedCode, storeId: string, now: number, write: RedemptionWrite) {
    this.beforeRedeem?.();
    const current = this.codes.get(`${code.merchantId}|${code.code}`);
    if (current?.status !== "issued" || !(current.expiresAtMs > now)) {
      return { kind: "refused" as const, current: current ? { ...current } : undefined };
    }
    current.status = "redeemed";
    current.redeemedAt = new Date(now).toISOString();
    current.redeemedStoreId = storeId;
    this.writes.push(write);
    return { kind: "redeemed" as const };
  }

  readonly staticCounts = new Map<string, number>();

  async logRedemption(write: RedemptionWrite, cap?: StaticCap) {
    if (cap) {
      const key = `${cap.merchantId}|${cap.offerId}`;
      const n = this.staticCounts.get(key) ?? 0;
      if (cap.max !== undefined && n >= cap.max) return "capped" as const;
      this.staticCounts.set(key, n + 1);
    }
    this.writes.push(write);
    return "logged" as const;
  }

  readonly attempts = new Map<string, number>();

  async reserveAttempt(key: AttemptKey, limit: number) {
    const k = `${key.merchantId}|${key.scope}|${key.id}|${key.windowStart}`;
    const n = this.attempts.get(k) ?? 0;
    if (n >= limit) return false;
    this.attempts.set(k, n + 1);
    return true;
  }

  async releaseAttempt(key: AttemptKey) {
    const k = `${key.merchantId}|${key.scope}|${key.id}|${key.windowStart}`;
    this.attempts.set(k, Math.max(0, (this.attempts.get(k) ?? 0) - 1));
  }
}
