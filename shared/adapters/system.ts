import { randomBytes } from "node:crypto";
import type { Clock, Random } from "../ports.ts";

/** The real clock, only ever read through the `Clock` port. */
export const systemClock: Clock = { now: () => Date.now() };

/** Cryptographic randomness; ids are prefix + 128 random bits in base64url. */
export const systemRandom: Random = {
  bytes: (length) => new Uint8Array(randomBytes(length)),
  id: (prefix) => `${prefix}_${randomBytes(16).toString("base64url")}`,
};
