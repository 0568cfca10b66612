import { describe, expect, it } from "vitest";
import { ROUTES } from "../../../infra/routes.ts";
import { MethodNotAllowedError, NotFoundError } from "../../../shared/errors.ts";
import { toProblem } from "../../../shared/http/problem.ts";
import { unmatchedRouteError } from "../../../shared/http/route-match.ts";

describe("unmatchedRouteError", () => {
  it("answers 405 with every method of an existing path, sorted", () => {
    const error = unmatchedRouteError(ROUTES, "POST", "/v1/stores/st_123");
    expect(error).toBeInstanceOf(MethodNotAllowedError);
    expect((error as MethodNotAllowedError).allow).toEqual(
      [
        ...new Set(ROUTES.filter((r) => r.path === "/v1/stores/{storeId}").map((r) => r.method)),
      ].sort(),
    );
  });

  it("answers 405 for a static path under another method", () => {
    const error = unmatchedRouteError(ROUTES, "delete", "/v1/pings");
    expect(error).toBeInstanceOf(MethodNotAllowedError);
    expect((error as MethodNotAllowedError).allow).toEqual(["POST"]);
  });

  it("answers 404 for unknown paths, extra segments and empty parameters", () => {
    for (const path of [
      "/v1/nothing",
      "/v1/stores/a/b",
      "/v1/stores/",
      "/",
      "/v1/offers/x/pause/y",
    ]) {
      expect(unmatchedRouteError(ROUTES, "GET", path), path).toBeInstanceOf(NotFoundError);
    }
  });

  it("treats path templates literally apart from parameters", () => {
    const routes = [{ method: "POST", path: "/v1/stores:import" }];
    expect(unmatchedRouteError(routes, "GET", "/v1/stores:import")).toBeInstanceOf(
      MethodNotAllowedError,
    );
    expect(unmatchedRouteError(routes, "GET", "/v1/storesXimport")).toBeInstanceOf(NotFoundError);
  });

  it("renders 405 as problem+json with an Allow header", () => {
    const problem = toProblem(unmatchedRouteError(ROUTES, "PUT", "/v1/pings"), "r1", "/v1/pings");
    expect(problem.statusCode).toBe(405);
    expect(problem.headers).toMatchObject({
      "content-type": "application/problem+json",
      allow: "POST",
    });
    expect(JSON.parse(problem.body ?? "{}")).toMatchObject({ status: 405, allow: ["POST"] });
  });
});
