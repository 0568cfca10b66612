/**
 * Query-string numbers. `z.coerce.number()` follows JavaScript's `Number()`: `""` becomes 0,
 * `"0x10"` 16, `"1e3"` 1000 and `" 7 "` 7. A query parameter is text a client typed or built,
 * so only plain decimal notation is a number here; anything else is a 400 naming the parameter.
 */
import * as z from "zod";

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const INTEGER = /^[+-]?\d+$/;

/**
 * A query parameter holding a number in plain notation: at most `maxLength` characters matching
 * `pattern`, then checked as `number`. Every refusal says what was expected (`must be <what>`).
 */
function plainNumberQuery(
  what: string,
  example: string,
  maxLength: number,
  pattern: RegExp,
  number: z.ZodNumber,
) {
  return z
    .string({ error: `must be ${what}` })
    .max(maxLength, `must be ${what}`)
    .regex(pattern, `must be ${what} such as ${example}`)
    .transform(Number)
    .pipe(number);
}

/** A query parameter holding a decimal number such as `48.8566`, `-2.35` or `10`. */
export function decimalQuery() {
  return plainNumberQuery("a decimal number", "48.8566", 32, DECIMAL, z.number().finite());
}

/** A query parameter holding a base-10 integer such as `25`. */
export function integerQuery() {
  return plainNumberQuery("an integer", "25", 16, INTEGER, z.number().int());
}
