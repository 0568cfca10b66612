import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cursorCodec } from "../../../shared/http/cursor.ts";
import { validationPaths } from "../../support/validation.ts";

const codec = cursorCodec("k".repeat(40));
const key = { pk: "MERCHANT#m_a", sk: "STORE#st_0123456789" };

/** The field a rejected cursor is reported under. */
function rejectedPath(fn: () => unknown): string | undefined {
  return validationPaths(fn)[0];
}

describe("pagination cursors", () => {
  it("round-trips the key for the merchant and listing it was issued to", () => {
    const cursor = codec.encode("m_a", "stores", key);
    expect(cursor).toMatch(/^[A-Za-z0-9_.-]+$/);
    expect(codec.decode("m_a", "stores", cursor)).toEqual(key);
  });

  it("refuses a cursor of another merchant, another listing or another secret", () => {
    const cursor = codec.encode("m_a", "stores", key);
    expect(rejectedPath(() => codec.decode("m_b", "stores", cursor))).toBe("cursor");
    expect(rejectedPath(() => codec.decode("m_a", "offers", cursor))).toBe("cursor");
    const other = cursorCodec("z".repeat(40));
    expect(rejectedPath(() => other.decode("m_a", "stores", cursor))).toBe("cursor");
  });

  it("refuses a key edited to point into another tenant's partition", () => {
    const cursor = codec.encode("m_a", "stores", key);
    const [version, , mac] = cursor.split(".");
    const forgedKey = { pk: "MERCHANT#m_b", sk: "STORE#st_0123456789" };
    const forged = `${version}.${Buffer.from(JSON.stringify(forgedKey)).toString("base64url")}.${mac}`;
    expect(rejectedPath(() => codec.decode("m_a", "stores", forged))).toBe("cursor");
  });

  it("refuses garbage", () => {
    for (const bad of [
      "",
      "x",
      "1..",
      "1.e30.",
      "2.abc.def",
      "1.a.b.c",
      "1.!!.??",
      "1".repeat(3000),
    ]) {
      expect(rejectedPath(() => codec.decode("m_a", "stores", bad))).toBe("cursor");
    }
  });

  it("rejects every single-character change (property)", () => {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.nat(),
        fc.nat({ max: alphabet.length - 1 }),
        (pk, sk, at, ch) => {
          const cursor = codec.encode("m_a", "stores", { pk, sk });
          expect(codec.decode("m_a", "stores", cursor)).toEqual({ pk, sk });
          const i = at % cursor.length;
          const replacement = alphabet[ch] as string;
          fc.pre(cursor[i] !== replacement);
          const mutated = cursor.slice(0, i) + replacement + cursor.slice(i + 1);
          expect(rejectedPath(() => codec.decode("m_a", "stores", mutated))).toBe("cursor");
        },
      ),
      { numRuns: 500 },
    );
  });

  it("refuses a short secret at cold start", () => {
    expect(() => cursorCodec("short")).toThrow(/32 characters/);
  });
});
