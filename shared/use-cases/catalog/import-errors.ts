import { type FieldIssue, ValidationError } from "../../errors.ts";

/** Where a store-level error path points inside the import body. */
export function importPath(index: number, storePath: string): string {
  const [head, ...rest] = storePath.split("/");
  if (head === "footprint") return ["features", index, "geometry", ...rest].join("/");
  return ["features", index, "properties", storePath].join("/");
}

/** One 400 for every issue of an import (nothing was imported), or the single issue's own message. */
export function importError(issues: FieldIssue[]): ValidationError {
  const features = new Set(issues.map((i) => (i as { index?: number }).index)).size;
  const first = issues[0];
  return new ValidationError(
    issues.length === 1 && first
      ? `${first.path}: ${first.reason}`
      : `${issues.length} errors in ${features} feature(s); nothing was imported.`,
    { issues },
  );
}
