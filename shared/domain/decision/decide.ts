/**
 * The incentive decision: which (if any) of the offers of a trigger zone goes to a device on an
 * `entered` / `dwelled` event. Pure pre-check over data the caller has read; the database
 * adapter enforces caps and budget atomically when it records the outcome.
 */
import { ValidationError } from "../../errors.ts";
import type { TargetStage } from "../journey/stage.ts";
import { isHeldOut } from "./holdout.ts";
import { isQuietHours, isValidTimeZone, localDay, parseInstant } from "./local-time.ts";
import { isOfferLive } from "./offer-live.ts";
import {
  type DailySpan,
  DEFAULT_FRESHNESS_MINUTES,
  type DecisionOffer,
  type TriggerOn,
} from "./offer-rules.ts";

/** Why an offer was not sent, in the order the checks run (first failing one is reported). */
export const SUPPRESSION_REASONS = [
  "trigger_mismatch",
  "stale_event",
  "not_live",
  "pickup_active",
  "budget",
  "no_consent",
  "segment",
  "stage",
  "quiet_hours",
  "fatigue",
  "cap_total",
  "cap_day",
  "cooldown",
  "not_chosen",
] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

/**
 * The event a decision is about: a trigger-zone entry or dwell, or a pickup order's arrival at
 * the store (`pickup_arrived`, decided once per pickup order).
 */
export type TriggerEventType = "entered" | "dwelled" | "pickup_arrived";

/** Per-offer counters for this device, plus the offer's global send count. */
export interface OfferCounters {
  /** Sends + holdouts of this offer to this device on `day` (store-local). */
  readonly today: number;
  /** Store-local day `today` belongs to; when it is not the current day, `today` counts as 0. */
  readonly day?: string;
  /** Sends + holdouts of this offer to this device, ever. */
  readonly total: number;
  /** Epoch ms of the last send or holdout of this offer to this device. */
  readonly lastSentAt?: number;
  /** Incentives actually sent for this offer across all devices (budget use; holdouts excluded). */
  readonly sentCount: number;
}

export interface DecisionInput {
  readonly event: { readonly type: TriggerEventType /** epoch ms */; readonly at: number };
  /**
   * The decision instant (server clock, epoch ms). Enables the freshness check: an offer whose
   * trigger event (`offer.eventAt`, else `event.at`) is older than its freshness limit is
   * suppressed as `stale_event`. Absent = no freshness check (pure what-if evaluations).
   */
  readonly now?: number;
  /** Offers of the trigger zone the event is about. */
  readonly offers: readonly DecisionOffer[];
  readonly device: {
    readonly deviceId: string;
    /** What the holdout is drawn for (the asserted person's unit); default `deviceId`. */
    readonly holdoutKey?: string;
    readonly consentMarketing: boolean;
    /** Segments the device declared about itself: only offers that opt in trust them. */
    readonly segments: readonly string[];
    /** Segments the app's backend vouched for (signed user assertion). */
    readonly trustedSegments?: readonly string[];
    /** A platform attestation was verified for the device. */
    readonly attested?: boolean;
    /** IANA zone of the device; absent or unknown = the store's zone. */
    readonly timeZone?: string;
  };
  /** IANA time zone of each store, keyed by storeId. */
  readonly storeTimeZones: ReadonlyMap<string, string>;
  readonly counters: {
    /** Keyed by offerId; a missing entry means all zeros. */
    readonly perOffer: ReadonlyMap<string, OfferCounters>;
    /** Incentives (sends + holdouts, all merchants) on the device's local `deviceDay`. */
    readonly deviceToday: number;
    /** Device-local day `deviceToday` belongs to; when not the current day it counts as 0. */
    readonly deviceDay?: string;
  };
  readonly config?: Partial<DecisionConfig>;
  /** Audiences (segment names) each merchant uploaded that the device's person belongs to. */
  readonly audiences?: ReadonlyMap<string, ReadonlySet<string>>;
  /**
   * The device's journey stage at each merchant, computed by the service from its stored visit
   * history (never a device's claim). Needed for offers that target stages: a merchant missing
   * here fails them closed (`stage`).
   */
  readonly stages?: ReadonlyMap<string, TargetStage>;
  /**
   * Merchants at which the device holds an active pickup order (from its profile, never from
   * the request body). Their geofence offers are suppressed (`pickup_active`): the shopper is
   * coming anyway, so a visit incentive would pay for a visit that is not incremental and message
   * the shopper twice for one trip; the merchant's `pickup_arrived` offers speak on arrival.
   */
  readonly pickupMerchants?: ReadonlySet<string>;
}

export interface DecisionConfig {
  /** Max incentives (sends + holdouts) per device per device-local day, all merchants. */
  readonly fatigueCapPerDay: number;
  /**
   * Platform quiet hours, in the device's zone, for offers that carry none of their own
   * (`DecisionOffer.quietHours`); equal start and end disables them.
   */
  readonly quietHours: DailySpan;
}

export const DEFAULT_DECISION_CONFIG: DecisionConfig = {
  fatigueCapPerDay: 3,
  quietHours: { start: "21:00", end: "08:00" },
};

export interface Suppression {
  readonly offerId: string;
  readonly reason: SuppressionReason;
}

export interface Decision {
  readonly chosen?: { readonly offerId: string; readonly outcome: "send" | "held_out" };
  /** Every other offer of the input, in input order, with the first check it failed. */
  readonly suppressed: readonly Suppression[];
}

const TRIGGER_FOR_EVENT: Readonly<Record<TriggerEventType, TriggerOn>> = {
  entered: "enter",
  dwelled: "dwell",
  pickup_arrived: "pickup_arrived",
};

/** The event type that fires offers whose trigger is `on` (the inverse of the decision's map). */
export function triggerEventOf(on: TriggerOn): TriggerEventType {
  return on === "enter" ? "entered" : on === "dwell" ? "dwelled" : "pickup_arrived";
}

/**
 * The zone a device's day and quiet hours are read in: its own when known, else the store's
 * (a device that never reported a zone is most likely near the store it is triggering).
 */
export function effectiveDeviceTimeZone(
  deviceTimeZone: string | undefined,
  storeTimeZone: string,
): string {
  return deviceTimeZone !== undefined && isValidTimeZone(deviceTimeZone)
    ? deviceTimeZone
    : storeTimeZone;
}

/**
 * The local days the counters of a decision belong to, so the adapter increments and reads
 * exactly the keys `decide` assumes: `offerDay` (per-device-per-day cap, store zone) and
 * `deviceDay` (fatigue cap, device zone falling back to the store's).
 */
export function capWindowKeys(
  at: number,
  storeTimeZone: string,
  deviceTimeZone?: string,
): { offerDay: string; deviceDay: string } {
  return {
    offerDay: localDay(at, storeTimeZone),
    deviceDay: localDay(at, effectiveDeviceTimeZone(deviceTimeZone, storeTimeZone)),
  };
}

/**
 * Whether an offer's targeting admits a device: `requireAttestation` needs `attested`; targeted
 * `segments` need one membership from a trusted source — the app's backend (`trustedSegments`)
 * or the merchant's `audience` of the device's person — or, only when the offer sets
 * `allowSelfDeclaredSegments`, from what the device declared about itself.
 */
export function isTargeted(
  offer: Pick<DecisionOffer, "segments" | "allowSelfDeclaredSegments" | "requireAttestation">,
  device: {
    readonly segments: readonly string[];
    readonly trustedSegments?: readonly string[] | undefined;
    readonly attested?: boolean | undefined;
  },
  audience?: ReadonlySet<string>,
): boolean {
  if (offer.requireAttestation === true && device.attested !== true) return false;
  const segments = offer.segments ?? [];
  if (segments.length === 0) return true;
  const trusted = device.trustedSegments ?? [];
  return segments.some(
    (s) =>
      trusted.includes(s) ||
      audience?.has(s) === true ||
      (offer.allowSelfDeclaredSegments === true && device.segments.includes(s)),
  );
}

/**
 * Whether a trigger event is too old to act on: `now - eventAt` above the offer's freshness limit
 * (minutes; default `DEFAULT_FRESHNESS_MINUTES`). An event stamped slightly in the future (device
 * clock skew) is fresh. Exactly the limit is still fresh.
 */
export function isStale(
  eventAt: number,
  now: number,
  offer: Pick<DecisionOffer, "trigger">,
): boolean {
  const limitMin = offer.trigger.freshnessMinutes ?? DEFAULT_FRESHNESS_MINUTES;
  return now - eventAt > limitMin * 60_000;
}

/** Orders eligible offers: the first one wins. See `decide` for the rule. */
function compareOffers(a: DecisionOffer, b: DecisionOffer): number {
  const pa = a.priority ?? 0;
  const pb = b.priority ?? 0;
  if (pa !== pb) return pb - pa;
  if (a.triggerRadiusM !== b.triggerRadiusM) return a.triggerRadiusM - b.triggerRadiusM;
  const ta = parseInstant(a.validTo) ?? Number.POSITIVE_INFINITY;
  const tb = parseInstant(b.validTo) ?? Number.POSITIVE_INFINITY;
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.offerId < b.offerId ? -1 : a.offerId > b.offerId ? 1 : 0;
}

/** First failing check for one offer, or null when the offer is eligible. */
function firstFailure(
  offer: DecisionOffer,
  input: DecisionInput,
  config: DecisionConfig,
): SuppressionReason | null {
  const { event, device, counters } = input;
  const at = event.at;
  if (offer.trigger.on !== TRIGGER_FOR_EVENT[event.type]) return "trigger_mismatch";
  if (input.now !== undefined && isStale(offer.eventAt ?? at, input.now, offer)) {
    return "stale_event";
  }

  const storeTz = input.storeTimeZones.get(offer.storeId);
  // Without a known store zone neither schedule nor per-day caps can be read: fail closed.
  if (storeTz === undefined || !isValidTimeZone(storeTz)) return "not_live";
  if (!isOfferLive(offer, storeTz, at)) return "not_live";
  if (offer.trigger.on !== "pickup_arrived" && input.pickupMerchants?.has(offer.merchantId)) {
    return "pickup_active";
  }

  const c = counters.perOffer.get(offer.offerId);
  const max = offer.budget.maxIncentives;
  if (max !== undefined && (c?.sentCount ?? 0) >= max) return "budget";

  if (!device.consentMarketing) return "no_consent";

  if (!isTargeted(offer, device, input.audiences?.get(offer.merchantId))) return "segment";

  if (offer.stages !== undefined) {
    const stage = input.stages?.get(offer.merchantId);
    if (stage === undefined || !offer.stages.includes(stage)) return "stage";
  }

  const deviceTz = effectiveDeviceTimeZone(device.timeZone, storeTz);
  const quiet = offer.quietHours !== undefined ? offer.quietHours : config.quietHours;
  if (quiet !== null && isQuietHours(quiet, deviceTz, at)) return "quiet_hours";

  const deviceDayNow = localDay(at, deviceTz);
  const deviceToday =
    counters.deviceDay === undefined || counters.deviceDay === deviceDayNow
      ? counters.deviceToday
      : 0;
  if (deviceToday >= config.fatigueCapPerDay) return "fatigue";

  const { perDevicePerDay, perDeviceTotal, cooldownMinutes } = offer.caps;
  if (perDeviceTotal !== undefined && (c?.total ?? 0) >= perDeviceTotal) return "cap_total";

  if (perDevicePerDay !== undefined) {
    const stale = c === undefined || (c.day !== undefined && c.day !== localDay(at, storeTz));
    if ((stale ? 0 : c.today) >= perDevicePerDay) return "cap_day";
  }

  // Exactly `cooldownMinutes` after the last one is allowed again; a last send "in the
  // future" (clock skew between instances) keeps the offer cooling down.
  if (cooldownMinutes !== undefined && c?.lastSentAt !== undefined) {
    if (at - c.lastSentAt < cooldownMinutes * 60_000) return "cooldown";
  }
  return null;
}

/**
 * Picks at most one offer for a device on a trigger-zone event.
 *
 * Checks per offer, in this order (the first failure is the reported reason):
 * 1. `trigger_mismatch` — the offer fires on the other event type (callers may skip logging);
 * 1b. `stale_event` — `input.now` is given and the trigger event is older than the offer's
 *    freshness limit (`trigger.freshnessMinutes`, default `DEFAULT_FRESHNESS_MINUTES`);
 * 2. `not_live` — paused, outside [validFrom, validTo), outside its schedule in the store's zone,
 *    or the store's zone is unknown;
 * 2b. `pickup_active` — a geofence offer (enter/dwell) of a merchant at which the device holds an
 *    active pickup order (`input.pickupMerchants`);
 * 3. `budget` — `sentCount` ≥ `budget.maxIncentives`;
 * 4. `no_consent` — the device has not consented to marketing;
 * 5. `segment` — the offer requires an attested device and this one is not, or it targets
 *    segments and the device is in none of them by a trusted source: the app's backend
 *    (`trustedSegments`) or a merchant audience of its person (`audiences`); self-declared
 *    `segments` count only for offers with `allowSelfDeclaredSegments`;
 * 5b. `stage` — the offer targets journey stages and the device's stage at the merchant
 *    (`input.stages`, computed from its stored visit history) is none of them, or unknown;
 * 6. `quiet_hours` — inside the offer's quiet hours (its override, else its merchant's, else
 *    `config.quietHours`) in the device's zone (fallback: the store's);
 * 7. `fatigue` — the device already got `fatigueCapPerDay` incentives today (device-local day);
 * 8. `cap_total` — `perDeviceTotal` reached; 9. `cap_day` — `perDevicePerDay` reached on the
 *    store-local day; 10. `cooldown` — less than `cooldownMinutes` since the last one.
 *
 * Among eligible offers the winner is: highest `priority` (absent = 0), then smallest
 * `triggerRadiusM` (the most specific zone), then soonest `validTo` (use it before it expires),
 * then smallest `offerId`; the rest are `not_chosen`. The result does not depend on input order.
 *
 * The winner then goes through the deterministic holdout: held out ⇒ outcome `held_out`, and no
 * other offer is sent instead (that would contaminate the control group). For the caller: a
 * holdout counts like a send against per-device caps (`today`, `total`), cooldown
 * (`lastSentAt`) and fatigue (`deviceToday`) so both groups see the same exposure rules, but it
 * does NOT consume budget (`sentCount`). Counters with a stale `day` / `deviceDay` read as 0.
 */
export function decide(input: DecisionInput): Decision {
  if (!Number.isFinite(input.event.at)) {
    throw ValidationError.field("event/at", "must be a finite epoch-millisecond instant");
  }
  const config: DecisionConfig = { ...DEFAULT_DECISION_CONFIG, ...input.config };
  const failures = new Map<DecisionOffer, SuppressionReason>();
  const eligible: DecisionOffer[] = [];
  for (const offer of input.offers) {
    const reason = firstFailure(offer, input, config);
    if (reason === null) eligible.push(offer);
    else failures.set(offer, reason);
  }
  const winner = eligible.sort(compareOffers)[0];
  const suppressed: Suppression[] = [];
  for (const offer of input.offers) {
    if (offer === winner) continue;
    suppressed.push({ offerId: offer.offerId, reason: failures.get(offer) ?? "not_chosen" });
  }
  if (winner === undefined) return { suppressed };
  const heldOut = isHeldOut(
    input.device.holdoutKey ?? input.device.deviceId,
    winner.offerId,
    winner.holdoutPercent,
  );
  return {
    chosen: { offerId: winner.offerId, outcome: heldOut ? "held_out" : "send" },
    suppressed,
  };
}
