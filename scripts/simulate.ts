import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { daytimeZone } from "./local/daytime.ts";
import { loadOrCreateDevKey, mintMerchantToken } from "./local/dev-jwt.ts";
import { DATA_DIR, runningLocalEnv } from "./local/runtime.ts";
import { DEMO_MERCHANT_ID, DEMO_STORES } from "./local/seed.ts";

/**
 * `npm run simulate`: hundreds of simulated phones walk around the demo stores through the local
 * server (`npm start` must be running). An always-on simulation offer with a 50 % holdout is
 * created on the demo stores; devices that receive an incentive visit a store with a higher
 * probability than held-out ones (the built-in true effect), some drive by, some jitter at the
 * edge. The offer report then estimates the lift, which should cover the built-in effect.
 */
const { values } = parseArgs({
  options: {
    devices: { type: "string", default: "400" },
    "treated-visit-rate": { type: "string", default: "0.35" },
    "holdout-visit-rate": { type: "string", default: "0.20" },
    seed: { type: "string", default: "7" },
    concurrency: { type: "string", default: "12" },
  },
});
const deviceCount = Number(values.devices);
const pTreated = Number(values["treated-visit-rate"]);
const pHoldout = Number(values["holdout-visit-rate"]);

const runtime = runningLocalEnv();
if (!runtime) {
  console.error("Start the local runner first: npm start");
  process.exit(2);
}
const { url } = JSON.parse(readFileSync(join(DATA_DIR, "runtime.json"), "utf8")) as { url: string };
const appKey = readFileSync(join(DATA_DIR, "demo-app-key.txt"), "utf8").trim();
const jwtKey = await loadOrCreateDevKey(join(DATA_DIR, "dev-jwt-key.json"));
const admin = await mintMerchantToken(jwtKey, {
  merchantId: DEMO_MERCHANT_ID,
  role: "merchant-admin",
});
const analyst = await mintMerchantToken(jwtKey, {
  merchantId: DEMO_MERCHANT_ID,
  role: "marketing-analyst",
});

let state = Number(values.seed) >>> 0;
/** Seeded PRNG (mulberry32) so a run can be reproduced. */
function random(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function offset(p: { lat: number; lon: number }, eastM: number, northM: number) {
  return {
    lat: p.lat + northM / 111_320,
    lon: p.lon + eastM / (111_320 * Math.cos((p.lat * Math.PI) / 180)),
  };
}

async function api(
  path: string,
  init: { method?: string; token?: string; headers?: Record<string, string>; body?: unknown } = {},
) {
  const res = await fetch(`${url}${path}`, {
    method: init.method ?? "GET",
    headers: {
      ...(init.body !== undefined ? { "content-type": "application/json" } : {}),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...init.headers,
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const offer = await api("/v1/offers", {
  method: "POST",
  token: admin,
  body: {
    name: `Simulation ${new Date().toISOString()}`,
    storeIds: DEMO_STORES.map((s) => s.storeId),
    triggerZone: { type: "StoreRadius", radiusM: 250 },
    trigger: { on: "enter" },
    message: { title: "Coffee on us", body: "Drop by for a free espresso" },
    validFrom: new Date(Date.now() - 86_400_000).toISOString(),
    validTo: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    holdoutPercent: 50,
    attributionWindowHours: 24,
    redemption: { codeKind: "unique", expiresAfterHours: 24 },
    priority: 100,
  },
});
if (offer.status !== 201) {
  console.error("could not create the simulation offer", offer.body);
  process.exit(1);
}
const offerId = offer.body.offerId as string;
const timeZone = daytimeZone();
const now = Date.now();
const stats = { treated: 0, held: 0, visitsTreated: 0, visitsHeld: 0, driveBys: 0, failures: 0 };

async function simulateDevice(i: number) {
  const store = DEMO_STORES[i % DEMO_STORES.length];
  if (!store?.input.location) return;
  const centre = store.input.location;
  const reg = await api("/v1/devices", {
    method: "POST",
    headers: { "x-app-key": appKey },
    body: {
      platform: i % 3 === 0 ? "ios" : "android",
      consent: { location: true, marketing: true },
      timeZone,
    },
  });
  if (reg.status !== 201) {
    stats.failures++;
    return;
  }
  const token = reg.body.token as string;
  const bearing = random() * 2 * Math.PI;
  const start = now - 50 * 60_000 + Math.floor(random() * 10 * 60_000);
  const driveBy = random() < 0.1;
  // Walk (1.3 m/s) or drive (14 m/s) from 600 m out to 150 m from the store, one ping per 30 s.
  const speed = driveBy ? 14 : 1.3;
  const pings = [];
  for (let t = 0, d = 600; d > 150; t += 30, d -= speed * 30) {
    const jitter = () => (random() - 0.5) * 16;
    const p = offset(centre, Math.cos(bearing) * d + jitter(), Math.sin(bearing) * d + jitter());
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
  const treated = (walk.body.incentives as unknown[]).length > 0;
  const triggered = (walk.body.events as { kind: string }[]).some((e) => e.kind === "trigger");
  if (!triggered) return;
  if (treated) stats.treated++;
  else stats.held++;
  if (random() >= (treated ? pTreated : pHoldout)) return;
  // Visit: walk in and stay 4 minutes, with edge jitter.
  const last = pings[pings.length - 1]?.timestamp ?? start;
  const visit = [60, 120, 180, 240, 300].map((s) => ({
    ...offset(centre, (random() - 0.5) * 6, (random() - 0.5) * 6),
    accuracyM: 6 + random() * 8,
    timestamp: last + s * 1000,
    speedMps: 0.2,
  }));
  const res = await api("/v1/pings", { method: "POST", token, body: { pings: visit } });
  if (res.status === 202) {
    if (treated) stats.visitsTreated++;
    else stats.visitsHeld++;
  } else stats.failures++;
}

const concurrency = Number(values.concurrency);
let next = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < deviceCount) await simulateDevice(next++);
  }),
);

const report = await api(`/v1/reports/offers/${offerId}`, { token: analyst });
const totals = report.body?.totals ?? {};
const lift = totals.lift ?? {};
const trueLift = pTreated - pHoldout;
console.log(
  JSON.stringify(
    { simulated: { devices: deviceCount, ...stats }, funnel: totals.funnel, lift },
    null,
    2,
  ),
);
const [lo, hi] = (lift.absoluteCi ?? [Number.NaN, Number.NaN]) as [number, number];
const covered = lo <= trueLift && trueLift <= hi;
console.log(
  `\nBuilt-in effect ${trueLift.toFixed(3)}; measured absolute lift ${Number(lift.absolute).toFixed(3)} ` +
    `(95% CI ${lo.toFixed(3)} to ${hi.toFixed(3)}): ${covered ? "recovered" : "NOT covered"}.`,
);
process.exit(covered ? 0 : 1);
