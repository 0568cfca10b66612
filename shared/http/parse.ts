import type { z } from "zod";
import { type FieldIssue, formatPath, ValidationError } from "../errors.ts";

export { formatPath };

/** Converts zod issues to field issues; unknown keys name each offending field. */
export function zodIssues(error: z.ZodError, prefix = ""): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        issues.push({ path: formatPath(prefix, [...issue.path, key]), reason: "unknown field" });
      }
      continue;
    }
    issues.push({ path: formatPath(prefix, issue.path), reason: issue.message });
  }
  return issues;
}

/**
 * Parses untrusted input with a zod schema and throws one `ValidationError` naming every bad
 * field, so handlers never see half-valid data.
 */
export function parseWith<S extends z.ZodType>(
  schema: S,
  input: unknown,
  prefix = "",
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = zodIssues(result.error, prefix);
  const first = issues[0];
  const detail =
    issues.length === 1 && first
      ? `${first.path}: ${first.reason}`
      : `${issues.length} invalid fields: ${issues.map((i) => i.path).join(", ")}`;
  throw new ValidationError(detail, { issues });
}
