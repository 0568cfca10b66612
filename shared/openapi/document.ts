/**
 * The OpenAPI 3.1 document of the whole HTTP API, generated from the route table
 * (infra/routes.ts) with zod-openapi: every route, its security scheme, its request schemas
 * (path, query, headers, body), its responses per status, body and rate limits, and request
 * examples taken from the samples in events/. Nothing here is written per operation, so the
 * document cannot drift from what the handlers accept and answer.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type * as z from "zod";
import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
} from "zod-openapi";
import { storeImportSchema } from "../domain/catalog/import.ts";
import { latLonSchema, offerInputSchema, storeInputSchema } from "../domain/catalog/index.ts";
import { merchantSettingsInputSchema } from "../domain/catalog/quiet-hours.ts";
import { weeklyScheduleSchema } from "../domain/decision/offer-rules.ts";
import { registerDeviceSchema } from "../domain/device.ts";
import { multiPolygonSchema, polygonSchema } from "../domain/geometry/index.ts";
import { attachPickupSchema, createPickupSchema } from "../domain/pickup/requests.ts";
import { pingSchema } from "../domain/ping.ts";
import type { ResponseSpec, RouteAuth, RouteDefinition } from "../http/route-contract.ts";
import { PROBLEM_DESCRIPTIONS } from "../http/routes/common.ts";
import {
  deviceTokenSchema,
  deviceViewSchema,
  nearbyOffersSchema,
  pingResultSchema,
  registeredDeviceSchema,
} from "./device-views.ts";
import { healthSchema } from "./health-view.ts";
import { offerJourneySchema } from "./journey-views.ts";
import {
  devicePickupSchema,
  pickupBoardSchema,
  pickupCreatedSchema,
  pickupViewSchema,
} from "./pickup-views.ts";
import {
  conversionPageSchema,
  conversionViewSchema,
  offerComparisonSchema,
  offerReportSchema,
  redemptionResultSchema,
  storeReportSchema,
} from "./report-views.ts";
import {
  importResultSchema,
  merchantSettingsViewSchema,
  offerPageSchema,
  offerPatchSchema,
  offerViewSchema,
  problemSchema,
  storePageSchema,
  storePatchSchema,
  storeViewSchema,
} from "./schemas.ts";

type Json = Record<string, unknown>;

/** Named schemas: wherever one is used, the document refers to `#/components/schemas/<name>`. */
const COMPONENTS: Record<string, z.ZodType> = {
  StoreInput: storeInputSchema,
  StorePatch: storePatchSchema,
  Store: storeViewSchema,
  StorePage: storePageSchema,
  StoreImport: storeImportSchema,
  StoreImportJob: importResultSchema,
  OfferInput: offerInputSchema,
  OfferPatch: offerPatchSchema,
  Offer: offerViewSchema,
  OfferPage: offerPageSchema,
  MerchantSettingsInput: merchantSettingsInputSchema,
  MerchantSettings: merchantSettingsViewSchema,
  Polygon: polygonSchema,
  MultiPolygon: multiPolygonSchema,
  WeeklySchedule: weeklyScheduleSchema,
  LatLon: latLonSchema,
  DeviceRegistration: registerDeviceSchema,
  Device: deviceViewSchema,
  RegisteredDevice: registeredDeviceSchema,
  DeviceToken: deviceTokenSchema,
  Ping: pingSchema,
  PingResult: pingResultSchema,
  NearbyOffers: nearbyOffersSchema,
  Redemption: redemptionResultSchema,
  Conversion: conversionViewSchema,
  ConversionPage: conversionPageSchema,
  OfferReport: offerReportSchema,
  OfferComparison: offerComparisonSchema,
  StoreReport: storeReportSchema,
  OfferJourney: offerJourneySchema,
  Health: healthSchema,
  Problem: problemSchema,
  PickupInput: createPickupSchema,
  Pickup: pickupViewSchema,
  PickupCreated: pickupCreatedSchema,
  PickupBoard: pickupBoardSchema,
  PickupAttach: attachPickupSchema,
  DevicePickup: devicePickupSchema,
};

/** The security scheme of each kind of route auth (none: public). */
export const SECURITY_SCHEMES = {
  merchantJwt: {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description:
      "Merchant token (Cognito ID token): `custom:merchantId` names the tenant, " +
      "`cognito:groups` the role",
  },
  deviceToken: {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "Device token from POST /v1/devices or POST /v1/devices/me/token",
  },
  appKey: {
    type: "apiKey",
    in: "header",
    name: "x-app-key",
    description: "The app's key (`ffk_…`), created by the operator (`npm run app:create`)",
  },
} as const;

/** The security requirement of a route, by its auth. */
export const SECURITY_BY_AUTH: Record<RouteAuth, Record<string, string[]>[]> = {
  none: [],
  jwt: [{ merchantJwt: [] }],
  device: [{ deviceToken: [] }],
  // The same token and the same 401s; only where it is verified differs.
  deviceByFunction: [{ deviceToken: [] }],
  appKey: [{ appKey: [] }],
};

const TAGS = [
  { name: "devices", description: "A device's registration, own record, token, pings, offers" },
  { name: "stores", description: "Stores and their footprints" },
  { name: "offers", description: "Offers and their trigger zones" },
  { name: "merchant", description: "Merchant-wide settings" },
  { name: "redemptions", description: "Codes redeemed at the till" },
  { name: "reports", description: "Conversion log and reports: funnel, lift, money, comparison" },
  { name: "claims", description: "Claim links, claims and exposures (online to offline)" },
  {
    name: "pickups",
    description:
      "Order online, pick up in store: pickup orders, the staff board, the shopper's attach " +
      "and arrival; every step is also published on the incentive topic (`pickup.*`)",
  },
  { name: "meta", description: "Health, this document, the dashboard" },
];

/** OpenAPI paths name parameters plainly: API Gateway's greedy `{proxy+}` is `{proxy}`. */
export function openApiPath(path: string): string {
  return path.replace(/\{([^}]+)\+\}/g, "{$1}");
}

const EVENTS_DIR = join(import.meta.dirname, "..", "..", "events");

/**
 * The request body of the sample event of a route (events/<fn>.json), when there is one: the
 * samples are validated against the document (test/unit/contract), so the examples are too.
 */
function sampleBody(route: RouteDefinition): unknown {
  let raw: string;
  try {
    raw = readFileSync(join(EVENTS_DIR, `${route.fn}.json`), "utf8");
  } catch {
    return undefined;
  }
  const event = JSON.parse(raw) as { routeKey?: string; body?: string };
  if (event.routeKey !== `${route.method} ${route.path}` || !event.body) return undefined;
  return JSON.parse(event.body);
}

function kib(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MiB` : `${bytes / 1024} KiB`;
}

function describe(route: RouteDefinition): string {
  const parts = [route.description ?? route.summary ?? ""];
  if (route.roles) parts.push(`Roles: ${route.roles.join(" or ")}.`);
  if (route.request?.body) parts.push(`Body limit: ${kib(route.bodyLimit ?? 1024 * 1024)}.`);
  if (route.rateLimit) parts.push(`Rate limit: ${route.rateLimit} requests/s.`);
  return parts.filter((p) => p !== "").join(" ");
}

function response(status: number, spec: ResponseSpec): ZodOpenApiResponseObject {
  const headers = spec.headers
    ? Object.fromEntries(
        Object.entries(spec.headers).map(([name, description]) => [
          name,
          { description, schema: { type: "string" as const } },
        ]),
      )
    : undefined;
  let content: ZodOpenApiResponseObject["content"];
  if (spec.schema) {
    content = { [spec.mediaType ?? "application/json"]: { schema: spec.schema } };
    if (spec.csv) content["text/csv"] = { schema: { type: "string" } };
  } else if (spec.mediaType) {
    content = { [spec.mediaType]: { schema: { type: "string" } } };
  } else if (status >= 400) {
    content = { "application/problem+json": { schema: problemSchema } };
  }
  return {
    description: spec.description,
    ...(headers ? { headers } : {}),
    ...(content ? { content } : {}),
  };
}

function operation(route: RouteDefinition): ZodOpenApiOperationObject {
  const request = route.request ?? {};
  const responses: Record<string, ZodOpenApiResponseObject> = {};
  for (const [status, spec] of Object.entries(route.responses ?? {})) {
    responses[status] = response(Number(status), spec);
  }
  if (route.auth !== "none" && responses["500"] === undefined) {
    responses["500"] = response(500, {
      description: "Unexpected failure (problem+json naming no internals; `requestId` to quote)",
    });
  }
  const example = request.body ? sampleBody(route) : undefined;
  const op: ZodOpenApiOperationObject = {
    operationId: route.operationId ?? route.fn,
    summary: route.summary ?? `${route.method} ${route.path}`,
    description: describe(route),
    tags: [route.tag ?? "meta"],
    security: SECURITY_BY_AUTH[route.auth],
    responses,
    "x-footfall-function": route.fn,
    ...(route.rateLimit ? { "x-footfall-rate-limit": route.rateLimit } : {}),
    ...(request.body ? { "x-footfall-body-limit": route.bodyLimit ?? 1024 * 1024 } : {}),
  };
  if (request.path || request.query || request.headers) {
    op.requestParams = {
      ...(request.path ? { path: request.path } : {}),
      ...(request.query ? { query: request.query } : {}),
      ...(request.headers ? { header: request.headers } : {}),
    };
  }
  if (request.body) {
    const mediaTypes = request.bodyMediaTypes ?? ["application/json"];
    op.requestBody = {
      required: request.bodyOptional !== true,
      content: Object.fromEntries(
        mediaTypes.map((type) => [
          type,
          { schema: request.body, ...(example === undefined ? {} : { example }) },
        ]),
      ),
    };
  }
  return op;
}

/**
 * Builds the document of the given routes (the route table: infra/routes.ts). Deterministic
 * (same routes, same bytes), so the copy checked in at docs/openapi.json can be compared with
 * what the code generates. Routes marked `undocumented` are left out.
 */
export function openApiDocument(routes: readonly RouteDefinition[]): Json {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of routes) {
    if (route.undocumented) continue;
    const path = openApiPath(route.path);
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation(route) };
  }
  return createDocument({
    openapi: "3.1.0",
    info: {
      title: "Footfall API",
      version: "1.0.0",
      description:
        "Geofenced online-to-offline promotions: devices and their pings, stores (footprints), " +
        "offers (trigger zones), redemption at the till, the conversion log and reports. " +
        "Errors are RFC 9457 problem+json naming each field by JSON path. " +
        `Error statuses: ${Object.entries(PROBLEM_DESCRIPTIONS)
          .map(([status, text]) => `${status} ${text}`)
          .join("; ")}.`,
    },
    tags: TAGS,
    paths,
    components: { schemas: COMPONENTS, securitySchemes: SECURITY_SCHEMES },
  }) as unknown as Json;
}

/** The document as checked in: 2-space JSON with a trailing newline. */
export function openApiJson(routes: readonly RouteDefinition[]): string {
  return `${JSON.stringify(openApiDocument(routes), null, 2)}\n`;
}
