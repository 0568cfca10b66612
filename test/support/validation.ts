import { expect } from "vitest";
import type * as z from "zod";
import { ValidationError } from "../../shared/errors.ts";
import { parseWith } from "../../shared/http/parse.ts";

/**
 * The field paths (JSON-path style, `pings/1/lat`) of the {@link ValidationError} that `fn`
 * throws, in the order reported; the test fails when `fn` throws anything else or nothing.
 */
export function validationPaths(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return ((error as ValidationError).issues ?? []).map((issue) => issue.path);
  }
  throw new Error("expected a ValidationError");
}

/**
 * The field paths, sorted, that `schema` rejects `body` with when parsed the way handlers parse
 * requests (`parseWith`: one {@link ValidationError} naming every field); `[]` when it accepts it.
 */
export function rejectedPaths(schema: z.ZodType, body: unknown): string[] {
  try {
    parseWith(schema, body);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return ((error as ValidationError).issues ?? []).map((issue) => issue.path).sort();
  }
  return [];
}

/** The field paths a problem+json handler result names in its `errors`, sorted. */
export function problemPaths(result: { body?: string | undefined } | undefined): string[] {
  const problem = JSON.parse(result?.body ?? "null") as { errors?: { path: string }[] } | null;
  return (problem?.errors ?? []).map((e) => e.path).sort();
}
