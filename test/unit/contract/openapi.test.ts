import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { handler } from "../../../functions/openapi.ts";
import { ROUTES } from "../../../infra/routes.ts";
import { merchantPrincipal } from "../../../shared/auth/principal.ts";
import type { RouteDefinition } from "../../../shared/http/route-contract.ts";
import { routeKeysJson } from "../../../shared/http/route-keys.ts";
import type { HttpEvent } from "../../../shared/http/types.ts";
import {
  openApiDocument,
  openApiJson,
  openApiPath,
  SECURITY_BY_AUTH,
} from "../../../shared/openapi/document.ts";
import { contractValidator, DOCUMENT_PATH } from "../../support/contract.ts";
import { bodyOf, httpEvent, lambdaContext } from "../../support/http-events.ts";

type Json = Record<string, unknown>;
interface Operation {
  operationId: string;
  security: unknown[];
  description: string;
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: { required: boolean; content: Record<string, unknown> };
  responses: Record<string, { content?: Record<string, unknown> }>;
}

const EVENTS = resolve(import.meta.dirname, "..", "..", "..", "events");
const doc = openApiDocument(ROUTES) as { openapi: string; paths: Record<string, Json> } & Json;
const documented = ROUTES.filter((r) => !r.undocumented);
const op = (route: RouteDefinition) =>
  doc.paths[openApiPath(route.path)]?.[route.method.toLowerCase()] as Operation | undefined;

function refs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) refs(n, out);
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k === "$ref" && typeof v === "string") out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

describe("route table", () => {
  it.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))(
    "%s declares everything the contract needs",
    (_, route) => {
      expect(route.operationId, "operationId").toMatch(/^[a-z][A-Za-z]+$/);
      expect(route.summary, "summary").toBeTruthy();
      expect(route.tag, "tag").toBeTruthy();
      const statuses = Object.keys(route.responses ?? {}).map(Number);
      expect(
        statuses.some((s) => s >= 200 && s < 300),
        "a success status",
      ).toBe(true);
      if (route.auth === "jwt") expect(route.roles?.length, "roles").toBeGreaterThan(0);
      else expect(route.roles, "roles only on merchant routes").toBeUndefined();
      if (route.auth !== "none") expect(statuses, "401 documented").toContain(401);
      const named = [...route.path.matchAll(/\{([^}+]+)\+?\}/g)].map((m) => m[1]);
      expect(Object.keys(route.request?.path?.shape ?? {}), "path parameters").toEqual(named);
      if (["POST", "PUT", "PATCH"].includes(route.method) && !route.request?.body) {
        expect(route.request?.bodyOptional, "a body schema, or no body at all").toBe(true);
      }
      if (route.request?.body) {
        expect(statuses, "413 and 415 for a body").toEqual(expect.arrayContaining([413, 415]));
      }
    },
  );

  it("has one operationId per route", () => {
    const ids = ROUTES.map((r) => r.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe("OpenAPI document", () => {
  it("is checked in exactly as generated (run `npx tsx scripts/openapi.ts` after changes)", () => {
    expect(readFileSync(DOCUMENT_PATH, "utf8")).toBe(openApiJson(ROUTES));
  });

  it("route-keys.json (the fallback's 404/405) is generated from the table", () => {
    const keys = resolve(
      import.meta.dirname,
      "..",
      "..",
      "..",
      "shared",
      "http",
      "route-keys.json",
    );
    expect(readFileSync(keys, "utf8")).toBe(routeKeysJson(ROUTES));
  });

  it("documents every route of the table, with its security scheme and every status", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(documented.length).toBe(ROUTES.length);
    for (const route of documented) {
      const operation = op(route);
      const name = `${route.method} ${route.path}`;
      expect(operation, name).toBeDefined();
      expect(operation?.operationId, name).toBe(route.operationId);
      expect(operation?.security, name).toEqual(SECURITY_BY_AUTH[route.auth]);
      for (const status of Object.keys(route.responses ?? {})) {
        expect(operation?.responses[status], `${name} → ${status}`).toBeDefined();
      }
      for (const role of route.roles ?? []) expect(operation?.description, name).toContain(role);
      if (route.request?.body) {
        expect(operation?.requestBody?.required, name).toBe(!route.request.bodyOptional);
        // Every body comes with an example request (from its sample in events/).
        const media = Object.values(operation?.requestBody?.content ?? {})[0] as
          | { example?: unknown }
          | undefined;
        expect(media?.example, `${name}: example body (events/${route.fn}.json)`).toBeDefined();
        expect(operation?.[`x-footfall-body-limit` as keyof Operation], name).toBe(
          route.bodyLimit ?? 1024 * 1024,
        );
      }
      if (route.rateLimit) {
        expect(operation?.[`x-footfall-rate-limit` as keyof Operation], name).toBe(route.rateLimit);
      }
    }
    // Nothing documented that the table does not route.
    const operations = Object.values(doc.paths).flatMap((item) => Object.keys(item));
    expect(operations.length).toBe(documented.length);
  });

  it("declares the three security schemes", () => {
    const schemes = (doc.components as { securitySchemes: Json }).securitySchemes;
    expect(Object.keys(schemes).sort()).toEqual(["appKey", "deviceToken", "merchantJwt"]);
    expect(schemes.appKey).toMatchObject({ type: "apiKey", in: "header", name: "x-app-key" });
  });

  it("resolves every $ref and carries the request rules (e.g. holdout 0–50)", () => {
    const schemas = (doc.components as { schemas: Record<string, Json> }).schemas;
    for (const ref of refs(doc)) {
      expect(schemas[ref.replace("#/components/schemas/", "")], ref).toBeDefined();
    }
    const offer = schemas.OfferInput as { properties: Record<string, Json> };
    expect(offer.properties.holdoutPercent).toMatchObject({ minimum: 0, maximum: 50 });
    expect(offer.properties.attributionWindowHours).toMatchObject({ minimum: 1, maximum: 720 });
    const store = schemas.StoreInput as { required: string[] };
    expect(store.required.sort()).toEqual(["name"]);
  });

  it("is served at GET /v1/openapi.json", async () => {
    const res = await handler(httpEvent({ path: "/v1/openapi.json" }), lambdaContext);
    expect(res.statusCode).toBe(200);
    expect(res.headers?.["content-type"]).toBe("application/json");
    expect(bodyOf(res)).toEqual(doc);
  });
});

describe("samples in events/", () => {
  const contract = contractValidator(doc);
  const samples = readdirSync(EVENTS)
    .filter((f) => f.endsWith(".json") && !f.endsWith(".schema.json"))
    .map((f) => [f, JSON.parse(readFileSync(join(EVENTS, f), "utf8")) as Json] as const)
    .filter(([, event]) => typeof event.routeKey === "string");

  it("include one for most routes", () => {
    expect(samples.length).toBeGreaterThanOrEqual(20);
  });

  it.each(samples)("%s is a request the document accepts", (_, event) => {
    const route = ROUTES.find((r) => `${r.method} ${r.path}` === event.routeKey);
    expect(route, String(event.routeKey)).toBeDefined();
    if (!route) return;
    const operation = op(route) as Operation;
    const errors: string[] = [];
    const params = operation.parameters ?? [];
    const given: Record<string, Record<string, string>> = {
      path: (event.pathParameters ?? {}) as Record<string, string>,
      query: (event.queryStringParameters ?? {}) as Record<string, string>,
      header: Object.fromEntries(
        Object.entries((event.headers ?? {}) as Record<string, string>).map(([k, v]) => [
          k.toLowerCase(),
          v,
        ]),
      ),
    };
    params.forEach((param, index) => {
      const value =
        given[param.in]?.[param.in === "header" ? param.name.toLowerCase() : param.name];
      if (value === undefined) {
        if (param.required) errors.push(`${param.in} ${param.name} is required`);
        return;
      }
      errors.push(...contract.check(route, ["parameters", String(index), "schema"], value));
    });
    for (const name of Object.keys(given.query ?? {})) {
      if (!params.some((p) => p.in === "query" && p.name === name)) {
        errors.push(`query ${name} is not documented`);
      }
    }
    if (typeof event.body === "string" && event.body !== "") {
      const mediaType = Object.keys(operation.requestBody?.content ?? {})[0];
      if (!mediaType) errors.push("a body where the route takes none");
      else {
        const body = JSON.parse(event.body);
        errors.push(
          ...contract.check(route, ["requestBody", "content", mediaType, "schema"], body),
        );
      }
    } else if (operation.requestBody?.required) {
      errors.push("the body is required");
    }
    expect(errors).toEqual([]);
  });

  /**
   * What stands in for the caller's identity in a sample, checked as the route's auth checks it
   * (empty when admitted): `npm run invoke` replays a sample as it is, so a sample the function
   * would refuse documents nothing.
   */
  function identityRefusal(route: RouteDefinition, event: Json): string {
    const headers = Object.fromEntries(
      Object.entries((event.headers ?? {}) as Record<string, string>).map(([k, v]) => [
        k.toLowerCase(),
        v,
      ]),
    );
    const context = event.requestContext as {
      timeEpoch: number;
      authorizer?: { lambda?: Record<string, unknown> };
    };
    switch (route.auth) {
      case "jwt": {
        try {
          const principal = merchantPrincipal(
            event as unknown as HttpEvent,
            Math.floor(context.timeEpoch / 1000),
          );
          const allowed = route.roles ?? [];
          return allowed.length === 0 || principal.roles.some((r) => allowed.includes(r))
            ? ""
            : `roles ${principal.roles.join(",")} hold none of ${allowed.join(",")}`;
        } catch (error) {
          return (error as Error).message;
        }
      }
      case "device":
        return typeof context.authorizer?.lambda?.deviceId === "string"
          ? ""
          : "no device authorizer context";
      case "deviceByFunction":
        return /^Bearer\s+\S/.test(headers.authorization ?? "") ? "" : "no device bearer token";
      case "appKey":
        return headers["x-app-key"] ? "" : "no x-app-key header";
      case "none":
        return "";
    }
  }

  it.each(samples)("%s carries an identity its route admits", (_, event) => {
    const route = ROUTES.find((r) => `${r.method} ${r.path}` === event.routeKey);
    expect(route, String(event.routeKey)).toBeDefined();
    if (route) expect(identityRefusal(route, event)).toBe("");
  });

  it("a sample whose token lacks its issue time is caught (the check can fail)", () => {
    const route = ROUTES.find((r) => r.operationId === "createStore") as RouteDefinition;
    const event = JSON.parse(readFileSync(join(EVENTS, "store-create.json"), "utf8")) as Json;
    expect(identityRefusal(route, event)).toBe("");
    const claims = (
      event.requestContext as { authorizer: { jwt: { claims: Record<string, unknown> } } }
    ).authorizer.jwt.claims;
    delete claims.iat;
    expect(identityRefusal(route, event)).toBe("The token's issue time is invalid.");
  });

  it("a sample that breaks the document is caught (the check can fail)", () => {
    const route = ROUTES.find((r) => r.operationId === "createStore") as RouteDefinition;
    const errors = contract.check(route, ["requestBody", "content", "application/json", "schema"], {
      name: 3,
    });
    expect(errors.length).toBeGreaterThan(0);
  });
});
