/**
 * Footfall marketing dashboard: offers overview (the comparison), one offer, one store, and the
 * conversion log, over the report API of the same origin. Hash routes (`#/offers/of_…`), so the
 * token and the route never reach the server in a URL.
 *
 * Sign-in: a merchant token in the fragment (`#token=…`, printed by `npm start`), or the Cognito
 * hosted UI (authorization code with PKCE) when the server says where it is (`config.json`).
 */
import "./styles.css";
import { CONVERSION_TYPES } from "../../shared/domain/conversion.ts";
import type { PickupReport } from "../../shared/domain/reports/pickup-metrics.ts";
import { ApiError, downloadCsv, getJson, qs, setToken, token } from "./api.ts";
import { COLORS, dailyChart, ratesChart } from "./charts.ts";
import { announce, fig, h, table } from "./dom.ts";
import { count, decimal, money, NA, percent, points, pointsInterval } from "./format.ts";

// ---------------------------------------------------------------------------------------------
// Report shapes (what the pages read of the API)
// ---------------------------------------------------------------------------------------------

type Ci = readonly [number, number] | null;
interface Section {
  funnel: {
    triggered: number;
    sent: number;
    heldOut: number;
    suppressed: { total: number };
    visits: number;
    attributedVisits: { treated: number; holdout: number };
    redemptions: number;
  };
  visitRate: { treated: number | null; holdout: number | null };
  visitRateCi: { treated: Ci; holdout: Ci };
  lift: { absolute: number | null; absoluteCi: Ci; pValue: number | null };
  incremental: { visits: number | null; visitsCi: Ci; note: string | null };
  money: {
    currency: string;
    spend: string;
    costPerVisit: string | null;
    costPerAttributedVisit: string | null;
    costPerIncrementalVisit: { estimate: string | null; ci: readonly [string, string] | null };
    incrementalRevenue: { estimate: string | null; averageBasket: string } | null;
    notes: string[];
  } | null;
  notes: string[];
}
/** Journey report shapes (`/v1/reports/journey`). */
const STAGES = ["new", "returning", "regular", "lapsed"] as const;
type Stage = (typeof STAGES)[number];
interface JourneyFigures {
  visits: number;
  repeatVisits: number;
  repeatVisitRate: number | null;
  repeatVisitRateCi: Ci;
  visitsByStage: Record<Exclude<Stage, "lapsed">, number>;
  entered: Record<Stage, number>;
  lapsed: number;
  medianDaysBetweenVisits: number | null;
}
interface RepeatLift {
  treated: { n: number; repeaters: number };
  holdout: { n: number; repeaters: number };
  lift: { absoluteLift: number | null; absoluteCi: Ci; pValue: number | null };
}
interface OfferJourney {
  attributedVisits: {
    treated: { first: number; returning: number };
    holdout: { first: number; returning: number };
  };
  repeatWithinWindow: RepeatLift;
  repeatAfterWindow: RepeatLift;
}
interface JourneyReport {
  from: string;
  to: string;
  storeId: string | null;
  journey: JourneyFigures;
  days: { day: string; visits: number; repeatVisits: number; entered: Record<Stage, number> }[];
  stores: { storeId: string; journey: JourneyFigures }[];
  offer: (OfferJourney & { offerId: string }) | null;
}

/** What the offer page reads of the channel report (`/v1/reports/offers/{id}/channels`). */
interface TouchFigures {
  touches: { treated: number; holdout: number };
  visits: { treated: number; holdout: number };
  visitRate: { treated: number | null; holdout: number | null };
  lift: { absolute: number | null; absoluteCi: Ci };
  creditedVisits: number;
  redemptions: number;
  web: { claims: number; redemptions: number };
  journey: OfferJourney;
}
interface ChannelReport {
  rows: (TouchFigures & { channel: string; variant: string })[];
  variantComparison: {
    a: string;
    b: string;
    difference: number | null;
    differenceCi: Ci;
    pValue: number | null;
    better: string | null;
  }[];
}

interface ComparisonRow extends Section {
  offerId: string;
  offerName: string;
  state: string;
}
interface OfferReport {
  offerId: string;
  offerName: string | null;
  state: string;
  from: string;
  to: string;
  totals: Section;
  rows: (Section & {
    day?: string;
    storeId?: string;
    storeName?: string | null;
    storeCode?: string | null;
  })[];
  notes: string[];
}
interface StoreReport {
  storeId: string;
  storeName: string | null;
  storeCode: string | null;
  from: string;
  to: string;
  totals: { visits: number; attributedVisits: { treated: number; holdout: number } };
  offers: {
    offerId: string | null;
    offerName: string | null;
    visits: number;
    attributedVisits: { treated: number; holdout: number };
  }[];
  rows: { day?: string; offerId: string | null; offerName: string | null; visits: number }[];
}
interface LogItem {
  eventId: string;
  at: string;
  type: string;
  offerId: string | null;
  offerName: string | null;
  storeId: string;
  storeName: string | null;
  storeCode: string | null;
  group: string | null;
  reason: string | null;
  basketAmount: string | null;
  basketCurrency: string | null;
}

// ---------------------------------------------------------------------------------------------
// Sign-in
// ---------------------------------------------------------------------------------------------

interface Config {
  cognitoDomain: string | null;
  clientId: string | null;
}

const redirectUri = () => `${location.origin}/dashboard`;

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

/** Starts the Cognito hosted UI sign-in (authorization code with PKCE, S256). */
async function hostedSignIn(config: Config): Promise<void> {
  if (!config.cognitoDomain || !config.clientId) return;
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = base64url(
    new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))),
  );
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem("footfall.pkce", JSON.stringify({ verifier, state }));
  const params = new URLSearchParams({
    response_type: "code",
    client_id: config.clientId,
    redirect_uri: redirectUri(),
    scope: "openid email",
    code_challenge_method: "S256",
    code_challenge: challenge,
    state,
  });
  location.assign(`${config.cognitoDomain}/oauth2/authorize?${params}`);
}

/** Finishes a hosted UI sign-in: trades the code for tokens and keeps the ID token. */
async function finishHostedSignIn(config: Config): Promise<void> {
  const params = new URLSearchParams(location.search);
  const code = params.get("code");
  const pkce = JSON.parse(sessionStorage.getItem("footfall.pkce") ?? "null") as {
    verifier: string;
    state: string;
  } | null;
  if (!code || !pkce || params.get("state") !== pkce.state || !config.cognitoDomain) return;
  sessionStorage.removeItem("footfall.pkce");
  history.replaceState(null, "", `${location.pathname}${location.hash}`);
  const res = await fetch(`${config.cognitoDomain}/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      client_id: config.clientId ?? "",
      code,
      redirect_uri: redirectUri(),
      code_verifier: pkce.verifier,
    }),
  });
  if (res.ok) setToken(((await res.json()) as { id_token?: string }).id_token ?? null);
}

/** Takes `#token=…&route=…` out of the address bar into this tab's session. */
function takeFragmentToken(): void {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const t = fragment.get("token");
  if (!t) return;
  setToken(t);
  const route = fragment.get("route") ?? "/offers";
  history.replaceState(null, "", `${location.pathname}${location.search}#${route}`);
}

function signInPage(main: HTMLElement, config: Config, message?: string): void {
  main.replaceChildren(
    h("h1", { tabindex: -1 }, "Sign in"),
    message ? h("p", { class: "error", role: "alert" }, message) : "",
    config.cognitoDomain
      ? h(
          "p",
          {},
          h("button", { type: "button", id: "sign-in" }, "Sign in with your merchant account"),
        )
      : h(
          "p",
          {},
          "Open the sign-in link that ",
          h("code", {}, "npm start"),
          " prints (it carries a merchant token after #token=).",
        ),
  );
  document.getElementById("sign-in")?.addEventListener("click", () => void hostedSignIn(config));
  main.querySelector("h1")?.focus();
}

// ---------------------------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------------------------

function stateBadge(state: string): HTMLElement {
  return h("span", { class: `badge state-${state}` }, state);
}

function offerLink(id: string, name: string | null): HTMLElement {
  return h("a", { href: `#/offers/${encodeURIComponent(id)}` }, name ?? id);
}

function storeLink(id: string, name: string | null | undefined, code?: string | null): HTMLElement {
  return h(
    "span",
    {},
    h("a", { href: `#/stores/${encodeURIComponent(id)}` }, name ?? id),
    code ? h("span", { class: "code" }, ` ${code}`) : null,
  );
}

/** A range form (from/to local days) that re-renders the route with ?from&to in the hash. */
function rangeForm(route: string, from: string, to: string): HTMLElement {
  const form = h(
    "form",
    { class: "range", "aria-label": "Report period" },
    h(
      "label",
      {},
      "From ",
      h("input", { type: "date", name: "from", value: from, required: true }),
    ),
    h("label", {}, "To ", h("input", { type: "date", name: "to", value: to, required: true })),
    h("button", { type: "submit" }, "Show"),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const data = new FormData(form);
    location.hash = `${route}${qs({ from: String(data.get("from")), to: String(data.get("to")) })}`;
  });
  return form;
}

/** A count as a figure: `value` formatted with `count`, its raw value under `path`. */
function countFig(path: string, value: number): HTMLSpanElement {
  return fig(path, value, count(value));
}

function kpi(label: string, value: HTMLElement, detail?: HTMLElement | string | null) {
  return h(
    "div",
    { class: "kpi" },
    h("dt", {}, label),
    h("dd", {}, value, detail ? h("small", {}, detail) : null),
  );
}

function notesList(notes: string[]): HTMLElement | null {
  return notes.length ? h("ul", { class: "notes" }, ...notes.map((n) => h("li", {}, n))) : null;
}

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

async function offersView(main: HTMLElement, query: URLSearchParams): Promise<void> {
  const path = `/v1/reports/offers${qs({ from: query.get("from") ?? undefined, to: query.get("to") ?? undefined })}`;
  const r = await getJson<{ from: string; to: string; offers: ComparisonRow[] }>(path);
  const csv = h("button", { type: "button", class: "secondary" }, "Download CSV");
  csv.addEventListener("click", () => void downloadCsv(path, "offers.csv"));
  const rows = r.offers.map((o, i) => {
    const p = `offers/${i}`;
    const m = o.money;
    return [
      offerLink(o.offerId, o.offerName),
      stateBadge(o.state),
      countFig(`${p}/funnel/sent`, o.funnel.sent),
      countFig(`${p}/funnel/heldOut`, o.funnel.heldOut),
      fig(`${p}/visitRate/treated`, o.visitRate.treated, percent(o.visitRate.treated)),
      fig(`${p}/visitRate/holdout`, o.visitRate.holdout, percent(o.visitRate.holdout)),
      h(
        "span",
        {},
        fig(`${p}/lift/absolute`, o.lift.absolute, points(o.lift.absolute)),
        h("br"),
        h(
          "small",
          {},
          fig(`${p}/lift/absoluteCi`, o.lift.absoluteCi, pointsInterval(o.lift.absoluteCi)),
        ),
      ),
      fig(`${p}/incremental/visits`, o.incremental.visits, decimal(o.incremental.visits)),
      fig(`${p}/money/spend`, m?.spend ?? null, money(m?.spend, m?.currency)),
      fig(
        `${p}/money/costPerIncrementalVisit/estimate`,
        m?.costPerIncrementalVisit.estimate ?? null,
        money(m?.costPerIncrementalVisit.estimate, m?.currency),
      ),
    ];
  });
  main.replaceChildren(
    h("h1", { tabindex: -1 }, "Offers"),
    h("p", { class: "lead" }, `Every offer of ${r.from} to ${r.to}, side by side.`),
    h("div", { class: "toolbar" }, rangeForm("#/offers", r.from, r.to), csv),
    r.offers.length === 0
      ? h("p", {}, "No offer ran in this period.")
      : table(
          `Offers from ${r.from} to ${r.to}`,
          [
            "Offer",
            "State",
            "Sent",
            "Held out",
            "Visit rate, sent",
            "Visit rate, held out",
            "Lift (95 % interval)",
            "Incremental visits",
            "Spend",
            "Cost per incremental visit",
          ],
          rows,
          { numericFrom: 2 },
        ),
  );
}

function funnelList(s: Section, prefix: string): HTMLElement {
  const f = s.funnel;
  const steps: [string, string, number][] = [
    ["Triggered", `${prefix}/funnel/triggered`, f.triggered],
    ["Sent the incentive", `${prefix}/funnel/sent`, f.sent],
    ["Held out", `${prefix}/funnel/heldOut`, f.heldOut],
    ["Visited (all attributed)", `${prefix}/funnel/visits`, f.visits],
    [
      "Attributed visits, sent",
      `${prefix}/funnel/attributedVisits/treated`,
      f.attributedVisits.treated,
    ],
    [
      "Attributed visits, held out",
      `${prefix}/funnel/attributedVisits/holdout`,
      f.attributedVisits.holdout,
    ],
    ["Redeemed", `${prefix}/funnel/redemptions`, f.redemptions],
  ];
  const max = Math.max(1, f.triggered);
  return h(
    "ol",
    { class: "funnel", "aria-label": "Funnel" },
    ...steps.map(([label, path, n]) => {
      const bar = h("span", { class: "bar", "aria-hidden": "true" });
      bar.style.width = `${Math.max(0.5, (n / max) * 100)}%`;
      return h("li", {}, h("span", { class: "step" }, label), countFig(path, n), bar);
    }),
  );
}

async function offerView(
  main: HTMLElement,
  offerId: string,
  query: URLSearchParams,
): Promise<void> {
  const range = { from: query.get("from") ?? undefined, to: query.get("to") ?? undefined };
  const base = `/v1/reports/offers/${encodeURIComponent(offerId)}`;
  const [byDay, byStore, channels, journey] = await Promise.all([
    getJson<OfferReport>(`${base}${qs({ ...range, groupBy: "day", includeEmpty: "true" })}`),
    getJson<OfferReport>(`${base}${qs({ ...range, groupBy: "store" })}`),
    getJson<ChannelReport>(`${base}/channels${qs(range)}`),
    getJson<JourneyReport>(`/v1/reports/journey${qs({ ...range, offerId })}`),
  ]);
  const t = byDay.totals;
  const m = t.money;
  const csv = h("button", { type: "button", class: "secondary" }, "Download CSV");
  csv.addEventListener(
    "click",
    () => void downloadCsv(`${base}${qs({ ...range, groupBy: "day" })}`, `offer-${offerId}.csv`),
  );
  const ratesEl = h("div", { class: "chart", "aria-hidden": "true" });
  const dailyEl = h("div", { class: "chart", "aria-hidden": "true" });
  const cpiv = m?.costPerIncrementalVisit;
  main.replaceChildren(
    h("p", { class: "crumbs" }, h("a", { href: "#/offers" }, "Offers"), " › this offer"),
    h("h1", { tabindex: -1 }, byDay.offerName ?? offerId, " ", stateBadge(byDay.state)),
    h("div", { class: "toolbar" }, rangeForm(`#/offers/${offerId}`, byDay.from, byDay.to), csv),
    h(
      "dl",
      { class: "kpis" },
      kpi(
        "Visit rate, sent",
        fig("totals/visitRate/treated", t.visitRate.treated, percent(t.visitRate.treated)),
        `${count(t.funnel.attributedVisits.treated)} of ${count(t.funnel.sent)}`,
      ),
      kpi(
        "Visit rate, held out",
        fig("totals/visitRate/holdout", t.visitRate.holdout, percent(t.visitRate.holdout)),
        `${count(t.funnel.attributedVisits.holdout)} of ${count(t.funnel.heldOut)}`,
      ),
      kpi(
        "Lift",
        fig("totals/lift/absolute", t.lift.absolute, points(t.lift.absolute)),
        fig(
          "totals/lift/absoluteCi",
          t.lift.absoluteCi,
          `95 %: ${pointsInterval(t.lift.absoluteCi)}`,
        ),
      ),
      kpi(
        "Incremental visits",
        fig("totals/incremental/visits", t.incremental.visits, decimal(t.incremental.visits)),
        t.incremental.visitsCi
          ? fig(
              "totals/incremental/visitsCi",
              t.incremental.visitsCi,
              `95 %: ${decimal(t.incremental.visitsCi[0])} to ${decimal(t.incremental.visitsCi[1])}`,
            )
          : null,
      ),
      kpi("Spend", fig("totals/money/spend", m?.spend ?? null, money(m?.spend, m?.currency))),
      kpi(
        "Cost per incremental visit",
        fig(
          "totals/money/costPerIncrementalVisit/estimate",
          cpiv?.estimate ?? null,
          money(cpiv?.estimate, m?.currency),
        ),
        cpiv?.ci
          ? `95 %: ${money(cpiv.ci[0], m?.currency)} to ${money(cpiv.ci[1], m?.currency)}`
          : null,
      ),
    ),
    notesList([...byDay.notes, ...(m?.notes ?? []), ...t.notes]) ?? "",
    h(
      "section",
      { "aria-labelledby": "funnel-h" },
      h("h2", { id: "funnel-h" }, "Funnel"),
      funnelList(t, "totals"),
    ),
    h(
      "section",
      { "aria-labelledby": "rates-h" },
      h("h2", { id: "rates-h" }, "Visit rate: sent vs held out"),
      h(
        "p",
        {},
        `Sent ${percent(t.visitRate.treated)} (95 % ${pointsIntervalPct(t.visitRateCi.treated)}), held out ${percent(t.visitRate.holdout)} (95 % ${pointsIntervalPct(t.visitRateCi.holdout)}).`,
      ),
      ratesEl,
    ),
    h(
      "section",
      { "aria-labelledby": "daily-h" },
      h("h2", { id: "daily-h" }, "Day by day"),
      dailyEl,
      table(
        "Day by day",
        [
          "Day",
          "Sent",
          "Held out",
          "Attributed visits, sent",
          "Attributed visits, held out",
          "Redeemed",
        ],
        byDay.rows
          .filter(
            (r) => r.funnel.sent + r.funnel.heldOut + r.funnel.visits + r.funnel.redemptions > 0,
          )
          .map((r) => [
            r.day ?? "",
            count(r.funnel.sent),
            count(r.funnel.heldOut),
            count(r.funnel.attributedVisits.treated),
            count(r.funnel.attributedVisits.holdout),
            count(r.funnel.redemptions),
          ]),
      ),
    ),
    channelSection(channels),
    journey.offer ? offerJourneySection(journey.offer, channels) : "",
    h(
      "section",
      { "aria-labelledby": "stores-h" },
      h("h2", { id: "stores-h" }, "By store"),
      table(
        "By store",
        ["Store", "Sent", "Held out", "Visit rate, sent", "Visit rate, held out", "Lift", "Spend"],
        byStore.rows.map((r) => [
          storeLink(r.storeId ?? "", r.storeName, r.storeCode),
          count(r.funnel.sent),
          count(r.funnel.heldOut),
          percent(r.visitRate.treated),
          percent(r.visitRate.holdout),
          points(r.lift.absolute),
          money(r.money?.spend, r.money?.currency),
        ]),
      ),
    ),
  );
  ratesChart(ratesEl, t.visitRate, t.visitRateCi);
  const days = byDay.rows.map((r) => r.day ?? "");
  dailyChart(dailyEl, days, [
    { label: "Sent", values: byDay.rows.map((r) => r.funnel.sent), color: COLORS.treated },
    { label: "Held out", values: byDay.rows.map((r) => r.funnel.heldOut), color: COLORS.holdout },
    {
      label: "Visits, sent",
      values: byDay.rows.map((r) => r.funnel.attributedVisits.treated),
      color: COLORS.treated,
      dash: [6, 4],
    },
    {
      label: "Visits, held out",
      values: byDay.rows.map((r) => r.funnel.attributedVisits.holdout),
      color: COLORS.holdout,
      dash: [6, 4],
    },
  ]);
}

/** Claims, exposures and sends by channel and variant, with the variant comparison. */
function channelSection(report: ChannelReport): HTMLElement {
  if (report.rows.length === 0) {
    return h(
      "section",
      { "aria-labelledby": "channels-h" },
      h("h2", { id: "channels-h" }, "By channel and variant"),
      h("p", {}, "No claim, exposure or send in this range."),
    );
  }
  return h(
    "section",
    { "aria-labelledby": "channels-h" },
    h("h2", { id: "channels-h" }, "By channel and variant"),
    table(
      "By channel and variant",
      [
        "Channel",
        "Variant",
        "Treated",
        "Control",
        "Visit rate, treated",
        "Visit rate, control",
        "Lift (95 % interval)",
        "Credited visits",
        "Redeemed",
        "Web claims",
      ],
      report.rows.map((r) => [
        r.channel,
        r.variant,
        count(r.touches.treated),
        count(r.touches.holdout),
        percent(r.visitRate.treated),
        percent(r.visitRate.holdout),
        h(
          "span",
          {},
          points(r.lift.absolute),
          h("br"),
          h("small", {}, pointsInterval(r.lift.absoluteCi)),
        ),
        count(r.creditedVisits),
        count(r.redemptions + r.web.redemptions),
        count(r.web.claims),
      ]),
      { numericFrom: 2 },
    ),
    report.variantComparison.length > 0
      ? table(
          "Variants compared (treated visit rates, two-sample test)",
          ["Variants", "Difference", "95 % interval", "p-value", "Verdict"],
          report.variantComparison.map((c) => [
            `${c.a} vs ${c.b}`,
            points(c.difference),
            pointsInterval(c.differenceCi),
            c.pValue == null ? NA : c.pValue.toFixed(3),
            c.better ? `${c.better} works better` : "no winner at 95 %",
          ]),
        )
      : "",
  );
}

function pointsIntervalPct(ci: Ci): string {
  return ci ? `${(ci[0] * 100).toFixed(1)} to ${(ci[1] * 100).toFixed(1)} %` : NA;
}

async function storeView(
  main: HTMLElement,
  storeId: string,
  query: URLSearchParams,
): Promise<void> {
  const range = { from: query.get("from") ?? undefined, to: query.get("to") ?? undefined };
  const [r, pickups, journey] = await Promise.all([
    getJson<StoreReport>(`/v1/reports/stores/${encodeURIComponent(storeId)}${qs(range)}`),
    getJson<PickupReport>(
      `/v1/reports/stores/${encodeURIComponent(storeId)}/pickups${qs(range)}`,
    ).catch(() => null),
    getJson<JourneyReport>(`/v1/reports/journey${qs({ ...range, storeId })}`),
  ]);
  const journeyChart = h("div", { class: "chart", "aria-hidden": "true" });
  main.replaceChildren(
    h("p", { class: "crumbs" }, h("a", { href: "#/offers" }, "Offers"), " › store"),
    h(
      "h1",
      { tabindex: -1 },
      r.storeName ?? storeId,
      r.storeCode ? h("span", { class: "code" }, ` ${r.storeCode}`) : null,
    ),
    h("div", { class: "toolbar" }, rangeForm(`#/stores/${storeId}`, r.from, r.to)),
    h(
      "dl",
      { class: "kpis" },
      kpi("Store visits", countFig("totals/visits", r.totals.visits)),
      kpi(
        "Attributed visits, sent",
        countFig("totals/attributedVisits/treated", r.totals.attributedVisits.treated),
      ),
      kpi(
        "Attributed visits, held out",
        countFig("totals/attributedVisits/holdout", r.totals.attributedVisits.holdout),
      ),
    ),
    table(
      "Visits by offer",
      ["Offer", "Visits", "Attributed, sent", "Attributed, held out"],
      r.offers.map((o) => [
        o.offerId ? offerLink(o.offerId, o.offerName) : "All visits (no offer)",
        count(o.visits),
        count(o.attributedVisits.treated),
        count(o.attributedVisits.holdout),
      ]),
    ),
    table(
      "Day by day",
      ["Day", "Offer", "Visits"],
      r.rows.map((row) => [
        row.day ?? "",
        row.offerId ? (row.offerName ?? row.offerId) : "All visits",
        count(row.visits),
      ]),
      { numericFrom: 2 },
    ),
    h(
      "section",
      { "aria-labelledby": "journey-h" },
      h("h2", { id: "journey-h" }, "Visitor journey"),
      ...journeyFigures(journey, "journey/", journeyChart),
    ),
    pickups && pickups.totals.pickups > 0 ? pickupSection(pickups) : "",
  );
  entrantsChart(journeyChart, journey);
}

/** Seconds as minutes and seconds: 263.4 → "4 min 23 s"; negative with a sign. */
function duration(seconds: number | null): string {
  if (seconds == null) return NA;
  const s = Math.round(Math.abs(seconds));
  const text = s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
  return seconds < 0 ? `−${text}` : text;
}

/** Pickup metrics of the store: wait, estimate error, on-time share (figures by report path). */
function pickupSection(p: PickupReport): HTMLElement {
  const t = p.totals;
  return h(
    "section",
    { "aria-labelledby": "pickups-h" },
    h("h2", { id: "pickups-h" }, "Pickups"),
    h(
      "dl",
      { class: "kpis" },
      kpi(
        "Ended pickups",
        countFig("pickups/totals/pickups", t.pickups),
        `${count(t.completed)} completed, ${count(t.cancelled)} cancelled, ${count(t.noShow)} no-show`,
      ),
      kpi(
        "Median wait",
        fig(
          "pickups/totals/waitTime/medianSeconds",
          t.waitTime.medianSeconds,
          duration(t.waitTime.medianSeconds),
        ),
        `90 % under ${duration(t.waitTime.p90Seconds)}`,
      ),
      kpi(
        "On time",
        fig("pickups/totals/onTime/share", t.onTime.share, percent(t.onTime.share)),
        `of ${count(t.onTime.of)} arrivals`,
      ),
      kpi(
        "Arrival estimate error",
        fig(
          "pickups/totals/estimateError/medianAbsoluteSeconds",
          t.estimateError.medianAbsoluteSeconds,
          duration(t.estimateError.medianAbsoluteSeconds),
        ),
        `median, ${count(t.estimateError.count)} arrivals`,
      ),
    ),
    table(
      "Pickups day by day",
      [
        "Day",
        "Ended",
        "Arrived",
        "Median wait",
        "90 % wait",
        "On time",
        "Ready on arrival",
        "Estimate error",
      ],
      p.rows.map((row) => [
        row.day,
        count(row.pickups),
        count(row.arrived),
        duration(row.waitTime.medianSeconds),
        duration(row.waitTime.p90Seconds),
        percent(row.onTime.share),
        percent(row.readyOnArrival.share),
        duration(row.estimateError.meanSeconds),
      ]),
    ),
  );
}

const STAGE_LABELS: Record<Stage, string> = {
  new: "New",
  returning: "Returning",
  regular: "Regular",
  lapsed: "Lapsed",
};

/** A rate with its interval in percent: "38.5 % (95 % 30.1 to 47.6 %)". */
function rateWithCi(rate: number | null, ci: Ci): string {
  return rate == null ? NA : `95 %: ${pointsIntervalPct(ci)}`;
}

/**
 * The journey figures of a report (merchant-wide or one store): key figures, visitors by stage,
 * entrants per stage (a chart drawn into `chartEl`, with its table), tagged with their report
 * paths under `prefix`.
 */
function journeyFigures(r: JourneyReport, prefix: string, chartEl: HTMLElement): HTMLElement[] {
  const j = r.journey;
  const p = `${prefix}journey`;
  const activeDays = r.days.filter((d) => d.visits > 0 || STAGES.some((s) => d.entered[s] > 0));
  return [
    h(
      "dl",
      { class: "kpis" },
      kpi("Journey visits", countFig(`${p}/visits`, j.visits), "visitor-days"),
      kpi(
        "Repeat-visit rate",
        fig(`${p}/repeatVisitRate`, j.repeatVisitRate, percent(j.repeatVisitRate)),
        fig(
          `${p}/repeatVisitRateCi`,
          j.repeatVisitRateCi,
          rateWithCi(j.repeatVisitRate, j.repeatVisitRateCi),
        ),
      ),
      kpi(
        "Median days between visits",
        fig(
          `${p}/medianDaysBetweenVisits`,
          j.medianDaysBetweenVisits,
          j.medianDaysBetweenVisits == null ? NA : decimal(j.medianDaysBetweenVisits),
        ),
      ),
      kpi("Lapsed regulars", countFig(`${p}/lapsed`, j.lapsed), "in the period"),
    ),
    table(
      "Visitors by stage",
      ["Stage", "Visits as", "Entered the stage"],
      STAGES.map((stage) => [
        STAGE_LABELS[stage],
        stage === "lapsed" ? "—" : countFig(`${p}/visitsByStage/${stage}`, j.visitsByStage[stage]),
        countFig(`${p}/entered/${stage}`, j.entered[stage]),
      ]),
    ),
    h("h3", {}, "Entrants per stage, day by day"),
    chartEl,
    activeDays.length === 0
      ? h("p", {}, "No visit and no stage change in this period.")
      : table(
          "Entrants per stage, day by day",
          ["Day", "Journey visits", ...STAGES.map((s) => `Entered ${s}`)],
          activeDays.map((d) => {
            const i = r.days.indexOf(d);
            return [
              d.day,
              countFig(`${prefix}days/${i}/visits`, d.visits),
              ...STAGES.map((s) => countFig(`${prefix}days/${i}/entered/${s}`, d.entered[s])),
            ];
          }),
        ),
  ];
}

function entrantsChart(el: HTMLElement, r: JourneyReport): void {
  dailyChart(
    el,
    r.days.map((d) => d.day),
    STAGES.map((s) => ({
      label: STAGE_LABELS[s],
      values: r.days.map((d) => d.entered[s]),
      color: COLORS[s],
    })),
    "People",
  );
}

/** A repeat-visit lift as table cells: treated and held-out rates, lift and its interval. */
function repeatCells(l: RepeatLift, path: string): (Node | string)[] {
  const rate = (g: { n: number; repeaters: number }) => (g.n === 0 ? null : g.repeaters / g.n);
  const share = (g: { n: number; repeaters: number }) =>
    h(
      "span",
      {},
      percent(rate(g)),
      h("br"),
      h("small", {}, `${count(g.repeaters)} of ${count(g.n)}`),
    );
  return [
    share(l.treated),
    share(l.holdout),
    h(
      "span",
      {},
      fig(`${path}/lift/absoluteLift`, l.lift.absoluteLift, points(l.lift.absoluteLift)),
      h("br"),
      h(
        "small",
        {},
        fig(`${path}/lift/absoluteCi`, l.lift.absoluteCi, pointsInterval(l.lift.absoluteCi)),
      ),
    ),
  ];
}

/**
 * An offer's journey: attributed visits that were first vs returning, and the repeat-visit lift
 * within the attribution window and in the 30 days after it, for the offer (journey report,
 * geofence sends) and per channel and variant (channel report, every touch).
 */
function offerJourneySection(o: OfferJourney, channels: ChannelReport): HTMLElement {
  const a = o.attributedVisits;
  const lifts: [string, "repeatWithinWindow" | "repeatAfterWindow"][] = [
    ["Within the attribution window", "repeatWithinWindow"],
    ["In the 30 days after it", "repeatAfterWindow"],
  ];
  return h(
    "section",
    { "aria-labelledby": "journey-h" },
    h("h2", { id: "journey-h" }, "Visitor journey: new or returning, and repeat visits"),
    table(
      "Attributed visits: first visit to the merchant vs returning (geofence sends)",
      ["Group", "First visits", "Returning"],
      (["treated", "holdout"] as const).map((g) => [
        g === "treated" ? "Sent" : "Held out",
        countFig(`journey/offer/attributedVisits/${g}/first`, a[g].first),
        countFig(`journey/offer/attributedVisits/${g}/returning`, a[g].returning),
      ]),
    ),
    table(
      "Repeat visits after an attributed visit: sent vs held out (geofence sends)",
      ["When", "Came back, sent", "Came back, held out", "Lift (95 % interval)"],
      lifts.map(([label, key]) => [label, ...repeatCells(o[key], `journey/offer/${key}`)]),
    ),
    ...(channels.rows.length === 0
      ? []
      : [
          table(
            "Attributed visits by channel and variant: first vs returning (treated vs control touches)",
            [
              "Channel",
              "Variant",
              "First, treated",
              "Returning, treated",
              "First, control",
              "Returning, control",
            ],
            channels.rows.map((r, i) => {
              const p = `channels/rows/${i}/journey/attributedVisits`;
              const v = r.journey.attributedVisits;
              return [
                r.channel,
                r.variant,
                ...(["treated", "holdout"] as const).flatMap((g) =>
                  (["first", "returning"] as const).map((k) => countFig(`${p}/${g}/${k}`, v[g][k])),
                ),
              ];
            }),
            { numericFrom: 2 },
          ),
          table(
            "Repeat visits by channel and variant: treated vs control touches",
            [
              "Channel",
              "Variant",
              "Back in window, treated",
              "Back in window, control",
              "Lift in window",
              "Back in 30 days after, treated",
              "Back in 30 days after, control",
              "Lift in 30 days after",
            ],
            channels.rows.map((r, i) => {
              const p = `channels/rows/${i}/journey`;
              return [
                r.channel,
                r.variant,
                ...repeatCells(r.journey.repeatWithinWindow, `${p}/repeatWithinWindow`),
                ...repeatCells(r.journey.repeatAfterWindow, `${p}/repeatAfterWindow`),
              ];
            }),
            { numericFrom: 2 },
          ),
        ]),
  );
}

/** The merchant's visitor journey, merchant-wide and per store. */
async function journeyView(main: HTMLElement, query: URLSearchParams): Promise<void> {
  const range = { from: query.get("from") ?? undefined, to: query.get("to") ?? undefined };
  const [r, stores] = await Promise.all([
    getJson<JourneyReport>(`/v1/reports/journey${qs(range)}`),
    getJson<{ items: { storeId: string; name: string; externalRef?: string | null }[] }>(
      "/v1/stores?limit=100",
    ).catch(() => ({ items: [] })),
  ]);
  const names = new Map(stores.items.map((s) => [s.storeId, s]));
  const chartEl = h("div", { class: "chart", "aria-hidden": "true" });
  main.replaceChildren(
    h("h1", { tabindex: -1 }, "Visitor journey"),
    h(
      "p",
      { class: "lead" },
      `New, returning, regular and lapsed visitors of every store, ${r.from} to ${r.to}.`,
    ),
    h("div", { class: "toolbar" }, rangeForm("#/journey", r.from, r.to)),
    ...journeyFigures(r, "", chartEl),
    h(
      "section",
      { "aria-labelledby": "journey-stores-h" },
      h("h2", { id: "journey-stores-h" }, "By store"),
      r.stores.length === 0
        ? h("p", {}, "No store had a journey visit in this period.")
        : table(
            "Journey by store: visits, repeat-visit rate, days between visits, people entering each stage",
            [
              "Store",
              "Visits",
              "Repeat rate",
              "95 % interval",
              "Median days apart",
              "New",
              "Returning",
              "Regular",
              "Lapsed",
            ],
            r.stores.map((row, i) => {
              const p = `stores/${i}/journey`;
              const j = row.journey;
              const store = names.get(row.storeId);
              return [
                storeLink(row.storeId, store?.name, store?.externalRef),
                countFig(`${p}/visits`, j.visits),
                fig(`${p}/repeatVisitRate`, j.repeatVisitRate, percent(j.repeatVisitRate)),
                fig(
                  `${p}/repeatVisitRateCi`,
                  j.repeatVisitRateCi,
                  pointsIntervalPct(j.repeatVisitRateCi),
                ),
                fig(
                  `${p}/medianDaysBetweenVisits`,
                  j.medianDaysBetweenVisits,
                  j.medianDaysBetweenVisits == null ? NA : decimal(j.medianDaysBetweenVisits),
                ),
                ...STAGES.map((s) => countFig(`${p}/entered/${s}`, j.entered[s])),
              ];
            }),
          ),
    ),
  );
  entrantsChart(chartEl, r);
}

async function logView(main: HTMLElement, query: URLSearchParams): Promise<void> {
  const filters = {
    offerId: query.get("offerId") ?? undefined,
    type: query.get("type") ?? undefined,
    from: query.get("from") ?? undefined,
    to: query.get("to") ?? undefined,
  };
  const offers = await getJson<{ items: { offerId: string; name: string }[] }>(
    "/v1/offers?limit=100",
  ).catch(() => ({ items: [] }));
  const select = (name: string, label: string, options: [string, string][], value?: string) =>
    h(
      "label",
      {},
      `${label} `,
      h(
        "select",
        { name },
        h("option", { value: "" }, "All"),
        ...options.map(([v, text]) => h("option", { value: v, selected: v === value }, text)),
      ),
    );
  const form = h(
    "form",
    { class: "range", "aria-label": "Filters" },
    select(
      "offerId",
      "Offer",
      offers.items.map((o) => [o.offerId, o.name]),
      filters.offerId,
    ),
    select(
      "type",
      "Event",
      CONVERSION_TYPES.map((t) => [t, t.replace("_", " ")]),
      filters.type,
    ),
    h(
      "label",
      {},
      "From ",
      h("input", { type: "date", name: "from", value: filters.from?.slice(0, 10) }),
    ),
    h(
      "label",
      {},
      "To ",
      h("input", { type: "date", name: "to", value: filters.to?.slice(0, 10) }),
    ),
    h("button", { type: "submit" }, "Filter"),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const data = new FormData(form);
    const next: Record<string, string | undefined> = {};
    for (const key of ["offerId", "type", "from", "to"])
      next[key] = String(data.get(key) ?? "") || undefined;
    location.hash = `#/log${qs(next)}`;
  });
  const csv = h("button", { type: "button", class: "secondary" }, "Download CSV");
  csv.addEventListener(
    "click",
    () => void downloadCsv(`/v1/conversions${qs(filters)}`, "conversions.csv"),
  );
  const body = h("tbody");
  const more = h("button", { type: "button", class: "secondary" }, "Load more");
  let cursor: string | null = null;
  const load = async () => {
    const page: { items: LogItem[]; nextCursor: string | null } = await getJson(
      `/v1/conversions${qs({ ...filters, limit: "50", cursor: cursor ?? undefined })}`,
    );
    for (const item of page.items) {
      body.append(
        h(
          "tr",
          {},
          h("th", { scope: "row" }, item.at.replace("T", " ").slice(0, 19)),
          h("td", {}, item.type.replace("_", " ")),
          h("td", {}, item.offerId ? offerLink(item.offerId, item.offerName) : "—"),
          h("td", {}, storeLink(item.storeId, item.storeName, item.storeCode)),
          h("td", {}, item.group ?? item.reason ?? ""),
          h(
            "td",
            { class: "num" },
            item.basketAmount ? money(item.basketAmount, item.basketCurrency) : "",
          ),
        ),
      );
    }
    cursor = page.nextCursor;
    more.hidden = cursor === null;
    announce(`${body.children.length} events shown`);
  };
  more.addEventListener("click", () => void load());
  main.replaceChildren(
    h("h1", { tabindex: -1 }, "Conversion log"),
    h("div", { class: "toolbar" }, form, csv),
    h(
      "div",
      { class: "table-wrap", role: "region", "aria-label": "Conversion log", tabindex: 0 },
      h(
        "table",
        {},
        h("caption", {}, "Events, newest first"),
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ...["Time (UTC)", "Event", "Offer", "Store", "Group or reason", "Basket"].map((t, i) =>
              h("th", { scope: "col", class: i === 5 ? "num" : "" }, t),
            ),
          ),
        ),
        body,
      ),
    ),
    more,
  );
  await load();
}

// ---------------------------------------------------------------------------------------------
// Router
// ---------------------------------------------------------------------------------------------

async function render(config: Config): Promise<void> {
  const main = document.getElementById("main") as HTMLElement;
  const signOut = document.getElementById("sign-out") as HTMLButtonElement;
  if (!token()) {
    signOut.hidden = true;
    signInPage(main, config);
    return;
  }
  signOut.hidden = false;
  const [path = "/offers", search = ""] = location.hash.slice(1).split("?");
  const query = new URLSearchParams(search);
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  for (const a of document.querySelectorAll<HTMLAnchorElement>("[data-nav]")) {
    const section = parts[0] === "log" || parts[0] === "journey" ? parts[0] : "offers";
    if (a.dataset.nav === section) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  main.setAttribute("aria-busy", "true");
  try {
    if (parts[0] === "offers" && parts[1]) await offerView(main, parts[1], query);
    else if (parts[0] === "stores" && parts[1]) await storeView(main, parts[1], query);
    else if (parts[0] === "log") await logView(main, query);
    else if (parts[0] === "journey") await journeyView(main, query);
    else await offersView(main, query);
    const title = main.querySelector("h1")?.textContent ?? "Dashboard";
    document.title = `${title} — Footfall`;
    announce(`${title} loaded`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setToken(null);
      signInPage(main, config, "Your session has expired: sign in again.");
      return;
    }
    main.replaceChildren(
      h("h1", { tabindex: -1 }, "Something went wrong"),
      h(
        "p",
        { class: "error", role: "alert" },
        error instanceof Error ? error.message : String(error),
      ),
    );
  } finally {
    main.removeAttribute("aria-busy");
  }
  main.querySelector("h1")?.focus();
}

async function start(): Promise<void> {
  const config = await fetch("/dashboard/config.json")
    .then((r) => (r.ok ? (r.json() as Promise<Config>) : { cognitoDomain: null, clientId: null }))
    .catch(() => ({ cognitoDomain: null, clientId: null }));
  takeFragmentToken();
  await finishHostedSignIn(config);
  document.getElementById("sign-out")?.addEventListener("click", () => {
    setToken(null);
    if (config.cognitoDomain && config.clientId) {
      location.assign(
        `${config.cognitoDomain}/logout?${new URLSearchParams({ client_id: config.clientId, logout_uri: redirectUri() })}`,
      );
    } else void render(config);
  });
  window.addEventListener("hashchange", () => void render(config));
  await render(config);
}

void start();
