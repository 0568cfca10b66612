import type { AddressInfo } from "node:net";
import { afterAll, beforeAll } from "vitest";
import { generateDevKey, mintMerchantToken } from "../../scripts/local/dev-jwt.ts";
import { createLocalServer } from "../../scripts/local/server.ts";
import type { Role } from "../../shared/auth/principal.ts";
import { createTestAppKey } from "./app-keys.ts";
import { contractValidator } from "./contract.ts";

/** Starts the local HTTP server (same code as `npm start`) on a free port against the test engines. */
export async function startTestServer(options: { now?: () => number } = {}) {
  const jwtKey = await generateDevKey();
  // Every answer of a route is checked against the OpenAPI document; close() fails the suite on
  // any answer the document does not describe (status, media type or body).
  const contract = contractValidator();
  const violations = new Set<string>();
  const server = createLocalServer({
    jwtKey,
    ...options,
    onResponse: (route, result) => {
      for (const violation of contract.checkResponse(route, result)) violations.add(violation);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { appKey, appId, serverSecret } = await createTestAppKey("e2e");
  return {
    url,
    appKey,
    appId,
    serverSecret: serverSecret ?? "",
    jwtKey,
    token: (merchantId: string, role: Role) => mintMerchantToken(jwtKey, { merchantId, role }),
    /** Answers that did not match the OpenAPI document so far. */
    violations,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      if (violations.size > 0) {
        throw new Error(
          `Answers not as documented in docs/openapi.json:\n${[...violations].join("\n")}`,
        );
      }
    },
  };
}

/** What {@link startTestServer} returns: the server's URL, its app key and token minting. */
export type TestServer = Awaited<ReturnType<typeof startTestServer>>;

/**
 * Starts a test server before the file's tests and closes it after them (failing the file on any
 * undocumented answer). The returned object is filled in once `beforeAll` has run.
 */
export function useTestServer(options: { now?: () => number } = {}): TestServer {
  const server = {} as TestServer;
  beforeAll(async () => {
    Object.assign(server, await startTestServer(options));
  });
  afterAll(async () => {
    await server.close();
  });
  return server;
}

/** fetch + JSON helper returning status, headers and parsed body. */
export async function call(
  url: string,
  init: {
    method?: string;
    headers?: Record<string, string>;
    body?: unknown;
    rawBody?: string;
  } = {},
) {
  const res = await fetch(url, {
    method: init.method ?? "GET",
    headers: {
      ...(init.body !== undefined ? { "content-type": "application/json" } : {}),
      ...init.headers,
    },
    ...(init.rawBody !== undefined
      ? { body: init.rawBody }
      : init.body !== undefined
        ? { body: JSON.stringify(init.body) }
        : {}),
  });
  const text = await res.text();
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON shapes
  let body: any = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { status: res.status, headers: res.headers, body };
}
