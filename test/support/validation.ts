import { expect } from "vitest";
import { ValidationError } from "../../shared/errors.ts";

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
