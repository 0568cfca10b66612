/**
 * In-store redemption at the till: a POS of the owning merchant turns a code into a `redeemed`
 * event, exactly once for unique codes, with guessing limited per till and per store.
 *
 * Static codes (an offer's `redemption.codeKind: "static"`) are one code shared by every
 * shopper: they are found through the merchant's offers in the catalog and are only accepted
 * while their offer is live (see `staticCodeState`): not paused, from validFrom until
 * `expiresAfterHours` after validTo, and — when `redemption.onlyWithinSchedule` — inside the
 * offer's weekly schedule. `redemption.maxRedemptions` caps them per offer (exact under
 * concurrency). Each one is logged as `redeemed` without an incentive or a device (`deviceRef`
 * "-"). Their redemption rate can still exceed what the sends explain: anyone who knows the code
 * can use it, which is what the cap is for.
 */
import * as z from "zod";
import { type MerchantPrincipal, POS_ROLES, requireRole } from "../auth/principal.ts";
import { storeIdSchema } from "../domain/catalog/common.ts";
import type { Offer } from "../domain/catalog/offer.ts";
import type { ConversionRecord } from "../domain/conversion.ts";
import { localDay } from "../domain/decision/local-time.ts";
import { isRedemptionCode, normalizeRedemptionCode } from "../domain/decision/redemption-code.ts";
import { staticCodeEnd, staticCodeState } from "../domain/decision/static-code.ts";
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
import type { CatalogStore } from "./ports/catalog-store.ts";
import type { AttemptKey, IssuedCode, RedemptionStore } from "./ports/redemption-store.ts";

export const redemptionInputSchema = z
  .strictObject({
    code: z
      .string({ error: "must be a string" })
      .trim()
      .min(1, "must not be empty")
      .max(64, "must be at most 64 characters")
      .describe("The code as typed or scanned; case, spaces and dashes do not matter"),
    storeId: storeIdSchema.optional().describe("The store where the code is redeemed"),
    storeCode: z
      .string({ error: "must be a string" })
      .trim()
      .min(1, "must not be empty")
      .max(100, "must be at most 100 characters")
      .optional()
      .describe("Or the merchant's own code of that store (its `externalRef`)"),
    basket: basketSchema.optional(),
  })
  .superRefine((input, ctx) => {
    if ((input.storeId === undefined) === (input.storeCode === undefined)) {
      ctx.addIssue({
        code: "custom",
        message: "send exactly one of storeId and storeCode",
        path: [input.storeId === undefined ? "storeId" : "storeCode"],
      });
    }
  })
  .describe("A code presented at a till, and the store (by id or store code)");
export type RedemptionInput = z.output<typeof redemptionInputSchema>;

export interface RedemptionLimits {
  /**
   * Attempts per till (POS identity = token subject) and window that may end in 404; the next
   * attempt gets 429. Counted atomically BEFORE the code is looked at, so no concurrency lets a
   * till evaluate more than this many unknown codes per window.
   */
  maxFailures: number;
  /** The same per store (all tills together): a ceiling against many identities guessing. */
  maxStoreFailures: number;
  windowMs: number;
}

export const DEFAULT_REDEMPTION_LIMITS: RedemptionLimits = {
  maxFailures: 20,
  maxStoreFailures: 100,
  windowMs: 15 * 60_000,
};

/** Which limit refused an attempt (metrics and alarms). */
export type LockoutScope = "till" | "store";

export interface RedemptionDeps {
  redemptions: RedemptionStore;
  catalog: Pick<CatalogStore, "getStore" | "listOffers" | "storeIdByRef"> &
    Partial<Pick<CatalogStore, "getOffer">>;
  clock: Clock;
  random: Random;
  limits: RedemptionLimits;
  /** Days the `redeemed` log record is kept (TTL). */
  retentionDays: number;
  /** Called when a limit refuses an attempt (the store ceiling is alarmed). */
  onLockout?: ((scope: LockoutScope) => void) | undefined;
  /**
   * Called once per committed redemption (unique or static code), after the write that made it
   * so: the `Redemptions` metric. Never called for a refused or conflicting attempt.
   */
  onRedeemed?: ((result: RedemptionResult) => void) | undefined;
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

function tooMany(scope: LockoutScope, windowEnd: number, now: number): TooManyRequestsError {
  const retryAfterSeconds = Math.max(1, Math.ceil((windowEnd - now) / 1000));
  const who = scope === "till" ? "this till" : "this store";
  return new TooManyRequestsError(
    `Too many failed redemption attempts from ${who}; retry in ${retryAfterSeconds} s.`,
    { extensions: { retryAfterSeconds, scope } },
  );
}

/**
 * Redeems a code for the caller's merchant (from the token only) at `input.storeId`.
 * Unknown store, unknown code, another merchant's code, or a store the offer does not list → 404;
 * expired → 410; already redeemed or a static code whose offer is not live → 409 (under
 * concurrency exactly one caller wins a unique code).
 *
 * Guess limiting: before anything is evaluated the attempt takes a slot of its till (token
 * subject) and then of its store, each with one conditional update, so at most `maxFailures`
 * (per till) and `maxStoreFailures` (per store) attempts per window can be in flight or have
 * failed — whatever the concurrency. An attempt that answers a real code (200, 409, 410) gives its
 * slots back; a 404 keeps them. A full till gets 429 (with the seconds until its window ends)
 * without touching the store's slots, so one misbehaving till never locks out another; a full
 * store gets 429 for every till at that store and fires `onLockout("store")` (alarmed).
 */
export async function redeemCode(
  deps: RedemptionDeps,
  principal: MerchantPrincipal,
  input: RedemptionInput,
): Promise<RedemptionResult> {
  requireRole(principal, POS_ROLES);
  const { merchantId, subject } = principal;
  const now = deps.clock.now();
  const window = attemptWindow(now, deps.limits.windowMs);
  const slotExpiresAt = Math.ceil(window.end / 1000) + 3600;
  const till: AttemptKey = { merchantId, scope: "till", id: subject, windowStart: window.start };
  if (!(await deps.redemptions.reserveAttempt(till, deps.limits.maxFailures, slotExpiresAt))) {
    deps.onLockout?.("till");
    throw tooMany("till", window.end, now);
  }
  const held: AttemptKey[] = [till];
  const release = async () => {
    for (const key of held) await deps.redemptions.releaseAttempt(key);
  };
  try {
    // The store must exist before it gets a slot: an invented store id opens no fresh bucket.
    const storeId = input.storeId ?? (await storeIdOfCode(deps, merchantId, input.storeCode));
    const store = await deps.catalog.getStore(merchantId, storeId);
    if (!store) throw storeNotFound();
    const storeKey: AttemptKey = {
      merchantId,
      scope: "store",
      id: storeId,
      windowStart: window.start,
    };
    if (
      !(await deps.redemptions.reserveAttempt(
        storeKey,
        deps.limits.maxStoreFailures,
        slotExpiresAt,
      ))
    ) {
      deps.onLockout?.("store");
      throw tooMany("store", window.end, now);
    }
    held.push(storeKey);
    const result = await redeemOnce(deps, merchantId, { ...input, storeId }, store.timeZone, now);
    await release();
    return result;
  } catch (error) {
    // Only a miss (404) keeps its slots; anything else answered a real code or was refused.
    if (!(error instanceof NotFoundError)) await release();
    throw error;
  }
}

/** The store a till names by its store code; an unknown code is a 404 naming `storeCode`. */
async function storeIdOfCode(
  deps: RedemptionDeps,
  merchantId: string,
  storeCode: string | undefined,
): Promise<string> {
  const storeId = storeCode && (await deps.catalog.storeIdByRef(merchantId, storeCode));
  if (!storeId) {
    throw new NotFoundError("storeCode: no store of this merchant has this code", {
      issues: [{ path: "storeCode", reason: "no store has this code" }],
    });
  }
  return storeId;
}

async function redeemOnce(
  deps: RedemptionDeps,
  merchantId: string,
  input: RedemptionInput & { storeId: string },
  timeZone: string,
  now: number,
): Promise<RedemptionResult> {
  const normalized = normalizeRedemptionCode(input.code);
  if (isRedemptionCode(normalized)) {
    const code = await deps.redemptions.findCode(merchantId, normalized);
    if (code) return await redeemUnique(deps, merchantId, code, input, timeZone, now);
  }
  const offers = await staticCodeOffers(deps, merchantId, normalized);
  if (offers.length > 0) {
    return await redeemStatic(deps, merchantId, offers, input, timeZone, now);
  }
  throw codeNotFound();
}

function retention(deps: RedemptionDeps, now: number): number {
  return Math.ceil(now / 1000) + deps.retentionDays * 86_400;
}

async function redeemUnique(
  deps: RedemptionDeps,
  merchantId: string,
  found: IssuedCode,
  input: RedemptionInput & { storeId: string },
  timeZone: string,
  now: number,
): Promise<RedemptionResult> {
  const { storeId } = input;
  if (found.merchantId !== merchantId) throw codeNotFound();
  if (!found.storeIds.includes(storeId)) throw storeNotFound();
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
      // A redemption attributes to its claim (or send) by code: same channel and variant.
      ...(code.touch
        ? {
            channel: code.touch.channel,
            variant: code.touch.variant,
            touch: code.touch.kind,
            ...(code.touch.linkId ? { linkId: code.touch.linkId } : {}),
          }
        : {}),
    };
    const outcome = await deps.redemptions.redeem(code, storeId, now, {
      record,
      recordExpiresAt: retention(deps, now),
    });
    if (outcome.kind === "redeemed") {
      return committed(deps, {
        offerId: code.offerId,
        title: code.title,
        incentiveId: code.incentiveId,
        redeemedAt: new Date(now).toISOString(),
        storeId,
        codeKind: "unique",
        ...(input.basket ? { basket: input.basket } : {}),
      });
    }
    code = outcome.current;
  }
  throw new ServiceUnavailableError("The code is busy; retry the redemption.");
}

/** A redemption whose write committed: reported to `onRedeemed`, then answered. */
function committed(deps: RedemptionDeps, result: RedemptionResult): RedemptionResult {
  deps.onRedeemed?.(result);
  return result;
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

/**
 * When a static code stops being accepted: its offer's end plus the code's lifetime (a date-only
 * `validTo` counts to the end of that day in the westernmost zone, so no store loses a day).
 */
export function staticCodeExpiry(offer: Pick<Offer, "validTo" | "redemption">): number {
  return staticCodeEnd(offer);
}

function notLive(reason: string, message: string): ConflictError {
  return new ConflictError(`code: ${message}`, { issues: [{ path: "code", reason }] });
}

async function redeemStatic(
  deps: RedemptionDeps,
  merchantId: string,
  offers: Offer[],
  input: RedemptionInput & { storeId: string },
  timeZone: string,
  now: number,
): Promise<RedemptionResult> {
  const { storeId } = input;
  const atStore = offers.filter((o) => o.storeIds.includes(storeId));
  if (atStore.length === 0) throw storeNotFound();
  const states = atStore.map((offer) => ({ offer, state: staticCodeState(offer, timeZone, now) }));
  const live = states
    .filter((s) => s.state === "ok")
    .map((s) => s.offer)
    .sort((a, b) => b.priority - a.priority || (a.offerId < b.offerId ? -1 : 1));
  if (live.length === 0) {
    if (states.every((s) => s.state === "expired")) {
      throw expired(Math.max(...atStore.map((o) => staticCodeEnd(o, timeZone))));
    }
    if (states.some((s) => s.state === "paused")) {
      throw notLive("offer paused", "the offer of this code is paused");
    }
    if (states.some((s) => s.state === "outside_schedule")) {
      throw notLive("outside schedule", "the offer of this code is outside its schedule now");
    }
    throw notLive("not valid yet", "the offer of this code has not started yet");
  }
  for (const offer of live) {
    const outcome = await deps.redemptions.logRedemption(
      {
        record: {
          eventId: `redeem:static:${deps.random.id("rdm")}`,
          type: "redeemed",
          merchantId,
          offerId: offer.offerId,
          storeId,
          deviceRef: UNKNOWN_DEVICE,
          at: now,
          localDay: localDay(now, timeZone),
          ...basketFields(input.basket, offer.currency),
        },
        recordExpiresAt: retention(deps, now),
      },
      { merchantId, offerId: offer.offerId, max: offer.redemption.maxRedemptions },
    );
    if (outcome === "logged") {
      return committed(deps, {
        offerId: offer.offerId,
        title: offer.message.title,
        incentiveId: null,
        redeemedAt: new Date(now).toISOString(),
        storeId,
        codeKind: "static",
        ...(input.basket ? { basket: input.basket } : {}),
      });
    }
  }
  throw new ConflictError("code: this code has reached its redemption limit", {
    issues: [{ path: "code", reason: "redemption cap reached" }],
  });
}
