/**
 * The marketing dashboard in a real browser: headless Chromium (the Debian package, driven by
 * playwright-core) against the local server on DynamoDB Local. Signs in with a token in the URL
 * fragment, checks every figure on each page against the report API, downloads the CSV, watches
 * for console errors, and renders each view at laptop (1366 px) and tablet (768 px) width.
 * With SCREENSHOTS_DIR set it also writes the screenshots the README links to.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDashboard } from "../../scripts/build-dashboard.ts";
import { COUNTER_FIELDS } from "../../shared/domain/conversion.ts";
import { JOURNEY_FIELDS } from "../../shared/domain/journey/log.ts";
import { TOUCH_FIELDS, touchKeys } from "../../shared/domain/o2o/touch.ts";
import { pickupKeys } from "../../shared/domain/pickup/keys.ts";
import {
  addToCounterItems,
  bumpCounters,
  catalog,
  putOffer,
  putRecord,
  putStore,
  setBudgetUsed,
} from "../integration/reports/fixtures.ts";
import { uniqueId } from "../support/aws.ts";
import { putItem } from "../support/fixtures.ts";
import { startTestServer } from "../support/local-server.ts";

const CHROMIUM = "/usr/bin/chromium";

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
const WIDTHS = [
  { name: "laptop", width: 1366, height: 900 },
  { name: "tablet", width: 768, height: 1024 },
];

const M = uniqueId("md");
const LUNCH = uniqueId("of");
const EVENING = uniqueId("of");
const S1 = uniqueId("st");
const S2 = uniqueId("st");
const RANGE = { from: "2026-05-01", to: "2026-05-07" };
const SHOTS = process.env.SCREENSHOTS_DIR;

let server: Awaited<ReturnType<typeof startTestServer>>;
let browser: Browser;
let analystToken: string;

beforeAll(async () => {
  process.env.DASHBOARD_DIR = buildDashboard(mkdtempSync(join(tmpdir(), "dashboard-"))).outDir;
  server = await startTestServer();
  analystToken = await server.token(M, "marketing-analyst");
  await putStore(M, S1);
  await putStore(M, S2);
  for (const [id, name, code] of [
    [S1, "Café Lumière — Châtelet", "PAR-001"],
    [S2, "Café Lumière — Marais", "PAR-002"],
  ] as const) {
    const store = await catalog().getStore(M, id);
    if (store) await catalog().replaceStore({ ...store, name, externalRef: code }, store.version);
  }
  await putOffer(M, LUNCH, {
    name: "Weekday lunch −15 %",
    storeIds: [S1, S2],
    currency: "EUR",
    costPerSend: "0.05",
    incentiveValue: "2.00",
    validFrom: "2026-04-01T00:00:00.000Z",
  });
  await putOffer(M, EVENING, {
    name: "Evening dessert",
    storeIds: [S2],
    validFrom: "2026-04-01T00:00:00.000Z",
  });
  const days = ["2026-05-01", "2026-05-02", "2026-05-04", "2026-05-05"];
  for (const [i, day] of days.entries()) {
    for (const [store, scale] of [
      [S1, 3],
      [S2, 2],
    ] as const) {
      await bumpCounters(M, LUNCH, store, day, {
        [COUNTER_FIELDS.triggered]: 90 * scale + i,
        [COUNTER_FIELDS.sent]: 60 * scale,
        [COUNTER_FIELDS.heldOut]: 20 * scale,
        [COUNTER_FIELDS.suppressed]: 10 * scale + i,
        [COUNTER_FIELDS.attributedTreated]: 21 * scale + i,
        [COUNTER_FIELDS.attributedHoldout]: 4 * scale,
        [COUNTER_FIELDS.visits]: 25 * scale + i,
        [COUNTER_FIELDS.redemptions]: 12 * scale,
        [COUNTER_FIELDS.baskets]: 10 * scale,
        [COUNTER_FIELDS.basketMinor]: 10 * scale * 1850,
      });
      await bumpCounters(M, "-", store, day, { [COUNTER_FIELDS.visits]: 140 * scale });
    }
  }
  await bumpCounters(M, EVENING, S2, "2026-05-03", {
    [COUNTER_FIELDS.triggered]: 40,
    [COUNTER_FIELDS.sent]: 40,
    [COUNTER_FIELDS.attributedTreated]: 9,
  });
  await setBudgetUsed(LUNCH, 1000);
  for (let i = 0; i < 12; i++) {
    await putRecord({
      eventId: `evt_${i}`,
      type: i % 3 === 0 ? "redeemed" : "sent",
      merchantId: M,
      offerId: LUNCH,
      storeId: i % 2 ? S1 : S2,
      deviceRef: `ref_${i}`,
      at: Date.parse("2026-05-02T11:00:00Z") + i * 60_000,
      localDay: "2026-05-02",
      ...(i % 3 === 0 ? { basketMinor: 1850 + i, basketCurrency: "EUR" } : {}),
    });
  }
  // Three ended pickups at S1 on 4 May (noon in Paris), as the pickup store leaves them.
  const noon = Date.parse("2026-05-04T10:00:00Z");
  const minute = 60_000;
  for (const [i, p] of [
    { arrived: noon - 2 * minute, estimate: noon - 3 * minute, done: noon + 2 * minute },
    { arrived: noon + 6 * minute, estimate: noon + 5 * minute, done: noon + 16 * minute },
    { arrived: undefined, estimate: undefined, done: undefined },
  ].entries()) {
    const pickupId = `pu_dashboard${i}`;
    await putItem("INCENTIVES_TABLE", {
      ...pickupKeys.pickup(M, pickupId),
      entity: "pickup",
      merchantId: M,
      pickupId,
      storeId: S1,
      promisedAt: noon,
      terminal: p.done === undefined ? "cancelled" : "completed",
      endedBy: "staff",
      ...(p.arrived !== undefined ? { arrivalSource: "location" } : {}),
      ...(p.estimate !== undefined ? { nearbyEstimateAt: p.estimate } : {}),
      times: {
        created: noon - 30 * minute,
        ...(p.arrived !== undefined ? { arrived: p.arrived } : {}),
        ...(p.done !== undefined ? { completed: p.done } : { cancelled: noon }),
      },
      gsi1pk: pickupKeys.finished(M, S1),
      gsi1sk: pickupKeys.boardSort(noon, pickupId),
    });
  }
  // Journey counters of both stores (offer "-"), and the lunch offer's journey figures.
  const J = JOURNEY_FIELDS;
  for (const [i, day] of days.entries()) {
    for (const [store, scale] of [
      [S1, 3],
      [S2, 1],
    ] as const) {
      await bumpCounters(M, "-", store, day, {
        [J.visitDays]: 40 * scale + i,
        [J.repeatDays]: 15 * scale + i,
        [J.visitsAs("new")]: 25 * scale,
        [J.visitsAs("returning")]: 10 * scale + i,
        [J.visitsAs("regular")]: 5 * scale,
        [J.into("new")]: 25 * scale,
        [J.into("returning")]: 6 * scale + i,
        [J.into("regular")]: scale + i,
        [J.gap(2 + i)]: 5 * scale,
        [J.gap(9)]: 4 * scale + i,
      });
    }
    await bumpCounters(M, LUNCH, S1, day, {
      [J.firstTreated]: 40 + i,
      [J.firstHoldout]: 8,
      [J.repeatInWindowTreated]: 25 + i,
      [J.repeatInWindowHoldout]: 5,
      [J.repeatAfterTreated]: 30,
      [J.repeatAfterHoldout]: 9 + i,
    });
  }
  await bumpCounters(M, "-", S1, "2026-05-06", { [J.lapsed]: 4 });
  await bumpCounters(M, "-", S2, "2026-05-07", { [J.lapsed]: 1 });
  const T = TOUCH_FIELDS;
  for (const [channel, variant, k] of [
    ["geofence", "default", 5],
    ["email", "A", 3],
    ["email", "B", 2],
  ] as const) {
    await bumpTouches(LUNCH, "2026-05-02", channel, variant, {
      [channel === "geofence" ? T.sendsTreated : T.claimsTreated]: 40 * k,
      [channel === "geofence" ? T.sendsHoldout : T.claimsHoldout]: 10 * k,
      [T.visitsTreated]: 12 * k,
      [T.visitsHoldout]: 2 * k,
      [J.firstTreated]: 9 * k,
      [J.firstHoldout]: k,
      [J.repeatInWindowTreated]: 7 * k + 1,
      [J.repeatInWindowHoldout]: k,
      [J.repeatAfterTreated]: 5 * k,
      [J.repeatAfterHoldout]: k + 1,
    });
  }
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Adds to the touch counters of offer × day × channel × variant (offer and merchant items). */
async function bumpTouches(
  offerId: string,
  day: string,
  channel: string,
  variant: string,
  fields: Record<string, number>,
) {
  await addToCounterItems(
    [
      touchKeys.offer(M, offerId, day, channel, variant),
      touchKeys.merchant(M, day, offerId, channel, variant),
    ],
    { merchantId: M, offerId, localDay: day, channel, variant },
    fields,
  );
}

async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${server.url}${path}`, {
    headers: { authorization: `Bearer ${analystToken}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

/** A new page at `width` that records console errors and failed requests. */
async function openPage(width: { width: number; height: number }) {
  const context = await browser.newContext({ viewport: width, acceptDownloads: true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`request: ${r.url()} ${r.failure()?.errorText}`));
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`response: ${r.status()} ${r.url()}`);
  });
  return { context, page, problems };
}

async function signIn(page: Page, route: string) {
  await page.goto(
    `${server.url}/dashboard/#token=${analystToken}&route=${encodeURIComponent(route)}`,
  );
  await page.waitForSelector("main h1");
  await page.locator("main:not([aria-busy])").waitFor();
}

function at(doc: unknown, path: string): unknown {
  return path
    .split("/")
    .reduce<unknown>((v, key) => (v == null ? v : (v as Record<string, unknown>)[key]), doc);
}

/**
 * Every `[data-figure]` of the page (or those whose path starts with `only`) equals the
 * report's value at its path; answers how many were checked.
 */
async function expectFiguresMatch(page: Page, report: unknown, only?: string): Promise<number> {
  const figures = (
    await page.$$eval("[data-figure]", (els) =>
      els.map((e) => ({
        path: e.getAttribute("data-figure") ?? "",
        value: e.getAttribute("data-value") ?? "null",
        text: e.textContent ?? "",
      })),
    )
  ).filter((f) => only === undefined || f.path.startsWith(only));
  for (const f of figures) {
    expect({ path: f.path, value: JSON.parse(f.value) }).toEqual({
      path: f.path,
      value: at(report, f.path) ?? null,
    });
    expect(f.text.trim().length).toBeGreaterThan(0);
  }
  return figures.length;
}

/**
 * No horizontal scrolling of the page itself; wide tables may scroll inside their region on a
 * tablet, but on a laptop every table fits (the captions of those that do not are listed).
 */
async function expectFitsWidth(page: Page) {
  const { scroll, inner, cut } = (await page.evaluate(`({
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
    cut: [...document.querySelectorAll(".table-wrap")]
      .filter((w) => w.scrollWidth > w.clientWidth + 1)
      .map((w) => w.querySelector("caption")?.textContent ?? "?"),
  })`)) as { scroll: number; inner: number; cut: string[] };
  expect(scroll).toBeLessThanOrEqual(inner);
  if (inner >= 1366) expect(cut).toEqual([]);
}

async function shot(page: Page, name: string) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

const q = `?from=${RANGE.from}&to=${RANGE.to}`;

describe("marketing dashboard in headless Chromium", () => {
  it("signs in with the fragment token, which leaves the address bar and never reaches the server", async () => {
    const { context, page, problems } = await openPage(WIDTHS[0] ?? { width: 1366, height: 900 });
    const seen: string[] = [];
    page.on("request", (r) => seen.push(r.url()));
    await signIn(page, `/offers${q}`);
    expect(await page.textContent("main h1")).toBe("Offers");
    expect(page.url()).not.toContain("token=");
    expect(seen.some((u) => u.includes(analystToken))).toBe(false);
    expect(await page.evaluate(() => sessionStorage.getItem("footfall.token"))).toBe(analystToken);
    await page.click("#sign-out");
    await page.waitForSelector("text=Sign in");
    expect(problems.filter((p) => !p.includes("ERR_ABORTED"))).toEqual([]);
    await context.close();
  });

  for (const width of WIDTHS) {
    it(`offers overview at ${width.width} px: every figure equals the comparison API`, async () => {
      const { context, page, problems } = await openPage(width);
      await signIn(page, `/offers${q}`);
      const report = await api(`/v1/reports/offers${q}`);
      expect(await expectFiguresMatch(page, report)).toBeGreaterThan(10);
      expect(await page.textContent("main")).toContain("Weekday lunch −15 %");
      await expectFitsWidth(page);
      await shot(page, `offers-${width.name}`);
      expect(problems).toEqual([]);
      await context.close();
    });

    it(`offer view at ${width.width} px: funnel, rates, lift, money equal the report; charts drawn`, async () => {
      const { context, page, problems } = await openPage(width);
      await signIn(page, `/offers/${LUNCH}${q}`);
      const report = await api<object>(
        `/v1/reports/offers/${LUNCH}${q}&groupBy=day&includeEmpty=true`,
      );
      // Journey figures: the offer's (journey report) and per channel × variant (channel report).
      const journey = await api<object>(`/v1/reports/journey${q}&offerId=${LUNCH}`);
      const channels = await api<{ rows: unknown[] }>(`/v1/reports/offers/${LUNCH}/channels${q}`);
      expect(channels.rows).toHaveLength(3);
      expect(await expectFiguresMatch(page, { ...report, journey, channels })).toBe(
        (await expectFiguresMatch(page, report, "totals/")) + 8 + 3 * 8,
      );
      expect(await page.textContent("section[aria-labelledby=journey-h]")).toContain("email");
      expect(await page.locator("canvas").count()).toBeGreaterThanOrEqual(2);
      const stores = await page.locator("section[aria-labelledby=stores-h] tbody tr").count();
      expect(stores).toBe(2);
      expect(await page.textContent("section[aria-labelledby=stores-h]")).toContain("PAR-001");
      await expectFitsWidth(page);
      await shot(page, `offer-${width.name}`);
      expect(problems).toEqual([]);
      await context.close();
    });

    it(`journey view at ${width.width} px: every figure equals the journey report; chart drawn`, async () => {
      const { context, page, problems } = await openPage(width);
      await signIn(page, `/journey${q}`);
      expect(await page.textContent("main h1")).toBe("Visitor journey");
      expect(await page.getAttribute("a[data-nav=journey]", "aria-current")).toBe("page");
      const report = await api<{
        journey: { visits: number; lapsed: number };
        stores: unknown[];
        days: { visits: number; entered: Record<string, number> }[];
      }>(`/v1/reports/journey${q}`);
      expect(report.journey.visits).toBeGreaterThan(0);
      expect(report.journey.lapsed).toBe(5);
      const activeDays = report.days.filter(
        (d) => d.visits > 0 || Object.values(d.entered).some((n) => n > 0),
      ).length;
      // 5 key figures, 3 + 4 by stage, 5 per active day, 8 per store.
      expect(await expectFiguresMatch(page, report)).toBe(
        5 + 7 + 5 * activeDays + 8 * report.stores.length,
      );
      expect(report.stores).toHaveLength(2);
      expect(await page.locator("section[aria-labelledby=journey-stores-h] tbody tr").count()).toBe(
        2,
      );
      expect(await page.textContent("main")).toContain("Café Lumière — Châtelet");
      expect(await page.locator("main canvas").count()).toBe(1);
      await expectFitsWidth(page);
      await shot(page, `journey-${width.name}`);
      expect(problems).toEqual([]);
      await context.close();
    });

    it(`store view and conversion log at ${width.width} px`, async () => {
      const { context, page, problems } = await openPage(width);
      await signIn(page, `/stores/${S1}${q}`);
      const store = await api<object>(`/v1/reports/stores/${S1}${q}`);
      const pickups = await api<{ totals: { pickups: number } }>(
        `/v1/reports/stores/${S1}/pickups${q}`,
      );
      expect(pickups.totals.pickups).toBe(3);
      const journey = await api<{
        days: { visits: number; entered: Record<string, number> }[];
      }>(`/v1/reports/journey${q}&storeId=${S1}`);
      // Four days with visits and the day of four lapses.
      const activeDays = journey.days.filter(
        (d) => d.visits > 0 || Object.values(d.entered).some((n) => n > 0),
      ).length;
      expect(activeDays).toBe(5);
      // Store figures, the pickup section's (paths under `pickups/`), the journey's (`journey/`):
      // 5 key figures, 3 + 4 by stage, 5 per active day.
      expect(await expectFiguresMatch(page, { ...store, pickups, journey })).toBe(
        7 + 5 + 7 + 5 * activeDays,
      );
      expect(await page.locator("section[aria-labelledby=journey-h] canvas").count()).toBe(1);
      expect(await page.textContent("section[aria-labelledby=pickups-h]")).toContain("2026-05-04");
      expect(await page.textContent("main h1")).toContain("PAR-001");
      await expectFitsWidth(page);
      await shot(page, `store-${width.name}`);
      await page.click("a[data-nav=log]");
      await page.waitForSelector("main h1:text('Conversion log')");
      await page.waitForSelector("main tbody tr");
      expect(await page.locator("main tbody tr").count()).toBe(12);
      expect(await page.textContent("main tbody")).toContain("Café Lumière — Châtelet");
      await page.selectOption("select[name=type]", "redeemed");
      await page.click("form[aria-label=Filters] button[type=submit]");
      // The page's CSP forbids eval, so poll from the test rather than with waitForFunction.
      await expect.poll(() => page.locator("main tbody tr").count()).toBe(4);
      expect(await page.textContent("main tbody")).toContain("EUR 18.5");
      await expectFitsWidth(page);
      await shot(page, `log-${width.name}`);
      expect(problems).toEqual([]);
      await context.close();
    });
  }

  it("downloads the offer CSV the API serves", async () => {
    const { context, page, problems } = await openPage(WIDTHS[0] ?? { width: 1366, height: 900 });
    await signIn(page, `/offers/${LUNCH}${q}`);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.click("text=Download CSV"),
    ]);
    const path = await download.path();
    const csv = readFileSync(path, "utf8");
    const res = await fetch(`${server.url}/v1/reports/offers/${LUNCH}${q}&groupBy=day`, {
      headers: { authorization: `Bearer ${analystToken}`, accept: "text/csv" },
    });
    expect(csv).toBe(await res.text());
    expect(download.suggestedFilename()).toMatch(/^offer-.*\.csv$/);
    expect(csv.split("\r\n")[1]).toContain("Weekday lunch −15 %");
    expect(problems).toEqual([]);
    await context.close();
  });

  it("keyboard: skip link, nav and table regions are reachable; headings and labels present", async () => {
    const { context, page, problems } = await openPage(WIDTHS[1] ?? { width: 768, height: 1024 });
    await signIn(page, `/offers/${LUNCH}${q}`);
    // Focus moves to the page heading after each navigation.
    expect(await page.evaluate("document.activeElement?.tagName")).toBe("H1");
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Shift+Tab");
    const focusable = String(await page.evaluate('document.activeElement?.textContent ?? ""'));
    expect(focusable.length).toBeGreaterThan(0);
    const unlabeled = await page.$$eval("input, select", (els) =>
      els
        .filter((e) => !e.closest("label") && !e.getAttribute("aria-label"))
        .map((e) => e.outerHTML),
    );
    expect(unlabeled).toEqual([]);
    // uPlot's legend is a table inside the chart, which is hidden from assistive technology.
    const tablesWithoutHeaders = await page.$$eval("table", (ts) =>
      ts
        .filter(
          (t) =>
            !t.closest("[aria-hidden=true]") &&
            (!t.querySelector("caption") || !t.querySelector("th[scope=col]")),
        )
        .map((t) => t.outerHTML.slice(0, 200)),
    );
    expect(tablesWithoutHeaders).toEqual([]);
    expect(await page.locator("[role=region][tabindex='0']").count()).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("measures the offer view: load time and bytes transferred (cold cache)", async () => {
    const { context, page, problems } = await openPage(WIDTHS[0] ?? { width: 1366, height: 900 });
    const started = Date.now();
    await signIn(page, `/offers/${LUNCH}${q}`);
    await page.waitForSelector("canvas");
    const ms = Date.now() - started;
    const bytes = await page.evaluate(() =>
      performance
        .getEntries()
        .map((e) => (e as unknown as { transferSize?: number }).transferSize ?? 0)
        .reduce((n, size) => n + size, 0),
    );
    const requests = await page.evaluate(() => performance.getEntriesByType("resource").length + 1);
    console.log(
      `dashboard offer view: ${ms} ms to figures and charts, ${bytes} bytes transferred in ${requests} requests`,
    );
    // A budget, not a timing: the page and its data stay small.
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThan(200_000);
    expect(problems).toEqual([]);
    await context.close();
  });
});
