import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { offsetM } from "./local/api-client.ts";
import { daytimeZone } from "./local/daytime.ts";
import { loadOrCreateDevKey, mintMerchantToken } from "./local/dev-jwt.ts";
import { pct, pts } from "./local/figures.ts";
import { DATA_DIR, runningLocalEnv } from "./local/runtime.ts";
import { DEMO_MERCHANT_ID, DEMO_STORES } from "./local/seed.ts";
import { simulationSteps } from "./local/simulation-steps.ts";
import { runJourney } from "./simulate-journey.ts";
import { runOnline } from "./simulate-online.ts";

/**
 * `npm run simulate`: hundreds of simulated phones walk around the demo stores through the local
 * server (`npm start`, with or without `--in-memory`, must be running). An always-on simulation
 * offer with a 50 % holdout and costs is created on the demo stores; devices that receive an
 * incentive visit a store with a higher probability than held-out ones (the built-in true
 * effect), some drive by, some jitter at the edge, and most treated visitors redeem their code
 * with a basket at the till. The offer report then estimates the lift, which should cover the
 * built-in effect, and the script prints what a marketer reads, with the dashboard link. The
 * offer is deleted at the end (its report stays, named), and offers left by an interrupted
 * earlier run are removed first: the demo catalog keeps only its own offers.
 */
const { values } = parseArgs({
  options: {
    devices: { type: "string", default: "400" },
    "treated-visit-rate": { type: "string", default: "0.35" },
    "holdout-visit-rate": { type: "string", default: "0.20" },
    seed: { type: "string", default: "7" },
    concurrency: { type: "string", default: "12" },
    keep: { type: "boolean", default: false },
    scenario: { type: "string", default: "geofence" },
  },
});
if (!["geofence", "online", "journey"].includes(values.scenario)) {
  console.error('--scenario must be "geofence" (default), "online" or "journey"');
  process.exit(2);
}
const deviceCount = Number(values.devices);
const pTreated = Number(values["treated-visit-rate"]);
const pHoldout = Number(values["holdout-visit-rate"]);

const runtime = runningLocalEnv();
if (!runtime) {
  console.error("Start the local runner first: npm start");
  process.exit(2);
}
const started = JSON.parse(readFileSync(join(DATA_DIR, "runtime.json"), "utf8")) as {
  url: string;
  appKey?: string;
};
const { url } = started;
// `npm start -- --in-memory` keeps no key file: the running server tells its key in runtime.json.
const keyFile = join(DATA_DIR, "demo-app-key.txt");
const appKey: string =
  started.appKey ?? (existsSync(keyFile) ? readFileSync(keyFile, "utf8").trim() : "");
if (!appKey) {
  console.error("The running server did not publish its demo app key: restart it with npm start");
  process.exit(2);
}
const jwtKey = await loadOrCreateDevKey(join(DATA_DIR, "dev-jwt-key.json"));
const admin = await mintMerchantToken(jwtKey, {
  merchantId: DEMO_MERCHANT_ID,
  role: "merchant-admin",
});
const analyst = await mintMerchantToken(jwtKey, {
  merchantId: DEMO_MERCHANT_ID,
  role: "marketing-analyst",
});
const pos = await mintMerchantToken(jwtKey, { merchantId: DEMO_MERCHANT_ID, role: "pos" });
/** Every simulation offer is named so; earlier runs' leftovers are found by it. */
const SIMULATION_NAME = "Simulation: coffee on us";

let state = Number(values.seed) >>> 0;
/** Seeded PRNG (mulberry32) so a run can be reproduced. */
function random(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const steps = simulationSteps({ url, appKey, admin, analyst, keep: values.keep });
const { api } = steps;

/** Removes simulation offers an interrupted earlier run left behind (found by name). */
async function removeLeftovers() {
  let cursor: string | undefined;
  do {
    const page = await api(`/v1/offers?limit=100${cursor ? `&cursor=${cursor}` : ""}`, {
      token: admin,
    });
    for (const o of (page.body?.items ?? []) as { offerId: string; name: string }[]) {
      if (o.name.startsWith(SIMULATION_NAME)) {
        await api(`/v1/offers/${o.offerId}`, { method: "DELETE", token: admin });
      }
    }
    cursor = page.body?.nextCursor ?? undefined;
  } while (cursor);
}
await removeLeftovers();

/** What every scenario is given: the server, its callers, the seeded PRNG and the run's size. */
const scenario = {
  url,
  appKey,
  admin,
  analyst,
  random,
  concurrency: Number(values.concurrency),
  keep: values.keep,
  namePrefix: SIMULATION_NAME,
};
if (values.scenario === "journey") {
  process.exit(await runJourney({ ...scenario, env: runtime, devices: deviceCount }));
}
if (values.scenario === "online") {
  process.exit(
    await runOnline({
      ...scenario,
      pos,
      timeZone: daytimeZone(),
      // The default 400 phones leave each channel's control group small: the online run takes more.
      devices: process.argv.some((a) => a.startsWith("--devices")) ? deviceCount : 900,
    }),
  );
}

const offerId = await steps.createOffer("simulation offer", SIMULATION_NAME, {
  triggerZone: { type: "StoreRadius", radiusM: 250 },
  // Each phone sends its walk in one batch, minutes after the trigger: accept such events.
  trigger: { on: "enter", freshnessMinutes: 20 },
  message: { title: "Coffee on us", body: "Drop by for a free espresso" },
  holdoutPercent: 50,
  attributionWindowHours: 24,
  redemption: { codeKind: "unique", expiresAfterHours: 24 },
  priority: 100,
  currency: "EUR",
  costPerSend: "0.05",
  incentiveValue: "2.00",
});
if (!offerId) process.exit(1);
const timeZone = daytimeZone();
const now = Date.now();
const stats = {
  treated: 0,
  held: 0,
  visitsTreated: 0,
  visitsHeld: 0,
  redeemed: 0,
  driveBys: 0,
  failures: 0,
};

async function simulateDevice(i: number) {
  const store = DEMO_STORES[i % DEMO_STORES.length];
  if (!store?.input.location) return;
  const centre = store.input.location;
  const reg = await steps.registerPhone(i % 3 === 0 ? "ios" : "android", timeZone);
  if (reg.status !== 201) {
    stats.failures++;
    return;
  }
  const token = reg.body.token as string;
  const bearing = random() * 2 * Math.PI;
  // The walk (≤ 6 min) and the visit (5 min) end before now: pings are never in the future.
  const start = now - 12 * 60_000 - Math.floor(random() * 3 * 60_000);
  const driveBy = random() < 0.1;
  // Walk (1.3 m/s) or drive (14 m/s) from 600 m out to 150 m from the store, one ping per 30 s.
  const speed = driveBy ? 14 : 1.3;
  const pings = [];
  for (let t = 0, d = 600; d > 150; t += 30, d -= speed * 30) {
    const jitter = () => (random() - 0.5) * 16;
    const p = offsetM(centre, Math.cos(bearing) * d + jitter(), Math.sin(bearing) * d + jitter());
    pings.push({
      ...p,
      accuracyM: 8 + random() * 20,
      timestamp: start + t * 1000,
      speedMps: speed,
    });
  }
  const walk = await api("/v1/pings", {
    method: "POST",
    token,
    body: { pings: pings.slice(0, 100) },
  });
  if (walk.status !== 202) {
    stats.failures++;
    return;
  }
  if (driveBy) {
    stats.driveBys++;
    return;
  }
  const incentive = (walk.body.incentives as { code?: string; storeId: string }[])[0];
  const treated = incentive !== undefined;
  const triggered = (walk.body.events as { kind: string }[]).some((e) => e.kind === "trigger");
  if (!triggered) return;
  if (treated) stats.treated++;
  else stats.held++;
  if (random() >= (treated ? pTreated : pHoldout)) return;
  // Visit: walk in and stay 4 minutes, with edge jitter.
  const last = pings[pings.length - 1]?.timestamp ?? start;
  const visit = [60, 120, 180, 240, 300].map((s) => ({
    ...offsetM(centre, (random() - 0.5) * 6, (random() - 0.5) * 6),
    accuracyM: 6 + random() * 8,
    timestamp: last + s * 1000,
    speedMps: 0.2,
  }));
  const res = await api("/v1/pings", { method: "POST", token, body: { pings: visit } });
  if (res.status === 202) {
    if (treated) stats.visitsTreated++;
    else stats.visitsHeld++;
  } else stats.failures++;
  // Most treated visitors show their code at the till; the POS sends the basket paid.
  if (incentive?.code && random() < 0.7) {
    const basket = { amount: (8 + Math.floor(random() * 2200) / 100).toFixed(2), currency: "EUR" };
    const r = await api("/v1/redemptions", {
      method: "POST",
      token: pos,
      body: { code: incentive.code, storeId: incentive.storeId, basket },
    });
    if (r.status === 200) stats.redeemed++;
    else stats.failures++;
  }
}

await steps.runPhones(deviceCount, Number(values.concurrency), simulateDevice);

const report = await steps.readReportThenDeleteOffer(
  offerId,
  `/v1/reports/offers/${offerId}`,
  "offer report",
);
if (!report) process.exit(1);
const totals = report.totals;
const lift = totals.lift;
const money = totals.money;
const trueLift = pTreated - pHoldout;
const num = (x: number | null | undefined) =>
  x == null ? "n/a" : `${x < 0 ? "−" : ""}${Math.abs(x).toFixed(1)}`;
const eur = (x: string | null | undefined) => (x == null ? "n/a" : `€${x}`);
const [lo, hi] = (lift.absoluteCi ?? [Number.NaN, Number.NaN]) as [number, number];
const covered = lo <= trueLift && trueLift <= hi;
const f = totals.funnel;
const inc = totals.incremental;
const cpiv = money?.costPerIncrementalVisit;
const link = `${url}/dashboard/#token=${analyst}&route=/offers/${offerId}`;

console.log(`
${report.offerName}
  ${deviceCount} simulated phones walked past ${DEMO_STORES.length} demo stores (${stats.driveBys} drove by).
  ${f.triggered} were in a trigger zone: ${f.sent} got the incentive, ${f.heldOut} were held out (50 %).

  Visit rate, incentive sent:   ${pct(totals.visitRate.treated)}  (${f.attributedVisits.treated} of ${f.sent} visited a store within 24 h)
  Visit rate, held out:         ${pct(totals.visitRate.holdout)}  (${f.attributedVisits.holdout} of ${f.heldOut})
  Lift:                         ${lift.absolute == null ? "n/a" : `${pts(lift.absolute)} points`} (95 % interval ${Number.isFinite(lo) ? `${pts(lo)} to ${pts(hi)}` : "n/a"} points)
  Built-in effect:              ${pts(trueLift)} points: ${covered ? "recovered (inside the interval)" : "NOT inside the interval"}
  Incremental visits:           ${num(inc.visits)}${inc.visitsCi ? ` (95 % interval ${num(inc.visitsCi[0])} to ${num(inc.visitsCi[1])})` : ""}${inc.note ? `  ${inc.note}` : ""}
  Redemptions:                  ${f.redemptions} (${stats.redeemed} with a basket)
  Spend:                        ${eur(money?.spend)} (${f.sent} sends × €0.05 + ${f.redemptions} incentives × €2.00)
  Cost per visit:               ${eur(money?.costPerVisit)} · per attributed visit ${eur(money?.costPerAttributedVisit)}
  Cost per incremental visit:   ${cpiv?.estimate ? `${eur(cpiv.estimate)} (95 % interval ${eur(cpiv.ci?.[0])} to ${eur(cpiv.ci?.[1])})` : "not reported (see the notes in the report)"}
  Incremental revenue:          ${money?.incrementalRevenue?.estimate ? `${eur(money.incrementalRevenue.estimate)} (average basket ${eur(money.incrementalRevenue.averageBasket)})` : "n/a"}
${stats.failures > 0 ? `  ${stats.failures} requests failed.\n` : ""}
  Dashboard (the offer ${values.keep ? "is kept" : "was deleted; its report stays"}):
  ${link}
`);
process.exit(covered ? 0 : 1);
