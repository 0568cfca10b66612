/**
 * Builders for the route shapes the API repeats: the catalog's resource routes (list, create,
 * get, replace, merge-patch, delete and body-less actions such as pause/resume, answered by
 * `catalogHandler` in shared/http/route-handler.ts) and the merchant's reports. Each builder
 * states a shape's method, path, function name, operationId, caller, roles, headers and
 * statuses once; the route table (infra/routes.ts) still lists every route it builds, so CDK,
 * the local runner and the OpenAPI document read the same declarations as before.
 */
import type * as z from "zod";
import { REPORT_ROLES, type Role } from "../../auth/principal.ts";
import { MERGE_PATCH_MEDIA_TYPE } from "../merge-patch.ts";
import {
  defineRoute,
  type HttpMethod,
  type RequestSpec,
  type ResponseSpec,
} from "../route-contract.ts";
import {
  createdResponse,
  ETAG,
  ifMatchHeader,
  ifMatchRequiredHeader,
  problems,
  WRITE_PROBLEMS,
} from "./common.ts";

/**
 * A resource of the merchant catalog as its routes name it. Routes are built as
 * `{collection}` (list, create) and `{collection}/{id}` (get, replace, patch, delete, actions),
 * answered by functions `{fnPrefix}-list`, `-create`, `-get`, `-update`, `-patch`, `-delete`,
 * `-{action}`, with operationIds such as `listStores` and `getStore`.
 */
export interface CatalogResource<
  P extends z.ZodObject = z.ZodObject,
  V extends z.ZodType = z.ZodType,
  I extends z.ZodType = z.ZodType,
> {
  /** Singular noun, lower case (`store`): function names and summaries. */
  noun: string;
  /** Its indefinite article in summaries (`a store`, `an offer`). */
  article: "a" | "an";
  /** Collection path, e.g. `/v1/stores`. */
  collection: string;
  /** OpenAPI tag (the plural, e.g. `stores`). */
  tag: string;
  /** The item path's single parameter (`{storeId}`), with its description. */
  idPath: P;
  /** The resource as answered (with `version`, sent as `ETag`). */
  view: V;
  /** Roles that may read it (list, get). */
  readRoles: readonly Role[];
  /** Roles that may change it (create, replace, patch, delete, actions). */
  writeRoles: readonly Role[];
  /** The body of a create (POST) and of a replace (PUT): the whole resource as the client sends it. */
  input: I;
  /** The JSON Merge Patch body as documented (the merged resource is validated like a PUT). */
  patch: z.ZodType;
  /** Largest body in bytes of a create, replace or patch. */
  bodyLimit: number;
  /**
   * Statuses every change of the resource may answer beyond the JSON write statuses, 404 and 409
   * (a store's address geocoding: 422, 503).
   */
  changeProblems: readonly number[];
}

const capitalized = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** The item path of a resource: its collection and its id parameter (`/v1/stores/{storeId}`). */
export function itemPath(resource: CatalogResource): string {
  return `${resource.collection}/{${Object.keys(resource.idPath.shape)[0]}}`;
}

/** Options of a resource route that differ between routes. */
interface RouteText {
  description?: string;
}

/**
 * What every route of a catalog resource states, by REST convention from its `action`: `list`
 * and `create` on the collection, `get`, `update` (PUT), `patch` and `delete` on the item, any
 * other action (`pause`) on `{item}/{action}`; served by function `{noun}-{action}` to merchants
 * holding one of the resource's read roles (list, get) or write roles (any other action), as
 * operation `list{Tag}`, `replace{Noun}` (update) or `{action}{Noun}`.
 */
function resourceRoute(
  resource: CatalogResource,
  method: HttpMethod,
  action: string,
  text: RouteText & { summary: string },
) {
  const onCollection = action === "list" || action === "create";
  const onItem = ["get", "update", "patch", "delete"].includes(action);
  const item = itemPath(resource);
  const reads = action === "list" || action === "get";
  return {
    method,
    path: onCollection ? resource.collection : onItem ? item : `${item}/${action}`,
    fn: `${resource.noun}-${action}`,
    auth: "jwt" as const,
    roles: reads ? resource.readRoles : resource.writeRoles,
    operationId:
      action === "list"
        ? `list${capitalized(resource.tag)}`
        : `${action === "update" ? "replace" : action}${capitalized(resource.noun)}`,
    tag: resource.tag,
    summary: text.summary,
    ...(text.description === undefined ? {} : { description: text.description }),
  };
}

/** `a store`, `an offer`. */
const named = (resource: CatalogResource) => `${resource.article} ${resource.noun}`;

/** GET the collection, one page at a time, the query parsed by `query`: 200. */
export function listRoute<const Q extends z.ZodObject>(
  resource: CatalogResource,
  options: RouteText & { query: Q; page: z.ZodType },
) {
  const { tag } = resource;
  return defineRoute({
    ...resourceRoute(resource, "GET", "list", { ...options, summary: `List ${tag}` }),
    request: { query: options.query },
    responses: {
      200: { description: `A page of ${tag}`, schema: options.page },
      ...problems(400, 401, 403),
    },
  });
}

/**
 * POST a new resource from its `input` schema: 201 with `ETag` and `Location`; `problems` beyond
 * 2xx.
 */
export function createRoute<I extends z.ZodType>(
  resource: CatalogResource<z.ZodObject, z.ZodType, I>,
  options: RouteText & { created: string; problems: readonly number[] },
) {
  return defineRoute({
    ...resourceRoute(resource, "POST", "create", {
      ...options,
      summary: `Create ${named(resource)}`,
    }),
    bodyLimit: resource.bodyLimit,
    request: { body: resource.input },
    responses: {
      201: createdResponse(options.created, resource.view, `The ${resource.noun}'s URL`, ETAG),
      ...problems(...options.problems),
    },
  });
}

/** GET one resource: 200 with its `ETag`. */
export function getRoute(resource: CatalogResource, options: RouteText = {}) {
  return defineRoute({
    ...resourceRoute(resource, "GET", "get", { ...options, summary: `Get ${named(resource)}` }),
    request: { path: resource.idPath },
    responses: {
      200: { description: `The ${resource.noun}`, schema: resource.view, headers: ETAG },
      ...problems(400, 401, 403, 404),
    },
  });
}

/**
 * PUT the whole resource from its `input` schema, `If-Match` required (428 without it): 200 with
 * the new `ETag`.
 */
export function replaceRoute<I extends z.ZodType>(
  resource: CatalogResource<z.ZodObject, z.ZodType, I>,
  options: RouteText,
) {
  return defineRoute({
    ...resourceRoute(resource, "PUT", "update", {
      ...options,
      summary: `Replace ${named(resource)}`,
    }),
    bodyLimit: resource.bodyLimit,
    request: { path: resource.idPath, headers: ifMatchRequiredHeader, body: resource.input },
    responses: {
      200: { description: "Replaced", schema: resource.view, headers: ETAG },
      ...problems(...WRITE_PROBLEMS, 404, 409, ...resource.changeProblems, 428),
    },
  });
}

/**
 * PATCH with an RFC 7396 JSON Merge Patch documented by the resource's `patch` schema (the
 * function validates the merged resource like a PUT body), `If-Match` optional: 200 with the new
 * `ETag`.
 */
export function mergePatchRoute(resource: CatalogResource) {
  return defineRoute({
    ...resourceRoute(resource, "PATCH", "patch", {
      summary: `Update ${named(resource)} (JSON Merge Patch)`,
      description:
        "RFC 7396 `application/merge-patch+json`: members sent replace, `null` removes one, " +
        `absent members stay. The merged ${resource.noun} is validated like a PUT body.`,
    }),
    bodyLimit: resource.bodyLimit,
    request: {
      path: resource.idPath,
      headers: ifMatchHeader,
      body: resource.patch,
      bodyMediaTypes: [MERGE_PATCH_MEDIA_TYPE],
    },
    responses: {
      200: { description: "Updated", schema: resource.view, headers: ETAG },
      ...problems(...WRITE_PROBLEMS, 404, 409, ...resource.changeProblems),
    },
  });
}

/** DELETE the resource, `If-Match` optional: 204. */
export function deleteRoute(resource: CatalogResource, options: RouteText) {
  return defineRoute({
    ...resourceRoute(resource, "DELETE", "delete", {
      ...options,
      summary: `Delete ${named(resource)}`,
    }),
    request: { path: resource.idPath, headers: ifMatchHeader },
    responses: { 204: { description: "Deleted" }, ...problems(400, 401, 403, 404, 409) },
  });
}

/**
 * POST `{item}/{action}` without a body (pause, resume), `If-Match` optional: 200 with the
 * resource (described by `result`) and its `ETag`.
 */
export function actionRoute(
  resource: CatalogResource,
  action: string,
  options: RouteText & { summary: string; result: string },
) {
  return defineRoute({
    ...resourceRoute(resource, "POST", action, options),
    request: { path: resource.idPath, headers: ifMatchHeader, bodyOptional: true },
    responses: {
      200: { description: options.result, schema: resource.view, headers: ETAG },
      ...problems(400, 401, 403, 404, 409),
    },
  });
}

/** A merchant report route as `reportRoute` takes it. */
export interface ReportRouteSpec {
  path: string;
  /** The function serving it (several reports share one where the stack's budget asks). */
  fn: string;
  operationId: string;
  summary: string;
  description?: string;
  /** Path, query and `Accept` header (CSV reports) as the report reads them. */
  request: RequestSpec;
  /** The report's 200 response. */
  ok: ResponseSpec;
  /**
   * 404 is documented for reports naming a resource in their path; `true` documents it for a
   * report whose query names one (`storeId`, `offerId`).
   */
  notFound?: boolean;
}

/**
 * A merchant report: GET, merchant JWT with a report role (the use case checks it), 20
 * requests/s, tag `reports`; 200 with the report, 400 for a bad parameter (naming it), 401, 403
 * and, for a report of one resource, 404.
 */
export function reportRoute(spec: ReportRouteSpec) {
  const { ok, notFound, ...route } = spec;
  const missing = notFound === true || spec.request.path !== undefined ? [404] : [];
  return defineRoute({
    method: "GET",
    auth: "jwt",
    rateLimit: 20,
    roles: REPORT_ROLES,
    tag: "reports",
    ...route,
    responses: { 200: ok, ...problems(400, 401, 403, ...missing) },
  });
}
