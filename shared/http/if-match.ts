/**
 * `If-Match` and `ETag`: optimistic concurrency of versioned resources over HTTP (RFC 9110
 * §13.1.1, RFC 6585 §3 for 428).
 */
import { PreconditionRequiredError, ValidationError } from "../errors.ts";

/**
 * The version an `If-Match` header demands, or undefined without one. Accepts the ETag we send
 * (`"3"`, weak `W/"3"`) and a bare `3`; `*` means "any version".
 */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (value === "*" || value === "") return undefined;
  const m = /^(?:W\/)?"?(\d{1,15})"?$/.exec(value);
  const version = m ? Number(m[1]) : Number.NaN;
  if (!Number.isSafeInteger(version) || version < 1) {
    throw ValidationError.field("If-Match", 'must be the ETag of the resource, such as "3"');
  }
  return version;
}

/** The ETag header value for a version (strong: a version names one exact representation). */
export function etag(version: number): string {
  return `"${version}"`;
}

/**
 * The version a replacement (PUT) must name: a PUT rewrites the whole resource, so without
 * `If-Match` a client working from an old copy would silently erase what others changed
 * (RFC 6585 §3: 428 Precondition Required). `*` is an explicit "whatever the current version".
 */
export function requireIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === "") {
    throw new PreconditionRequiredError(
      'If-Match: required; send the ETag of the version you are replacing, such as "3" (GET returns it)',
      { issues: [{ path: "If-Match", reason: "is required for a replacement (PUT)" }] },
    );
  }
  return parseIfMatch(header);
}
