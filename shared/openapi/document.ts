/**
 * The OpenAPI 3.1 document of the merchant catalog API, generated from the same zod schemas
 * that validate requests (zod 4's `z.toJSONSchema`), so the documentation cannot drift from
 * what the handlers accept.
 */
import * as z from "zod";
import {
  DEFAULT_PAGE_SIZE,
  latLonSchema,
  MAX_PAGE_SIZE,
  offerInputSchema,
  storeImportSchema,
  storeInputSchema,
} from "../domain/catalog/index.ts";
import { OFFER_STATES } from "../domain/catalog/offer-state.ts";
import { merchantSettingsInputSchema } from "../domain/catalog/quiet-hours.ts";
import { weeklyScheduleSchema } from "../domain/decision/offer-rules.ts";
import { refreshTokenSchema } from "../domain/device.ts";
import { multiPolygonSchema, polygonSchema } from "../domain/geometry/index.ts";
import { channelReportQuerySchema } from "../domain/o2o/channel-report.ts";
import { claimInputSchema, linkInputSchema, linkPatchSchema } from "../domain/o2o/link.ts";
import {
  comparisonQuerySchema,
  offerReportQuerySchema,
  storeReportQuerySchema,
} from "../domain/report.ts";
import {
  claimResultSchema,
  deviceTokenSchema,
  deviceViewSchema,
  exposureResultSchema,
  importResultSchema,
  linkListSchema,
  linkViewSchema,
  merchantSettingsViewSchema,
  offerPageSchema,
  offerPatchSchema,
  offerViewSchema,
  problemSchema,
  storePageSchema,
  storePatchSchema,
  storeViewSchema,
  webClaimResultSchema,
} from "./schemas.ts";

type Json = Record<string, unknown>;

const COMPONENTS: [string, z.ZodType][] = [
  ["StoreInput", storeInputSchema],
  ["StorePatch", storePatchSchema],
  ["OfferPatch", offerPatchSchema],
  ["Store", storeViewSchema],
  ["StorePage", storePageSchema],
  ["StoreImport", storeImportSchema],
  ["StoreImportJob", importResultSchema],
  ["OfferInput", offerInputSchema],
  ["Offer", offerViewSchema],
  ["OfferPage", offerPageSchema],
  ["Problem", problemSchema],
  ["Polygon", polygonSchema],
  ["MultiPolygon", multiPolygonSchema],
  ["WeeklySchedule", weeklyScheduleSchema],
  ["LatLon", latLonSchema],
  ["Device", deviceViewSchema],
  ["MerchantSettingsInput", merchantSettingsInputSchema],
  ["MerchantSettings", merchantSettingsViewSchema],
  ["DeviceTokenRefresh", refreshTokenSchema],
  ["DeviceToken", deviceTokenSchema],
  ["LinkInput", linkInputSchema],
  ["LinkPatch", linkPatchSchema],
  ["Link", linkViewSchema],
  ["LinkList", linkListSchema],
  ["ClaimInput", claimInputSchema],
  ["Claim", claimResultSchema],
  ["Exposure", exposureResultSchema],
  ["WebClaim", webClaimResultSchema],
];

/** One JSON Schema per component, cross-referenced with `#/components/schemas/…`. */
function componentSchemas(): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of COMPONENTS) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    io: "input",
    target: "draft-2020-12",
    unrepresentable: "any",
    uri: (id) => `#/components/schemas/${id}`,
  });
  const out: Record<string, Json> = {};
  for (const [id] of COMPONENTS) {
    const { $schema: _s, $id: _i, ...schema } = (schemas[id] ?? {}) as Json;
    out[id] = schema;
  }
  return out;
}

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: ref("Problem") } },
});

const PROBLEMS: Record<number, string> = {
  400: "Invalid request; `errors` names each field by JSON path",
  401: "Missing or invalid merchant token",
  403: "The token's role may not do this",
  404: "No such resource for this merchant (another merchant's ids are not found either)",
  409: "Version conflict, a store still listed by offers, or a store code (`externalRef`) in use",
  413: "Body too large",
  415: "Content type is not application/json",
  422: "The address geocodes to nothing usable (`errors` names `address`)",
  410: "The claim link has expired",
  428: "`If-Match` is required (a PUT replaces the whole resource)",
  429: "Too many attempts (claims, guessed link tokens, web claims per address); see `Retry-After`",
  503: "A dependency (geocoder) is unavailable; nothing was stored",
};

interface OperationSpec {
  method: "get" | "post" | "put" | "patch" | "delete";
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  /** `device`: a device bearer token (device authorizer), no merchant role. */
  access: "read" | "write" | "public" | "device";
  body?: string;
  /** The body may be omitted. */
  bodyOptional?: boolean;
  ok: { status: number; schema?: string; description: string };
  params?: ("storeId" | "offerId" | "linkId" | "jobId")[];
  paged?: boolean;
  /** `state` query parameter of the offer listing. */
  stateFilter?: boolean;
  /** Accepts `?externalRef=` (lookup by store code). */
  byRef?: boolean;
  ifMatch?: boolean | "required";
  /** Body media type (default application/json). */
  mediaType?: string;
  /** Query parameters, documented from the schema that validates them. */
  query?: z.ZodObject;
  /** The route also answers `Accept: text/csv`. */
  csv?: boolean;
  errors: number[];
}

const WRITE = [400, 401, 403, 404, 409, 413, 415];

const OPERATIONS: OperationSpec[] = [
  {
    method: "get",
    path: "/v1/merchant/settings",
    operationId: "getMerchantSettings",
    summary: "The merchant's settings (default quiet hours)",
    description:
      "Quiet hours every offer of the merchant uses unless it sets its own; `version` 0 means " +
      "never set (the platform default 21:00–08:00 on the device's clock applies).",
    access: "read",
    ok: { status: 200, schema: "MerchantSettings", description: "The settings" },
    errors: [401, 403],
  },
  {
    method: "put",
    path: "/v1/merchant/settings",
    operationId: "putMerchantSettings",
    summary: "Replace the merchant's settings",
    access: "write",
    ifMatch: true,
    body: "MerchantSettingsInput",
    ok: { status: 200, schema: "MerchantSettings", description: "Replaced" },
    errors: [400, 401, 403, 409, 413, 415],
  },
  {
    method: "get",
    path: "/v1/devices/me",
    operationId: "getOwnDevice",
    summary: "The calling device's own record",
    description:
      "What the device registered and consented to; never its push token or endpoint. " +
      "401 once the device is erased.",
    access: "device",
    ok: { status: 200, schema: "Device", description: "The device" },
    errors: [401],
  },
  {
    method: "post",
    path: "/v1/devices/me/token",
    operationId: "refreshDeviceToken",
    summary: "Refresh the device token before it expires",
    description:
      "Returns a new token valid for the full TTL (180 days by default). Earlier tokens keep " +
      "working until their own expiry, unless `revokeEarlier` is true: then they are refused " +
      "(within the authorizer's 60 s cache). An erased device gets 401. Body optional.",
    access: "device",
    body: "DeviceTokenRefresh",
    bodyOptional: true,
    ok: { status: 200, schema: "DeviceToken", description: "A fresh token" },
    errors: [400, 401, 413, 415],
  },
  {
    method: "post",
    path: "/v1/stores",
    operationId: "createStore",
    summary: "Create a store",
    description:
      "Without `location`, the `address` is geocoded (Amazon Location); without `timeZone`, it " +
      "is derived from the coordinates. The footprint is indexed before the response.",
    access: "write",
    body: "StoreInput",
    ok: { status: 201, schema: "Store", description: "Created" },
    errors: [...WRITE, 422, 503],
  },
  {
    method: "get",
    path: "/v1/stores",
    operationId: "listStores",
    summary: "List stores",
    description:
      "With `externalRef`, the one store with that store code (or none), without paging. " +
      "POS tokens may read stores too.",
    access: "read",
    paged: true,
    byRef: true,
    ok: { status: 200, schema: "StorePage", description: "A page of stores" },
    errors: [400, 401, 403],
  },
  {
    method: "post",
    path: "/v1/stores:import",
    operationId: "importStores",
    summary: "Import stores from GeoJSON (a job)",
    description:
      "Up to 5,000 features, 6 MB (the Lambda request limit under API Gateway's 10 MB). Point " +
      "features get a circular footprint of `properties.radiusM` (default 30 m); " +
      "Polygon/MultiPolygon features are the footprint. The shape of every feature is checked " +
      "first: on any error the 400 lists them all (`index`, `path`) and nothing is stored. " +
      "Otherwise 202 with the job (`Location: /v1/store-imports/{jobId}`): a worker checks every " +
      "geometry (any error fails the job, listing them all, with nothing written), then upserts " +
      "the stores by store code (`externalRef`) chunk by chunk. `Idempotency-Key` (or, without " +
      "it, the same body) within 24 h answers 200 with the same job.",
    access: "write",
    body: "StoreImport",
    ok: { status: 202, schema: "StoreImportJob", description: "The import job" },
    errors: [400, 401, 403, 413, 415, 422],
  },
  {
    method: "get",
    path: "/v1/store-imports/{jobId}",
    operationId: "getStoreImport",
    summary: "Get an import job",
    description:
      "Status, progress, counts and per-feature results; poll until succeeded or failed.",
    access: "read",
    params: ["jobId"],
    ok: { status: 200, schema: "StoreImportJob", description: "The import job" },
    errors: [401, 403, 404],
  },
  {
    method: "get",
    path: "/v1/stores/{storeId}",
    operationId: "getStore",
    summary: "Get a store",
    access: "read",
    params: ["storeId"],
    ok: { status: 200, schema: "Store", description: "The store" },
    errors: [401, 403, 404],
  },
  {
    method: "put",
    path: "/v1/stores/{storeId}",
    operationId: "replaceStore",
    summary: "Replace a store",
    description:
      "Replaces the whole store: members left out (address, openingHours, ...) are removed. " +
      "`If-Match` is required (428 without it). Moving the footprint or location re-indexes " +
      "the store and its offers' zones.",
    access: "write",
    params: ["storeId"],
    ifMatch: "required",
    body: "StoreInput",
    ok: { status: 200, schema: "Store", description: "Replaced" },
    errors: [...WRITE, 422, 428, 503],
  },
  {
    method: "patch",
    path: "/v1/stores/{storeId}",
    operationId: "patchStore",
    summary: "Update a store (JSON Merge Patch)",
    description:
      "RFC 7396 `application/merge-patch+json`: members sent replace, `null` removes one, " +
      "absent members stay. The merged store is validated like a PUT body.",
    access: "write",
    params: ["storeId"],
    ifMatch: true,
    body: "StorePatch",
    mediaType: "application/merge-patch+json",
    ok: { status: 200, schema: "Store", description: "Updated" },
    errors: [...WRITE, 422, 503],
  },
  {
    method: "delete",
    path: "/v1/stores/{storeId}",
    operationId: "deleteStore",
    summary: "Delete a store",
    description: "Refused with 409 (naming `storeId` and the offers) while any offer lists it.",
    access: "write",
    params: ["storeId"],
    ifMatch: true,
    ok: { status: 204, description: "Deleted" },
    errors: [400, 401, 403, 404, 409],
  },
  {
    method: "post",
    path: "/v1/offers",
    operationId: "createOffer",
    summary: "Create an offer",
    access: "write",
    body: "OfferInput",
    ok: { status: 201, schema: "Offer", description: "Created (active)" },
    errors: WRITE,
  },
  {
    method: "get",
    path: "/v1/offers",
    operationId: "listOffers",
    summary: "List offers",
    description:
      "Each offer carries its derived `state`. `?state=live,outside_schedule` keeps only offers " +
      "in those states; the filter applies per page, so a page may hold fewer than `limit` " +
      "items while `nextCursor` is not null.",
    access: "read",
    paged: true,
    stateFilter: true,
    ok: { status: 200, schema: "OfferPage", description: "A page of offers" },
    errors: [400, 401, 403],
  },
  {
    method: "get",
    path: "/v1/offers/{offerId}",
    operationId: "getOffer",
    summary: "Get an offer",
    access: "read",
    params: ["offerId"],
    ok: { status: 200, schema: "Offer", description: "The offer" },
    errors: [401, 403, 404],
  },
  {
    method: "put",
    path: "/v1/offers/{offerId}",
    operationId: "replaceOffer",
    summary: "Replace an offer",
    description:
      "Replaces the whole offer (members left out are removed or defaulted). `If-Match` is " +
      "required (428 without it).",
    access: "write",
    params: ["offerId"],
    ifMatch: "required",
    body: "OfferInput",
    ok: { status: 200, schema: "Offer", description: "Replaced" },
    errors: [...WRITE, 428],
  },
  {
    method: "patch",
    path: "/v1/offers/{offerId}",
    operationId: "patchOffer",
    summary: "Update an offer (JSON Merge Patch)",
    description:
      "RFC 7396 `application/merge-patch+json`: members sent replace, `null` removes one, " +
      "absent members stay. The merged offer is validated like a PUT body.",
    access: "write",
    params: ["offerId"],
    ifMatch: true,
    body: "OfferPatch",
    mediaType: "application/merge-patch+json",
    ok: { status: 200, schema: "Offer", description: "Updated" },
    errors: WRITE,
  },
  {
    method: "delete",
    path: "/v1/offers/{offerId}",
    operationId: "deleteOffer",
    summary: "Delete an offer",
    access: "write",
    params: ["offerId"],
    ifMatch: true,
    ok: { status: 204, description: "Deleted" },
    errors: [400, 401, 403, 404, 409],
  },
  {
    method: "post",
    path: "/v1/offers/{offerId}/pause",
    operationId: "pauseOffer",
    summary: "Pause an offer",
    description: "Its trigger zones leave the index: a paused offer never matches.",
    access: "write",
    params: ["offerId"],
    ifMatch: true,
    ok: { status: 200, schema: "Offer", description: "Paused" },
    errors: [400, 401, 403, 404, 409],
  },
  {
    method: "post",
    path: "/v1/offers/{offerId}/resume",
    operationId: "resumeOffer",
    summary: "Resume an offer",
    description: "Indexes the offer's trigger zones again.",
    access: "write",
    params: ["offerId"],
    ifMatch: true,
    ok: { status: 200, schema: "Offer", description: "Active" },
    errors: [400, 401, 403, 404, 409],
  },
  {
    method: "get",
    path: "/v1/reports/offers",
    operationId: "compareOffers",
    summary: "Every offer of a period side by side",
    description:
      "Offers valid at some point of the range (deleted ones included, with their name and " +
      "`state`), each with sends, visit rates, lift and its 95 % interval, incremental visits, " +
      "spend and cost per incremental visit. `Accept: text/csv` gives one line per offer.",
    access: "read",
    query: comparisonQuerySchema,
    csv: true,
    ok: { status: 200, description: "The comparison (see the README for every field)" },
    errors: [400, 401, 403],
  },
  {
    method: "get",
    path: "/v1/reports/offers/{offerId}",
    operationId: "getOfferReport",
    summary: "Funnel, lift, incremental visits and money of one offer",
    description:
      "From the counters only. Rows per store-local day, ISO week, month or store (with names " +
      "and store codes); periods without activity only with `includeEmpty=true`. A deleted " +
      "offer answers with its name and `state: deleted`. `Accept: text/csv` gives the rows.",
    access: "read",
    params: ["offerId"],
    query: offerReportQuerySchema,
    csv: true,
    ok: { status: 200, description: "The offer report (see the README for every field)" },
    errors: [400, 401, 403, 404],
  },
  {
    method: "get",
    path: "/v1/reports/stores/{storeId}",
    operationId: "getStoreReport",
    summary: "Visits and attributed visits of one store",
    access: "read",
    params: ["storeId"],
    query: storeReportQuerySchema,
    ok: { status: 200, description: "The store report (see the README for every field)" },
    errors: [400, 401, 403, 404],
  },
  {
    method: "post",
    path: "/v1/offers/{offerId}/links",
    operationId: "createLink",
    summary: "Create a claim link (channel, creative variant)",
    description:
      "A link of the offer for one channel (email, sms, social, web, display, in-app, qr, or " +
      "your own lower-case label) and creative variant. Its `token` (192 random bits) goes into " +
      "the URL or app deep link; the app claims it with POST /v1/claims. `allowWebClaims` lets " +
      "a plain web page claim it (POST /v1/claims/web). Another merchant's offer: 404.",
    access: "write",
    params: ["offerId"],
    body: "LinkInput",
    ok: { status: 201, schema: "Link", description: "Created" },
    errors: WRITE,
  },
  {
    method: "get",
    path: "/v1/offers/{offerId}/links",
    operationId: "listLinks",
    summary: "The offer's claim links",
    access: "read",
    params: ["offerId"],
    ok: { status: 200, schema: "LinkList", description: "Every link, oldest first" },
    errors: [401, 403, 404],
  },
  {
    method: "patch",
    path: "/v1/offers/{offerId}/links/{linkId}",
    operationId: "updateLink",
    summary: "Pause, resume, relabel or re-date a claim link",
    access: "write",
    params: ["offerId", "linkId"],
    body: "LinkPatch",
    ok: { status: 200, schema: "Link", description: "Updated" },
    errors: WRITE,
  },
  {
    method: "post",
    path: "/v1/claims",
    operationId: "claimLink",
    summary: "Claim a link from the app",
    description:
      "Assigns the person (asserted user, else the device) once per link with the offer's " +
      "holdout: `granted` with a single-use code (same budget, caps and consent rules as " +
      "geofence sends), `held_out` without incentive, or `suppressed` with the reason (no " +
      "marketing consent → `no_consent`). Re-claiming answers the first decision. 404 unknown " +
      "token, 409 paused link, 410 expired link, 429 past the attempt or guessing limits.",
    access: "device",
    body: "ClaimInput",
    ok: { status: 200, schema: "Claim", description: "The decision" },
    errors: [400, 401, 404, 409, 410, 413, 415, 429],
  },
  {
    method: "post",
    path: "/v1/claims/web",
    operationId: "claimLinkFromWeb",
    summary: "Claim a link from a web page (no device)",
    description:
      "Links with `allowWebClaims` only (403 otherwise). A code to show at the till, attributed " +
      "by its redemption only (no holdout, no visit attribution) and reported apart. Limited per " +
      "source address (attempts, guesses, and codes per link per day: 429).",
    access: "public",
    body: "ClaimInput",
    ok: { status: 200, schema: "WebClaim", description: "A code" },
    errors: [400, 403, 404, 409, 410, 413, 415, 429],
  },
  {
    method: "post",
    path: "/v1/exposures",
    operationId: "reportExposure",
    summary: "Report an in-app exposure (impression) of a link",
    description:
      "Call before showing a link's in-app message or banner. The person's first exposure is " +
      "assigned with the offer's holdout like a claim: `show` is true for treated people and " +
      "false for the control group (a ghost exposure). Later exposures answer the same.",
    access: "device",
    body: "ClaimInput",
    ok: { status: 200, schema: "Exposure", description: "Whether to show it" },
    errors: [400, 401, 404, 409, 410, 413, 415, 429],
  },
  {
    method: "get",
    path: "/v1/reports/channels",
    operationId: "getChannelReport",
    summary: "Claims, exposures, visits and lift by channel and variant, across offers",
    description:
      "From the touch counters only: per offer × channel × variant, per channel across offers, " +
      "treated vs control visit rates, lift with its 95 % interval, credited visits (last " +
      "touch), redemptions, web claims, time to visit, and variant comparisons (two-sample test).",
    access: "read",
    query: channelReportQuerySchema,
    ok: { status: 200, description: "The channel report (see the README for every field)" },
    errors: [400, 401, 403],
  },
  {
    method: "get",
    path: "/v1/reports/offers/{offerId}/channels",
    operationId: "getOfferChannelReport",
    summary: "The channel report of one offer (with money)",
    access: "read",
    params: ["offerId"],
    query: channelReportQuerySchema,
    ok: { status: 200, description: "The channel report of the offer" },
    errors: [400, 401, 403, 404],
  },
  {
    method: "get",
    path: "/v1/openapi.json",
    operationId: "getOpenApi",
    summary: "This document",
    access: "public",
    ok: { status: 200, description: "OpenAPI 3.1 document" },
    errors: [],
  },
];

function parameters(op: OperationSpec): Json[] {
  const out: Json[] = (op.params ?? []).map((name) => ({
    name,
    in: "path",
    required: true,
    ...(name === "storeId"
      ? {
          description:
            "The store id (`st_…`) or `code:` + the merchant's store code (`externalRef`, " +
            "percent-encoded), e.g. `code:PAR-001`",
        }
      : {}),
    schema: { type: "string" },
  }));
  if (op.paged) {
    out.push(
      {
        name: "limit",
        in: "query",
        required: false,
        schema: { type: "integer", minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE },
      },
      {
        name: "cursor",
        in: "query",
        required: false,
        description: "Opaque, tamper-evident; valid only for the merchant and listing it came from",
        schema: { type: "string" },
      },
    );
  }
  if (op.stateFilter) {
    out.push({
      name: "state",
      in: "query",
      required: false,
      description: `Comma-separated states: ${OFFER_STATES.join(", ")}`,
      schema: { type: "string" },
    });
  }
  if (op.byRef) {
    out.push({
      name: "externalRef",
      in: "query",
      required: false,
      description: "A store code: answers the store with that code, or no item",
      schema: { type: "string", minLength: 1, maxLength: 100 },
    });
  }
  if (op.query) {
    const schema = z.toJSONSchema(op.query, { io: "input", unrepresentable: "any" }) as {
      properties?: Record<string, Json>;
      required?: string[];
    };
    for (const [name, prop] of Object.entries(schema.properties ?? {})) {
      const { description, ...rest } = prop;
      out.push({
        name,
        in: "query",
        required: schema.required?.includes(name) && !("default" in rest),
        ...(description ? { description } : {}),
        schema: rest,
      });
    }
  }
  if (op.ifMatch) {
    out.push({
      name: "If-Match",
      in: "header",
      required: op.ifMatch === "required",
      description: 'The ETag (version) the change applies to, e.g. "3"; 409 if it moved on',
      schema: { type: "string" },
    });
  }
  return out;
}

function operation(op: OperationSpec): Json {
  const roles =
    op.access === "write"
      ? "merchant-admin"
      : op.access === "device"
        ? "device (device token)"
        : "merchant-admin or marketing-analyst";
  const okSchema = op.ok.schema
    ? ref(op.ok.schema)
    : op.access === "public"
      ? { type: "object" }
      : undefined;
  const json = okSchema ?? (op.query ? { type: "object" } : undefined);
  const responses: Json = {
    [op.ok.status]: {
      description: op.ok.description,
      ...(json
        ? {
            content: {
              "application/json": { schema: json },
              ...(op.csv ? { "text/csv": { schema: { type: "string" } } } : {}),
            },
          }
        : {}),
    },
  };
  for (const status of op.errors) responses[status] = problem(PROBLEMS[status] ?? "Error");
  const params = parameters(op);
  return {
    operationId: op.operationId,
    summary: op.summary,
    description:
      op.access === "public"
        ? (op.description ?? op.summary)
        : `${op.description ? `${op.description} ` : ""}Role: ${roles}.`,
    tags: [
      op.path.startsWith("/v1/devices")
        ? "devices"
        : op.path.startsWith("/v1/offers")
          ? "offers"
          : op.path.startsWith("/v1/stores")
            ? "stores"
            : op.path.startsWith("/v1/reports")
              ? "reports"
              : op.path.startsWith("/v1/claims") || op.path.startsWith("/v1/exposures")
                ? "claims"
                : "meta",
    ],
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(op.body
      ? {
          requestBody: {
            required: op.bodyOptional !== true,
            content: { [op.mediaType ?? "application/json"]: { schema: ref(op.body) } },
          },
        }
      : {}),
    responses,
    security:
      op.access === "public"
        ? []
        : op.access === "device"
          ? [{ deviceToken: [] }]
          : [{ merchantJwt: [] }],
  };
}

/**
 * Builds the document. Deterministic (same input, same bytes), so the copy checked in at
 * docs/openapi.json can be compared with what the code generates.
 */
export function openApiDocument(): Json {
  const paths: Record<string, Json> = {};
  for (const op of OPERATIONS) {
    paths[op.path] = { ...(paths[op.path] ?? {}), [op.method]: operation(op) };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Footfall merchant catalog API",
      version: "1.0.0",
      description:
        "Stores (footprints), offers (trigger zones) and bulk import for geofenced O2O " +
        "promotions. Errors are RFC 9457 problem+json naming each field by JSON path.",
    },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    tags: [
      { name: "stores", description: "Stores and their footprints" },
      { name: "offers", description: "Offers and their trigger zones" },
      { name: "reports", description: "Marketing reports: funnel, lift, money, comparison" },
      { name: "devices", description: "A device's own record and token" },
      { name: "claims", description: "Claims and exposures of claim links (online to offline)" },
      { name: "meta", description: "This document" },
    ],
    paths,
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        deviceToken: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description: "Device token from POST /v1/devices or POST /v1/devices/me/token",
        },
        merchantJwt: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description:
            "Merchant token (Cognito ID token): `custom:merchantId` names the tenant, " +
            "`cognito:groups` the role",
        },
      },
    },
  };
}

/** The document as checked in: 2-space JSON with a trailing newline. */
export function openApiJson(): string {
  return `${JSON.stringify(openApiDocument(), null, 2)}\n`;
}
