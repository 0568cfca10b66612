/**
 * The ids, principal, clock and random source of the report and redemption use-case tests. The
 * in-memory adapters of their ports live in test/support/memory/.
 */
import type { MerchantPrincipal, Role } from "../../../shared/auth/principal.ts";
import type { Clock, Random } from "../../../shared/ports.ts";
import type { ReportDeps } from "../../../shared/use-cases/reports/offer-report.ts";
import type { MemoryCatalog } from "../../support/memory/catalog.ts";
import { type MemoryTables, memoryReader } from "../../support/memory/conversion-reader.ts";

/** Merchants, offers and stores of the report and redemption tests, in the catalog's id shapes. */
export const A = "merchant_a";
export const B = "merchant_b";
export const OFFER = "of_offer00001";
export const OTHER = "of_offer00002";
export const S1 = "st_store00001";
export const S2 = "st_store00002";
export const S3 = "st_store00003";

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

/** Report use-case deps over the in-memory counters and catalog, read on 2026-05-20 at noon UTC. */
export function reportDeps(tables: MemoryTables, catalog: MemoryCatalog): ReportDeps {
  return {
    counters: memoryReader(tables),
    catalog,
    clock: fixedClock(Date.parse("2026-05-20T12:00:00Z")),
  };
}
