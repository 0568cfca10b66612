import { describe, expect, it, vi } from "vitest";

// The logger and metrics singletons read their level / switch when they are built (the logger
// middleware restores the built level at every invocation): log at INFO and emit metrics in this
// file only (each test file has its own module graph), then load the factory.
process.env.LOG_LEVEL = "INFO";
process.env.POWERTOOLS_METRICS_DISABLED = "false";
const { lambdaHandler } = await import("../../../shared/lambda-handler.ts");
const { logger } = await import("../../../shared/logger.ts");
const { count } = await import("../../../shared/metrics.ts");
const { http } = await import("../../../shared/http/middleware.ts");
const { httpEvent } = await import("../../support/http-events.ts");
const { refreshBeforeEachInvocation } = await import("../../../shared/config/secret-refresh.ts");

const context = (awsRequestId: string) =>
  ({ awsRequestId, functionName: "fn-test", getRemainingTimeInMillis: () => 10_000 }) as never;

/** Every JSON line written to stdout while `run` runs (the logger and EMF write there). */
async function stdoutLines(run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: unknown) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    await run().catch(() => undefined);
  } finally {
    spy.mockRestore();
  }
  return chunks
    .join("")
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const logLines = (lines: Record<string, unknown>[]) => lines.filter((l) => "message" in l);
const emfLines = (lines: Record<string, unknown>[]) => lines.filter((l) => "_aws" in l);

describe("lambdaHandler: log context and key reset", () => {
  const handler = lambdaHandler<{ merchant?: string; fail?: boolean }, string>().handler(
    async (event) => {
      if (event.merchant) logger.appendKeys({ merchantRef: event.merchant });
      logger.info("working");
      if (event.fail) throw new Error("boom");
      return "ok";
    },
  );

  it("a key appended in one invocation is absent from the next one's log lines", async () => {
    const first = logLines(await stdoutLines(() => handler({ merchant: "m-1" }, context("r1"))));
    const second = logLines(await stdoutLines(() => handler({}, context("r2"))));
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ merchantRef: "m-1", function_request_id: "r1" });
    expect(second).toHaveLength(1);
    expect(second[0]).toMatchObject({ function_request_id: "r2", function_name: "fn-test" });
    expect(second[0]).not.toHaveProperty("merchantRef");
  });

  it("keys are reset after a failed invocation too", async () => {
    await stdoutLines(() => handler({ merchant: "m-2", fail: true }, context("r3")));
    const next = logLines(await stdoutLines(() => handler({}, context("r4"))));
    expect(next[0]).toMatchObject({ function_request_id: "r4" });
    expect(next[0]).not.toHaveProperty("merchantRef");
  });

  it("the HTTP keys (requestId, route) of one request never reach the next one", async () => {
    const api = lambdaHandler()
      .use(http({ requireBody: false }))
      .handler(async () => {
        logger.info("handled");
        return { statusCode: 204 };
      });
    const routed = httpEvent({ method: "GET", path: "/v1/stores" });
    routed.requestContext.requestId = "api-req-1";
    routed.routeKey = "GET /v1/stores";
    const first = logLines(await stdoutLines(() => api(routed, context("r5"))));
    expect(first[0]).toMatchObject({ requestId: "api-req-1", route: "GET /v1/stores" });
    const bare = logLines(await stdoutLines(() => api({} as never, context("r6"))));
    expect(bare[0]).toMatchObject({ function_request_id: "r6" });
    expect(bare[0]).not.toHaveProperty("requestId");
    expect(bare[0]).not.toHaveProperty("route");
  });
});

describe("lambdaHandler: metrics flushed once per invocation", () => {
  it("prints one EMF line with what the invocation counted, on success and on error", async () => {
    const handler = lambdaHandler<{ n: number; fail?: boolean }, void>().handler(async (event) => {
      count("Redemptions", event.n);
      if (event.fail) throw new Error("boom");
    });
    const ok = emfLines(await stdoutLines(() => handler({ n: 2 }, context("m1"))));
    expect(ok).toHaveLength(1);
    expect(ok[0]).toMatchObject({ Redemptions: 2, service: "footfall" });
    const failed = emfLines(await stdoutLines(() => handler({ n: 1, fail: true }, context("m2"))));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ Redemptions: 1 });
    // Nothing carried over: an invocation that counts nothing prints no metrics.
    const none = emfLines(await stdoutLines(() => handler({ n: 0 }, context("m3"))));
    expect(none).toEqual([]);
  });
});

describe("lambdaHandler: secrets refreshed before each invocation", () => {
  it("runs the registered refresh before the handler, once per invocation", async () => {
    const order: string[] = [];
    refreshBeforeEachInvocation(async () => {
      order.push("refresh");
    });
    const handler = lambdaHandler().handler(async () => {
      order.push("handler");
    });
    await handler({}, context("s1"));
    await handler({}, context("s2"));
    expect(order).toEqual(["refresh", "handler", "refresh", "handler"]);
  });
});
