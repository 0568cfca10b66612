import type { DevicePrincipal } from "../../auth/principal.ts";
import { toDecisionOffer } from "../../domain/catalog/decision-view.ts";
import type { Offer } from "../../domain/catalog/offer.ts";
import { effectiveQuietHours, type MerchantSettings } from "../../domain/catalog/quiet-hours.ts";
import {
  COUNTER_FIELDS,
  type ConversionRecord,
  NO_OFFER,
  timeToVisitBucket,
} from "../../domain/conversion.ts";
import {
  capWindowKeys,
  type DecisionConfig,
  decide,
  type TriggerEventType,
  triggerEventOf,
} from "../../domain/decision/decide.ts";
import { localDay } from "../../domain/decision/local-time.ts";
import { type DecisionOffer, isPickupOffer } from "../../domain/decision/offer-rules.ts";
import { issueCode } from "../../domain/decision/redemption-code.ts";
import { latestValidToMs } from "../../domain/decision/validity.ts";
import {
  capPartition,
  holdoutUnit,
  type Incentive,
  triggerEventKey,
} from "../../domain/incentive.ts";
import {
  applyVisit,
  effectiveJourneySettings,
  HISTORY_RETENTION_DAYS,
  JOURNEY_FIELDS,
  journeyBumps,
  stageRecords,
} from "../../domain/journey/index.ts";
import { GEOFENCE_CHANNEL, PICKUP_CHANNEL } from "../../domain/o2o/link.ts";
import {
  assignVariant,
  lastTouch,
  TOUCH_FIELDS,
  type TouchBump,
  touchBump,
  variantIdOf,
} from "../../domain/o2o/touch.ts";
import { pickupRef } from "../../domain/pickup/keys.ts";
import type { ZoneEvent, ZoneEventBase } from "../../domain/visit/types.ts";
import type { Random } from "../../ports.ts";
import type { AudienceReader } from "../audiences.ts";
import { deviceAudiences } from "../device-audiences.ts";
import { journeyStagesOf } from "../journey-stages.ts";
import type { SinkResult, ZoneEventSink } from "../pings/ingest-pings.ts";
import type { AttributionMark, CounterBump, DecisionStore } from "../ports/decision-store.ts";
import type { JourneyStore, JourneyWrite, StoredJourney } from "../ports/journey-store.ts";
import type { MerchantSettingsStore } from "../ports/merchant-settings-store.ts";
import type { OfferReader } from "../ports/offer-reader.ts";
import { DeviceErased, type OutboxClear } from "../ports/visit-store.ts";
import { decisionDevice } from "./decision-device.ts";

/** What the device app sees for an incentive granted in its own ping response. */
export interface GrantedIncentive {
  incentiveId: string;
  offerId: string;
  storeId: string;
  title: string;
  body: string;
  deepLink?: string | undefined;
  code: string;
  expiresAt?: string | undefined;
}

export interface IncentiveSinkDeps {
  offers: OfferReader;
  /** Merchants' default quiet hours (cached); absent = `decision.quietHours` for every offer. */
  settings?: Pick<MerchantSettingsStore, "get"> | undefined;
  store: DecisionStore;
  /**
   * Merchant audiences of the device's person and of the device itself; read only when a
   * candidate offer targets segments. Absent = only the app's trusted segments count.
   */
  audiences?: AudienceReader | undefined;
  /**
   * Visit histories (journey stages): absent = no journey is kept, and offers that target
   * stages are never eligible.
   */
  journeys?: JourneyStore | undefined;
  random: Random;
  /** Pseudonymous device id scoped to a merchant (keyed HMAC). */
  deviceRef: (deviceId: string, merchantId: string) => string;
  decision: DecisionConfig;
  retentionDays: number;
  /** Called with each decision outcome (metrics). */
  onOutcome?: (
    outcome: "sent" | "held_out" | "suppressed" | "visit" | "attributed",
    n?: number,
  ) => void;
}

/**
 * A pickup order's arrival at a store, as the pickup publisher hands it on: the one trigger of
 * the merchant's `pickup_arrived` offers (in-store cross-sells).
 */
export interface PickupArrival {
  merchantId: string;
  storeId: string;
  pickupId: string;
  /** When the order arrived (epoch ms): the first `arrived` (or `waiting`) state change. */
  at: number;
}

/** The pickup side of the incentive step: one decision per pickup order's arrival. */
export interface PickupArrivalSink {
  /**
   * Decides among the merchant's active `pickup_arrived` offers of the arrival's store, through
   * the same decision, grant and log as geofence sends (channel `pickup`, trigger
   * `pickup_arrived`). Idempotent per pickup order: the claim `pickup.{pickupId}#arrived` makes a
   * redelivered or re-processed arrival a no-op that returns the first decision's incentive.
   * Throws `DeviceErased` when the device was erased meanwhile.
   */
  pickupArrived(device: DevicePrincipal, arrival: PickupArrival, now: number): Promise<unknown[]>;
}

/** The idempotency claim of the cross-sell decision of one pickup order. */
export function pickupArrivalKey(pickupId: string): string {
  return `pickup.${pickupId}#arrived`;
}

/** What a decision is about: a zone event, or a pickup arrival shaped like one. */
type TriggerFact = Pick<
  ZoneEventBase,
  "zoneId" | "merchantId" | "storeId" | "offerId" | "at" | "enteredAt"
> & { type: TriggerEventType };

/** Merchants at which the device holds an active pickup order (its profile's references). */
function pickupMerchantsOf(device: DevicePrincipal): ReadonlySet<string> | undefined {
  const refs = device.pickupRefs;
  if (!refs || refs.length === 0) return undefined;
  const merchants = new Set<string>();
  for (const raw of refs) {
    const ref = pickupRef.parse(raw);
    if (ref) merchants.add(ref.merchantId);
  }
  return merchants;
}
const DAY_MS = 86_400_000;
const MAX_ATTEMPTS = 4;
/** Repeat visits are followed for this long after an attribution window ends. */
const REPEAT_FOLLOW_UP_MS = 30 * DAY_MS;

/**
 * What the decisions and visits of one batch of events share: the outbox clear that rides the
 * last write, and the visit histories read ahead with the first counter read.
 */
interface BatchContext {
  /** The clear to commit with the batch's last write (set on that step only). */
  outbox?: OutboxClear | undefined;
  outboxCleared: boolean;
  /** Merchants whose history the batch's visits will load: read with the first counters. */
  journeysAhead: string[];
  /** Histories read ahead, each used once (a second visit at the merchant reads it again). */
  journeys: Map<string, StoredJourney>;
}

function newBatchContext(): BatchContext {
  return { outboxCleared: false, journeysAhead: [], journeys: new Map() };
}

function granted(inc: Incentive): GrantedIncentive {
  return {
    incentiveId: inc.incentiveId,
    offerId: inc.offerId,
    storeId: inc.storeId,
    title: inc.title,
    body: inc.body,
    ...(inc.deepLink ? { deepLink: inc.deepLink } : {}),
    code: inc.code ?? "",
    ...(inc.expiresAtMs ? { expiresAt: new Date(inc.expiresAtMs).toISOString() } : {}),
  };
}

/**
 * The incentive and conversion step behind ping ingestion. For trigger-zone events it decides
 * (pure `decide`) among the offers the events fired, then commits the grant or the suppression in
 * one transaction with its log records and counters; footprint dwells become visits, attributed to
 * open incentives and holdouts of the same merchant. Idempotent per event: a replay finds its claim.
 */
export function incentiveSink(deps: IncentiveSinkDeps): ZoneEventSink & PickupArrivalSink {
  const expiresAt = (now: number) => Math.ceil((now + deps.retentionDays * DAY_MS) / 1000);

  async function decideGroup(
    device: DevicePrincipal,
    events: TriggerFact[],
    type: TriggerEventType,
    now: number,
    /** The idempotency claims of the decision (default: one per event). */
    claimKeys: string[] | undefined,
    batch: BatchContext,
  ): Promise<GrantedIncentive[]> {
    const offers = await deps.offers.offers(
      events.map((e) => ({ merchantId: e.merchantId, offerId: e.offerId ?? "" })),
    );
    // One candidate per offer (the first store whose trigger zone fired), matching trigger only.
    const byOffer = new Map<string, { event: TriggerFact; offer: Offer }>();
    for (const event of events) {
      const offer = event.offerId ? offers.get(event.offerId) : undefined;
      if (!offer || offer.merchantId !== event.merchantId) continue;
      if (triggerEventOf(offer.trigger.on) !== type) continue;
      if (!byOffer.has(offer.offerId)) byOffer.set(offer.offerId, { event, offer });
    }
    if (byOffer.size === 0) return [];
    const candidates = [...byOffer.values()];
    const stores = await deps.offers.stores(
      candidates.map((c) => ({ merchantId: c.offer.merchantId, storeId: c.event.storeId })),
    );
    const storeTimeZones = new Map<string, string>();
    for (const c of candidates)
      storeTimeZones.set(c.event.storeId, stores.get(c.event.storeId)?.timeZone ?? "UTC");
    const at = Math.max(...candidates.map((c) => c.event.at));
    const firstStoreTz = storeTimeZones.get(candidates[0]?.event.storeId ?? "") ?? "UTC";
    const deviceDay = capWindowKeys(at, firstStoreTz, device.timeZone).deviceDay;
    const eventKeys = claimKeys ?? [...new Set(events.map((e) => triggerEventKey(e)))];
    const refs = new Map<string, string>();
    const refOf = (merchantId: string) => {
      let ref = refs.get(merchantId);
      if (!ref) {
        ref = deps.deviceRef(device.deviceId, merchantId);
        refs.set(merchantId, ref);
      }
      return ref;
    };
    const offerDay = (c: { event: TriggerFact }) =>
      localDay(at, storeTimeZones.get(c.event.storeId) ?? "UTC");
    /** A log record of candidate `c`'s trigger event (`prefix`: which decision step logs it). */
    const candidateRecord = (
      c: { offer: { merchantId: string; offerId: string }; event: TriggerFact },
      prefix: "trigger" | "decision",
      fields: Pick<ConversionRecord, "type"> & Partial<Pick<ConversionRecord, "reason">>,
    ): ConversionRecord => ({
      eventId: `${prefix}:${refOf(c.offer.merchantId)}:${triggerEventKey(c.event)}`,
      merchantId: c.offer.merchantId,
      offerId: c.offer.offerId,
      storeId: c.event.storeId,
      deviceRef: refOf(c.offer.merchantId),
      at: c.event.at,
      localDay: offerDay(c),
      ...fields,
      trigger: type,
    });
    /** A bump of candidate `c`'s funnel counters on the store's local day. */
    const candidateBump = (
      c: { offer: { merchantId: string; offerId: string }; event: TriggerFact },
      fields: Record<string, number>,
    ): CounterBump => ({
      merchantId: c.offer.merchantId,
      offerId: c.offer.offerId,
      storeId: c.event.storeId,
      localDay: offerDay(c),
      fields,
    });
    const triggeredRecords = candidates.map((c) =>
      candidateRecord(c, "trigger", { type: "triggered" }),
    );
    const triggeredBumps = candidates.map((c) =>
      candidateBump(c, { [COUNTER_FIELDS.triggered]: 1 }),
    );

    // Quiet hours per offer: its override, else its merchant's default (unset: the config's).
    const merchantSettings = new Map<string, MerchantSettings>();
    if (deps.settings) {
      for (const merchantId of new Set(candidates.map((c) => c.offer.merchantId))) {
        merchantSettings.set(merchantId, await deps.settings.get(merchantId));
      }
    }
    const withQuietHours = (offer: Offer, storeId: string): DecisionOffer => {
      const merchant = merchantSettings.get(offer.merchantId);
      const base = toDecisionOffer(offer, storeId);
      if (offer.quietHours === undefined && (merchant === undefined || merchant.version === 0)) {
        return base;
      }
      return { ...base, quietHours: effectiveQuietHours(offer.quietHours, merchant).span };
    };

    // Merchant audiences: read only when an offer targets segments (most offers target everyone).
    const audiences = await deviceAudiences(
      deps.audiences,
      device,
      candidates.some((c) => (c.offer.segments?.length ?? 0) > 0),
      now,
    );

    // Journey stages: read only when an offer targets stages, computed here from the stored
    // history (what the device says about itself plays no part).
    const journeyStages = await journeyStagesOf(
      deps,
      device.deviceId,
      candidates.filter((c) => c.offer.audience).map((c) => c.offer.merchantId),
      at,
      merchantSettings,
    );

    const pickupMerchants = pickupMerchantsOf(device);
    const atomicFailures = new Map<string, string>();
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const ahead = batch.journeysAhead;
      batch.journeysAhead = [];
      const counters = await deps.store.readCounters(
        device.deviceId,
        candidates.map((c) => ({ offerId: c.offer.offerId, offerDay: offerDay(c) })),
        deviceDay,
        capPartition(device),
        ...(ahead.length > 0 ? [{ journeys: { merchantIds: ahead, nowMs: now } }] : []),
      );
      for (const [merchantId, journey] of counters.journeys ?? []) {
        batch.journeys.set(merchantId, journey);
      }
      // Failures the database reported in earlier attempts stand even if a re-read races.
      const live = candidates.filter((c) => !atomicFailures.has(c.offer.offerId));
      const decision = decide({
        event: { type, at },
        // Late batches (a phone offline for hours) still log their events, but only an event
        // younger than the offer's freshness limit can get an incentive.
        now,
        offers: live.map((c) => ({
          ...withQuietHours(c.offer, c.event.storeId),
          eventAt: c.event.at,
        })),
        device: decisionDevice(device),
        storeTimeZones,
        counters,
        config: deps.decision,
        ...(audiences ? { audiences } : {}),
        stages: journeyStages,
        ...(pickupMerchants ? { pickupMerchants } : {}),
      });
      const suppressed = [
        ...decision.suppressed,
        ...[...atomicFailures].map(([offerId, reason]) => ({ offerId, reason })),
      ];
      const records: ConversionRecord[] = [...triggeredRecords];
      const bumps: CounterBump[] = [...triggeredBumps];
      for (const s of suppressed) {
        const c = byOffer.get(s.offerId);
        if (!c) continue;
        records.push(candidateRecord(c, "decision", { type: "suppressed", reason: s.reason }));
        bumps.push(
          candidateBump(c, {
            [COUNTER_FIELDS.suppressed]: 1,
            [COUNTER_FIELDS.suppressedBy(s.reason)]: 1,
          }),
        );
      }
      const chosen = decision.chosen ? byOffer.get(decision.chosen.offerId) : undefined;
      let incentive: Incentive | undefined;
      const touchBumps: TouchBump[] = [];
      if (chosen && decision.chosen) {
        const { offer, event } = chosen;
        const outcome = decision.chosen.outcome === "send" ? "sent" : "held_out";
        // One message variant per person (stable across installs), independent of the holdout.
        const variant = assignVariant(holdoutUnit(device), offer.offerId, offer.variants);
        const message = variant ?? offer.message;
        // Location touches both: a pickup cross-sell is told apart by its channel and trigger.
        const touch = {
          kind: "geofence" as const,
          channel: type === "pickup_arrived" ? PICKUP_CHANNEL : GEOFENCE_CHANNEL,
          variant: variantIdOf(variant),
        };
        incentive = {
          incentiveId: deps.random.id("inc"),
          merchantId: offer.merchantId,
          offerId: offer.offerId,
          storeId: event.storeId,
          deviceId: device.deviceId,
          outcome,
          status: outcome === "sent" ? "pending" : "held_out",
          // The code's life runs from the moment it is sent, never from the event time.
          ...(outcome === "sent"
            ? issueCode(offer.redemption, now, (n) => deps.random.bytes(n))
            : {}),
          title: message.title,
          body: message.body,
          deepLink: message.deepLink,
          triggerType: type,
          zoneId: event.zoneId,
          grantedAt: at,
          attributionWindowHours: offer.attributionWindowHours,
          touch,
        };
        const ref = refOf(offer.merchantId);
        records.push({
          eventId: `decision:${ref}:${triggerEventKey(event)}`,
          type: outcome,
          merchantId: offer.merchantId,
          offerId: offer.offerId,
          storeId: event.storeId,
          deviceRef: ref,
          at,
          localDay: offerDay(chosen),
          incentiveId: incentive.incentiveId,
          group: outcome === "sent" ? "treated" : "holdout",
          trigger: type,
          channel: touch.channel,
          variant: touch.variant,
          touch: "geofence",
        });
        touchBumps.push(
          touchBump(offer, touch, offerDay(chosen), {
            [outcome === "sent" ? TOUCH_FIELDS.sendsTreated : TOUCH_FIELDS.sendsHoldout]: 1,
          }),
        );
        bumps.push({
          merchantId: offer.merchantId,
          offerId: offer.offerId,
          storeId: event.storeId,
          localDay: offerDay(chosen),
          fields: { [outcome === "sent" ? COUNTER_FIELDS.sent : COUNTER_FIELDS.heldOut]: 1 },
        });
      }
      const result = await deps.store.grant({
        deviceId: device.deviceId,
        capPartition: capPartition(device),
        eventKeys,
        claimExpiresAt: Math.ceil((now + 3 * DAY_MS) / 1000),
        now: at,
        ...(chosen && incentive
          ? {
              choice: {
                incentive,
                offerDay: offerDay(chosen),
                deviceDay,
                caps: chosen.offer.caps,
                maxIncentives: chosen.offer.budget?.maxIncentives,
                fatigueCapPerDay: deps.decision.fatigueCapPerDay,
                storeIds: chosen.offer.storeIds,
                storeTimeZone: storeTimeZones.get(chosen.event.storeId) ?? "UTC",
                deviceRef: refOf(chosen.offer.merchantId),
                counterExpiresAt: Math.ceil((at + 3 * DAY_MS) / 1000),
                offerTotalExpiresAt: Math.ceil(
                  ((latestValidToMs(chosen.offer.validTo) ?? Date.parse(chosen.offer.validTo)) +
                    30 * DAY_MS) /
                    1000,
                ),
              },
            }
          : {}),
        records,
        counters: bumps,
        touchCounters: touchBumps,
        recordExpiresAt: expiresAt(at),
        outboxClear: batch.outbox,
      });
      if (result.kind === "committed") {
        if (batch.outbox) batch.outboxCleared = true;
        deps.onOutcome?.("suppressed", suppressed.length);
        if (incentive) deps.onOutcome?.(incentive.outcome);
        return incentive && incentive.outcome === "sent" ? [granted(incentive)] : [];
      }
      if (result.kind === "duplicate") {
        if (!result.incentiveId) return [];
        const existing = await deps.store.getIncentive(result.incentiveId);
        return existing && existing.outcome === "sent" && existing.deviceId === device.deviceId
          ? [granted(existing)]
          : [];
      }
      // Erased meanwhile (a cached token): nothing may be written for the device.
      if (result.kind === "erased") throw new DeviceErased();
      // An invariant held in the database but not in the snapshot: record it and decide again.
      if (chosen && result.reason !== "code_taken")
        atomicFailures.set(chosen.offer.offerId, result.reason);
    }
    throw new Error("incentive decision did not settle after retries");
  }

  /**
   * Records a visit; a transaction cancelled by a concurrent write (another visit of the device
   * moved its history or an attribution handle) is re-read and retried.
   */
  async function recordVisit(
    device: DevicePrincipal,
    event: ZoneEvent,
    now: number,
    batch: BatchContext,
  ) {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if ((await recordVisitOnce(device, event, now, batch)) !== "conflict") return;
    }
  }

  async function recordVisitOnce(
    device: DevicePrincipal,
    event: ZoneEvent,
    now: number,
    batch: BatchContext,
  ): Promise<"committed" | "duplicate" | "conflict"> {
    const stores = await deps.offers.stores([
      { merchantId: event.merchantId, storeId: event.storeId },
    ]);
    const tz = stores.get(event.storeId)?.timeZone ?? "UTC";
    const ref = deps.deviceRef(device.deviceId, event.merchantId);
    const day = localDay(event.at, tz);
    // Handles granted up to the longest window plus the 30 days after it (repeat visits).
    const open = await deps.store.openAttributions(
      device.deviceId,
      event.merchantId,
      event.at - 720 * 3_600_000 - REPEAT_FOLLOW_UP_MS,
    );
    // First visit within the window after the incentive (or holdout): one attribution per incentive.
    const attributed = open.filter(
      (a) =>
        a.attributedAt === undefined &&
        a.grantedAt <= event.at &&
        event.at <= a.windowEndsAt &&
        a.storeIds.includes(event.storeId),
    );
    const visitRecord: ConversionRecord = {
      eventId: `visit:${ref}:${triggerEventKey(event)}`,
      type: "visited",
      merchantId: event.merchantId,
      storeId: event.storeId,
      deviceRef: ref,
      at: event.at,
      localDay: day,
    };
    const records: ConversionRecord[] = [];
    const counters: CounterBump[] = [
      {
        merchantId: event.merchantId,
        offerId: NO_OFFER,
        storeId: event.storeId,
        localDay: day,
        fields: { [COUNTER_FIELDS.visits]: 1 },
      },
    ];
    const touchCounters: TouchBump[] = [];
    for (const a of attributed) {
      const ttv = Math.round((event.at - a.grantedAt) / 1000);
      const treated = a.outcome === "sent";
      const online = a.touch !== undefined && a.touch.kind !== "geofence";
      records.push({
        eventId: `attributed:${a.incentiveId}`,
        type: "attributed_visit",
        merchantId: a.merchantId,
        offerId: a.offerId,
        storeId: event.storeId,
        deviceRef: ref,
        at: event.at,
        localDay: day,
        incentiveId: a.incentiveId,
        group: treated ? "treated" : "holdout",
        timeToVisitS: ttv,
        ...(a.touch
          ? {
              channel: a.touch.channel,
              variant: a.touch.variant,
              touch: a.touch.kind,
              ...(a.touch.linkId ? { linkId: a.touch.linkId } : {}),
            }
          : {}),
      });
      // The offer's store funnel counts geofence sends; online touches have their own counters.
      if (!online) {
        counters.push({
          merchantId: a.merchantId,
          offerId: a.offerId,
          storeId: event.storeId,
          localDay: day,
          fields: {
            [treated ? COUNTER_FIELDS.attributedTreated : COUNTER_FIELDS.attributedHoldout]: 1,
            ...(treated ? { [COUNTER_FIELDS.ttvBucket(timeToVisitBucket(ttv))]: 1 } : {}),
            [COUNTER_FIELDS.visits]: 1,
          },
        });
      }
      if (a.touch) {
        touchCounters.push(
          touchBump(a, a.touch, day, {
            [treated ? TOUCH_FIELDS.visitsTreated : TOUCH_FIELDS.visitsHoldout]: 1,
            ...(treated ? { [TOUCH_FIELDS.ttvBucket(timeToVisitBucket(ttv))]: 1 } : {}),
          }),
        );
      }
    }
    // Credit: the visit goes to the last touch whose window covers it (any offer, any channel).
    const credited = lastTouch(open, { at: event.at, storeId: event.storeId });
    if (credited) {
      const touch = credited.touch ?? {
        kind: "geofence" as const,
        channel: GEOFENCE_CHANNEL,
        variant: variantIdOf(undefined),
      };
      records.push({
        eventId: `credit:${ref}:${triggerEventKey(event)}`,
        type: "credited_visit",
        merchantId: credited.merchantId,
        offerId: credited.offerId,
        storeId: event.storeId,
        deviceRef: ref,
        at: event.at,
        localDay: day,
        incentiveId: credited.incentiveId,
        group: credited.outcome === "sent" ? "treated" : "holdout",
        timeToVisitS: Math.round((event.at - credited.grantedAt) / 1000),
        channel: touch.channel,
        variant: touch.variant,
        touch: touch.kind,
        ...(touch.linkId ? { linkId: touch.linkId } : {}),
      });
      touchCounters.push(touchBump(credited, touch, day, { [TOUCH_FIELDS.credited]: 1 }));
    }
    const eventKey = triggerEventKey(event);
    const journeySettings = deps.journeys
      ? effectiveJourneySettings((await deps.settings?.get(event.merchantId))?.journey)
      : undefined;
    // Repeat visits after an attributed one: a later visit day within the attribution window,
    // and a visit in the 30 days after it; each counted once per incentive (treated vs holdout).
    const marks: AttributionMark[] = [];
    for (const a of open) {
      if (a.attributedAt === undefined || !a.storeIds.includes(event.storeId)) continue;
      if (
        a.repeatAt === undefined &&
        event.at <= a.windowEndsAt &&
        day !== localDay(a.attributedAt, tz) &&
        event.at > a.attributedAt
      ) {
        marks.push({ item: a, field: "repeatAt" });
      } else if (
        a.laterAt === undefined &&
        event.at > a.windowEndsAt &&
        event.at <= a.windowEndsAt + REPEAT_FOLLOW_UP_MS
      ) {
        marks.push({ item: a, field: "laterAt" });
      }
    }
    for (const { item: a, field } of marks) {
      const treated = a.outcome === "sent";
      const name =
        field === "repeatAt"
          ? treated
            ? JOURNEY_FIELDS.repeatInWindowTreated
            : JOURNEY_FIELDS.repeatInWindowHoldout
          : treated
            ? JOURNEY_FIELDS.repeatAfterTreated
            : JOURNEY_FIELDS.repeatAfterHoldout;
      if (a.touch === undefined || a.touch.kind === "geofence") {
        counters.push({
          merchantId: a.merchantId,
          offerId: a.offerId,
          storeId: event.storeId,
          localDay: day,
          fields: { [name]: 1 },
        });
      }
      if (a.touch) {
        touchCounters.push(touchBump(a, a.touch, day, { [name]: 1 }));
      }
    }
    {
      // The visit history moves in the visit's own transaction, guarded by the version read.
      let journey: JourneyWrite | undefined;
      const journeyRecords: ConversionRecord[] = [];
      const journeyCounters: CounterBump[] = [];
      let firstVisit = false;
      let stage: string | undefined;
      if (deps.journeys && journeySettings) {
        // Read ahead with the batch's first counters (once: a retry or a second visit at the
        // merchant reads it again), else read now; the write is guarded by its version either way.
        const ahead = batch.journeys.get(event.merchantId);
        batch.journeys.delete(event.merchantId);
        const stored = ahead ?? (await deps.journeys.load(device.deviceId, event.merchantId));
        const visit = { at: event.at, storeId: event.storeId, timeZone: tz };
        const outcome = applyVisit(stored.history, visit, journeySettings, event.merchantId);
        firstVisit = outcome.stageBefore === "prospect";
        stage = outcome.stage;
        journeyRecords.push(
          ...stageRecords(outcome, { merchantId: event.merchantId, deviceRef: ref, eventKey }),
        );
        for (const b of journeyBumps(outcome, { storeId: event.storeId, localDay: day })) {
          journeyCounters.push({ merchantId: event.merchantId, offerId: NO_OFFER, ...b });
        }
        journey = {
          merchantId: event.merchantId,
          history: outcome.history,
          expectedVersion: stored.version,
          expiresAt: Math.ceil(
            (outcome.history.lastVisitAt + HISTORY_RETENTION_DAYS * DAY_MS) / 1000,
          ),
        };
      }
      // Attributed visits that were the person's first at the merchant (first vs returning).
      const firstField = (treated: boolean) =>
        treated ? JOURNEY_FIELDS.firstTreated : JOURNEY_FIELDS.firstHoldout;
      const withFirst = <T extends { fields: Record<string, number> }>(
        bumps: T[],
        isAttributed: (b: T) => boolean | undefined,
      ): T[] =>
        firstVisit
          ? bumps.map((b) => {
              const treated = isAttributed(b);
              return treated === undefined
                ? b
                : { ...b, fields: { ...b.fields, [firstField(treated)]: 1 } };
            })
          : bumps;
      const outcome = await deps.store.recordVisit({
        deviceId: device.deviceId,
        eventKey,
        claimExpiresAt: Math.ceil((now + 3 * DAY_MS) / 1000),
        now: event.at,
        records: [{ ...visitRecord, ...(stage ? { stage } : {}) }, ...records, ...journeyRecords],
        counters: [
          ...withFirst(counters, (b) =>
            b.fields[COUNTER_FIELDS.attributedTreated]
              ? true
              : b.fields[COUNTER_FIELDS.attributedHoldout]
                ? false
                : undefined,
          ),
          ...journeyCounters,
        ],
        touchCounters: withFirst(touchCounters, (b) =>
          b.fields[TOUCH_FIELDS.visitsTreated]
            ? true
            : b.fields[TOUCH_FIELDS.visitsHoldout]
              ? false
              : undefined,
        ),
        attributed,
        ...(marks.length > 0 ? { marks } : {}),
        recordExpiresAt: expiresAt(event.at),
        ...(journey ? { journey } : {}),
        outboxClear: batch.outbox,
      });
      if (outcome === "erased") throw new DeviceErased();
      if (outcome === "committed") {
        if (batch.outbox) batch.outboxCleared = true;
        deps.onOutcome?.("visit");
        if (attributed.length > 0) deps.onOutcome?.("attributed", attributed.length);
      }
      return outcome;
    }
  }

  return {
    async pickupArrived(device, arrival, now) {
      const { merchantId, storeId, pickupId } = arrival;
      const store = (await deps.offers.stores([{ merchantId, storeId }])).get(storeId);
      if (!store || store.merchantId !== merchantId || store.offerIds.length === 0) return [];
      const offers = await deps.offers.offers(
        store.offerIds.map((offerId) => ({ merchantId, offerId })),
      );
      // The store's active pickup offers, each as one trigger of the same arrival.
      const events: TriggerFact[] = [];
      for (const offer of offers.values()) {
        if (!isPickupOffer(offer) || offer.status !== "active") continue;
        if (offer.merchantId !== merchantId || !offer.storeIds.includes(storeId)) continue;
        events.push({
          zoneId: `pickup.${pickupId}.${offer.offerId}`,
          merchantId,
          storeId,
          offerId: offer.offerId,
          at: arrival.at,
          enteredAt: arrival.at,
          type: "pickup_arrived",
        });
      }
      if (events.length === 0) return [];
      return decideGroup(
        device,
        events,
        "pickup_arrived",
        now,
        [pickupArrivalKey(pickupId)],
        newBatchContext(),
      );
    },

    async handle(device, events, now, outbox): Promise<SinkResult> {
      const groups = (["entered", "dwelled"] as const)
        .map((type) => ({
          type,
          events: events.filter(
            (e): e is Extract<ZoneEvent, { type: typeof type }> =>
              e.kind === "trigger" && e.type === type && e.offerId !== undefined,
          ),
        }))
        .filter((g) => g.events.length > 0);
      const visits = events.filter((e) => e.kind === "footprint" && e.type === "dwelled");
      const batch = newBatchContext();
      // The visits' histories are read with the first decision's counters (one request less).
      if (deps.journeys && groups.length > 0) {
        batch.journeysAhead = [...new Set(visits.map((v) => v.merchantId))];
      }
      // The outbox clear rides the last step that may write, once every earlier one is done.
      const steps = groups.length + visits.length;
      let step = 0;
      const nextStep = () => {
        step++;
        batch.outbox = step === steps ? outbox : undefined;
      };
      const incentives: GrantedIncentive[] = [];
      for (const group of groups) {
        nextStep();
        incentives.push(
          ...(await decideGroup(device, group.events, group.type, now, undefined, batch)),
        );
      }
      for (const event of visits) {
        nextStep();
        await recordVisit(device, event, now, batch);
      }
      return { incentives, outboxCleared: batch.outboxCleared };
    },
  };
}
