/**
 * Journey settings: the windows that turn a person's visit history into a stage. Each merchant
 * may change them (`PUT /v1/merchant/settings`, member `journey`); a merchant that never did gets
 * `DEFAULT_JOURNEY_SETTINGS`.
 */
import * as z from "zod";

/** Visit days kept in a history's `days` list: the longest `regularWithinDays` allowed. */
export const HISTORY_DAYS = 90;

/**
 * Days a history is kept after the person's last visit to the merchant (DynamoDB TTL on the
 * item): long enough to see the longest `lapsedAfterDays` pass, short enough to forget people.
 */
export const HISTORY_RETENTION_DAYS = 400;

/** Longest `lapsedAfterDays` / `returningWithinDays` allowed (well inside the retention). */
export const MAX_JOURNEY_WINDOW_DAYS = 365;

export interface JourneySettings {
  /** W: a visit day at most this many days after the previous one makes the person returning. */
  returningWithinDays: number;
  /** k: visit days within the last D days that make a person regular. */
  regularVisits: number;
  /** D: the window (days, today included) the regular count looks at. At most `HISTORY_DAYS`. */
  regularWithinDays: number;
  /** L: a person who was ever regular is lapsed after this many days without a visit. */
  lapsedAfterDays: number;
}

/**
 * Defaults: returning = back within 30 days; regular = 3 visit days in 30 days (about weekly);
 * lapsed = a regular not seen for 45 days (one and a half regular windows, so a regular who
 * merely skips a few weeks is not yet counted as lost).
 */
export const DEFAULT_JOURNEY_SETTINGS: JourneySettings = {
  returningWithinDays: 30,
  regularVisits: 3,
  regularWithinDays: 30,
  lapsedAfterDays: 45,
};

const days = (max: number) => z.number().int().min(1).max(max);

/** The `journey` member of the merchant settings (every field optional: defaults fill in). */
export const journeySettingsInputSchema = z
  .strictObject({
    returningWithinDays: days(MAX_JOURNEY_WINDOW_DAYS)
      .optional()
      .describe("W: a visit day at most W days after the previous one is a return (default 30)"),
    regularVisits: z
      .number()
      .int()
      .min(2)
      .max(HISTORY_DAYS)
      .optional()
      .describe("k: visit days within the last D days that make a regular (default 3)"),
    regularWithinDays: days(HISTORY_DAYS)
      .optional()
      .describe("D: days (today included) the regular count looks back (default 30, max 90)"),
    lapsedAfterDays: days(MAX_JOURNEY_WINDOW_DAYS)
      .optional()
      .describe("L: days without a visit after which a former regular is lapsed (default 45)"),
  })
  .superRefine((s, ctx) => {
    const k = s.regularVisits ?? DEFAULT_JOURNEY_SETTINGS.regularVisits;
    const d = s.regularWithinDays ?? DEFAULT_JOURNEY_SETTINGS.regularWithinDays;
    if (k > d) {
      ctx.addIssue({
        code: "custom",
        message: `must not exceed regularWithinDays (${d}): a person visits at most once a day`,
        path: ["regularVisits"],
      });
    }
  })
  .describe("Journey stage windows (new, returning, regular, lapsed); omitted fields use defaults");
export type JourneySettingsInput = z.output<typeof journeySettingsInputSchema>;

/** The settings in force: the merchant's choices over the defaults. */
export function effectiveJourneySettings(
  input: Partial<JourneySettings> | undefined,
): JourneySettings {
  return { ...DEFAULT_JOURNEY_SETTINGS, ...stripUndefined(input ?? {}) };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
