import middy from "@middy/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { http, json } from "../../../shared/http/middleware.ts";
import { decodePathParameters, routeTemplate } from "../../../shared/http/path-parameters.ts";
import type { HttpEvent, HttpResult } from "../../../shared/http/types.ts";
import { bodyOf, httpEvent, lambdaContext } from "../../support/http-events.ts";

const MALFORMED = ["%", "%zz", "%E0%A4%A", "st_%2", "%C3%28", "%FF", "abc%"];

describe("path parameters with percent-escapes", () => {
  it.each(MALFORMED)("rejects the malformed segment %j naming the parameter", (raw) => {
    let caught: unknown;
    try {
      decodePathParameters("/v1/stores/{storeId}", `/v1/stores/${raw}`);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ status: 400, issues: [{ path: "storeId" }] });
  });

  it("decodes well-formed escapes, including a literal % sent as %25", () => {
    expect(
      decodePathParameters("/v1/offers/{offerId}/pause", "/v1/offers/of_%41%25/pause"),
    ).toEqual({ offerId: "of_A%" });
    expect(decodePathParameters("/v1/stores/{storeId}", "/v1/stores/caf%C3%A9")).toEqual({
      storeId: "café",
    });
    expect(decodePathParameters("/v1/stores/{storeId}", "/v1/stores/a/b")).toBeUndefined();
  });

  it("round-trips every string encodeURIComponent produces", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", minLength: 1 }), (s) => {
        const decoded = decodePathParameters(
          "/v1/stores/{storeId}",
          `/v1/stores/${encodeURIComponent(s)}`,
        );
        expect(decoded).toEqual({ storeId: s });
      }),
    );
  });

  it("reads the template from a route key", () => {
    expect(routeTemplate("GET /v1/stores/{storeId}")).toBe("/v1/stores/{storeId}");
    expect(routeTemplate("$default")).toBeUndefined();
  });

  it("answers 400 problem+json in the Lambda handler path for /v1/stores/%", async () => {
    const handler = middy<HttpEvent, HttpResult>()
      .use(http())
      .handler(async (event) => json(200, { id: event.pathParameters?.storeId }));
    for (const raw of ["%", "%zz", "%E0%A4%A"]) {
      const event = httpEvent({ method: "GET", path: `/v1/stores/${raw}` });
      event.routeKey = "GET /v1/stores/{storeId}";
      event.pathParameters = { storeId: raw };
      const res = await handler(event, lambdaContext);
      expect(res.statusCode).toBe(400);
      expect(res.headers?.["content-type"]).toBe("application/problem+json");
      expect(bodyOf<{ errors: { path: string }[] }>(res).errors[0]?.path).toBe("storeId");
    }
    const ok = httpEvent({ method: "GET", path: "/v1/stores/st_%41" });
    ok.routeKey = "GET /v1/stores/{storeId}";
    ok.pathParameters = { storeId: "st_A" };
    expect((await handler(ok, lambdaContext)).statusCode).toBe(200);
  });
});
