import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  dashboardCsp,
  dashboardResponse,
  loadDashboardAssets,
} from "../../../shared/http/dashboard-assets.ts";

function assets() {
  const dir = mkdtempSync(join(tmpdir(), "dash-"));
  writeFileSync(join(dir, "index.html"), "<!doctype html><title>x</title>");
  writeFileSync(join(dir, "app-ABCDEFGH.js"), "console.log(1)");
  writeFileSync(join(dir, "notes.md"), "not served");
  return loadDashboardAssets(dir);
}

const local = { cognitoDomain: null, clientId: null };

describe("dashboard static files", () => {
  it("serves index and hashed assets with a strict CSP; hashed files are immutable", () => {
    const a = assets();
    const index = dashboardResponse(a, local, "/dashboard/", undefined);
    expect(index.statusCode).toBe(200);
    expect(index.headers?.["content-type"]).toMatch(/^text\/html/);
    expect(index.headers?.["cache-control"]).toBe("no-cache");
    const csp = String(index.headers?.["content-security-policy"]);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(csp).toContain("frame-ancestors 'none'");
    const js = dashboardResponse(a, local, "/dashboard/app-ABCDEFGH.js", undefined);
    expect(js.headers?.["cache-control"]).toContain("immutable");
    expect(dashboardResponse(a, local, "/dashboard", undefined).statusCode).toBe(200);
    const again = dashboardResponse(
      a,
      local,
      "/dashboard/app-ABCDEFGH.js",
      js.headers?.etag as string,
    );
    expect(again.statusCode).toBe(304);
  });

  it("answers 404 for anything not built (no listing, no other extension, no traversal)", () => {
    const a = assets();
    for (const path of ["/dashboard/notes.md", "/dashboard/../package.json", "/dashboard/x/y.js"]) {
      expect(dashboardResponse(a, local, path, undefined).statusCode).toBe(404);
    }
  });

  it("tells the page where to sign in, and lets it reach only that Cognito domain", () => {
    const cognito = {
      cognitoDomain: "https://footfall.auth.eu-west-1.amazoncognito.com",
      clientId: "abc",
    };
    const res = dashboardResponse(assets(), cognito, "/dashboard/config.json", undefined);
    expect(JSON.parse(String(res.body))).toEqual(cognito);
    expect(dashboardCsp(cognito)).toContain(
      "connect-src 'self' https://footfall.auth.eu-west-1.amazoncognito.com",
    );
  });
});
