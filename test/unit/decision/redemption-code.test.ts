import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  formatRedemptionCode,
  generateRedemptionCode,
  isRedemptionCode,
  normalizeRedemptionCode,
  parseRedemptionCode,
  REDEMPTION_CODE_ALPHABET,
  REDEMPTION_CODE_ENTROPY_BITS,
  REDEMPTION_CODE_LENGTH,
} from "../../../shared/domain/decision/redemption-code.ts";
import { validationPaths } from "../../support/validation.ts";

/** Deterministic byte source (mulberry32) standing in for crypto.randomBytes. */
function seededBytes(seed: number): (n: number) => Uint8Array {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return (n) => Uint8Array.from({ length: n }, () => next() & 0xff);
}

/** A byte source that replays a fixed list, then fails loudly. */
function scriptedBytes(bytes: number[]): (n: number) => Uint8Array {
  let i = 0;
  return (n) => {
    const out = bytes.slice(i, i + n);
    i += n;
    return Uint8Array.from(out);
  };
}

const codeArb = fc
  .array(fc.constantFrom(...REDEMPTION_CODE_ALPHABET), {
    minLength: REDEMPTION_CODE_LENGTH,
    maxLength: REDEMPTION_CODE_LENGTH,
  })
  .map((cs) => cs.join(""));

describe("redemption code alphabet and entropy", () => {
  it("has 31 distinct unambiguous upper-case symbols", () => {
    expect(REDEMPTION_CODE_ALPHABET).toHaveLength(31);
    expect(new Set(REDEMPTION_CODE_ALPHABET).size).toBe(31);
    expect(REDEMPTION_CODE_ALPHABET).toMatch(/^[2-9A-Z]+$/);
    for (const ambiguous of ["0", "O", "1", "I", "L"]) {
      expect(REDEMPTION_CODE_ALPHABET).not.toContain(ambiguous);
    }
  });

  it("carries at least 40 bits (10 × log2 31 ≈ 49.54)", () => {
    expect(REDEMPTION_CODE_ENTROPY_BITS).toBeGreaterThanOrEqual(40);
    expect(REDEMPTION_CODE_ENTROPY_BITS).toBeCloseTo(49.542, 3);
  });
});

describe("generateRedemptionCode", () => {
  it("maps accepted bytes modulo 31 and rejects bytes ≥ 248", () => {
    // 248..255 are rejected; 0 → '2', 30 → 'Z', 31 → '2', 247 (= 7·31 + 30) → 'Z'.
    const bytes = [248, 255, 0, 30, 31, 247, 250, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    expect(generateRedemptionCode(scriptedBytes(bytes))).toBe("2Z2Z345678");
  });

  it("is exactly uniform over the 248 accepted byte values", () => {
    const all = Array.from({ length: 248 }, (_, i) => i);
    const counts = new Map<string, number>();
    const source = scriptedBytes([...all, ...all, ...all, ...all, ...all, 0, 0, 0, 0, 0]);
    for (let i = 0; i < (248 * 5) / REDEMPTION_CODE_LENGTH; i++) {
      for (const ch of generateRedemptionCode(source)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
    expect([...counts.values()].every((c) => c === 8 * 5)).toBe(true);
    expect(counts.size).toBe(31);
  });

  it("gives up on a byte source that never yields a usable byte", () => {
    expect(() => generateRedemptionCode((n) => new Uint8Array(n).fill(0xff))).toThrow(/too few/);
    expect(() => generateRedemptionCode(() => new Uint8Array(0))).toThrow(/too few/);
  });

  it("is unbiased-ish over 31,000 seeded draws (chi-square, 30 df, < 59.7 = p 0.001)", () => {
    const source = seededBytes(20260310);
    const counts = new Map<string, number>();
    const draws = 31_000;
    const seen = new Set<string>();
    for (let i = 0; i < draws; i++) {
      const code = generateRedemptionCode(source);
      expect(isRedemptionCode(code)).toBe(true);
      seen.add(code);
      for (const ch of code) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
    const expected = (draws * REDEMPTION_CODE_LENGTH) / 31;
    let chi2 = 0;
    for (const ch of REDEMPTION_CODE_ALPHABET)
      chi2 += ((counts.get(ch) ?? 0) - expected) ** 2 / expected;
    expect(chi2).toBeLessThan(59.7);
    expect(seen.size).toBe(draws); // 49.5 bits: collisions among 31k draws are ~1e-6 likely
  });
});

describe("format / normalize / parse", () => {
  it("formats in groups of four", () => {
    expect(formatRedemptionCode("ABCDEFGHJK")).toBe("ABCD-EFGH-JK");
  });

  it("property: normalize(format(c)) = c", () => {
    fc.assert(
      fc.property(codeArb, (c) => {
        expect(normalizeRedemptionCode(formatRedemptionCode(c))).toBe(c);
      }),
    );
  });

  it("property: lower case and stray spaces or dashes do not matter", () => {
    fc.assert(
      fc.property(
        codeArb,
        fc.array(fc.constantFrom(" ", "-", "\u2013", "\u00a0", "\t", "_"), {
          minLength: REDEMPTION_CODE_LENGTH + 1,
          maxLength: REDEMPTION_CODE_LENGTH + 1,
        }),
        (c, seps) => {
          const typed = [...c.toLowerCase()].map((ch, i) => `${seps[i]}${ch}`).join("") + seps[10];
          expect(normalizeRedemptionCode(typed)).toBe(c);
        },
      ),
    );
  });

  it("maps full-width and Cyrillic/Greek lookalikes to Latin", () => {
    expect(normalizeRedemptionCode("ＡＢＣＤ－２３４５")).toBe("ABCD2345");
    // Cyrillic А В С Е Н К М Р Т Х and Greek Ζ Ν.
    expect(normalizeRedemptionCode("АВСЕ-НКМР-ТХ")).toBe("ABCEHKMPTX");
    expect(normalizeRedemptionCode("авсе нкмр тх")).toBe("ABCEHKMPTX");
    expect(normalizeRedemptionCode("ΖΝ")).toBe("ZN");
  });

  it("leaves characters that never occur (0, O, 1, I, L) so validation rejects them", () => {
    expect(normalizeRedemptionCode("abcd-efgh-j0")).toBe("ABCDEFGHJ0");
    expect(isRedemptionCode("ABCDEFGHJ0")).toBe(false);
    expect(isRedemptionCode("ABCDEFGHJO")).toBe(false);
    expect(isRedemptionCode("ABCDEFGHJ")).toBe(false);
    expect(isRedemptionCode("ABCDEFGHJK")).toBe(true);
  });

  it("parseRedemptionCode returns the canonical code or a ValidationError naming the field", () => {
    expect(parseRedemptionCode(" abcd efgh jk ")).toBe("ABCDEFGHJK");
    expect(validationPaths(() => parseRedemptionCode("ABCD-EFGH-J1", "body/code"))[0]).toBe(
      "body/code",
    );
  });
});
