/**
 * Pieces the route declarations share: error responses by status, the created answer, path
 * parameters, the `If-Match` and `Accept` headers, the routes of the app's own device. Error
 * bodies are always RFC 9457 problem+json.
 */
import * as z from "zod";
import { defineRoute, type ResponseSpec, type RouteDefinition } from "../route-contract.ts";

/** What each error status means across the API (a route may say more in its description). */
export const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: "Invalid request; `errors` names each field by JSON path",
  401: "Missing, invalid or expired token (the detail says which)",
  403: "The token's role may not do this",
  404: "No such resource for this caller (another merchant's ids are not found either)",
  409: "Version conflict, or the resource's state forbids the change",
  410: "Gone: the code expired",
  413: "Body too large for this route",
  415: "Content type not accepted by this route",
  422: "The address geocodes to nothing usable (`errors` names `address`)",
  428: "`If-Match` is required (a PUT replaces the whole resource)",
  429: "Too many attempts; `Retry-After` says when to try again",
  503: "A dependency is unavailable; nothing was stored",
};

/** Problem responses for the given statuses. */
export function problems(...statuses: number[]): Record<number, ResponseSpec> {
  return Object.fromEntries(
    statuses.map((status) => [status, { description: PROBLEM_DESCRIPTIONS[status] ?? "Error" }]),
  );
}

/** Statuses of every JSON write: bad field, token, role, body size, media type. */
export const WRITE_PROBLEMS = [400, 401, 403, 413, 415] as const;

/**
 * Statuses of every JSON write with a device token: bad field, token, body size, media type (a
 * device has no roles: no 403).
 */
export const DEVICE_WRITE_PROBLEMS = [400, 401, 413, 415] as const;

/** The `ETag` response header of a versioned resource. */
export const ETAG = { ETag: "The resource's version, for If-Match" };

/**
 * `201 Created`: the new resource as `schema`, its URL in `Location` (documented as `location`),
 * after any other `headers` (`ETag`).
 */
export function createdResponse(
  description: string,
  schema: z.ZodType,
  location: string,
  headers: Record<string, string> = {},
): ResponseSpec {
  return { description, schema, headers: { ...headers, Location: location } };
}

export const storeIdPath = z.object({
  storeId: z
    .string()
    .describe(
      "The store id (`st_…`) or `code:` + the merchant's store code (`externalRef`, " +
        "percent-encoded), e.g. `code:PAR-001`",
    ),
});

export const offerIdPath = z.object({
  offerId: z.string().describe("The offer id (`of_…`)"),
});

const ifMatch = z
  .string()
  .describe('The ETag (version) the change applies to, e.g. "3"; 409 if it moved on');

/** `If-Match` optional: a change without it applies to whatever version is current. */
export const ifMatchHeader = z.object({ "If-Match": ifMatch.optional() });
/** `If-Match` required (428 without it). */
export const ifMatchRequiredHeader = z.object({ "If-Match": ifMatch });

/** `Accept: text/csv` selects the CSV form of a report. */
export const acceptHeader = z.object({
  Accept: z.string().optional().describe("`text/csv` for the CSV form; JSON otherwise"),
});

/**
 * A route the app calls about its own device, below `/v1/devices/me` (`subpath` appended), with
 * the device token; tag `devices` unless the route names another.
 */
export function ownDeviceRoute<const R extends Omit<RouteDefinition, "path" | "auth">>(
  subpath: string,
  route: R,
) {
  return defineRoute({
    path: `/v1/devices/me${subpath}`,
    auth: "device",
    // A plain string, so that a route naming its own tag overrides it rather than contradicting it.
    tag: "devices" as string,
    ...route,
  });
}
