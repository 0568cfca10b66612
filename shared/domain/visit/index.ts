/** Ping quality and the per-device, per-zone visit state machine (pure). */

export { nextDueAt, OUTBOX_GRACE_S } from "./due.ts";
export {
  accuracyLimitM,
  assertValidObservations,
  checkJump,
  distanceM,
  dwellSecondsFor,
  exitMarginM,
  hasKnownAccuracy,
  impliedSpeedMps,
  isAccurateFor,
  type JumpCheck,
  minimumSpeedMps,
  reportedSpeedMps,
  type TimedPoint,
} from "./ping-quality.ts";
export { DEFAULT_VISIT_RULES, resolveVisitRules, type VisitRules } from "./rules.ts";
export {
  advanceVisits,
  emptyVisitState,
  emptyVisitStats,
  expireVisits,
  visitTtlSeconds,
} from "./state-machine.ts";
export type * from "./types.ts";
