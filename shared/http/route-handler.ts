/**
 * Handlers built from their route declaration (shared/http/routes/): the body limit, accepted
 * media types, roles and request schemas come from the route table, so a handler states only the
 * use case it calls. `catalogHandler` gives the catalog's resource shapes (create, get, list,
 * replace, patch, delete, pause/resume) once instead of a copy per function.
 */
import type * as z from "zod";
import {
  type DevicePrincipal,
  devicePrincipal,
  type MerchantPrincipal,
  merchantPrincipal,
} from "../auth/principal.ts";
import { ForbiddenError } from "../errors.ts";
import { lambdaHandler } from "../lambda-handler.ts";
import { wantsCsv } from "./accept.ts";
import { etag, parseIfMatch, requireIfMatch } from "./if-match.ts";
import { type HttpOptions, http, json, readHeader } from "./middleware.ts";
import { parseWith } from "./parse.ts";
import { pathParameterName, type RouteDefinition } from "./route-contract.ts";
import type { HttpEvent, HttpResult } from "./types.ts";

/** The http() middleware options a route declares: body limit, whether a body is required. */
export function httpOptionsOf(route: RouteDefinition): HttpOptions {
  const request = route.request ?? {};
  return {
    ...(route.bodyLimit === undefined ? {} : { maxBodyBytes: route.bodyLimit }),
    requireBody: request.body !== undefined && request.bodyOptional !== true,
    ...(request.bodyMediaTypes ? { contentTypes: request.bodyMediaTypes } : {}),
  };
}

/**
 * The merchant calling a `jwt` route, refused with 403 (naming the `cognito:groups` claim) unless
 * the token holds one of the route's roles.
 */
export function routePrincipal(route: RouteDefinition, event: HttpEvent): MerchantPrincipal {
  const principal = merchantPrincipal(event);
  const allowed = route.roles;
  if (allowed && !principal.roles.some((role) => allowed.includes(role))) {
    const reason = `must include one of: ${allowed.join(", ")}`;
    throw new ForbiddenError(`This action needs one of the roles: ${allowed.join(", ")}.`, {
      issues: [{ path: "(token)/cognito:groups", reason }],
    });
  }
  return principal;
}

/** A route's handler: the shared middleware stack configured from the route, then `run`. */
export function routeHandler(
  route: RouteDefinition,
  run: (event: HttpEvent) => Promise<HttpResult>,
) {
  return lambdaHandler<HttpEvent, HttpResult>()
    .use(http(httpOptionsOf(route)))
    .handler(run);
}

const NO_STORE = { "cache-control": "no-store" };

/**
 * A device's action on its own behalf (a claim, an exposure): the body limit `maxBodyBytes`, then
 * `run` with the calling device and the raw JSON body, which the use case validates itself (its
 * errors name the field, a missing body included). Answers 200 with the outcome, never cached.
 * Takes the limit rather than the route so that the handler's bundle stays free of the route
 * table's schemas.
 */
export function deviceActionHandler(
  maxBodyBytes: number,
  run: (device: DevicePrincipal, body: unknown) => Promise<unknown>,
) {
  return lambdaHandler<HttpEvent, HttpResult>()
    .use(http({ maxBodyBytes }))
    .handler(async (event) =>
      json(200, await run(devicePrincipal(event), event.parsedBody), NO_STORE),
    );
}

/**
 * A merchant's call whose use case validates its own input and checks the caller's roles (a claim
 * link's create, list or update): the body limit `maxBodyBytes` (default 1 MiB), then `run` with
 * the caller and the event. Answers `status` (default 200) with the result, never cached. Takes
 * the limit rather than the route so that the handler's bundle stays free of the route table's
 * schemas.
 */
export function merchantActionHandler(
  options: { maxBodyBytes?: number; status?: number },
  run: (principal: MerchantPrincipal, event: HttpEvent) => Promise<unknown>,
) {
  const { status = 200, ...httpOptions } = options;
  return lambdaHandler<HttpEvent, HttpResult>()
    .use(http(httpOptions))
    .handler(async (event) => json(status, await run(merchantPrincipal(event), event), NO_STORE));
}

/** How a report route answers a caller preferring `text/csv` (RFC 9110 §12.5.1, accept.ts). */
export interface CsvForms<T> {
  /** The report itself as CSV (`csvResult`): the rows of the JSON answer. */
  csv?: (report: T) => HttpResult;
  /** A CSV export run instead of the report (every page of a log rather than one). */
  export?: (
    principal: MerchantPrincipal,
    id: string | undefined,
    query: Record<string, string | undefined>,
  ) => Promise<HttpResult>;
}

/**
 * A merchant's report (no body): `run` with the caller, the path parameter `pathParameter`
 * (undefined on routes without it), the raw query, which the report's use case parses (its
 * errors name the parameter) and checks the caller's roles, and the event (for a function serving
 * several report routes). Answers 200, never cached. With a CSV form, a caller preferring
 * `text/csv` gets it instead, and both forms vary on `Accept`.
 */
export function reportHandler<T>(
  pathParameter: string | undefined,
  run: (
    principal: MerchantPrincipal,
    id: string | undefined,
    query: Record<string, string | undefined>,
    event: HttpEvent,
  ) => Promise<T>,
  forms: CsvForms<T> = {},
) {
  const negotiated = forms.csv !== undefined || forms.export !== undefined;
  const headers = negotiated ? { ...NO_STORE, vary: "accept" } : NO_STORE;
  return lambdaHandler<HttpEvent, HttpResult>()
    .use(http())
    .handler(async (event) => {
      const principal = merchantPrincipal(event);
      const id = pathParameter === undefined ? undefined : event.pathParameters?.[pathParameter];
      const query = event.queryStringParameters ?? {};
      const csv = negotiated && wantsCsv(readHeader(event, "accept"));
      if (csv && forms.export) return forms.export(principal, id, query);
      const report = await run(principal, id, query, event);
      if (csv && forms.csv) return forms.csv(report);
      return json(200, report, headers);
    });
}

type BodyOf<R> = R extends { request: { body: infer S extends z.ZodType } } ? z.output<S> : never;
type QueryOf<R> = R extends { request: { query: infer S extends z.ZodType } } ? z.output<S> : never;

interface VersionedView {
  version: number;
}

/** The request as a catalog use case takes it. */
interface CatalogRequest {
  principal: MerchantPrincipal;
  /** The route's path parameter (`storeId`, `offerId`); undefined on routes without one. */
  id: string | undefined;
  /** The `If-Match` version; required (428 without it) on routes that document a 428. */
  ifMatch: number | undefined;
}

function catalogRequest(route: RouteDefinition, event: HttpEvent): CatalogRequest {
  const principal = routePrincipal(route, event);
  const name = pathParameterName(route);
  const header = readHeader(event, "if-match");
  return {
    principal,
    id: name === undefined ? undefined : event.pathParameters?.[name],
    ifMatch: route.responses?.[428] ? requireIfMatch(header) : parseIfMatch(header),
  };
}

function parsedBody<R extends RouteDefinition>(route: R, event: HttpEvent): BodyOf<R> {
  const schema = route.request?.body;
  if (!schema) throw new Error(`${route.fn}: the route declares no body`);
  return parseWith(schema, event.parsedBody) as BodyOf<R>;
}

const withEtag = (status: number, view: VersionedView, headers: Record<string, string> = {}) =>
  json(status, view, { ...headers, etag: etag(view.version) });

/** Answers the resource the use case returns: 200 with its `ETag` (get, pause, resume). */
function resource(route: RouteDefinition, run: (req: CatalogRequest) => Promise<VersionedView>) {
  return routeHandler(route, async (event) =>
    withEtag(200, await run(catalogRequest(route, event))),
  );
}

/**
 * The catalog's resource shapes. Each answers the status its route documents for success, with
 * the resource's ETag where it has a version.
 */
export const catalogHandler = {
  /** POST a new resource from the route's body schema: 201, `Location`, `ETag`. */
  create<R extends RouteDefinition, V extends VersionedView>(
    route: R,
    run: (req: CatalogRequest, input: BodyOf<R>) => Promise<V>,
    location: (view: V) => string,
  ) {
    return routeHandler(route, async (event) => {
      const view = await run(catalogRequest(route, event), parsedBody(route, event));
      return withEtag(201, view, { location: location(view) });
    });
  },

  /** GET one resource: 200 with its `ETag`. */
  get: resource,
  /** GET a page, the query parsed with the route's query schema: 200. */
  list<R extends RouteDefinition>(
    route: R,
    run: (req: CatalogRequest, query: QueryOf<R>) => Promise<unknown>,
  ) {
    return routeHandler(route, async (event) => {
      const schema = route.request?.query;
      if (!schema) throw new Error(`${route.fn}: the route declares no query`);
      const query = parseWith(schema, event.queryStringParameters ?? {}) as QueryOf<R>;
      return json(200, await run(catalogRequest(route, event), query));
    });
  },

  /** PUT the whole resource from the route's body schema: 200 with the new `ETag`. */
  replace<R extends RouteDefinition>(
    route: R,
    run: (req: CatalogRequest, input: BodyOf<R>) => Promise<VersionedView>,
  ) {
    return routeHandler(route, async (event) => {
      const req = catalogRequest(route, event);
      return withEtag(200, await run(req, parsedBody(route, event)));
    });
  },

  /**
   * PATCH with a JSON Merge Patch: the use case merges the raw document and validates the
   * result like a replacement, so the body is passed as sent. 200 with the new `ETag`.
   */
  patch<R extends RouteDefinition>(
    route: R,
    run: (req: CatalogRequest, patch: unknown) => Promise<VersionedView>,
  ) {
    return routeHandler(route, async (event) =>
      withEtag(200, await run(catalogRequest(route, event), event.parsedBody)),
    );
  },

  /** DELETE: 204. */
  remove<R extends RouteDefinition>(route: R, run: (req: CatalogRequest) => Promise<unknown>) {
    return routeHandler(route, async (event) => {
      await run(catalogRequest(route, event));
      return { statusCode: 204 };
    });
  },

  /** POST an action without a body (pause, resume): 200 with the resource and its `ETag`. */
  action: resource,
};
