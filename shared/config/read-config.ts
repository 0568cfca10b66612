import * as z from "zod";

/** Thrown at cold start when the environment is incomplete; the message names every bad variable. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/**
 * Validates `env` against a zod object schema once, at module scope, so a misconfigured function
 * fails on its first cold start with a message naming the variable instead of deep inside a request.
 */
export function readConfig<S extends z.ZodObject>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map(
      (issue) => `${issue.path.join(".") || "(env)"}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid configuration:\n  ${lines.join("\n  ")}`);
  }
  return result.data;
}

const nonEmpty = z.string().trim().min(1, "must be set");

/**
 * A whole number within `[min, max]` (both inclusive), `fallback` when the variable is absent;
 * a value outside the range or not a whole number fails the cold start naming the variable.
 */
function integer(min: number, max: number, fallback: number) {
  return z.coerce.number().int().min(min).max(max).default(fallback);
}

/** Reusable variable definitions; each function composes only what it needs. */
export const configVars = {
  tableName: nonEmpty,
  topicArn: nonEmpty.regex(/^arn:aws[a-z-]*:sns:/, "must be an SNS topic ARN"),
  secret: nonEmpty.min(32, "must be at least 32 characters"),
  optionalString: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === "" ? undefined : v)),
  seconds: (fallback: number) => z.coerce.number().int().positive().default(fallback),
  integer,
  /** Days the conversion log keeps a record before DynamoDB TTL removes it (1 to 3,650, 400). */
  retentionDays: integer(1, 3_650, 400).describe("Days the conversion log keeps a record (TTL)"),
  number: (fallback: number) => z.coerce.number().finite().default(fallback),
  logLevel: z.enum(["DEBUG", "INFO", "WARN", "ERROR", "SILENT"]).default("INFO"),
};
