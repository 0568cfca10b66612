export type {
  Decision,
  DecisionConfig,
  DecisionInput,
  OfferCounters,
  Suppression,
  SuppressionReason,
  TriggerEventType,
} from "./decide.ts";
export {
  capWindowKeys,
  DEFAULT_DECISION_CONFIG,
  decide,
  effectiveDeviceTimeZone,
  SUPPRESSION_REASONS,
  triggerEventOf,
} from "./decide.ts";
export { HOLDOUT_BUCKETS, holdoutBucket, isHeldOut, MAX_HOLDOUT_PERCENT } from "./holdout.ts";
export {
  isQuietHours,
  isValidTimeZone,
  isWithinSchedule,
  localDay,
  minutesOfDay,
  parseInstant,
  startOfLocalDate,
  startOfNextLocalDay,
} from "./local-time.ts";
export { isOfferLive } from "./offer-live.ts";
export type {
  DailySpan,
  DecisionOffer,
  OfferStatus,
  TriggerOn,
  Weekday,
  WeeklySchedule,
  WeeklyWindow,
} from "./offer-rules.ts";
export {
  holdoutPercentSchema,
  localEndTimeSchema,
  localStartTimeSchema,
  quietHoursSchema,
  WEEKDAYS,
  weekdaySchema,
  weeklyScheduleSchema,
  weeklyWindowSchema,
} from "./offer-rules.ts";
export {
  formatRedemptionCode,
  generateRedemptionCode,
  isRedemptionCode,
  normalizeRedemptionCode,
  parseRedemptionCode,
  REDEMPTION_CODE_ALPHABET,
  REDEMPTION_CODE_ENTROPY_BITS,
  REDEMPTION_CODE_LENGTH,
} from "./redemption-code.ts";
