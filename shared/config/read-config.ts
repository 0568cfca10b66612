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
  number: (fallback: number) => z.coerce.number().finite().default(fallback),
  logLevel: z.enum(["DEBUG", "INFO", "WARN", "ERROR", "SILENT"]).default("INFO"),
};
