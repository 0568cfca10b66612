import { vi } from "vitest";
import type { HttpResult } from "../../shared/http/types.ts";
import { httpEvent, lambdaContext } from "./http-events.ts";

/** One DynamoDB request the handler made: its command, its input as JSON, when it ran (ms). */
export interface RecordedRequest {
  command: string;
  input: string;
  start: number;
  /** `NaN` until the request has finished. */
  end: number;
}

/**
 * The ping handler loaded cold (fresh modules, as after a Lambda cold start) with SDK middleware
 * on its DynamoDB client recording every request in start order. `post` sends one batch as the
 * device `device.deviceId` (its bearer token signed with the environment's key, see
 * `httpEvent`); `headers` override it (another token, or none).
 */
export async function coldPingHandler() {
  vi.resetModules();
  const clients = await import("../../shared/adapters/aws-clients.ts");
  const requests: RecordedRequest[] = [];
  clients.dynamoClient.middlewareStack.add(
    (next, context) => async (args) => {
      const request: RecordedRequest = {
        command: String(context.commandName),
        input: JSON.stringify(args.input),
        start: performance.now(),
        end: Number.NaN,
      };
      requests.push(request);
      try {
        return await next(args);
      } finally {
        request.end = performance.now();
      }
    },
    { step: "initialize", name: "recordRequestsForTest" },
  );
  const { handler } = await import("../../functions/ping-ingest.ts");
  const post = async (
    pings: unknown[],
    device: Record<string, string | number | boolean>,
    headers?: Record<string, string>,
  ) =>
    (await handler(
      httpEvent({
        method: "POST",
        path: "/v1/pings",
        body: { pings },
        device,
        ...(headers ? { headers } : {}),
      }),
      lambdaContext,
    )) as HttpResult;
  return { requests, post };
}
