/**
 * How a visit's journey outcome reaches the footfall conversion log and the report counters
 * (store × store-local day, offer "-"): what the journey reports add up.
 */
import type { ConversionRecord } from "../conversion.ts";
import type { JourneyStage, VisitOutcome } from "./stage.ts";

/** Gap histogram: exact days up to this, longer gaps land in this last bucket. */
export const MAX_GAP_BUCKET_DAYS = 366;

/** Counter attribute names of the journey on the store/day counters. */
export const JOURNEY_FIELDS = {
  /** Counted journey visits (first visit of a person on a store-local day). */
  visitDays: "jVisitDays",
  /** Counted journey visits by someone who had a visit day before (within the history). */
  repeatDays: "jRepeatDays",
  /** Counted journey visits by the stage right after the visit (visitor-days by stage). */
  visitsAs: (stage: JourneyStage) => `jAs_${stage}`,
  /** Transitions into a stage (not `lapsed`: see `lapsed`). */
  into: (stage: JourneyStage) => `jTo_${stage}`,
  /** Lapses on their lapse day, counted ahead and taken back when the person returns in time. */
  lapsed: "jLapsed",
  /** Days between a repeat visit day and the visit day before it (exact days, capped). */
  gap: (days: number) => `jGap_${Math.min(Math.max(days, 1), MAX_GAP_BUCKET_DAYS)}`,
  /**
   * Attributed visits (offer counters, touch counters) that were the person's first visit to
   * the merchant in the kept history, by group; the rest of the attributed visits are returning.
   */
  firstTreated: "jFirstTreated",
  firstHoldout: "jFirstHoldout",
  /**
   * Sends / holdouts whose person came back on a later day within the attribution window after
   * the attributed visit (once per incentive; counted on the day of the repeat visit).
   */
  repeatInWindowTreated: "jRepeatWinTreated",
  repeatInWindowHoldout: "jRepeatWinHoldout",
  /** Sends / holdouts whose person, after an attributed visit, came back in the 30 days after the window. */
  repeatAfterTreated: "jRepeatAfterTreated",
  repeatAfterHoldout: "jRepeatAfterHoldout",
} as const;

/** Counter increments of one journey outcome, per store × store-local day. */
export interface JourneyBump {
  storeId: string;
  localDay: string;
  fields: Record<string, number>;
}

/** The counter increments a visit's outcome makes (none for a visit on a day already counted). */
export function journeyBumps(
  outcome: VisitOutcome,
  visit: { storeId: string; localDay: string },
): JourneyBump[] {
  const bumps: JourneyBump[] = [];
  if (outcome.counted) {
    const fields: Record<string, number> = { [JOURNEY_FIELDS.visitDays]: 1 };
    if (outcome.stage !== "prospect") fields[JOURNEY_FIELDS.visitsAs(outcome.stage)] = 1;
    if (outcome.history.visitDays > 1) fields[JOURNEY_FIELDS.repeatDays] = 1;
    if (outcome.gapDays !== undefined) fields[JOURNEY_FIELDS.gap(outcome.gapDays)] = 1;
    bumps.push({ ...visit, fields });
  }
  for (const t of outcome.transitions) {
    if (t.to === "lapsed") continue; // counted ahead on its lapse day
    bumps.push({
      storeId: t.storeId,
      localDay: t.localDay,
      fields: { [JOURNEY_FIELDS.into(t.to)]: 1 },
    });
  }
  if (outcome.lapseUndone) {
    bumps.push({ ...outcome.lapseUndone, fields: { [JOURNEY_FIELDS.lapsed]: -1 } });
  }
  if (outcome.lapseScheduled) {
    bumps.push({ ...outcome.lapseScheduled, fields: { [JOURNEY_FIELDS.lapsed]: 1 } });
  }
  return bumps;
}

/**
 * The `stage_changed` log records of a visit's outcome. Event ids are stable per device, merchant
 * and visit (`eventKey`), so a replayed visit writes the same records.
 */
export function stageRecords(
  outcome: VisitOutcome,
  context: { merchantId: string; deviceRef: string; eventKey: string },
): ConversionRecord[] {
  return outcome.transitions.map((t) => ({
    eventId:
      t.to === "lapsed"
        ? `lapse:${context.deviceRef}:${t.localDay}`
        : `stage:${context.deviceRef}:${context.eventKey}`,
    type: "stage_changed" as const,
    merchantId: context.merchantId,
    storeId: t.storeId,
    deviceRef: context.deviceRef,
    at: t.at,
    localDay: t.localDay,
    stage: t.to,
    previousStage: t.from,
  }));
}
