import { describe, expect, it } from "vitest";
import type { ConversionRecord, ConversionType } from "../../../shared/domain/conversion.ts";
import { CONVERSION_CSV_COLUMNS } from "../../../shared/domain/reports/conversion-csv.ts";
import { ForbiddenError, ValidationError } from "../../../shared/errors.ts";
import { cursorCodec } from "../../../shared/http/cursor.ts";
import {
  type ConversionLogDeps,
  exportConversionsCsv,
  listConversions,
} from "../../../shared/use-cases/reports/conversions.ts";
import { loggedConversion } from "../../support/conversion-log.ts";
import { MemoryTables, memoryReader } from "../../support/memory/conversion-reader.ts";
import { A, B, OFFER, OTHER, principal, S1, S2 } from "./fakes.ts";

const T0 = Date.parse("2026-05-01T08:00:00Z");
const TYPES: ConversionType[] = ["triggered", "sent", "attributed_visit", "redeemed"];

/** Types in turn; even records OFFER, the others OTHER; every third one at S2. */
function record(i: number, merchantId = A): ConversionRecord {
  const log = {
    merchantId,
    t0: T0,
    localDay: "2026-05-01",
    types: TYPES,
    offerIds: [OFFER, OTHER],
    storeIds: [S2, S1, S1],
    devices: 7,
  };
  return { ...loggedConversion(i, log), incentiveId: `inc_${i}` };
}

function setup(n = 30) {
  const tables = new MemoryTables();
  for (let i = 0; i < n; i++) tables.putRecord(record(i));
  tables.putRecord(record(1000, B));
  const deps: ConversionLogDeps = {
    log: memoryReader(tables),
    cursors: cursorCodec("x".repeat(40)),
  };
  return { tables, deps };
}

const analyst = principal(A, "marketing-analyst");

async function all(deps: ConversionLogDeps, query: Record<string, string>) {
  const seen: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const page = await listConversions(deps, analyst, { ...query, ...(cursor ? { cursor } : {}) });
    seen.push(...page.items.map((r) => r.eventId));
    if (!page.nextCursor) return { seen, pages: pages + 1 };
    cursor = page.nextCursor;
  }
  throw new Error("no end");
}

describe("conversion log listing", () => {
  it("pages newest first through every record exactly once", async () => {
    const { deps } = setup();
    const { seen, pages } = await all(deps, { limit: "7" });
    expect(pages).toBe(5);
    expect(seen).toHaveLength(30);
    expect(new Set(seen).size).toBe(30);
    expect(seen[0]).toBe("evt_0029");
    expect(seen.at(-1)).toBe("evt_0000");
  });

  it("filters by offer, store, type and [from, to)", async () => {
    const { deps } = setup();
    const page = await listConversions(deps, analyst, {
      offerId: OFFER,
      storeId: S2,
      from: new Date(T0 + 6 * 60_000).toISOString(),
      to: new Date(T0 + 24 * 60_000).toISOString(),
      limit: "200",
    });
    // Even i (OFFER), i % 3 === 0 (S2), 6 ≤ i < 24: 6, 12, 18.
    expect(page.items.map((r) => r.eventId)).toEqual(["evt_0018", "evt_0012", "evt_0006"]);
    expect(page.nextCursor).toBeNull();
    const redeemed = await listConversions(deps, analyst, { type: "redeemed", limit: "200" });
    expect(redeemed.items.every((r) => r.type === "redeemed")).toBe(true);
    expect(redeemed.items).toHaveLength(7);
  });

  it("never shows another merchant's records and shows only allow-listed fields", async () => {
    const { deps } = setup();
    const { seen } = await all(deps, { limit: "200" });
    expect(seen).not.toContain("evt_1000");
    const other = await listConversions(deps, principal(B, "merchant-admin"), {});
    expect(other.items.map((r) => r.eventId)).toEqual(["evt_1000"]);
    const empty = await listConversions(deps, principal("merchant_c", "merchant-admin"), {});
    expect(empty).toEqual({ items: [], nextCursor: null });
    expect(Object.keys(other.items[0] ?? {}).sort()).toEqual([...CONVERSION_CSV_COLUMNS].sort());
  });

  it("only marketing analysts and merchant admins may read it", async () => {
    const { deps } = setup();
    await expect(listConversions(deps, principal(A, "pos"), {})).rejects.toThrow(ForbiddenError);
    await expect(exportConversionsCsv(deps, principal(A, "pos"), {})).rejects.toThrow(
      ForbiddenError,
    );
  });

  it("rejects a tampered, foreign or replayed cursor with 400 naming cursor", async () => {
    const { deps } = setup();
    const first = await listConversions(deps, analyst, { limit: "5" });
    const cursor = first.nextCursor ?? "";
    expect(cursor).not.toBe("");
    const expectCursorError = async (p: Promise<unknown>) => {
      const err = await p.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).issues?.[0]?.path).toBe("cursor");
    };
    const [v, payload, mac] = cursor.split(".");
    const forged = Buffer.from(JSON.stringify({ pk: `LOG#${B}`, sk: "9999" })).toString(
      "base64url",
    );
    await expectCursorError(listConversions(deps, analyst, { cursor: `${v}.${forged}.${mac}` }));
    await expectCursorError(listConversions(deps, analyst, { cursor: `${v}.${payload}.${mac}x` }));
    await expectCursorError(listConversions(deps, analyst, { cursor: "garbage" }));
    // Another merchant replaying A's cursor, and A replaying it with other filters.
    await expectCursorError(listConversions(deps, principal(B, "marketing-analyst"), { cursor }));
    await expectCursorError(listConversions(deps, analyst, { cursor, type: "sent" }));
    await expectCursorError(listConversions(deps, analyst, { cursor, offerId: OFFER }));
    // The genuine one still works.
    const next = await listConversions(deps, analyst, { limit: "5", cursor });
    expect(next.items[0]?.eventId).toBe("evt_0024");
  });

  it("names invalid query parameters", async () => {
    const { deps } = setup();
    const err = await listConversions(deps, analyst, { limit: "0", offerId: "x" }).catch(
      (e: unknown) => e,
    );
    expect((err as ValidationError).issues?.map((i) => i.path).sort()).toEqual([
      "limit",
      "offerId",
    ]);
  });
});

describe("CSV export", () => {
  it("has a header row and the same records and filters as the JSON listing", async () => {
    const { deps } = setup();
    const query = { offerId: OTHER, type: "sent" };
    const json = await all(deps, query);
    const out = await exportConversionsCsv(deps, analyst, query);
    const lines = out.csv.split("\r\n");
    expect(lines[0]).toBe(CONVERSION_CSV_COLUMNS.join(","));
    expect(lines.at(-1)).toBe("");
    const ids = lines.slice(1, -1).map((l) => l.split(",")[2]);
    expect(ids).toEqual(json.seen);
    expect(out).toMatchObject({ rows: json.seen.length, truncated: false, nextCursor: null });
  });

  it("stops at the row cap with a cursor that resumes exactly after the last row", async () => {
    const { deps } = setup();
    const out = await exportConversionsCsv(deps, analyst, {}, { maxRows: 12, maxBytes: 1e9 });
    expect(out.rows).toBe(12);
    expect(out.truncated).toBe(true);
    const rest = await exportConversionsCsv(deps, analyst, { cursor: out.nextCursor ?? "" });
    expect(rest.rows).toBe(18);
    const firstIds = out.csv
      .split("\r\n")
      .slice(1, -1)
      .map((l) => l.split(",")[2]);
    const restIds = rest.csv
      .split("\r\n")
      .slice(1, -1)
      .map((l) => l.split(",")[2]);
    expect([...firstIds, ...restIds]).toEqual(
      Array.from({ length: 30 }, (_, i) => `evt_${String(29 - i).padStart(4, "0")}`),
    );
  });

  it("stops at the byte cap mid-page and resumes without loss", async () => {
    const { deps } = setup();
    const out = await exportConversionsCsv(deps, analyst, {}, { maxRows: 1000, maxBytes: 1000 });
    expect(Buffer.byteLength(out.csv)).toBeLessThanOrEqual(1000);
    expect(out.truncated).toBe(true);
    let total = out.rows;
    let cursor = out.nextCursor;
    while (cursor) {
      const next = await exportConversionsCsv(
        deps,
        analyst,
        { cursor },
        { maxRows: 1000, maxBytes: 1000 },
      );
      total += next.rows;
      cursor = next.nextCursor;
    }
    expect(total).toBe(30);
  });

  it("is empty but well-formed for another merchant without records", async () => {
    const { deps } = setup();
    const out = await exportConversionsCsv(deps, principal("merchant_c", "merchant-admin"), {});
    expect(out.csv).toBe(`${CONVERSION_CSV_COLUMNS.join(",")}\r\n`);
    expect(out.rows).toBe(0);
  });
});
