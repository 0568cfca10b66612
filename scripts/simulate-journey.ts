/**
 * The journey scenario of `npm run simulate -- --scenario journey`: nine weeks of shopper history
 * on the running local engines (DynamoDB mode), on a simulated clock. Each phone gets a geofence
 * decision for a win-back style offer (50 % holdout, 7-day attribution window) in the first
 * three weeks; half the people visit within the window, treated or not; the built-in effect is on
 * REPEAT visits: treated visitors come back within the window more often, and a little more in
 * the 30 days after it. Visits go through the shipped ping-path sink (the same transaction that
 * logs them moves the visit history), with event times on the simulated clock. The journey report
 * (`GET /v1/reports/journey?offerId=…`) then estimates both repeat-visit lifts, and the script
 * prints them next to the built-in effects.
 */
import type { DevicePrincipal } from "../shared/auth/principal.ts";
import { pct, pts } from "./local/figures.ts";
import { DEMO_MERCHANT_ID, DEMO_STORES } from "./local/seed.ts";
import { type ScenarioContext, simulationSteps } from "./local/simulation-steps.ts";

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** Built-in rates: first visit in the window (both groups), then repeat visits per group. */
export const JOURNEY_EFFECTS = {
  firstVisit: 0.5,
  repeatInWindow: { treated: 0.5, holdout: 0.25 },
  repeatAfterWindow: { treated: 0.4, holdout: 0.3 },
} as const;
const WINDOW_HOURS = 168;

export interface JourneyContext extends ScenarioContext {
  /** The running server's environment (tables and endpoints of the DynamoDB mode). */
  env: Record<string, string>;
}

/** Runs the scenario and prints the closing note; resolves to the process exit code. */
export async function runJourney(ctx: JourneyContext): Promise<number> {
  if (!ctx.env.DEVICES_TABLE || !ctx.env.AWS_ENDPOINT_URL_DYNAMODB) {
    console.error("The journey scenario needs the DynamoDB mode: npm start (not --in-memory)");
    return 2;
  }
  // The sink reads its tables and endpoints from the running server's environment.
  Object.assign(process.env, ctx.env);
  const { zoneEventSinkFromEnv } = await import("../shared/wiring/event-sink-deps.ts");
  const sink = zoneEventSinkFromEnv(ctx.env);

  const steps = simulationSteps(ctx);

  // Day 0 of the simulated clock: nine weeks ago, 12:00 UTC (13:00/14:00 in Paris).
  const today = new Date();
  today.setUTCHours(12, 0, 0, 0);
  const t0 = today.getTime() - 63 * DAY;
  const offerId = await steps.createOffer("journey offer", `${ctx.namePrefix} — journey`, {
    triggerZone: { type: "StoreRadius", radiusM: 250 },
    trigger: { on: "enter" },
    message: { title: "We miss you", body: "A coffee on us this week" },
    validFrom: new Date(t0 - DAY).toISOString(),
    holdoutPercent: 50,
    attributionWindowHours: WINDOW_HOURS,
    redemption: { codeKind: "unique", expiresAfterHours: WINDOW_HOURS },
    priority: 100,
  });
  if (!offerId) return 1;
  const counts = { treated: 0, holdout: 0, failures: 0 };
  const truth = {
    repeatInWindow: { treated: 0, holdout: 0 },
    repeatAfterWindow: { treated: 0, holdout: 0 },
  };

  const visit = (device: DevicePrincipal, storeId: string, at: number) =>
    sink.handle(
      device,
      [
        {
          type: "dwelled",
          kind: "footprint",
          zoneId: `fp.${storeId}`,
          merchantId: DEMO_MERCHANT_ID,
          storeId,
          at,
          enteredAt: at - 10 * 60_000,
          dwellS: 600,
        },
      ],
      at + 60_000,
    );

  async function shopper(i: number) {
    const storeId = DEMO_STORES[i % DEMO_STORES.length]?.storeId ?? "";
    const reg = await steps.registerPhone(i % 2 === 0 ? "ios" : "android", "Europe/Paris");
    if (reg.status !== 201) {
      counts.failures++;
      return;
    }
    const device: DevicePrincipal = {
      deviceId: reg.body.device.deviceId as string,
      consentLocation: true,
      consentMarketing: true,
      timeZone: "Europe/Paris",
      segments: [],
      platform: reg.body.device.platform as string,
    };
    const grantAt = t0 + Math.floor(ctx.random() * 21) * DAY + Math.floor(ctx.random() * 4) * HOUR;
    const out = await sink.handle(
      device,
      [
        {
          type: "entered",
          kind: "trigger",
          zoneId: `tz.${offerId}.${storeId}`,
          merchantId: DEMO_MERCHANT_ID,
          storeId,
          offerId,
          at: grantAt,
          enteredAt: grantAt,
          driving: false,
        },
      ],
      grantAt + 1_000,
    );
    const group = out.incentives.length > 0 ? "treated" : "holdout";
    counts[group]++;
    if (ctx.random() >= JOURNEY_EFFECTS.firstVisit) return;
    const first = grantAt + (2 + Math.floor(ctx.random() * 46)) * HOUR;
    await visit(device, storeId, first);
    const windowEnd = grantAt + WINDOW_HOURS * HOUR;
    if (ctx.random() < JOURNEY_EFFECTS.repeatInWindow[group]) {
      // A later day, still inside the window.
      const again = Math.min(first + (1 + Math.floor(ctx.random() * 3)) * DAY, windowEnd - HOUR);
      await visit(device, storeId, again);
      truth.repeatInWindow[group]++;
    }
    if (ctx.random() < JOURNEY_EFFECTS.repeatAfterWindow[group]) {
      await visit(device, storeId, windowEnd + (1 + Math.floor(ctx.random() * 28)) * DAY);
      truth.repeatAfterWindow[group]++;
    }
  }

  const started = Date.now();
  await steps.runPhones(ctx.devices, ctx.concurrency, shopper);
  const from = new Date(t0).toISOString().slice(0, 10);
  const to = new Date(Date.now()).toISOString().slice(0, 10);
  const report = await steps.readReportThenDeleteOffer(
    offerId,
    `/v1/reports/journey?from=${from}&to=${to}&offerId=${offerId}`,
    "journey report",
  );
  if (!report) return 1;

  type Repeat = {
    treated: { n: number; repeaters: number };
    holdout: { n: number; repeaters: number };
    lift: { absoluteLift: number | null; absoluteCi: [number, number] | null };
  };
  const lines: string[] = [];
  let allCovered = true;
  for (const [label, key] of [
    ["within the window", "repeatWithinWindow"],
    ["30 days after it ", "repeatAfterWindow"],
  ] as const) {
    const r = report.offer[key] as Repeat;
    const eff = key === "repeatWithinWindow" ? "repeatInWindow" : "repeatAfterWindow";
    const built =
      JOURNEY_EFFECTS.firstVisit * (JOURNEY_EFFECTS[eff].treated - JOURNEY_EFFECTS[eff].holdout);
    const ci = r.lift.absoluteCi;
    const covered = ci !== null && ci[0] <= built && built <= ci[1];
    allCovered &&= covered;
    const simulated = truth[eff];
    const exact =
      simulated.treated === r.treated.repeaters && simulated.holdout === r.holdout.repeaters;
    allCovered &&= exact;
    lines.push(
      `  repeat visits ${label}: ${r.treated.repeaters}/${r.treated.n} treated ` +
        `(${pct(r.treated.n ? r.treated.repeaters / r.treated.n : null)}) vs ` +
        `${r.holdout.repeaters}/${r.holdout.n} held out ` +
        `(${pct(r.holdout.n ? r.holdout.repeaters / r.holdout.n : null)}) · lift ` +
        `${r.lift.absoluteLift == null ? "n/a" : `${pts(r.lift.absoluteLift)} pts`} (95 % ` +
        `${ci ? `${pts(ci[0])} to ${pts(ci[1])}` : "n/a"}) · built-in ${pts(built)}: ` +
        `${covered ? "covered" : "NOT covered"} · counts ${exact ? "exact" : "DIFFER from the simulation"}`,
    );
  }
  const j = report.journey;
  const a = report.offer.attributedVisits;
  console.log(
    [
      `Journey scenario: ${ctx.devices} phones over nine simulated weeks ` +
        `(${counts.treated} treated, ${counts.holdout} held out, ${counts.failures} failed) ` +
        `in ${((Date.now() - started) / 1000).toFixed(0)} s`,
      ...lines,
      `  attributed visits: treated ${a.treated.first} first / ${a.treated.returning} returning, ` +
        `held out ${a.holdout.first} first / ${a.holdout.returning} returning`,
      `  merchant ${from}..${to}: ${j.visits} journey visits, repeat-visit rate ` +
        `${pct(j.repeatVisitRate)}, median ${j.medianDaysBetweenVisits ?? "n/a"} days between ` +
        `visits, entered new ${j.entered.new} / returning ${j.entered.returning} / regular ` +
        `${j.entered.regular}, lapsed ${j.lapsed}`,
      `  ${ctx.url}/v1/reports/journey?from=${from}&to=${to}&offerId=${offerId}`,
    ].join("\n"),
  );
  return allCovered && counts.failures === 0 ? 0 : 1;
}
