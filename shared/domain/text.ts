/**
 * Display strings: text a merchant types that a shopper (or a clerk, or an analyst) later sees —
 * push titles and bodies, offer and store names. They must not carry control characters (which
 * break notification layouts and log lines) nor Unicode bidirectional overrides/embeddings/isolates,
 * which can make a title read differently from what it contains (CVE-2021-42574 "Trojan Source",
 * Unicode TR #9 / UTS #39 §5.5 on bidi controls).
 */
import * as z from "zod";

/**
 * Whether a code point is refused in every display string: C0 controls except TAB/LF/CR, DEL,
 * C1 controls, the bidi embeddings/overrides U+202A–U+202E, the isolates U+2066–U+2069, and the
 * line/paragraph separators U+2028/U+2029. The marks U+200E/U+200F (LRM/RLM) stay allowed:
 * right-to-left text legitimately needs them.
 */
function isForbidden(cp: number): boolean {
  return (
    (cp < 0x20 && cp !== 0x09 && cp !== 0x0a && cp !== 0x0d) ||
    (cp >= 0x7f && cp <= 0x9f) ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2066 && cp <= 0x2069) ||
    cp === 0x2028 ||
    cp === 0x2029
  );
}

/** Why `text` is not a clean display string, or undefined when it is. */
export function displayTextProblem(text: string, multiline: boolean): string | undefined {
  if (!text.isWellFormed()) return "must be well-formed Unicode text";
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (isForbidden(cp)) {
      return "must not contain control characters or bidirectional override characters";
    }
    if (!multiline && (cp === 0x09 || cp === 0x0a || cp === 0x0d)) {
      return "must be a single line (no tabs or line breaks)";
    }
  }
  return undefined;
}

/**
 * A trimmed display string of `min`–`max` characters (UTF-16 code units, as JavaScript counts).
 * `multiline` allows TAB, LF and CR (a push body); titles and names are single-line.
 */
export function displayText(options: { min: number; max: number; multiline?: boolean }) {
  const multiline = options.multiline ?? false;
  return z
    .string()
    .trim()
    .min(options.min)
    .max(options.max)
    .superRefine((text, ctx) => {
      const problem = displayTextProblem(text, multiline);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    });
}
