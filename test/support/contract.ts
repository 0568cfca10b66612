/**
 * Checks answers against the OpenAPI document as checked in (docs/openapi.json, itself checked
 * against the route table by test/unit/contract): the status must be documented for the route,
 * and a JSON body must validate (ajv, JSON Schema 2020-12) against the schema documented for
 * that status and media type.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import type { RouteDefinition } from "../../shared/http/route-contract.ts";
import type { HttpResult } from "../../shared/http/types.ts";
import { openApiPath } from "../../shared/openapi/document.ts";

type Json = Record<string, unknown>;

export const DOCUMENT_PATH = join(import.meta.dirname, "..", "..", "docs", "openapi.json");

/** Loads the document and compiles validators lazily, one per schema location. */
export function contractValidator(
  document: Json = JSON.parse(readFileSync(DOCUMENT_PATH, "utf8")),
) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema(document, "openapi.json");
  const compiled = new Map<string, ValidateFunction>();
  const pointer = (...parts: string[]) =>
    parts.map((p) => p.replaceAll("~", "~0").replaceAll("/", "~1")).join("/");

  function operation(route: RouteDefinition): Json | undefined {
    const paths = document.paths as Record<string, Record<string, Json>>;
    return paths[openApiPath(route.path)]?.[route.method.toLowerCase()];
  }

  function validator(location: string): ValidateFunction {
    const known = compiled.get(location);
    if (known) return known;
    const fn = ajv.compile({ $ref: `openapi.json#/${location}` });
    compiled.set(location, fn);
    return fn;
  }

  /**
   * Validates a JSON value against the schema at `paths/<path>/<method>/<kind…>`: e.g.
   * `["requestBody", "content", "application/json", "schema"]`. Returns the errors, [] if valid.
   */
  function check(route: RouteDefinition, kind: string[], value: unknown): string[] {
    const fn = validator(
      pointer("paths", openApiPath(route.path), route.method.toLowerCase(), ...kind),
    );
    if (fn(value)) return [];
    return (fn.errors ?? []).map(
      (e) => `${e.instancePath || "(root)"} ${e.message ?? ""} ${JSON.stringify(e.params)}`,
    );
  }

  /** What is wrong with an answer of the route, per the document ([] if nothing). */
  function checkResponse(route: RouteDefinition, result: HttpResult): string[] {
    const status = String(result.statusCode ?? 200);
    const op = operation(route);
    const where = `${route.method} ${route.path} → ${status}`;
    if (!op) return [`${where}: the route is not documented`];
    const responses = op.responses as Record<string, { content?: Record<string, unknown> }>;
    const documented = responses[status];
    if (!documented) return [`${where}: status not documented`];
    const headers = result.headers ?? {};
    const contentType = String(
      Object.entries(headers).find(([k]) => k.toLowerCase() === "content-type")?.[1] ?? "",
    );
    const mediaType = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
    if (!result.body) return [];
    if (!documented.content) return [`${where}: a body (${mediaType}) where none is documented`];
    if (!(mediaType in documented.content)) {
      // Static files (the dashboard) answer in their own media types.
      if (route.fn === "dashboard") return [];
      return [`${where}: media type ${mediaType} not documented`];
    }
    if (!mediaType.endsWith("json")) return [];
    const body = JSON.parse(
      result.isBase64Encoded ? Buffer.from(result.body, "base64").toString("utf8") : result.body,
    );
    return check(route, ["responses", status, "content", mediaType, "schema"], body).map(
      (e) => `${where}: ${e}`,
    );
  }

  return { operation, check, checkResponse };
}
