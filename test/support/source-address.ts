import { randomInt } from "node:crypto";
import { request } from "node:http";

/**
 * A loopback address of its own (Linux routes all of 127.0.0.0/8 to lo), so a test's requests
 * reach the local server from a source address no other test file shares — as separate phones
 * or one farm would from their own addresses.
 */
export function loopbackAddress(): string {
  return `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
}

/** JSON request from `localAddress` (what API Gateway reports as `sourceIp`). */
export function callFrom(
  localAddress: string,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON shapes
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: any }> {
  const payload = init.body === undefined ? undefined : JSON.stringify(init.body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: init.method ?? "GET",
        localAddress,
        headers: {
          ...(payload !== undefined ? { "content-type": "application/json" } : {}),
          ...init.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            body = text;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
      },
    );
    req.on("error", reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}
