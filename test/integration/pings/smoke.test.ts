import { describe, expect, it } from "vitest";
import { documentClient } from "../../../shared/adapters/aws-clients.ts";
import { dynamoVisitStore } from "../../../shared/adapters/dynamo/visit-store.ts";
import type { DevicePrincipal } from "../../../shared/auth/principal.ts";
import { encodeZone } from "../../../shared/domain/geometry/codec.ts";
import { resolveVisitRules } from "../../../shared/domain/visit/rules.ts";
import { recordingSink } from "../../../shared/use-cases/pings/event-sinks.ts";
import { ingestPings } from "../../../shared/use-cases/pings/ingest-pings.ts";
import { ZoneMatcher } from "../../../shared/use-cases/pings/zone-matcher.ts";
import { geoIndexFromConfig } from "../../../shared/wiring/ping-deps.ts";
import { cellsForPoint } from "../../../shared/domain/geometry/cover.ts";
import { compileZone } from "../../../shared/domain/geometry/exact.ts";
import { decodeZone } from "../../../shared/domain/geometry/codec.ts";
import { env, uniqueId } from "../../support/aws.ts";

describe("ping ingestion smoke", () => {
  it("enters and dwells in a footprint", async () => {
    const index = geoIndexFromConfig({ GEO_INDEX_TABLE: env("GEO_INDEX_TABLE"), CATALOG_TABLE: env("CATALOG_TABLE") });
    const storeId = uniqueId("st");
    const lat = 48.8606 + Math.random() * 0.01;
    const lon = 2.3376;
    await index.putZone({
      zoneId: `fp.${storeId}`,
      kind: "footprint",
      merchantId: "m1",
      storeId,
      geometry: encodeZone({ type: "Circle", center: { lat, lon }, radiusM: 40 }),
      characteristicRadiusM: 40,
      dwellSeconds: 120,
    });
    let now = Date.now();
    const clock = { now: () => now };
    const sink = recordingSink();
    const deps = {
      matcher: new ZoneMatcher({
        getCells: (c: string[]) => index.getCells(c),
        getHeads: (ids: string[]) => index.getHeads(ids),
        cellsForPoint,
        compile: (g: string) => compileZone(decodeZone(g)),
        clock,
        ttlMs: 60_000,
        maxCells: 10_000,
      }),
      visits: dynamoVisitStore(documentClient, env("DEVICES_TABLE")),
      sink,
      rules: resolveVisitRules(),
      clock,
    };
    const device: DevicePrincipal = {
      deviceId: uniqueId("dev"),
      consentLocation: true,
      consentMarketing: true,
      timeZone: undefined,
      segments: [],
      platform: "ios",
      openZones: 0,
    };
    const t0 = now - 300_000;
    const pings = [0, 60, 130, 200].map((s) => ({ lat, lon, accuracyM: 10, timestamp: t0 + s * 1000, speedMps: 0.5 }));
    const r = await ingestPings(deps, device, pings);
    expect(r.events.map((e) => e.type)).toEqual(["entered", "dwelled"]);
    const again = await ingestPings(deps, device, pings);
    expect(again.events).toEqual([]);
    now += 1;
  });
});
