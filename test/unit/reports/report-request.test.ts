import { describe, expect, it } from "vitest";
import * as z from "zod";
import { ForbiddenError, NotFoundError, ValidationError } from "../../../shared/errors.ts";
import {
  liveOrDeletedOffer,
  openReport,
  openSubjectReport,
  subjectId,
  subjectNotFound,
} from "../../../shared/use-cases/reports/report-request.ts";
import { principal } from "./fakes.ts";

const query = z.object({ groupBy: z.enum(["day", "week"]).default("day") });

describe("report request", () => {
  it("opens for report roles with the parsed query, an absent query as {}", () => {
    expect(openReport(principal("m1", "marketing-analyst"), query, undefined)).toEqual({
      merchantId: "m1",
      query: { groupBy: "day" },
    });
    expect(openReport(principal("m1", "merchant-admin"), query, { groupBy: "week" }).query).toEqual(
      {
        groupBy: "week",
      },
    );
  });

  it("refuses other roles before reading the query, and names a bad query field", () => {
    expect(() => openReport(principal("m1", "pos"), query, { groupBy: "x" })).toThrow(
      ForbiddenError,
    );
    expect(() => openReport(principal("m1", "merchant-admin"), query, { groupBy: "x" })).toThrow(
      ValidationError,
    );
  });

  it("answers a 404 naming the field for an absent or foreign-shaped subject id", () => {
    expect(() => subjectId("storeId", undefined)).toThrow(NotFoundError);
    expect(() => subjectId("offerId", "st_notAnOffer")).toThrow("offerId: offer not found");
    expect(subjectNotFound("storeId").message).toBe("storeId: store not found");
  });

  it("opens a subject report checking role, then query, then the subject id", () => {
    const admin = principal("m1", "merchant-admin");
    const pos = principal("m1", "pos");
    expect(() => openSubjectReport(pos, query, { groupBy: "x" }, ["storeId", "of_x"])).toThrow(
      ForbiddenError,
    );
    expect(() => openSubjectReport(admin, query, { groupBy: "x" }, ["storeId", "of_x"])).toThrow(
      ValidationError,
    );
    expect(() => openSubjectReport(admin, query, {}, ["storeId", undefined])).toThrow(
      "storeId: store not found",
    );
  });

  it("reads the live offer first and what was kept of a deleted one otherwise", async () => {
    const kept = { offerId: "of_gone", deletedAt: "2026-01-01T00:00:00.000Z" };
    const reads: string[] = [];
    const catalog = {
      getOffer: async (_m: string, id: string) => {
        reads.push(`live:${id}`);
        return id === "of_live" ? ({ offerId: id } as never) : undefined;
      },
      getDeletedOffers: async (keys: readonly { offerId: string }[]) => {
        reads.push(`deleted:${keys.map((k) => k.offerId).join()}`);
        return keys.some((k) => k.offerId === "of_gone") ? [kept as never] : [];
      },
    };
    expect(await liveOrDeletedOffer(catalog, "m1", "of_live")).toEqual({ offerId: "of_live" });
    expect(await liveOrDeletedOffer(catalog, "m1", "of_gone")).toBe(kept);
    expect(await liveOrDeletedOffer(catalog, "m1", "of_none")).toBeUndefined();
    expect(reads).toEqual([
      "live:of_live",
      "live:of_gone",
      "deleted:of_gone",
      "live:of_none",
      "deleted:of_none",
    ]);
  });
});
