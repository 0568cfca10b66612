/**
 * The visitor journey of one pseudonymous device at one merchant: a small visit history (no
 * coordinates) and the stage it puts the person in. Pure: the clock is an argument.
 *
 * What counts: a visit is a footprint dwell (`visited` in the conversion log). The journey
 * counts visit DAYS — at most one per merchant and store-local day — so a person walking in and
 * out three times on Saturday made one journey visit (`visits` still counts all three).
 *
 * Stages at instant `now`, with settings W, k, D, L (see `JourneySettings`), first match wins:
 * - `prospect` — no visit in the history (none kept, or never seen);
 * - `regular` — at least k visit days in the last D days (days `today - D + 1` … `today`);
 * - `lapsed` — was regular at some visit in the history, and no visit for at least L days
 *   (`today - lastDay >= L`: the L days after the last visit day all passed without one);
 * - `returning` — at least two visit days, and the last one came at most W days after the one
 *   before (`lastDay - previousDay <= W`), or the person was once regular (a won-back regular);
 * - `new` — one visit day, or a visit day more than W days after the previous one (the old
 *   visit is too far back to call this one a return: the journey starts over).
 *
 * Days are store-local calendar days (the zone of the store visited last), counted as integers.
 */
import { localDay, startOfLocalDate } from "../decision/local-time.ts";
import { HISTORY_DAYS, type JourneySettings } from "./settings.ts";

/** Stages a visited person can be in. */
export const JOURNEY_STAGES = ["new", "returning", "regular", "lapsed"] as const;
export type JourneyStage = (typeof JOURNEY_STAGES)[number];

/** Stages an offer may target: the journey stages, and `prospect` (never visited). */
export const TARGET_STAGES = ["prospect", ...JOURNEY_STAGES] as const;
export type TargetStage = (typeof TARGET_STAGES)[number];

const DAY_MS = 86_400_000;

/** Integer day number (days since 1970-01-01) of a `YYYY-MM-DD` calendar date. */
export function dayNumberOfDate(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

/** The calendar date (`YYYY-MM-DD`) of a day number. */
export function dateOfDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Day number of the local calendar day of `instantMs` in `timeZone`. */
export function localDayNumber(instantMs: number, timeZone: string): number {
  return dayNumberOfDate(localDay(instantMs, timeZone));
}

/** A lapse counted in advance on the counters of `storeId` × `localDay` (see `applyVisit`). */
export interface ScheduledLapse {
  localDay: string;
  storeId: string;
}

/**
 * One device's history at one merchant, as stored (devices table, the device's partition, so
 * erasing the device erases it; TTL `HISTORY_RETENTION_DAYS` after the last visit).
 */
export interface JourneyHistory {
  schema: 1;
  merchantId: string;
  /** Epoch ms of the first and the latest recorded visit. */
  firstVisitAt: number;
  lastVisitAt: number;
  /** Every recorded visit (footprint dwell), several a day possible. */
  visits: number;
  /** Distinct visit days: the journey's visit count. */
  visitDays: number;
  /** Visit day numbers within the `HISTORY_DAYS` up to `lastDay`, ascending, no duplicates. */
  days: number[];
  /** Day number of the latest visit day, and of the visit day before it. */
  lastDay: number;
  previousDay?: number | undefined;
  /** IANA zone of the store visited last: the calendar the days are read in. */
  timeZone: string;
  lastStoreId: string;
  /** Stage right after the latest visit (the `from` of the next transition). */
  stage: JourneyStage;
  /** Epoch ms of the latest visit at which the person was regular (once regular, can lapse). */
  regularAt?: number | undefined;
  /** The lapse counted ahead for the latest visit (former regulars only). */
  lapse?: ScheduledLapse | undefined;
}

/**
 * The stage of a history at `now` (see the module comment for the rules and their order).
 * `undefined` history = `prospect`.
 */
export function journeyStage(
  history: JourneyHistory | undefined,
  settings: JourneySettings,
  now: number,
): TargetStage {
  if (!history) return "prospect";
  const today = localDayNumber(now, history.timeZone);
  const from = today - settings.regularWithinDays;
  let recent = 0;
  for (const d of history.days) if (d > from && d <= today) recent++;
  if (recent >= settings.regularVisits) return "regular";
  if (history.regularAt !== undefined && today - history.lastDay >= settings.lapsedAfterDays) {
    return "lapsed";
  }
  if (
    history.previousDay !== undefined &&
    (history.lastDay - history.previousDay <= settings.returningWithinDays ||
      history.regularAt !== undefined)
  ) {
    return "returning";
  }
  return "new";
}

/** A stage change, logged as a `stage_changed` conversion. */
export interface StageTransition {
  from: TargetStage;
  to: JourneyStage;
  /** When it happened (epoch ms): the visit, or the start of the lapse day for `lapsed`. */
  at: number;
  /** The store the transition is counted at (the visit's; for a lapse, the last visit's). */
  storeId: string;
  /** Store-local day of `at`. */
  localDay: string;
}

/** A visit as the journey sees it: when, at which store, in which zone. */
export interface JourneyVisit {
  at: number;
  storeId: string;
  timeZone: string;
}

export interface VisitOutcome {
  history: JourneyHistory;
  /** First visit of its store-local day: it counts as a journey visit. */
  counted: boolean;
  /** Stage just before the visit (evaluated at the visit instant), and just after. */
  stageBefore: TargetStage;
  stage: TargetStage;
  /** In time order: a lapse that happened since the last visit, then the visit's own change. */
  transitions: StageTransition[];
  /** Days since the previous visit day (counted repeat visits only). */
  gapDays?: number | undefined;
  /** A lapse counted ahead that did not happen (the person came back in time): take it back. */
  lapseUndone?: ScheduledLapse | undefined;
  /** A lapse to count ahead now (the person is, or was, regular). */
  lapseScheduled?: ScheduledLapse | undefined;
}

/**
 * Folds one visit into a history. Visits normally arrive in time order; a late visit (older than
 * the latest, e.g. a phone that was offline) still counts its day but changes no stage and logs
 * no transition (the stages it would have changed were already reported).
 *
 * Lapses are counted ahead: after each visit of a (former) regular, the lapse that will happen
 * if the person does not come back is scheduled on day `lastDay + L` of the store visited, and
 * taken back by the next visit if it comes before that day. A report over a past period thus
 * counts exactly the lapses that happened in it, with no sweep and no scan.
 */
export function applyVisit(
  previous: JourneyHistory | undefined,
  visit: JourneyVisit,
  settings: JourneySettings,
  merchantId: string,
): VisitOutcome {
  const day = localDayNumber(visit.at, visit.timeZone);
  const stageBefore = journeyStage(previous, settings, visit.at);
  if (!previous) {
    const history: JourneyHistory = {
      schema: 1,
      merchantId,
      firstVisitAt: visit.at,
      lastVisitAt: visit.at,
      visits: 1,
      visitDays: 1,
      days: [day],
      lastDay: day,
      timeZone: visit.timeZone,
      lastStoreId: visit.storeId,
      stage: "new",
    };
    const stage = journeyStage(history, settings, visit.at) as JourneyStage;
    history.stage = stage;
    if (stage === "regular") history.regularAt = visit.at;
    const lapse = scheduleLapse(history, settings);
    if (lapse) history.lapse = lapse;
    return {
      history,
      counted: true,
      stageBefore,
      stage,
      transitions: [transition("prospect", stage, visit, day)],
      ...(lapse ? { lapseScheduled: lapse } : {}),
    };
  }

  const known = previous.days.includes(day) || day === previous.lastDay;
  if (day < previous.lastDay || (day === previous.lastDay && visit.at < previous.lastVisitAt)) {
    // A late visit: its day counts if it is new, nothing else moves.
    const history: JourneyHistory = {
      ...previous,
      firstVisitAt: Math.min(previous.firstVisitAt, visit.at),
      visits: previous.visits + 1,
      visitDays: previous.visitDays + (known ? 0 : 1),
      days: known ? previous.days : keepDays([...previous.days, day], previous.lastDay),
    };
    return { history, counted: !known, stageBefore, stage: stageBefore, transitions: [] };
  }
  if (known) {
    // Another visit on the latest visit day: not a new journey visit.
    const history: JourneyHistory = {
      ...previous,
      lastVisitAt: visit.at,
      visits: previous.visits + 1,
    };
    return { history, counted: false, stageBefore, stage: stageBefore, transitions: [] };
  }

  const transitions: StageTransition[] = [];
  let from: TargetStage = previous.stage;
  let lapseUndone: ScheduledLapse | undefined;
  if (previous.lapse) {
    const lapseDay = dayNumberOfDate(previous.lapse.localDay);
    if (day < lapseDay) lapseUndone = previous.lapse;
    else {
      const at = startOfLocalDate(previous.lapse.localDay, previous.timeZone);
      transitions.push({
        from: previous.stage,
        to: "lapsed",
        at,
        storeId: previous.lapse.storeId,
        localDay: previous.lapse.localDay,
      });
      from = "lapsed";
    }
  }
  const history: JourneyHistory = {
    schema: 1,
    merchantId,
    firstVisitAt: previous.firstVisitAt,
    lastVisitAt: visit.at,
    visits: previous.visits + 1,
    visitDays: previous.visitDays + 1,
    days: keepDays([...previous.days, day], day),
    lastDay: day,
    previousDay: previous.lastDay,
    timeZone: visit.timeZone,
    lastStoreId: visit.storeId,
    stage: "new",
    ...(previous.regularAt !== undefined ? { regularAt: previous.regularAt } : {}),
  };
  const stage = journeyStage(history, settings, visit.at) as JourneyStage;
  history.stage = stage;
  if (stage === "regular") history.regularAt = visit.at;
  const lapse = scheduleLapse(history, settings);
  if (lapse) history.lapse = lapse;
  if (stage !== from) transitions.push(transition(from, stage, visit, day));
  return {
    history,
    counted: true,
    stageBefore,
    stage,
    transitions,
    gapDays: day - previous.lastDay,
    ...(lapseUndone ? { lapseUndone } : {}),
    ...(lapse ? { lapseScheduled: lapse } : {}),
  };
}

function transition(
  from: TargetStage,
  to: JourneyStage,
  visit: JourneyVisit,
  day: number,
): StageTransition {
  return { from, to, at: visit.at, storeId: visit.storeId, localDay: dateOfDayNumber(day) };
}

/** The days worth keeping: the `HISTORY_DAYS` up to `lastDay`, ascending, unique. */
function keepDays(days: number[], lastDay: number): number[] {
  return [...new Set(days)].filter((d) => d > lastDay - HISTORY_DAYS).sort((a, b) => a - b);
}

function scheduleLapse(
  history: JourneyHistory,
  settings: JourneySettings,
): ScheduledLapse | undefined {
  if (history.regularAt === undefined) return undefined;
  return {
    localDay: dateOfDayNumber(history.lastDay + settings.lapsedAfterDays),
    storeId: history.lastStoreId,
  };
}
