import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { handler } from "../../../functions/openapi.ts";
import { ROUTES } from "../../../infra/routes.ts";
import { openApiDocument, openApiJson } from "../../../shared/openapi/document.ts";
import { bodyOf, httpEvent, lambdaContext } from "../../support/http-events.ts";

const CHECKED_IN = resolve(import.meta.dirname, "..", "..", "..", "docs", "openapi.json");

type Json = Record<string, unknown>;

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

describe("OpenAPI document", () => {
  it("is checked in exactly as generated (run `tsx scripts/openapi.ts` after schema changes)", () => {
    expect(readFileSync(CHECKED_IN, "utf8")).toBe(openApiJson());
  });

  it("is OpenAPI 3.1 and documents every catalog route", () => {
    const doc = openApiDocument() as { openapi: string; paths: Record<string, Json> };
    expect(doc.openapi).toBe("3.1.0");
    const catalog = ROUTES.filter((r) => /^(store-|offer-|openapi$)/.test(r.fn));
    expect(catalog.length).toBe(17);
    for (const route of catalog) {
      expect(
        doc.paths[route.path]?.[route.method.toLowerCase()],
        `${route.method} ${route.path}`,
      ).toBeDefined();
    }
  });

  it("resolves every $ref and carries the request rules (e.g. holdout 0–50)", () => {
    const doc = openApiDocument() as { components: { schemas: Record<string, Json> } };
    for (const ref of refs(doc)) {
      const name = ref.replace("#/components/schemas/", "");
      expect(doc.components.schemas[name], ref).toBeDefined();
    }
    const offer = doc.components.schemas.OfferInput as { properties: Record<string, Json> };
    expect(offer.properties.holdoutPercent).toMatchObject({ minimum: 0, maximum: 50 });
    expect(offer.properties.attributionWindowHours).toMatchObject({ minimum: 1, maximum: 720 });
    const store = doc.components.schemas.StoreInput as { required: string[] };
    expect(store.required.sort()).toEqual(["name"]);
  });

  it("is served at GET /v1/openapi.json", async () => {
    const res = await handler(httpEvent({ path: "/v1/openapi.json" }), lambdaContext);
    expect(res.statusCode).toBe(200);
    expect(res.headers?.["content-type"]).toBe("application/json");
    expect(bodyOf(res)).toEqual(openApiDocument());
  });
});
