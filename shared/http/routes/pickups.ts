/**
 * Pickup orders ("order online, pick up in store"): the merchant's backend creates them, staff
 * work the board, the shopper's app attaches one and says "I'm here".
 */
import * as z from "zod";
import type { Role } from "../../auth/principal.ts";
import { attachPickupSchema, createPickupSchema } from "../../domain/pickup/requests.ts";
import { pickupReportQuerySchema } from "../../domain/reports/pickup-report-query.ts";
import {
  devicePickupSchema,
  pickupBoardSchema,
  pickupCreatedSchema,
  pickupReportSchema,
  pickupViewSchema,
} from "../../openapi/pickup-views.ts";
import { PICKUP_CREATE_ROLES, PICKUP_STAFF_ROLES } from "../../use-cases/pickups/roles.ts";
import { defineRoute, type RouteDefinition } from "../route-contract.ts";
import { reportRoute } from "./builders.ts";
import {
  createdResponse,
  ownDeviceRoute,
  problems,
  storeIdPath,
  WRITE_PROBLEMS,
} from "./common.ts";

export const pickupIdPath = z.object({
  pickupId: z.string().describe("The pickup id (`pu_…`)"),
});

/**
 * A route of the merchant's side of pickups (its backend, store staff): merchant JWT with one of
 * `roles`, tag `pickups`.
 */
function merchantPickupRoute<const R extends Omit<RouteDefinition, "auth" | "roles" | "tag">>(
  roles: readonly Role[],
  route: R,
) {
  return defineRoute({ auth: "jwt", roles, tag: "pickups", ...route });
}

export const createPickupRoute = merchantPickupRoute(PICKUP_CREATE_ROLES, {
  method: "POST",
  path: "/v1/pickups",
  fn: "pickup-create",
  rateLimit: 100,
  operationId: "createPickup",
  summary: "Create a pickup order (the merchant's backend)",
  description:
    "For one of the caller's stores (its id or `code:` + store code). Returns the one-time " +
    "`attachToken` (256 bits; only its SHA-256 is stored) to hand to the shopper's app; it " +
    "works once, until 24 h after the promised time.",
  bodyLimit: 16 * 1024,
  request: { body: createPickupSchema },
  responses: {
    201: createdResponse("Created", pickupCreatedSchema, "/v1/pickups/{pickupId}"),
    ...problems(...WRITE_PROBLEMS, 404),
  },
});

export const getPickupRoute = merchantPickupRoute(PICKUP_STAFF_ROLES, {
  method: "GET",
  path: "/v1/pickups/{pickupId}",
  fn: "pickup-get",
  operationId: "getPickup",
  summary: "One pickup order",
  description: "State, readiness, arrival estimate, vehicle and the time of each step.",
  request: { path: pickupIdPath },
  responses: {
    200: { description: "The pickup", schema: pickupViewSchema },
    ...problems(400, 401, 403, 404),
  },
});

function staffRoute(action: "ready" | "complete" | "cancel", operationId: string, past: string) {
  return merchantPickupRoute(PICKUP_STAFF_ROLES, {
    method: "POST",
    path: `/v1/pickups/{pickupId}/${action}`,
    fn: "pickup-staff",
    operationId,
    summary: `Staff: mark the pickup ${past}`,
    description:
      "Repeating the action that already happened answers 200 unchanged; an action on a " +
      "pickup that ended otherwise answers 409 naming `state`. No body.",
    request: { path: pickupIdPath, bodyOptional: true },
    responses: {
      200: { description: "The pickup after the action", schema: pickupViewSchema },
      ...problems(400, 401, 403, 404, 409),
    },
  });
}

export const readyPickupRoute = staffRoute("ready", "readyPickup", "ready");
export const completePickupRoute = staffRoute("complete", "completePickup", "completed");
export const cancelPickupRoute = staffRoute("cancel", "cancelPickup", "cancelled");

export const pickupBoardRoute = merchantPickupRoute(PICKUP_STAFF_ROLES, {
  method: "GET",
  path: "/v1/stores/{storeId}/pickups",
  fn: "pickup-board",
  operationId: "listStorePickups",
  summary: "The store's pickup board",
  description:
    "The store's active pickups by promised time, with state, readiness, arrival estimate and " +
    "vehicle. Timeouts (no-show, forgotten completion) apply on the way.",
  request: { path: storeIdPath },
  responses: {
    200: { description: "The board", schema: pickupBoardSchema },
    ...problems(400, 401, 403, 404),
  },
});

export const pickupReportRoute = reportRoute({
  path: "/v1/reports/stores/{storeId}/pickups",
  // Served by the store report's function: one more function would take the service stack
  // past CloudFormation's 500 resources.
  fn: "report-store",
  operationId: "getPickupReport",
  summary: "Pickup metrics of one store per day",
  description:
    "For the store's ended pickups, per store-local day of the promised time (default the " +
    "last 30 days): counts by outcome, wait time (arrived → completed by staff: mean, median, " +
    "90th percentile), arrival estimate error (the estimate made at `nearby` vs the real " +
    "arrival), on-time share (arrived by the promised time) and ready-on-arrival share. From " +
    "state timestamps only. Days without ended pickups only with `includeEmpty=true`.",
  request: { path: storeIdPath, query: pickupReportQuerySchema },
  ok: { description: "The pickup report", schema: pickupReportSchema },
});

/**
 * A route of the shopper's app about its own pickups below `/v1/devices/me/pickups`, all served
 * by the `device-pickups` function with the device token.
 */
function ownPickupRoute<const R extends Omit<RouteDefinition, "fn" | "auth" | "tag" | "path">>(
  subpath: string,
  route: R,
) {
  return ownDeviceRoute(`/pickups${subpath}`, { fn: "device-pickups", tag: "pickups", ...route });
}

export const attachPickupRoute = ownPickupRoute("", {
  method: "POST",
  operationId: "attachPickup",
  summary: "Attach a pickup order to this device",
  description:
    "With the one-time token from the merchant. From then on the device's pings move the order " +
    "toward arrival (location is used only while it is active, and only with location consent). " +
    "A used, unknown or expired token is 404; a device holding 5 active pickups gets 409.",
  bodyLimit: 4 * 1024,
  request: { body: attachPickupSchema },
  responses: {
    201: createdResponse("Attached", devicePickupSchema, "/v1/devices/me/pickups/{pickupId}"),
    ...problems(400, 401, 404, 409, 413, 415),
  },
});

export const getOwnPickupRoute = ownPickupRoute("/{pickupId}", {
  method: "GET",
  operationId: "getOwnPickup",
  summary: "A pickup order attached to this device",
  request: { path: pickupIdPath },
  responses: {
    200: { description: "The pickup", schema: devicePickupSchema },
    ...problems(400, 401, 404),
  },
});

export const arrivedOwnPickupRoute = ownPickupRoute("/{pickupId}/arrived", {
  method: "POST",
  operationId: "arrivedOwnPickup",
  summary: '"I\'m here": manual arrival, no location needed',
  request: { path: pickupIdPath, bodyOptional: true },
  responses: {
    200: { description: "The pickup, arrived", schema: devicePickupSchema },
    ...problems(400, 401, 404),
  },
});
