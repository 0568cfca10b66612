import type * as z from "zod";
import { configVars } from "../config/read-config.ts";

/** One count of a limit set as an environment variable. */
export interface CountVar {
  /** The variable's name. */
  env: string;
  /** Largest value accepted (the smallest is 1); a value outside fails the cold start. */
  max: number;
  /** What is counted, for readers of the configuration. */
  describe: string;
}

type IntegerVar = ReturnType<typeof configVars.integer>;
type SecondsVar = ReturnType<typeof configVars.seconds>;

/**
 * The variables of a fixed-window limit set (a use case's `…Limits`: whole-number counts and a
 * `windowMs`), and the way back from validated config to the limits object.
 *
 * Each count is a whole number in [1, `max`] defaulting to its value in `defaults`; the window is
 * `windowEnv`, whole seconds, defaulting to `defaults.windowMs / 1000`.
 *
 * @returns `shape`, to spread into the function's config schema (`z.object`), and `from(config)`,
 *   the limits with `windowMs` in milliseconds.
 */
export function windowLimitVars<
  L extends { [K in keyof L]: number } & { windowMs: number },
  const C extends { [K in Exclude<keyof L, "windowMs">]: CountVar },
  const W extends string,
>(defaults: L, counts: C, windowEnv: W) {
  const shape: Record<string, z.ZodType> = {
    [windowEnv]: configVars.seconds(defaults.windowMs / 1000),
  };
  for (const [field, count] of Object.entries(counts) as [keyof L, CountVar][]) {
    shape[count.env] = configVars.integer(1, count.max, defaults[field]).describe(count.describe);
  }
  return {
    shape: shape as { [K in keyof C as C[K]["env"]]: IntegerVar } & { [P in W]: SecondsVar },
    from(config: { [K in keyof C as C[K]["env"]]: number } & { [P in W]: number }): L {
      const values = config as Record<string, number>;
      const limits: Record<string, number> = { windowMs: (values[windowEnv] ?? 0) * 1000 };
      for (const [field, count] of Object.entries(counts) as [string, CountVar][]) {
        limits[field] = values[count.env] ?? 0;
      }
      return limits as L;
    },
  };
}
