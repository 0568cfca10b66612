/**
 * In-store redemption at the till: a POS of the owning merchant turns a code into a `redeemed`
 * event, exactly once for unique codes, with guessing throttled per POS identity.
 *
 * Static codes (an offer's `redemption.codeKind: "static"`) are one code shared by every
 * shopper: they are found through the merchant's offers in the catalog, are never used up (no
 * 409), expire `expiresAfterHours` after the offer's `validTo` (410), and are logged as
 * `redeemed` without an incentive or a device (`deviceRef` "-"). Their redemption rate can
 * therefore exceed what the sends explain: anyone who knows the code can use it.
 */
import * as z from "zod";
import type { CatalogStore } from "../adapters/dynamo/catalog-store.ts";
import type { IssuedCode, RedemptionStore } from "../adapters/dynamo/redemption-store.ts";
import { type MerchantPrincipal, requireRole } from "../auth/principal.ts";
import { storeIdSchema } from "../domain/catalog/common.ts";
import type { Offer } from "../domain/catalog/offer.ts";
import type { ConversionRecord } from "../domain/conversion.ts";
import { localDay } from "../domain/decision/local-time.ts";
import { isRedemptionCode, normalizeRedemptionCode } from "../domain/decision/redemption-code.ts";
import { type Basket, basketSchema, toMinor } from "../domain/money.ts";
import {
  ConflictError,
  GoneError,
  NotFoundError,
  ServiceUnavailableError,
  TooManyRequestsError,
  ValidationError,
} from "../errors.ts";
import type { Clock, Random } from "../ports.ts";

export const redemptionInputSchema = z
  .strictObject({
    code: z
      .string({ error: "must be a string" })
      .trim()
      .min(1, "must not be empty")
      .max(64, "must be at most 64 characters")
      .describe("The code as typed or scanned; case, spaces and dashes do not matter"),
    storeId: storeIdSchema.describe("The store where the code is redeemed"),
    basket: basketSchema.optional(),
  })
  .describe("A code presented at a till");
export type RedemptionInput = z.output<typeof redemptionInputSchema>;

export interface RedemptionLimits {
  /** Failed attempts (404) allowed per POS identity and window; the next attempt gets 429. */
  maxFailures: number;
  windowMs: number;
}

export const DEFAULT_REDEMPTION_LIMITS: RedemptionLimits = {
  maxFailures: 20,
  windowMs: 15 * 60_000,
};

export interface RedemptionDeps {
  redemptions: RedemptionStore;
  catalog: Pick<CatalogStore, "getStore" | "listOffers"> & Partial<Pick<CatalogStore, "getOffer">>;
  clock: Clock;
  random: Random;
  limits: RedemptionLimits;
  /** Days the `redeemed` log record is kept (TTL). */
  retentionDays: number;
}

export interface RedemptionResult {
  offerId: string;
  title: string;
  /** Null for static codes: they belong to no single incentive. */
  incentiveId: string | null;
  redeemedAt: string;
  storeId: string;
  codeKind: "unique" | "static";
  /** The basket as recorded, when one was sent. */
  basket?: Basket;
}

/**
 * The basket fields of the `redeemed` record: in minor units, refused (400 naming
 * `basket/currency`) when the offer states another currency.
 */
function basketFields(
  basket: Basket | undefined,
  offerCurrency: string | undefined,
): Pick<ConversionRecord, "basketMinor" | "basketCurrency"> {
  if (basket === undefined) return {};
  if (offerCurrency !== undefined && basket.currency !== offerCurrency) {
    throw ValidationError.field(
      "basket/currency",
      `must be the offer's currency (${offerCurrency})`,
    );
  }
  return { basketMinor: toMinor(basket.amount, basket.currency), basketCurrency: basket.currency };
}

/** `deviceRef` of events no device can be tied to (static-code redemptions). */
export const UNKNOWN_DEVICE = "-";

/** Offers read at most when looking a static code up (100 per page). */
const MAX_OFFER_PAGES = 50;
/** Attempts when a concurrent transaction (not a redemption) got in the way. */
const MAX_ATTEMPTS = 3;

/** The fixed attempt window holding `now`: counters reset at its end. */
export function attemptWindow(now: number, windowMs: number): { start: number; end: number } {
  const start = Math.floor(now / windowMs) * windowMs;
  return { start, end: start + windowMs };
}

function codeNotFound(): NotFoundError {
  return new NotFoundError("code: no such code for this merchant", {
    issues: [{ path: "code", reason: "not found" }],
  });
}

function storeNotFound(): NotFoundError {
  return new NotFoundError("storeId: the code cannot be redeemed at this store", {
    issues: [{ path: "storeId", reason: "not a store of this code's offer" }],
  });
}

function expired(at: number): GoneError {
  return new GoneError("code: the code has expired", {
    issues: [{ path: "code", reason: "expired" }],
    extensions: { expiredAt: new Date(at).toISOString() },
  });
}

function alreadyRedeemed(code: IssuedCode): ConflictError {
  return new ConflictError("code: the code has already been redeemed", {
    issues: [{ path: "code", reason: "already redeemed" }],
    extensions: { redeemedAt: code.redeemedAt ?? null },
  });
}

/**
 * Redeems a code for the caller's merchant (from the token only) at `input.storeId`.
 * Unknown code, another merchant's code, or a store the offer does not list → 404; expired →
 * 410; already redeemed → 409 (under concurrency exactly one caller wins). Every 404 counts as
 * a failed attempt of the POS identity (token subject); once `maxFailures` are reached within
 * the window, every attempt gets 429 with the seconds until the window ends. 409 and 410 do not
 * count: they answer real codes, which a cashier may well scan twice.
 */
export async function redeemCode(
  deps: RedemptionDeps,
  principal: MerchantPrincipal,
  input: RedemptionInput,
): Promise<RedemptionResult> {
  requireRole(principal, ["pos"]);
  const { merchantId, subject } = principal;
  const now = deps.clock.now();
  const window = attemptWindow(now, deps.limits.windowMs);
  const failures = await deps.redemptions.failures(merchantId, subject, window.start);
  if (failures >= deps.limits.maxFailures) {
    const retryAfterSeconds = Math.max(1, Math.ceil((window.end - now) / 1000));
    throw new TooManyRequestsError(
      `Too many failed redemption attempts; retry in ${retryAfterSeconds} s.`,
      { extensions: { retryAfterSeconds } },
    );
  }
  try {
    return await redeemOnce(deps, merchantId, input, now);
  } catch (error) {
    if (error instanceof NotFoundError) {
      const expiresAt = Math.ceil(window.end / 1000) + 3600;
      await deps.redemptions.addFailure(merchantId, subject, window.start, expiresAt);
    }
    throw error;
  }
}

async function redeemOnce(
  deps: RedemptionDeps,
  merchantId: string,
  input: RedemptionInput,
  now: number,
): Promise<RedemptionResult> {
  const normalized = normalizeRedemptionCode(input.code);
  if (isRedemptionCode(normalized)) {
    const code = await deps.redemptions.findCode(merchantId, normalized);
    if (code) return await redeemUnique(deps, merchantId, code, input, now);
  }
  const offers = await staticCodeOffers(deps, merchantId, normalized);
  if (offers.length > 0) return await redeemStatic(deps, merchantId, offers, input, now);
  throw codeNotFound();
}

async function storeTimeZone(deps: RedemptionDeps, merchantId: string, storeId: string) {
  const store = await deps.catalog.getStore(merchantId, storeId);
  if (!store) throw storeNotFound();
  return store.timeZone;
}

function retention(deps: RedemptionDeps, now: number): number {
  return Math.ceil(now / 1000) + deps.retentionDays * 86_400;
}

async function redeemUnique(
  deps: RedemptionDeps,
  merchantId: string,
  found: IssuedCode,
  input: RedemptionInput,
  now: number,
): Promise<RedemptionResult> {
  const { storeId } = input;
  if (found.merchantId !== merchantId) throw codeNotFound();
  if (!found.storeIds.includes(storeId)) throw storeNotFound();
  const timeZone = await storeTimeZone(deps, merchantId, storeId);
  const offer =
    input.basket && deps.catalog.getOffer
      ? await deps.catalog.getOffer(merchantId, found.offerId)
      : undefined;
  const basket = basketFields(input.basket, offer?.currency);
  let code: IssuedCode | undefined = found;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (!code || code.merchantId !== merchantId) throw codeNotFound();
    if (code.status === "redeemed") throw alreadyRedeemed(code);
    if (!(code.expiresAtMs > now)) throw expired(code.expiresAtMs);
    const record: ConversionRecord = {
      eventId: `redeem:${code.incentiveId}`,
      type: "redeemed",
      merchantId,
      offerId: code.offerId,
      storeId,
      deviceRef: code.deviceRef,
      at: now,
      localDay: localDay(now, timeZone),
      incentiveId: code.incentiveId,
      group: "treated",
      ...basket,
    };
    const outcome = await deps.redemptions.redeem(code, storeId, now, {
      record,
      recordExpiresAt: retention(deps, now),
    });
    if (outcome.kind === "redeemed") {
      return {
        offerId: code.offerId,
        title: code.title,
        incentiveId: code.incentiveId,
        redeemedAt: new Date(now).toISOString(),
        storeId,
        codeKind: "unique",
        ...(input.basket ? { basket: input.basket } : {}),
      };
    }
    code = outcome.current;
  }
  throw new ServiceUnavailableError("The code is busy; retry the redemption.");
}

/** Offers of the merchant whose static code is `normalized` (same normalisation as input). */
async function staticCodeOffers(
  deps: RedemptionDeps,
  merchantId: string,
  normalized: string,
): Promise<Offer[]> {
  if (normalized.length === 0) return [];
  const found: Offer[] = [];
  let start: Record<string, string> | undefined;
  for (let page = 0; page < MAX_OFFER_PAGES; page++) {
    const { items, lastKey } = await deps.catalog.listOffers(merchantId, 100, start);
    for (const offer of items) {
      const staticCode =
        offer.redemption?.codeKind === "static" ? offer.redemption.staticCode : undefined;
      if (staticCode && normalizeRedemptionCode(staticCode) === normalized) found.push(offer);
    }
    if (!lastKey) break;
    start = lastKey;
  }
  return found;
}

/** When a static code stops being accepted: its offer's end plus the code's lifetime. */
export function staticCodeExpiry(offer: Pick<Offer, "validTo" | "redemption">): number {
  return Date.parse(offer.validTo) + offer.redemption.expiresAfterHours * 3_600_000;
}

async function redeemStatic(
  deps: RedemptionDeps,
  merchantId: string,
  offers: Offer[],
  input: RedemptionInput,
  now: number,
): Promise<RedemptionResult> {
  const { storeId } = input;
  const atStore = offers.filter((o) => o.storeIds.includes(storeId));
  if (atStore.length === 0) throw storeNotFound();
  const unexpired = atStore.filter((o) => now < staticCodeExpiry(o));
  if (unexpired.length === 0) throw expired(Math.max(...atStore.map(staticCodeExpiry)));
  const live = unexpired
    .filter((o) => Date.parse(o.validFrom) <= now)
    .sort((a, b) => b.priority - a.priority || (a.offerId < b.offerId ? -1 : 1));
  const offer = live[0];
  if (!offer) {
    throw new ConflictError("code: the offer of this code has not started yet", {
      issues: [{ path: "code", reason: "not valid yet" }],
    });
  }
  const timeZone = await storeTimeZone(deps, merchantId, storeId);
  const basket = basketFields(input.basket, offer.currency);
  await deps.redemptions.logRedemption({
    record: {
      eventId: `redeem:static:${deps.random.id("rdm")}`,
      type: "redeemed",
      merchantId,
      offerId: offer.offerId,
      storeId,
      deviceRef: UNKNOWN_DEVICE,
      at: now,
      localDay: localDay(now, timeZone),
      ...basket,
    },
    recordExpiresAt: retention(deps, now),
  });
  return {
    offerId: offer.offerId,
    title: offer.message.title,
    incentiveId: null,
    redeemedAt: new Date(now).toISOString(),
    storeId,
    codeKind: "static",
    ...(input.basket ? { basket: input.basket } : {}),
  };
}
