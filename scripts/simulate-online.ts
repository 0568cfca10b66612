/**
 * The online scenario of `npm run simulate -- --scenario online`: simulated shoppers reach an
 * offer through claim links of several channels and creative variants (e-mail and social claims,
 * in-app exposures), each channel with a built-in effect on store visits; some visit a demo store
 * afterwards with the probability of their channel and group. The channel report then estimates
 * each channel's lift, and the script prints it next to the built-in effect.
 */

import { offsetM } from "./local/api-client.ts";
import { pct, pts } from "./local/figures.ts";
import { DEMO_STORES } from "./local/seed.ts";
import { type ScenarioContext, simulationSteps } from "./local/simulation-steps.ts";

/** Visit probabilities of the control group and, per channel, of treated shoppers. */
export const ONLINE_BASELINE_VISIT_RATE = 0.15;
export const ONLINE_CHANNEL_EFFECTS = [
  { channel: "email", kind: "claim", treatedVisitRate: 0.35 },
  { channel: "social", kind: "claim", treatedVisitRate: 0.25 },
  { channel: "in-app", kind: "exposure", treatedVisitRate: 0.2 },
] as const;
const VARIANTS = ["A", "B"] as const;

export interface OnlineContext extends ScenarioContext {
  /** A POS token of the demo merchant (redemptions at the till). */
  pos: string;
  /** The phones' time zone. */
  timeZone: string;
}

/** Runs the scenario and prints the closing note; resolves to the process exit code. */
export async function runOnline(ctx: OnlineContext): Promise<number> {
  const steps = simulationSteps(ctx);
  const { api } = steps;
  const first = DEMO_STORES[0]?.input.location;
  if (!first) throw new Error("no demo store");
  const offerId = await steps.createOffer("online simulation offer", `${ctx.namePrefix} online`, {
    // Online only: the trigger zone lies far from the stores, so visits trigger no send.
    triggerZone: { type: "Circle", center: offsetM(first, 0, 40_000), radiusM: 100 },
    trigger: { on: "enter" },
    message: { title: "Coffee on us", body: "Show this code for a free espresso" },
    holdoutPercent: 20,
    attributionWindowHours: 24,
    redemption: { codeKind: "unique", expiresAfterHours: 24 },
    currency: "EUR",
    costPerSend: "0.02",
    incentiveValue: "2.00",
  });
  if (!offerId) return 1;
  const links = new Map<string, string>();
  for (const { channel } of ONLINE_CHANNEL_EFFECTS) {
    for (const variant of VARIANTS) {
      const link = await api(`/v1/offers/${offerId}/links`, {
        method: "POST",
        token: ctx.admin,
        body: { channel, variant, label: `simulation ${channel} ${variant}` },
      });
      links.set(`${channel}/${variant}`, link.body.token as string);
    }
  }
  let failures = 0;
  let redeemed = 0;
  async function shopper(i: number) {
    const effect = ONLINE_CHANNEL_EFFECTS[i % ONLINE_CHANNEL_EFFECTS.length];
    const variant = VARIANTS[Math.floor(i / ONLINE_CHANNEL_EFFECTS.length) % VARIANTS.length];
    const store = DEMO_STORES[i % DEMO_STORES.length]?.input.location;
    if (!effect || !variant || !store) return;
    const reg = await steps.registerPhone(i % 2 === 0 ? "ios" : "android", ctx.timeZone);
    if (reg.status !== 201) {
      failures++;
      return;
    }
    const token = reg.body.token as string;
    const linkToken = links.get(`${effect.channel}/${variant}`);
    const res = await api(effect.kind === "claim" ? "/v1/claims" : "/v1/exposures", {
      method: "POST",
      token,
      body: { token: linkToken },
    });
    if (res.status !== 200) {
      failures++;
      return;
    }
    const treated = res.body.outcome === "granted" || res.body.outcome === "treated";
    const held = res.body.outcome === "held_out";
    if (!treated && !held) return;
    const p = treated ? effect.treatedVisitRate : ONLINE_BASELINE_VISIT_RATE;
    if (ctx.random() >= p) return;
    // A stay that dwells (≥ 120 s) and is confirmed after the claim (pings ≤ 2 min ahead).
    const after = Date.now();
    const pings = [-30_000, 40_000, 100_000].map((d) => ({
      ...offsetM(store, (ctx.random() - 0.5) * 6, (ctx.random() - 0.5) * 6),
      accuracyM: 6 + ctx.random() * 6,
      timestamp: after + d,
      speedMps: 0.2,
    }));
    const visit = await api("/v1/pings", { method: "POST", token, body: { pings } });
    if (visit.status !== 202) failures++;
    if (res.body.code && ctx.random() < 0.6) {
      const storeId = DEMO_STORES[i % DEMO_STORES.length]?.storeId;
      const r = await api("/v1/redemptions", {
        method: "POST",
        token: ctx.pos,
        body: { code: res.body.code, storeId },
      });
      if (r.status === 200) redeemed++;
    }
  }
  await steps.runPhones(ctx.devices, ctx.concurrency, shopper);
  const report = await steps.readReportThenDeleteOffer(
    offerId,
    `/v1/reports/offers/${offerId}/channels`,
    "channel report",
  );
  if (!report) return 1;

  const lines: string[] = [];
  let allCovered = true;
  type Section = {
    channel: string;
    touches: { treated: number; holdout: number };
    visits: { treated: number; holdout: number };
    visitRate: { treated: number | null; holdout: number | null };
    lift: { absolute: number | null; absoluteCi: [number, number] | null };
    creditedVisits: number;
    redemptions: number;
    money: {
      costPerIncrementalVisit: { estimate: string | null; ci: [string, string] | null };
    } | null;
  };
  for (const effect of ONLINE_CHANNEL_EFFECTS) {
    const c = (report.channels as Section[]).find((x) => x.channel === effect.channel);
    if (!c) continue;
    const built = effect.treatedVisitRate - ONLINE_BASELINE_VISIT_RATE;
    const ci = c.lift.absoluteCi;
    const covered = ci !== null && ci[0] <= built && built <= ci[1];
    allCovered &&= covered;
    const cpiv = c.money?.costPerIncrementalVisit;
    lines.push(
      `  ${effect.channel.padEnd(7)} (${effect.kind === "claim" ? "claims   " : "exposures"}) ` +
        `${String(c.touches.treated).padStart(4)} treated, ${String(c.touches.holdout).padStart(3)} control · ` +
        `visit rate ${pct(c.visitRate.treated)} vs ${pct(c.visitRate.holdout)} · ` +
        `lift ${c.lift.absolute == null ? "n/a" : `${pts(c.lift.absolute)} pts`} ` +
        `(95 % ${ci ? `${pts(ci[0])} to ${pts(ci[1])}` : "n/a"}) · built-in ${pts(built)}: ` +
        `${covered ? "covered" : "NOT covered"} · cost per incremental visit ` +
        `${cpiv?.estimate ? `€${cpiv.estimate}` : "not reported"}`,
    );
  }
  const cmp = (
    report.variantComparison as {
      a: string;
      b: string;
      difference: number | null;
      differenceCi: [number, number] | null;
      pValue: number | null;
      better: string | null;
    }[]
  )[0];
  const t = report.totals;
  console.log(`
${report.offerName}
  ${ctx.devices} simulated shoppers reached through claim links (e-mail, social) and in-app exposures,
  two creative variants each, 20 % held out per person; control visit rate ${pct(ONLINE_BASELINE_VISIT_RATE)}.

${lines.join("\n")}

  Credited visits (last touch):  ${t.creditedVisits} · redemptions ${t.redemptions} (${redeemed} at the till in this run)
  Variants A vs B:               ${
    cmp?.difference == null
      ? "n/a"
      : `${pts(cmp.difference)} pts (95 % ${cmp.differenceCi ? `${pts(cmp.differenceCi[0])} to ${pts(cmp.differenceCi[1])}` : "n/a"}, p = ${cmp.pValue?.toFixed(3)}): ${cmp.better ? `${cmp.better} works better` : "no winner at 95 % (both carry the same built-in effect)"}`
  }
${failures > 0 ? `  ${failures} requests failed.\n` : ""}  The offer ${ctx.keep ? "is kept" : "was deleted; its channel report stays"}: GET /v1/reports/offers/${offerId}/channels
`);
  return allCovered ? 0 : 1;
}
