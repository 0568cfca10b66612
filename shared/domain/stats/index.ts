export type { GroupCounts, Interval, LiftInput, LiftResult } from "./lift.ts";
export {
  LIFT_METHOD,
  median,
  normalCdf,
  normalQuantile,
  rate,
  twoProportionLift,
  wilsonInterval,
} from "./lift.ts";
