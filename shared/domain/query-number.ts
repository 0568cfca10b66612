/**
 * Query-string numbers. `z.coerce.number()` follows JavaScript's `Number()`: `""` becomes 0,
 * `"0x10"` 16, `"1e3"` 1000 and `" 7 "` 7. A query parameter is text a client typed or built,
 * so only plain decimal notation is a number here; anything else is a 400 naming the parameter.
 */
import * as z from "zod";

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const INTEGER = /^[+-]?\d+$/;

/** A query parameter holding a decimal number such as `48.8566`, `-2.35` or `10`. */
export function decimalQuery() {
  return z
    .string({ error: "must be a decimal number" })
    .max(32, "must be a decimal number")
    .regex(DECIMAL, "must be a decimal number such as 48.8566")
    .transform(Number)
    .pipe(z.number().finite());
}

/** A query parameter holding a base-10 integer such as `25`. */
export function integerQuery() {
  return z
    .string({ error: "must be an integer" })
    .max(16, "must be an integer")
    .regex(INTEGER, "must be an integer such as 25")
    .transform(Number)
    .pipe(z.number().int());
}
