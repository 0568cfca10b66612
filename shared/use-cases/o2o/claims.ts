import type { DevicePrincipal } from "../../auth/principal.ts";
import { toDecisionOffer } from "../../domain/catalog/decision-view.ts";
import type { Offer } from "../../domain/catalog/offer.ts";
import { type ConversionRecord, ONLINE } from "../../domain/conversion.ts";
import { capWindowKeys, decide, triggerEventOf } from "../../domain/decision/decide.ts";
import { localDay } from "../../domain/decision/local-time.ts";
import { isOfferLive } from "../../domain/decision/offer-live.ts";
import { issueCode } from "../../domain/decision/redemption-code.ts";
import { latestValidToMs } from "../../domain/decision/validity.ts";
import { capPartition, type Incentive } from "../../domain/incentive.ts";
import { claimInputSchema, type Link, linkState } from "../../domain/o2o/link.ts";
import { TOUCH_FIELDS, type TouchBump, touchBump } from "../../domain/o2o/touch.ts";
import { addressBucket } from "../../domain/source-address.ts";
import {
  ConflictError,
  ForbiddenError,
  GoneError,
  NotFoundError,
  ServiceUnavailableError,
  TooManyRequestsError,
} from "../../errors.ts";
import { parseWith } from "../../http/parse.ts";
import type { Clock, Random } from "../../ports.ts";
import { decisionDevice } from "../incentives/decision-device.ts";
import { journeyStagesOf } from "../journey-stages.ts";
import type { DecisionStore } from "../ports/decision-store.ts";
import type { JourneyStore } from "../ports/journey-store.ts";
import type { LinkStore } from "../ports/link-store.ts";
import type { MerchantSettingsStore } from "../ports/merchant-settings-store.ts";
import type { OfferReader } from "../ports/offer-reader.ts";
import type { RateLimiter } from "../ports/rate-limiter.ts";
import { DeviceErased } from "../ports/visit-store.ts";

/** Limits of the claim routes (token guessing and web-claim farming). */
export interface ClaimLimits {
  /** Claims + exposures per device (or web claims per address) per window. */
  attemptsPerWindow: number;
  /** Unknown or refused tokens per device or address per window; beyond: 429 for every token. */
  failuresPerWindow: number;
  windowMs: number;
  /** Web claims of one link from one address per day. */
  webClaimsPerAddressPerDay: number;
}

/** Defaults: generous for a shopper tapping links, hopeless for guessing 192-bit tokens. */
export const DEFAULT_CLAIM_LIMITS: ClaimLimits = {
  attemptsPerWindow: 30,
  failuresPerWindow: 10,
  windowMs: 10 * 60_000,
  webClaimsPerAddressPerDay: 3,
};

export interface ClaimDeps {
  links: Pick<LinkStore, "findByToken">;
  offers: OfferReader;
  store: Pick<
    DecisionStore,
    | "readCounters"
    | "grant"
    | "getIncentive"
    | "getClaim"
    | "recordExposure"
    | "grantWebCode"
    | "logTouch"
  >;
  limiter: RateLimiter;
  /**
   * Visit histories and merchant settings, for offers that target journey stages (the stage is
   * computed from the stored history); absent = such offers are never eligible.
   */
  journeys?: JourneyStore | undefined;
  settings?: Pick<MerchantSettingsStore, "get"> | undefined;
  clock: Clock;
  random: Random;
  /** Pseudonymous id of a device (or a web address bucket) scoped to a merchant. */
  deviceRef: (deviceId: string, merchantId: string) => string;
  retentionDays: number;
  limits: ClaimLimits;
  onOutcome?: (outcome: "claimed" | "held_out" | "suppressed" | "exposed" | "web_claimed") => void;
}

/** What the app shows after a claim. */
export interface ClaimResult {
  claimId: string | null;
  offerId: string;
  linkId: string;
  channel: string;
  variant: string;
  /** `granted`: a code; `held_out`: the person is in the offer's control group; `suppressed`: refused. */
  outcome: "granted" | "held_out" | "suppressed";
  /** Why a claim was refused (`no_consent`, `budget`, `cap_total`, `not_live`, `segment`...). */
  reason: string | null;
  code: string | null;
  codeKind: "unique" | "static" | null;
  expiresAt: string | null;
  title: string | null;
  body: string | null;
  deepLink: string | null;
  /** Text the app can show instead of an incentive (held out or refused). */
  notice: string | null;
}

/** The answer to an exposure report. */
export interface ExposureResult {
  exposureId: string | null;
  offerId: string;
  linkId: string;
  channel: string;
  variant: string;
  outcome: "treated" | "held_out" | "suppressed";
  /** Whether the app should show the message: only to treated people (control: a ghost exposure). */
  show: boolean;
  reason: string | null;
  /** This person had been assigned on an earlier exposure of the link. */
  repeat: boolean;
}

const DAY_MS = 86_400_000;
const MAX_ATTEMPTS = 4;

export const HOLDOUT_NOTICE = "There is no offer for you right now. See you in store!";
export const SUPPRESSED_NOTICE = "This offer is not available for you right now.";

const linkNotFound = () =>
  new NotFoundError("token: no such claim link", {
    issues: [{ path: "token", reason: "not found" }],
  });

function windowStart(now: number, windowMs: number): number {
  return Math.floor(now / windowMs) * windowMs;
}

/**
 * Counts one use of `key` in the fixed window holding `now` (`windowMs` long, at most `limit`
 * uses); 429 with the seconds left in the window past the limit.
 */
async function takeOrTooMany(
  deps: ClaimDeps,
  key: string,
  limit: number,
  windowMs: number,
  now: number,
): Promise<void> {
  const start = windowStart(now, windowMs);
  const ok = await deps.limiter.take(key, limit, start, Math.ceil((start + 2 * windowMs) / 1000));
  if (!ok) throw tooMany(start + windowMs - now);
}

/** Counts one attempt of `who`; 429 past the limit. */
async function guardAttempts(deps: ClaimDeps, who: string, now: number): Promise<void> {
  const { windowMs, attemptsPerWindow } = deps.limits;
  await takeOrTooMany(deps, `claim#${who}`, attemptsPerWindow, windowMs, now);
}

function tooMany(retryMs: number): TooManyRequestsError {
  return new TooManyRequestsError("Too many claims; retry later.", {
    extensions: { retryAfterSeconds: Math.max(1, Math.ceil(retryMs / 1000)) },
  });
}

/**
 * The live link of a token. Unknown tokens count against `who`'s failure window (guessing);
 * past the limit every unknown token answers 429 instead of 404. Paused → 409, expired → 410.
 */
async function resolveLink(deps: ClaimDeps, token: string, who: string, now: number) {
  const link = await deps.links.findByToken(token);
  if (!link) {
    const { windowMs, failuresPerWindow } = deps.limits;
    await takeOrTooMany(deps, `claimfail#${who}`, failuresPerWindow, windowMs, now);
    throw linkNotFound();
  }
  const state = linkState(link, now);
  if (state === "paused") {
    throw new ConflictError("token: the claim link is paused", {
      issues: [{ path: "token", reason: "link paused" }],
    });
  }
  if (state === "expired") throw new GoneError("token: the claim link has expired");
  return link;
}

async function offerOf(deps: ClaimDeps, link: Link): Promise<{ offer: Offer; timeZone: string }> {
  const offer = (
    await deps.offers.offers([{ merchantId: link.merchantId, offerId: link.offerId }])
  ).get(link.offerId);
  // A deleted offer's links die with it.
  if (!offer || offer.merchantId !== link.merchantId) throw linkNotFound();
  const storeId = offer.storeIds[0] ?? "";
  const stores = await deps.offers.stores([{ merchantId: offer.merchantId, storeId }]);
  return { offer, timeZone: stores.get(storeId)?.timeZone ?? "UTC" };
}

/**
 * What a device's claim (`kind` "link") or exposure starts from: the body parsed, the device's
 * attempts guarded, the token's live link, its offer and store time zone, the device's cap
 * partition and its pseudonymous reference for the merchant's conversion log, the event key of
 * the person's decision on the link for this kind, and that decision if the person made it
 * before (`previous`).
 */
async function openLinkFor(
  deps: ClaimDeps,
  device: DevicePrincipal,
  body: unknown,
  kind: "link" | "exposure",
) {
  const input = parseWith(claimInputSchema, body);
  const now = deps.clock.now();
  const who = `device#${device.deviceId}`;
  await guardAttempts(deps, who, now);
  const link = await resolveLink(deps, input.token, who, now);
  const { offer, timeZone } = await offerOf(deps, link);
  const ref = deps.deviceRef(device.deviceId, link.merchantId);
  const partition = capPartition(device);
  const eventKey = `${kind}#${link.linkId}`;
  const previous = await deps.store.getClaim(partition, eventKey);
  return { now, link, offer, timeZone, partition, ref, eventKey, previous };
}

function retention(deps: ClaimDeps, now: number): number {
  return Math.ceil((now + deps.retentionDays * DAY_MS) / 1000);
}

/** Epoch seconds until which decisions about the offer must be remembered (re-claims, caps). */
function offerMemory(offer: Offer): number {
  return Math.ceil(
    ((latestValidToMs(offer.validTo) ?? Date.parse(offer.validTo)) + 30 * DAY_MS) / 1000,
  );
}

/**
 * The eligibility pre-check of a claim or exposure: the geofence decision's rules for one offer
 * (live, budget, consent, targeting, per-person caps and cooldown) without the rules that guard
 * against unsolicited pushes (quiet hours, the daily fatigue cap, trigger freshness): the person
 * asked for this one. Then the deterministic holdout keyed on the person.
 */
async function preDecide(
  deps: ClaimDeps,
  device: DevicePrincipal,
  offer: Offer,
  timeZone: string,
  now: number,
) {
  const storeId = offer.storeIds[0] ?? "";
  const { offerDay, deviceDay } = capWindowKeys(now, timeZone, device.timeZone);
  const counters = await deps.store.readCounters(
    device.deviceId,
    [{ offerId: offer.offerId, offerDay }],
    deviceDay,
    capPartition(device),
  );
  const stages = await journeyStagesOf(
    deps,
    device.deviceId,
    offer.audience ? [offer.merchantId] : [],
    now,
  );
  const decision = decide({
    stages,
    event: { type: triggerEventOf(offer.trigger.on), at: now },
    offers: [{ ...toDecisionOffer(offer, storeId), quietHours: null }],
    device: decisionDevice(device),
    storeTimeZones: new Map([[storeId, timeZone]]),
    counters,
    config: { fatigueCapPerDay: Number.MAX_SAFE_INTEGER },
  });
  return { decision, offerDay, deviceDay };
}

function touchOf(link: Link) {
  return { channel: link.channel, variant: link.variant, linkId: link.linkId };
}

/** A bump of the link's touch counters (its channel and variant) on `day`. */
function linkBump(link: Link, day: string, fields: Record<string, number>): TouchBump {
  return touchBump(link, link, day, fields);
}

/** Touch counters of a refused claim or exposure: refused, and refused for `why`. */
function suppressedFields(why: string): Record<string, number> {
  return { [TOUCH_FIELDS.suppressed]: 1, [TOUCH_FIELDS.suppressedBy(why)]: 1 };
}

/** A log record of a touch of `link` (online: no store), from `deviceRef` at `now`. */
function touchRecord(
  link: Link,
  deviceRef: string,
  now: number,
  day: string,
  kind: "claim" | "exposure" | "web_claim",
  event: Pick<ConversionRecord, "eventId" | "type"> &
    Partial<Pick<ConversionRecord, "reason" | "incentiveId" | "group">>,
): ConversionRecord {
  return {
    ...event,
    merchantId: link.merchantId,
    offerId: link.offerId,
    storeId: ONLINE,
    deviceRef,
    at: now,
    localDay: day,
    ...touchOf(link),
    touch: kind,
  };
}

/**
 * The incentive of a claim of `link` at `now`: a code when sent (unique or the offer's static
 * one), the offer's message, attributed by the link's channel and variant.
 */
function claimIncentive(
  deps: ClaimDeps,
  offer: Offer,
  link: Link,
  now: number,
  claim: { deviceId?: string; outcome: "sent" | "held_out"; kind: "claim" | "web_claim" },
): Incentive {
  const sent = claim.outcome === "sent";
  return {
    incentiveId: deps.random.id("inc"),
    merchantId: link.merchantId,
    offerId: link.offerId,
    storeId: ONLINE,
    ...(claim.deviceId !== undefined ? { deviceId: claim.deviceId } : {}),
    outcome: claim.outcome,
    status: sent ? "claimed" : "held_out",
    ...(sent ? issueCode(offer.redemption, now, (n) => deps.random.bytes(n)) : {}),
    title: offer.message.title,
    body: offer.message.body,
    deepLink: offer.message.deepLink,
    triggerType: "claim",
    zoneId: link.linkId,
    grantedAt: now,
    attributionWindowHours: offer.attributionWindowHours,
    touch: { kind: claim.kind, ...touchOf(link) },
  };
}

function claimView(link: Link, inc: Incentive): ClaimResult {
  const granted = inc.outcome === "sent";
  return {
    claimId: inc.incentiveId,
    offerId: link.offerId,
    linkId: link.linkId,
    channel: link.channel,
    variant: link.variant,
    outcome: granted ? "granted" : "held_out",
    reason: null,
    code: granted ? (inc.code ?? null) : null,
    codeKind: granted ? (inc.codeKind ?? null) : null,
    expiresAt: granted && inc.expiresAtMs ? new Date(inc.expiresAtMs).toISOString() : null,
    title: granted ? inc.title : null,
    body: granted ? inc.body : null,
    deepLink: granted ? (inc.deepLink ?? null) : null,
    notice: granted ? null : HOLDOUT_NOTICE,
  };
}

function suppressedView(link: Link, reason: string): ClaimResult {
  return {
    claimId: null,
    offerId: link.offerId,
    linkId: link.linkId,
    channel: link.channel,
    variant: link.variant,
    outcome: "suppressed",
    reason,
    code: null,
    codeKind: null,
    expiresAt: null,
    title: null,
    body: null,
    deepLink: null,
    notice: SUPPRESSED_NOTICE,
  };
}

/**
 * A device claims a link (`POST /v1/claims`). The person (asserted user, else the device) is
 * assigned once per link: a re-claim from any of its installs answers the first decision, so
 * it can neither re-roll the holdout nor collect a second code. Treated: a single-use code
 * granted through the same transaction as geofence sends (one budget across channels, the
 * offer's per-person caps and cooldown, marketing consent re-checked in the transaction); held
 * out: no incentive; refused: logged as `suppressed` with its reason. Every outcome is logged
 * with its channel and variant.
 * @throws NotFoundError (unknown token, deleted offer), ConflictError (paused link), GoneError
 * (expired link), TooManyRequestsError (attempt or guessing limit), DeviceErased.
 */
export async function claimLink(
  deps: ClaimDeps,
  device: DevicePrincipal,
  body: unknown,
): Promise<ClaimResult> {
  const { now, link, offer, timeZone, partition, ref, eventKey, previous } = await openLinkFor(
    deps,
    device,
    body,
    "link",
  );

  const replay = async (incentiveId: string | undefined): Promise<ClaimResult | undefined> => {
    if (!incentiveId) return undefined;
    const inc = await deps.store.getIncentive(incentiveId);
    return inc ? claimView(link, inc) : undefined;
  };
  // The person decided on this link before. Its incentive may be gone (an erased install of the
  // same person): the decision still stands, so no second code.
  if (previous)
    return (await replay(previous.incentiveId)) ?? suppressedView(link, "already_claimed");

  const atomicFailures: string[] = [];
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const { decision, offerDay, deviceDay } = await preDecide(deps, device, offer, timeZone, now);
    const chosen = decision.chosen;
    const reason = atomicFailures.at(-1) ?? (chosen ? undefined : decision.suppressed[0]?.reason);
    if (reason !== undefined || !chosen) {
      const why = reason ?? "not_chosen";
      const result = await deps.store.grant({
        deviceId: device.deviceId,
        eventKeys: [],
        claimExpiresAt: 0,
        now,
        records: [
          touchRecord(link, ref, now, offerDay, "claim", {
            eventId: `claim:${deps.random.id("sup")}`,
            type: "suppressed",
            reason: why,
          }),
        ],
        counters: [],
        touchCounters: [linkBump(link, offerDay, suppressedFields(why))],
        recordExpiresAt: retention(deps, now),
      });
      if (result.kind === "erased") throw new DeviceErased();
      deps.onOutcome?.("suppressed");
      return suppressedView(link, why);
    }
    const outcome = chosen.outcome === "send" ? "sent" : "held_out";
    const incentive = claimIncentive(deps, offer, link, now, {
      deviceId: device.deviceId,
      outcome,
      kind: "claim",
    });
    const record = touchRecord(link, ref, now, offerDay, "claim", {
      eventId: `claim:${incentive.incentiveId}`,
      type: "claimed",
      incentiveId: incentive.incentiveId,
      group: outcome === "sent" ? "treated" : "holdout",
    });
    const bump = linkBump(link, offerDay, {
      [outcome === "sent" ? TOUCH_FIELDS.claimsTreated : TOUCH_FIELDS.claimsHoldout]: 1,
    });
    const memory = offerMemory(offer);
    const result = await deps.store.grant({
      deviceId: device.deviceId,
      capPartition: partition,
      claimPartition: partition,
      eventKeys: [eventKey],
      claimExpiresAt: memory,
      now,
      choice: {
        incentive,
        offerDay,
        deviceDay,
        caps: offer.caps,
        maxIncentives: offer.budget?.maxIncentives,
        storeIds: offer.storeIds,
        storeTimeZone: timeZone,
        deviceRef: ref,
        counterExpiresAt: Math.ceil((now + 3 * DAY_MS) / 1000),
        offerTotalExpiresAt: memory,
      },
      records: [record],
      counters: [],
      touchCounters: [bump],
      recordExpiresAt: retention(deps, now),
    });
    if (result.kind === "committed") {
      deps.onOutcome?.(outcome === "sent" ? "claimed" : "held_out");
      return claimView(link, incentive);
    }
    if (result.kind === "erased") throw new DeviceErased();
    if (result.kind === "duplicate") {
      return (await replay(result.incentiveId)) ?? suppressedView(link, "already_claimed");
    }
    if (result.reason !== "code_taken") atomicFailures.push(result.reason);
  }
  throw new ServiceUnavailableError("The claim did not settle; retry.");
}

/**
 * The app reports that it is about to show a link's in-app message or banner (`POST
 * /v1/exposures`). The person's first exposure of the link is assigned like a claim (same
 * holdout draw, so a person's group is the same on every channel of the offer): treated → show
 * it; held out → do not show it (a ghost exposure, the control group of what was not seen).
 * Later exposures answer the same and only count as repeats. No code, no budget, no caps.
 */
export async function exposeLink(
  deps: ClaimDeps,
  device: DevicePrincipal,
  body: unknown,
): Promise<ExposureResult> {
  const { now, link, offer, timeZone, partition, ref, eventKey, previous } = await openLinkFor(
    deps,
    device,
    body,
    "exposure",
  );
  const touch = touchOf(link);
  const base = { offerId: link.offerId, ...touch };

  const repeat = async (claim: { incentiveId?: string; outcome?: string }) => {
    await deps.store.logTouch(
      [],
      [linkBump(link, localDay(now, timeZone), { [TOUCH_FIELDS.repeatExposures]: 1 })],
      retention(deps, now),
    );
    const treated = claim.outcome === "sent";
    return {
      ...base,
      exposureId: claim.incentiveId ?? null,
      outcome: treated ? ("treated" as const) : ("held_out" as const),
      show: treated,
      reason: null,
      repeat: true,
    };
  };
  if (previous) return repeat(previous);

  const { decision, offerDay } = await preDecide(deps, device, offer, timeZone, now);
  const chosen = decision.chosen;
  if (!chosen) {
    const why = decision.suppressed[0]?.reason ?? "not_chosen";
    await deps.store.logTouch(
      [
        touchRecord(link, ref, now, offerDay, "exposure", {
          eventId: `exposure:${deps.random.id("sup")}`,
          type: "suppressed",
          reason: why,
        }),
      ],
      [linkBump(link, offerDay, suppressedFields(why))],
      retention(deps, now),
    );
    deps.onOutcome?.("suppressed");
    return {
      ...base,
      exposureId: null,
      outcome: "suppressed",
      show: false,
      reason: why,
      repeat: false,
    };
  }
  const treated = chosen.outcome === "send";
  const exposureId = deps.random.id("exp");
  const memory = offerMemory(offer);
  const result = await deps.store.recordExposure({
    deviceId: device.deviceId,
    claimPartition: partition,
    eventKey,
    claimExpiresAt: memory,
    handle: {
      incentiveId: exposureId,
      merchantId: link.merchantId,
      offerId: link.offerId,
      storeIds: offer.storeIds,
      outcome: treated ? "sent" : "held_out",
      grantedAt: now,
      windowEndsAt: now + offer.attributionWindowHours * 3_600_000,
      touch: { kind: "exposure", ...touch },
    },
    handleExpiresAt: Math.ceil(
      (now + (offer.attributionWindowHours * 3_600_000 + 30 * DAY_MS)) / 1000,
    ),
    records: [
      touchRecord(link, ref, now, offerDay, "exposure", {
        eventId: `exposure:${exposureId}`,
        type: "exposed",
        incentiveId: exposureId,
        group: treated ? "treated" : "holdout",
      }),
    ],
    touchCounters: [
      linkBump(link, offerDay, {
        [treated ? TOUCH_FIELDS.exposuresTreated : TOUCH_FIELDS.exposuresHoldout]: 1,
      }),
    ],
    recordExpiresAt: retention(deps, now),
  });
  if (result.kind === "erased") throw new DeviceErased();
  if (result.kind === "duplicate") return repeat(result);
  deps.onOutcome?.("exposed");
  return {
    ...base,
    exposureId,
    outcome: treated ? "treated" : "held_out",
    show: treated,
    reason: null,
    repeat: false,
  };
}

/** What a web page shows after a claim without a device. */
export interface WebClaimResult {
  claimId: string;
  offerId: string;
  linkId: string;
  channel: string;
  variant: string;
  code: string;
  codeKind: "unique" | "static";
  expiresAt: string | null;
  title: string;
  body: string;
}

/**
 * A claim from a plain web page (`POST /v1/claims/web`, no device): only for links created with
 * `allowWebClaims`. No person is known, so there is no holdout and no visit attribution: the
 * code is attributed by its redemption only, and reported apart (`webClaims`,
 * `webRedemptions`). Same budget as every other channel. Limits per source address: attempts
 * and guesses like device claims, and `webClaimsPerAddressPerDay` codes per link.
 * @throws NotFoundError, ConflictError (paused link, offer not live, budget spent),
 * ForbiddenError (link without web claims), GoneError, TooManyRequestsError.
 */
export async function claimLinkFromWeb(
  deps: ClaimDeps,
  request: { sourceIp?: string | undefined },
  body: unknown,
): Promise<WebClaimResult> {
  const input = parseWith(claimInputSchema, body);
  const now = deps.clock.now();
  const address = addressBucket(request.sourceIp ?? "unknown");
  const who = `web#${address}`;
  await guardAttempts(deps, who, now);
  const link = await resolveLink(deps, input.token, who, now);
  if (!link.allowWebClaims) {
    throw new ForbiddenError("token: this link is claimed from the app only", {
      issues: [{ path: "token", reason: "web claims not allowed for this link" }],
    });
  }
  const { offer, timeZone } = await offerOf(deps, link);
  if (!isOfferLive(toDecisionOffer(offer, offer.storeIds[0] ?? ""), timeZone, now)) {
    throw new ConflictError("token: the offer is not live", {
      issues: [{ path: "token", reason: "offer not live" }],
    });
  }
  await takeOrTooMany(
    deps,
    `webclaim#${link.linkId}#${address}`,
    deps.limits.webClaimsPerAddressPerDay,
    DAY_MS,
    now,
  );
  const day = localDay(now, timeZone);
  const ref = deps.deviceRef(`web:${address}`, link.merchantId);
  const touch = touchOf(link);
  const webBump = (fields: Record<string, number>) => linkBump(link, day, fields);
  const unique = offer.redemption.codeKind === "unique";
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const incentive = claimIncentive(deps, offer, link, now, {
      outcome: "sent",
      kind: "web_claim",
    });
    const record = touchRecord(link, ref, now, day, "web_claim", {
      eventId: `webclaim:${incentive.incentiveId}`,
      type: "claimed",
      incentiveId: incentive.incentiveId,
    });
    const view: WebClaimResult = {
      claimId: incentive.incentiveId,
      offerId: link.offerId,
      ...touch,
      code: incentive.code ?? "",
      codeKind: offer.redemption.codeKind,
      expiresAt: new Date(incentive.expiresAtMs ?? now).toISOString(),
      title: incentive.title,
      body: incentive.body,
    };
    if (!unique) {
      // A static code is the same for everyone: nothing to reserve, the claim is only logged.
      await deps.store.logTouch(
        [record],
        [webBump({ [TOUCH_FIELDS.webClaims]: 1 })],
        retention(deps, now),
      );
      deps.onOutcome?.("web_claimed");
      return view;
    }
    const result = await deps.store.grantWebCode({
      incentive,
      maxIncentives: offer.budget?.maxIncentives,
      storeIds: offer.storeIds,
      storeTimeZone: timeZone,
      deviceRef: ref,
      records: [record],
      touchCounters: [webBump({ [TOUCH_FIELDS.webClaims]: 1 })],
      recordExpiresAt: retention(deps, now),
    });
    if (result === "committed") {
      deps.onOutcome?.("web_claimed");
      return view;
    }
    if (result === "budget") {
      await deps.store.logTouch(
        [
          {
            ...record,
            eventId: `webclaim:${deps.random.id("sup")}`,
            type: "suppressed",
            reason: "budget",
            incentiveId: undefined,
          },
        ],
        [webBump(suppressedFields("budget"))],
        retention(deps, now),
      );
      throw new ConflictError("token: the offer's budget is spent", {
        issues: [{ path: "token", reason: "budget spent" }],
      });
    }
  }
  throw new ServiceUnavailableError("The claim did not settle; retry.");
}
