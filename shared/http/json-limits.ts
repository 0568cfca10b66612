/**
 * Structural limits applied to every JSON request body before and after `JSON.parse`, so a body
 * cannot exhaust the stack of whatever walks it later, nor smuggle keys that mean something to
 * JavaScript objects.
 */
import { ValidationError } from "../errors.ts";

/**
 * Deepest nesting of objects/arrays a body may have. The deepest legitimate body (a GeoJSON
 * MultiPolygon inside an import feature) nests 8 levels; 32 leaves room without letting a
 * 1 MiB body of `[[[[…` reach 500,000 levels.
 */
export const MAX_JSON_DEPTH = 32;

/** Keys that change an object's prototype or constructor when copied with spread/assign. */
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/**
 * Deepest nesting in a JSON text, found by one linear scan that skips string contents (escapes
 * included). Stops as soon as `limit` is exceeded. Works on invalid JSON too (the parser reports
 * that afterwards).
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** The path of the first forbidden key in a parsed body (depth already bounded), or undefined. */
export function forbiddenKeyPath(value: unknown, path: string[] = []): string[] | undefined {
  if (value === null || typeof value !== "object") return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = forbiddenKeyPath(value[i], [...path, String(i)]);
      if (found) return found;
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key)) return [...path, key];
    const found = forbiddenKeyPath((value as Record<string, unknown>)[key], [...path, key]);
    if (found) return found;
  }
  return undefined;
}

/**
 * Parses a JSON body under the limits above. Throws `ValidationError` (400) naming `(body)` when
 * the nesting is deeper than `MAX_JSON_DEPTH`, or naming the offending key's path for
 * `__proto__` / `constructor` / `prototype`. Returns `undefined` for text that is not JSON, so the
 * caller can answer its own malformed-JSON error.
 */
export function parseJsonBody(text: string): { ok: true; value: unknown } | { ok: false } {
  if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) {
    throw ValidationError.field("(body)", `must not nest deeper than ${MAX_JSON_DEPTH} levels`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false };
  }
  const bad = forbiddenKeyPath(value);
  if (bad) throw ValidationError.field(bad.join("/"), "this key is not allowed");
  return { ok: true, value };
}
