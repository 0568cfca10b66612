/**
 * The non-body parts of catalog requests (query strings, `If-Match`), validated with the same
 * problem vocabulary as bodies so every 4xx names its field.
 */
import * as z from "zod";
import { PreconditionRequiredError, ValidationError } from "../../errors.ts";
import { integerQuery } from "../query-number.ts";

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

/** `GET /v1/stores` and `GET /v1/offers` query. */
export const listQuerySchema = z
  .strictObject({
    limit: integerQuery()
      .pipe(
        z
          .number()
          .min(1, `must be between 1 and ${MAX_PAGE_SIZE}`)
          .max(MAX_PAGE_SIZE, `must be between 1 and ${MAX_PAGE_SIZE}`),
      )
      .default(DEFAULT_PAGE_SIZE)
      .describe(`Page size, 1–${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE})`),
    cursor: z
      .string()
      .min(1)
      .max(2_048)
      .optional()
      .describe("The `nextCursor` of the previous page (opaque)"),
  })
  .describe("Pagination");

export type ListQuery = z.output<typeof listQuerySchema>;

/** `GET /v1/stores` query: pagination, or the one store with a store code. */
export const storeListQuerySchema = listQuerySchema
  .extend({
    externalRef: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .describe("A store code: answers the store with that code (or none), no paging"),
  })
  .describe("Pagination, or lookup by store code");

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
