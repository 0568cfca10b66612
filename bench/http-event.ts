/**
 * What the benchmark children hand the shipped handlers when they invoke them in process: API
 * Gateway HTTP API (payload format 2.0) events as API Gateway delivers them, and a Lambda
 * context. Built outside the measured calls.
 */
import type { HttpAuthorizer, HttpEvent } from "../shared/http/types.ts";

/** A Lambda handler as the benchmarks call it: `(event, context) => Promise<result>`. */
export type Handler<E, R> = (event: E, context: unknown) => Promise<R>;

/** The Lambda context of every in-process invocation (10 s left, as far as the handler asks). */
export const LAMBDA_CONTEXT = {
  awsRequestId: "bench",
  functionName: "bench",
  getRemainingTimeInMillis: () => 10_000,
};

/** One request to a route. */
export interface BenchRequest {
  method: string;
  /** The request path, also the route key's path (no parameters substituted). */
  path: string;
  /** When the request arrives (epoch ms): the event's `time`, `timeEpoch` and request id. */
  nowMs: number;
  /** The raw body (JSON text); absent for a request without one. */
  body?: string;
  /** Headers beside `content-type: application/json`. */
  headers?: Record<string, string>;
  pathParameters?: Record<string, string>;
  /** What the route's authorizer passed on (a JWT's claims, a Lambda authorizer's context). */
  authorizer?: HttpAuthorizer;
}

/** The HTTP API v2 event of `request`, with a request id of its own. */
export function httpEvent(request: BenchRequest): HttpEvent {
  const { method, path, nowMs } = request;
  return {
    version: "2.0",
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: "",
    headers: { "content-type": "application/json", ...request.headers },
    requestContext: {
      accountId: "000000000000",
      apiId: "bench",
      domainName: "bench.local",
      domainPrefix: "bench",
      http: {
        method,
        path,
        protocol: "HTTP/1.1",
        sourceIp: "127.0.0.1",
        userAgent: "footfall-bench",
      },
      requestId: `bench-${nowMs}-${Math.floor(performance.now() * 1000)}`,
      routeKey: `${method} ${path}`,
      stage: "$default",
      time: new Date(nowMs).toISOString(),
      timeEpoch: nowMs,
      ...(request.authorizer ? { authorizer: request.authorizer } : {}),
    },
    ...(request.pathParameters ? { pathParameters: request.pathParameters } : {}),
    isBase64Encoded: false,
    ...(request.body !== undefined ? { body: request.body } : {}),
  };
}

/**
 * What the Cognito JWT authorizer passes on for a merchant admin of `merchantId` (an ID token
 * issued at `nowMs`).
 */
export function merchantAdminClaims(merchantId: string, nowMs: number): HttpAuthorizer {
  return {
    jwt: {
      claims: {
        sub: `merchant-admin@${merchantId}`,
        "custom:merchantId": merchantId,
        "cognito:groups": "[merchant-admin]",
        token_use: "id",
        iat: String(Math.floor(nowMs / 1000)),
      },
      scopes: null,
    },
  };
}
