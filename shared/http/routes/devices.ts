/**
 * Routes a mobile app calls about its device: registration with its app key, then the device's
 * own record, token and erasure with the device token.
 */
import * as z from "zod";
import {
  refreshTokenSchema,
  registerDeviceSchema,
  updateDeviceSchema,
} from "../../domain/device.ts";
import {
  deviceTokenSchema,
  deviceViewSchema,
  registeredDeviceSchema,
} from "../../openapi/device-views.ts";
import { defineRoute } from "../route-contract.ts";
import {
  createdResponse,
  DEVICE_WRITE_PROBLEMS,
  ownDeviceRoute,
  problems,
  WRITE_PROBLEMS,
} from "./common.ts";

export const registerDeviceRoute = defineRoute({
  method: "POST",
  path: "/v1/devices",
  fn: "device-register",
  auth: "appKey",
  rateLimit: 200,
  operationId: "registerDevice",
  tag: "devices",
  summary: "Register a device",
  description:
    "The app's key goes in `x-app-key`. Returns the device and its bearer token. Consent is " +
    "recorded as sent; no push is ever sent without marketing consent. 429 with `Retry-After` " +
    "past the per-address or per-app registration limit.",
  bodyLimit: 16 * 1024,
  request: {
    headers: z.object({ "x-app-key": z.string().describe("The app's key (`ffk_…`)") }),
    body: registerDeviceSchema,
  },
  responses: {
    201: createdResponse("Registered", registeredDeviceSchema, "/v1/devices/me"),
    ...problems(...WRITE_PROBLEMS, 429),
  },
});

export const getDeviceRoute = ownDeviceRoute("", {
  method: "GET",
  fn: "device-get",
  operationId: "getOwnDevice",
  summary: "The calling device's own record",
  description:
    "What the device registered and consented to; never its push token or endpoint. " +
    "401 once the device is erased.",
  responses: { 200: { description: "The device", schema: deviceViewSchema }, ...problems(401) },
});

export const updateDeviceRoute = ownDeviceRoute("", {
  method: "PATCH",
  fn: "device-update",
  operationId: "updateOwnDevice",
  summary: "Change consent, push token, locale, time zone or segments",
  description: "Any subset of the fields; `pushToken: null` removes the token.",
  bodyLimit: 16 * 1024,
  request: { body: updateDeviceSchema },
  responses: {
    200: { description: "The updated device", schema: deviceViewSchema },
    ...problems(...DEVICE_WRITE_PROBLEMS),
  },
});

export const refreshDeviceTokenRoute = ownDeviceRoute("/token", {
  method: "POST",
  fn: "device-token",
  rateLimit: 50,
  operationId: "refreshDeviceToken",
  summary: "Refresh the device token before it expires",
  description:
    "Returns a new token valid for the full TTL (180 days by default). Earlier tokens keep " +
    "working until their own expiry, unless `revokeEarlier` is true: then they are refused " +
    "(within the authorizer's 60 s cache). An erased device gets 401. Body optional.",
  bodyLimit: 1024,
  request: { body: refreshTokenSchema, bodyOptional: true },
  responses: {
    200: { description: "A fresh token", schema: deviceTokenSchema },
    ...problems(...DEVICE_WRITE_PROBLEMS),
  },
});

export const eraseDeviceRoute = ownDeviceRoute("", {
  method: "DELETE",
  fn: "device-erase",
  operationId: "eraseOwnDevice",
  summary: "Erase everything stored for the calling device",
  description:
    "Profile, visit state, incentives and the device's conversion records; its tokens stop " +
    "working (within the authorizer's 60 s cache).",
  responses: { 204: { description: "Erased" }, ...problems(401) },
});
