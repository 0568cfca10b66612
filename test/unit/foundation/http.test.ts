import middy from "@middy/core";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { merchantPrincipal, requireRole } from "../../../shared/auth/principal.ts";
import { ForbiddenError, NotFoundError, UnauthorizedError } from "../../../shared/errors.ts";
import { http, json } from "../../../shared/http/middleware.ts";
import { parseWith } from "../../../shared/http/parse.ts";
import { toProblem } from "../../../shared/http/problem.ts";
import type { HttpEvent, HttpResult } from "../../../shared/http/types.ts";
import { bodyOf, httpEvent, lambdaContext, merchantClaims } from "../../support/http-events.ts";
import { problemPaths } from "../../support/validation.ts";

const echo = middy<HttpEvent, HttpResult>()
  .use(http({ maxBodyBytes: 1024 }))
  .handler(async (event) => {
    const input = parseWith(
      z.strictObject({ name: z.string().min(1), n: z.number().int() }),
      event.parsedBody,
    );
    if (input.name === "boom") throw new Error("database password is hunter2");
    if (input.name === "missing") throw new NotFoundError("store not found");
    return json(200, input);
  });

describe("problem+json mapping", () => {
  it("answers 400 with the offending fields named", async () => {
    const res = await echo(
      httpEvent({ method: "POST", body: { name: "", n: 1.5, extra: true } }),
      lambdaContext,
    );
    expect(res.statusCode).toBe(400);
    expect(res.headers?.["content-type"]).toBe("application/problem+json");
    expect(bodyOf<{ status: number }>(res).status).toBe(400);
    expect(problemPaths(res)).toEqual(["extra", "n", "name"]);
  });

  it("answers 400 for malformed JSON, 413 over the limit, 415 for a wrong content type", async () => {
    const malformed = await echo(httpEvent({ method: "POST", rawBody: '{"name":' }), lambdaContext);
    expect(malformed.statusCode).toBe(400);
    expect(bodyOf(malformed).type).toMatch(/malformed-json$/);
    const big = await echo(
      httpEvent({ method: "POST", rawBody: JSON.stringify({ name: "x".repeat(2000) }) }),
      lambdaContext,
    );
    expect(big.statusCode).toBe(413);
    const text = await echo(
      httpEvent({ method: "POST", rawBody: "{}", headers: { "content-type": "text/plain" } }),
      lambdaContext,
    );
    expect(text.statusCode).toBe(415);
  });

  it("never leaks internals on a 5xx but carries the request id", async () => {
    const event = httpEvent({ method: "POST", body: { name: "boom", n: 1 } });
    const res = await echo(event, lambdaContext);
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain("hunter2");
    expect(bodyOf(res).requestId).toBe(event.requestContext.requestId);
  });

  it("maps named errors to their status", () => {
    expect(toProblem(new NotFoundError("x"), "r").statusCode).toBe(404);
    expect(toProblem(new UnauthorizedError("x"), "r").headers?.["www-authenticate"]).toBe("Bearer");
    expect(toProblem(new ForbiddenError("x"), "r").statusCode).toBe(403);
  });

  it("passes valid input through", async () => {
    const res = await echo(
      httpEvent({ method: "POST", body: { name: "ok", n: 2 } }),
      lambdaContext,
    );
    expect(res.statusCode).toBe(200);
    expect(bodyOf(res)).toEqual({ name: "ok", n: 2 });
  });
});

describe("merchant principal", () => {
  it("reads the merchant only from verified claims, never from body or query", () => {
    const event = httpEvent({
      method: "POST",
      body: { merchantId: "m_evil" },
      query: { merchantId: "m_evil" },
      jwtClaims: merchantClaims("m_good", "merchant-admin"),
    });
    expect(merchantPrincipal(event)).toMatchObject({
      merchantId: "m_good",
      roles: ["merchant-admin"],
    });
  });

  it("accepts array groups and rejects events without claims or roles", () => {
    const event = httpEvent({ jwtClaims: { ...merchantClaims("m1", "pos"), sub: "u" } });
    (event.requestContext.authorizer as { jwt: { claims: Record<string, unknown> } }).jwt.claims[
      "cognito:groups"
    ] = ["pos", "unknown"];
    const p = merchantPrincipal(event);
    expect(p.roles).toEqual(["pos"]);
    expect(() => requireRole(p, ["merchant-admin"])).toThrow(ForbiddenError);
    expect(() => merchantPrincipal(httpEvent())).toThrow(UnauthorizedError);
  });
});
