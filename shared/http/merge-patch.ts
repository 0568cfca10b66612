/**
 * JSON Merge Patch (RFC 7396): a patch document is the changed subset of the resource; `null`
 * removes a member, objects merge member by member, anything else (arrays included) replaces.
 */

/** The media type of a merge patch body (RFC 7396 §4). */
export const MERGE_PATCH_MEDIA_TYPE = "application/merge-patch+json";

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Applies `patch` to `target` exactly as the MergePatch pseudo-code of RFC 7396 §2 does, without
 * mutating either. A non-object patch replaces the target as a whole.
 */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [name, value] of Object.entries(patch)) {
    if (value === null) delete result[name];
    else result[name] = applyMergePatch(result[name], value);
  }
  return result;
}
