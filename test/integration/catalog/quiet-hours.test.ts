import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { handler as getSettings } from "../../../functions/merchant-settings-get.ts";
import { handler as putSettings } from "../../../functions/merchant-settings-put.ts";
import { handler as createOffer } from "../../../functions/offer-create.ts";
import { ingestPings } from "../../../shared/use-cases/pings/ingest-pings.ts";
import { zoneEventSinkFromEnv } from "../../../shared/wiring/event-sink-deps.ts";
import { pingDepsFromEnv } from "../../../shared/wiring/ping-deps.ts";
import { uniqueId } from "../../support/aws.ts";
import { offset, registeredDevice, seedStoreAndOffer } from "../../support/fixtures.ts";
import { type Caller, invoke, liveOfferBody, newStore, PARIS, type Problem } from "./helpers.ts";

const deps = pingDepsFromEnv(zoneEventSinkFromEnv());
const admin = (): Caller => ({ merchantId: uniqueId("m"), role: "merchant-admin" });
const analystOf = (as: Caller): Caller => ({
  merchantId: as.merchantId,
  role: "marketing-analyst",
});

interface Settings {
  quietHours: unknown;
  version: number;
  defaults: { quietHours: unknown };
}

const readSettings = (as: Caller) =>
  invoke<Settings>(getSettings, as, { path: "/v1/merchant/settings" });
const writeSettings = (as: Caller, body: unknown, ifMatch?: string) =>
  invoke<Settings>(putSettings, as, {
    method: "PUT",
    path: "/v1/merchant/settings",
    body,
    ...(ifMatch ? { headers: { "if-match": ifMatch } } : {}),
  });

/** Today (or yesterday, if still ahead) at hh:mm on Paris's wall clock, as epoch ms. */
function parisAt(hour: number, minute: number): number {
  let t = DateTime.now().setZone("Europe/Paris").set({ hour, minute, second: 0, millisecond: 0 });
  if (t.toMillis() > Date.now()) t = t.minus({ days: 1 });
  return t.toMillis();
}

describe("merchant settings: quiet hours", () => {
  it("defaults to the platform's 21:00–08:00; admins write, analysts read; If-Match guards", async () => {
    const as = admin();
    const first = await readSettings(analystOf(as));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      quietHours: { start: "21:00", end: "08:00" },
      defaults: { quietHours: { start: "21:00", end: "08:00" } },
      version: 0,
    });
    expect((await writeSettings(analystOf(as), { quietHours: "none" })).status).toBe(403);
    const put = await writeSettings(as, { quietHours: { start: "22:00", end: "07:00" } });
    expect(put.status).toBe(200);
    expect(put.headers.etag).toBe('"1"');
    expect((await readSettings(analystOf(as))).body).toMatchObject({
      quietHours: { start: "22:00", end: "07:00" },
      version: 1,
    });
    const stale = await writeSettings(as, { quietHours: "none" }, '"7"');
    expect(stale.status).toBe(409);
    const bad = await writeSettings(as, { quietHours: { start: "22:00", end: "22:00" } });
    expect(bad.status).toBe(400);
    expect((bad.body as unknown as Problem).errors?.map((e) => e.path)).toEqual(["quietHours/end"]);
    expect((await writeSettings(as, { quietHours: "none" }, '"1"')).body).toMatchObject({
      quietHours: "none",
      version: 2,
    });
  });
});

describe("offers that can never fire", () => {
  const morning = [{ days: ["mon", "tue", "wed", "thu", "fri"], start: "07:00", end: "08:00" }];
  const create = (as: Caller, storeId: string, extra: Record<string, unknown>) =>
    invoke<{ offerId: string; warnings?: { path: string; code: string; message: string }[] }>(
      createOffer,
      as,
      {
        method: "POST",
        path: "/v1/offers",
        body: liveOfferBody([storeId], extra),
      },
    );

  it("07:00–08:00 under default quiet hours: 201 with a warning; fine once quiet hours allow it", async () => {
    const as = admin();
    const storeId = await newStore(as, PARIS);
    const warned = await create(as, storeId, { schedule: morning });
    expect(warned.status).toBe(201);
    expect(warned.body.warnings).toEqual([
      {
        path: "schedule",
        code: "inside_quiet_hours",
        message: expect.stringMatching(
          /^every window of the schedule lies inside the quiet hours \(21:00–08:00, platform setting\)/,
        ),
      },
    ]);
    const own = await create(as, storeId, { schedule: morning, quietHours: "none" });
    expect(own.status).toBe(201);
    expect(own.body.warnings).toBeUndefined();
    await writeSettings(as, { quietHours: { start: "22:00", end: "07:00" } });
    const after = await create(as, storeId, { schedule: morning });
    expect(after.body.warnings).toBeUndefined();
    // An all-day override with no schedule can never reach a device in the store's zone.
    const allDay = await create(as, storeId, { quietHours: { start: "00:00", end: "24:00" } });
    expect(allDay.status).toBe(201);
    expect(allDay.body.warnings?.map((w) => [w.path, w.code])).toEqual([
      ["quietHours", "inside_quiet_hours"],
    ]);
  });

  it("validTo in the past or a budget of 0 answers 400 naming the field", async () => {
    const as = admin();
    const storeId = await newStore(as, PARIS);
    const past = await create(as, storeId, {
      validFrom: "2020-01-01T00:00:00Z",
      validTo: "2020-02-01T00:00:00Z",
    });
    expect(past.status).toBe(400);
    expect((past.body as unknown as Problem).errors).toEqual([
      { path: "validTo", reason: expect.stringMatching(/is in the past .* could never fire$/) },
    ]);
    // A date-only validTo includes that whole day in the store's zone, which may be as late as
    // UTC−12: yesterday there is past everywhere, today there is not yet over anywhere.
    const latestZone = DateTime.now().setZone("Etc/GMT+12");
    const yesterday = latestZone.minus({ days: 1 }).toISODate();
    const dateOnly = await create(as, storeId, { validFrom: "2020-01-01", validTo: yesterday });
    expect(dateOnly.status).toBe(400);
    const today = await create(as, storeId, {
      validFrom: "2020-01-01",
      validTo: latestZone.toISODate(),
    });
    expect(today.status).toBe(201);
    const broke = await create(as, storeId, { budget: { maxIncentives: 0 } });
    expect(broke.status).toBe(400);
    expect((broke.body as unknown as Problem).errors?.map((e) => e.path)).toEqual([
      "budget/maxIncentives",
    ]);
  });
});

describe("quiet hours in the decision (Paris walk at 07:05)", () => {
  let walks = 0;
  async function walkAt(
    at: number,
    merchantSetup: (merchantId: string) => Promise<unknown>,
    offer = {},
  ) {
    walks += 1; // a spot of its own, kilometres from every other walk and test site
    const seeded = await seedStoreAndOffer({
      location: { lat: 47.1 + 0.05 * walks + Math.random() * 0.01, lon: 0.4 },
      offer,
    });
    await merchantSetup(seeded.merchantId);
    const clocked = { ...deps, clock: { now: () => at + 2_000 } };
    const point = offset(seeded.location, 100, 0);
    const device = await registeredDevice({ timeZone: "Europe/Paris" });
    const result = await ingestPings(clocked, device, [
      { ...point, accuracyM: 10, timestamp: at, speedMps: 1 },
    ]);
    return result.incentives;
  }

  it("sends at 07:05 when the merchant's quiet hours end at 07:00, not under the default", async () => {
    const at = parisAt(7, 5);
    const withSettings = await walkAt(at, (merchantId) =>
      writeSettings(
        { merchantId, role: "merchant-admin" },
        { quietHours: { start: "22:00", end: "07:00" } },
      ),
    );
    expect(withSettings).toHaveLength(1);
    const withDefault = await walkAt(at, async () => undefined);
    expect(withDefault).toHaveLength(0);
  });

  it("an offer's own quiet hours win over the merchant's, including none", async () => {
    const late = parisAt(23, 0);
    const strict = async (merchantId: string) =>
      writeSettings(
        { merchantId, role: "merchant-admin" },
        { quietHours: { start: "20:00", end: "09:00" } },
      );
    expect(await walkAt(late, strict, { quietHours: "none" })).toHaveLength(1);
    expect(await walkAt(late, strict)).toHaveLength(0);
    const noon = parisAt(12, 0);
    expect(
      await walkAt(noon, strict, { quietHours: { start: "11:00", end: "13:00" } }),
    ).toHaveLength(0);
  });
});
