/**
 * Redemption codes: short enough to read out at a till, long enough that guessing one is
 * hopeless (rate limiting at the redemption API does the rest).
 */
import { ValidationError } from "../../errors.ts";

/**
 * 31 symbols: digits 2–9 and A–Z without I, L and O. Both members of the 0/O and 1/I/L pairs
 * are excluded, so a code never contains a character that can be misread as another one.
 */
export const REDEMPTION_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/** Symbols per code. */
export const REDEMPTION_CODE_LENGTH = 10;

/** log2(31) × 10 ≈ 49.54 bits: ~7.3e14 codes, so 1e6 live codes leave a ~1.4e-9 guess chance. */
export const REDEMPTION_CODE_ENTROPY_BITS =
  REDEMPTION_CODE_LENGTH * Math.log2(REDEMPTION_CODE_ALPHABET.length);

/** Symbols per printed group ("ABCD-EFGH-JK"). */
const GROUP = 4;

/** Bytes ≥ this are rejected: 248 = 8 × 31, so each accepted byte maps to a symbol uniformly. */
const ACCEPT_BELOW = 256 - (256 % REDEMPTION_CODE_ALPHABET.length);

/** Guard against a broken byte source (e.g. one that returns only 0xFF): give up, never loop. */
const MAX_ROUNDS = 64;

/**
 * Draws a new code from an injected source of cryptographic bytes (`crypto.randomBytes` in
 * production, a seeded PRNG in tests). Rejection sampling keeps every symbol exactly uniform —
 * `byte % 31` alone would favour the first 8 symbols by 3 %.
 */
export function generateRedemptionCode(randomBytes: (n: number) => Uint8Array): string {
  let code = "";
  for (let round = 0; round < MAX_ROUNDS && code.length < REDEMPTION_CODE_LENGTH; round++) {
    // Exactly the missing count: one round suffices ~73 % of the time, and no byte is wasted.
    const bytes = randomBytes(REDEMPTION_CODE_LENGTH - code.length);
    for (const b of bytes) {
      if (b >= ACCEPT_BELOW) continue;
      code += REDEMPTION_CODE_ALPHABET[b % REDEMPTION_CODE_ALPHABET.length];
      if (code.length === REDEMPTION_CODE_LENGTH) break;
    }
  }
  if (code.length < REDEMPTION_CODE_LENGTH) {
    throw new Error("random byte source returned too few usable bytes");
  }
  return code;
}

/** Characters from other scripts that render like Latin capitals (after upper-casing). */
const HOMOGLYPHS: Readonly<Record<string, string>> = {
  // Cyrillic
  А: "A",
  В: "B",
  Е: "E",
  К: "K",
  М: "M",
  Н: "H",
  Р: "P",
  С: "C",
  Т: "T",
  Х: "X",
  У: "Y",
  Ѕ: "S",
  Ј: "J",
  Ԛ: "Q",
  Ԝ: "W",
  // Greek
  Α: "A",
  Β: "B",
  Ε: "E",
  Ζ: "Z",
  Η: "H",
  Κ: "K",
  Μ: "M",
  Ν: "N",
  Ρ: "P",
  Τ: "T",
  Υ: "Y",
  Χ: "X",
};

/** Whitespace and every dash a keyboard or a word processor may produce. */
const SEPARATORS = /[\s\-_\u2010-\u2015\u2212]/gu;

/**
 * Canonical form of what a cashier typed or a phone pasted: Unicode compatibility forms folded
 * (full-width "ＡＢ" → "AB"), upper-cased, Cyrillic/Greek lookalikes mapped to Latin, spaces and
 * dashes removed. Characters that never occur in codes (0, O, 1, I, L) are left in place —
 * there is no unique symbol they could stand for — so `isRedemptionCode` rejects the result.
 */
export function normalizeRedemptionCode(input: string): string {
  let out = "";
  for (const ch of input.normalize("NFKC").toUpperCase().replace(SEPARATORS, "")) {
    out += HOMOGLYPHS[ch] ?? ch;
  }
  return out;
}

/** True for a canonical code: exactly 10 symbols of the alphabet. */
export function isRedemptionCode(code: string): boolean {
  if (code.length !== REDEMPTION_CODE_LENGTH) return false;
  for (const ch of code) if (!REDEMPTION_CODE_ALPHABET.includes(ch)) return false;
  return true;
}

/**
 * Normalises user input and checks it is a well-formed code, so lookups never hit the database
 * with garbage. Throws ValidationError naming `path`.
 */
export function parseRedemptionCode(input: string, path = "code"): string {
  const code = normalizeRedemptionCode(input);
  if (!isRedemptionCode(code)) {
    throw ValidationError.field(
      path,
      `must be ${REDEMPTION_CODE_LENGTH} characters from ${REDEMPTION_CODE_ALPHABET} (dashes and spaces are ignored)`,
    );
  }
  return code;
}

/** Display form in groups of four ("ABCD-EFGH-JK"), easier to read aloud and to copy. */
export function formatRedemptionCode(code: string): string {
  const groups: string[] = [];
  for (let i = 0; i < code.length; i += GROUP) groups.push(code.slice(i, i + GROUP));
  return groups.join("-");
}

/** How an offer's incentives carry codes (the offer's `redemption` settings). */
export interface CodePolicy {
  codeKind: "unique" | "static";
  /** The code everyone gets when `codeKind` is `static`. */
  staticCode?: string | undefined;
  /** Hours a code stays redeemable after it is issued. */
  expiresAfterHours: number;
}

/**
 * The code of an incentive sent at `nowMs` (epoch ms): a fresh unique code (from
 * `randomBytes`) or the offer's static one, expiring `expiresAfterHours` later. The code's life
 * runs from the moment it is sent, never from the event time.
 */
export function issueCode(
  policy: CodePolicy,
  nowMs: number,
  randomBytes: (n: number) => Uint8Array,
): { code: string | undefined; codeKind: "unique" | "static"; expiresAtMs: number } {
  return {
    code: policy.codeKind === "unique" ? generateRedemptionCode(randomBytes) : policy.staticCode,
    codeKind: policy.codeKind,
    expiresAtMs: nowMs + policy.expiresAfterHours * 3_600_000,
  };
}
