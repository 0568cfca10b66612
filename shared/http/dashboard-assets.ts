/**
 * The marketing dashboard's static files as HTTP responses: read once at cold start from the
 * directory the build wrote (`scripts/build-dashboard.ts`), served with a strict
 * Content-Security-Policy (scripts, styles and API calls from this origin only; the Cognito
 * domain only for the sign-in token exchange), `nosniff`, no referrer, and no framing.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { extname, join } from "node:path";
import type { HttpResult } from "./types.ts";

/** What the page needs to know to sign in: Cognito hosted UI, or none (local runner). */
export interface DashboardConfig {
  /** `https://<prefix>.auth.<region>.amazoncognito.com`, or null locally. */
  cognitoDomain: string | null;
  clientId: string | null;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".json": "application/json",
};

/** The Content-Security-Policy of every dashboard response. */
export function dashboardCsp(config: DashboardConfig): string {
  const connect = ["'self'", ...(config.cognitoDomain ? [config.cognitoDomain] : [])].join(" ");
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${connect}`,
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

interface Asset {
  body: string;
  type: string;
  etag: string;
  /** Content-hashed names never change: cache them for a year. */
  immutable: boolean;
}

/** Loads every file of the build directory (flat) into memory. */
export function loadDashboardAssets(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  if (!existsSync(dir)) return assets;
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)];
    if (!type) continue;
    const body = readFileSync(join(dir, name), "utf8");
    const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 16)}"`;
    assets.set(name, { body, type, etag, immutable: /-[A-Z0-9]{8}\.(js|css)$/.test(name) });
  }
  return assets;
}

/**
 * The response for `GET /dashboard`, `/dashboard/` or `/dashboard/{asset}`: index.html, a built
 * file, `config.json`, or 404 (never a directory listing, nothing outside the build).
 */
export function dashboardResponse(
  assets: ReadonlyMap<string, Asset>,
  config: DashboardConfig,
  path: string,
  ifNoneMatch: string | undefined,
): HttpResult {
  const security = {
    "content-security-policy": dashboardCsp(config),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "strict-transport-security": "max-age=31536000; includeSubDomains",
  };
  // `/dashboard` and `/dashboard/` are the page itself (asset URLs in it are absolute).
  const name =
    path === "/dashboard" || path === "/dashboard/"
      ? "index.html"
      : path.slice("/dashboard/".length);
  if (name === "config.json") {
    return {
      statusCode: 200,
      headers: { ...security, "content-type": TYPES[".json"] ?? "", "cache-control": "no-cache" },
      body: JSON.stringify(config),
    };
  }
  const asset = assets.get(name);
  if (!asset) {
    return {
      statusCode: 404,
      headers: { ...security, "content-type": TYPES[".txt"] ?? "" },
      body: "Not found",
    };
  }
  const headers = {
    ...security,
    "content-type": asset.type,
    etag: asset.etag,
    "cache-control": asset.immutable ? "public, max-age=31536000, immutable" : "no-cache",
  };
  if (ifNoneMatch === asset.etag) return { statusCode: 304, headers, body: "" };
  return { statusCode: 200, headers, body: asset.body };
}
