import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { APIGatewayRequestAuthorizerEventV2 } from "aws-lambda";
import { decodeJwt } from "jose";
import {
  DEVICE_AUTHORIZER_CACHE,
  FALLBACK_FUNCTION,
  ROUTES,
  type RouteDefinition,
} from "../../infra/routes.ts";
import {
  bearerToken,
  deviceTokenKeys,
  INVALID_DEVICE_TOKEN,
  verifyDeviceToken,
} from "../../shared/auth/device-token.ts";
import { PayloadTooLargeError, UnauthorizedError } from "../../shared/errors.ts";
import { decodePathParameters } from "../../shared/http/path-parameters.ts";
import { toProblem } from "../../shared/http/problem.ts";
import type { HttpEvent, HttpResult } from "../../shared/http/types.ts";
import { type DevSigningKey, verifyMerchantToken } from "./dev-jwt.ts";

/** API Gateway HTTP APIs refuse payloads over 10 MB before any function runs. */
const GATEWAY_MAX_BODY = 10 * 1024 * 1024;

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

interface CompiledRoute {
  route: RouteDefinition;
  regex: RegExp;
  params: string[];
}

function compile(route: RouteDefinition): CompiledRoute {
  const params: string[] = [];
  const pattern = route.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    // `{name+}` is greedy, as in API Gateway: the rest of the path, slashes included.
    if (name.endsWith("+")) {
      params.push(name.slice(0, -1));
      return "(.*)";
    }
    params.push(name);
    return "([^/]+)";
  });
  return { route, regex: new RegExp(`^${pattern}$`), params };
}

const functionsDir = join(import.meta.dirname, "..", "..", "functions");
const handlerCache = new Map<string, Promise<Handler>>();

/** Imports a handler module once, like a warm Lambda container. */
export function loadHandler(fn: string): Promise<Handler> {
  let loaded = handlerCache.get(fn);
  if (!loaded) {
    loaded = import(pathToFileURL(join(functionsDir, `${fn}.ts`)).href).then(
      (mod: { handler: Handler }) => mod.handler,
    );
    handlerCache.set(fn, loaded);
  }
  return loaded;
}

function lambdaContext(fn: string, requestId: string) {
  return {
    functionName: `footfall-local-${fn}`,
    functionVersion: "$LATEST",
    awsRequestId: requestId,
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:footfall-local-${fn}`,
    memoryLimitInMB: "512",
    logGroupName: `/aws/lambda/footfall-local-${fn}`,
    logStreamName: "local",
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 29_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).byteLength;
    if (size > GATEWAY_MAX_BODY) throw new PayloadTooLargeError("The body exceeds 10 MB.");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** API Gateway flattens array claims to "[a b]" and stringifies the rest. */
function gatewayClaims(payload: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(payload)) {
    out[key] = Array.isArray(value) ? `[${value.join(" ")}]` : String(value);
  }
  return out;
}

/** Why a merchant token was refused: says so when a well-formed token has expired. */
function merchantTokenFailure(token: string | undefined): string {
  if (!token) return "A merchant bearer token is required.";
  try {
    const { exp } = decodeJwt(token);
    if (exp !== undefined && exp * 1000 <= Date.now()) {
      return `The merchant token expired at ${new Date(exp * 1000).toISOString()}; sign in again.`;
    }
  } catch {
    // not a JWT at all: the generic answer below
  }
  return "A valid merchant bearer token is required.";
}

/**
 * Why the device authorizer refused a token, as `POST /v1/pings` says it in its function: a
 * token this stage signed that has expired says so; any other refusal is the generic answer.
 */
async function deviceTokenFailure(token: string | undefined): Promise<string> {
  const secrets = process.env.DEVICE_TOKEN_SECRETS;
  if (token && secrets) {
    try {
      await verifyDeviceToken(deviceTokenKeys(secrets, 0), token, Math.floor(Date.now() / 1000));
    } catch (error) {
      if (error instanceof UnauthorizedError) return error.message;
      throw error;
    }
  }
  return INVALID_DEVICE_TOKEN;
}

function send(res: ServerResponse, result: HttpResult) {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(result.headers ?? {})) headers[key] = String(value);
  res.writeHead(result.statusCode ?? 200, headers);
  const body = result.body ?? "";
  res.end(result.isBase64Encoded ? Buffer.from(body, "base64") : body);
}

export interface LocalServerOptions {
  jwtKey: DevSigningKey;
  onRequest?: (line: string) => void;
  /** Clock of the authorizer cache (epoch ms); tests move it past the cache TTL. */
  now?: () => number;
  /**
   * Called with every answer given for a route of the table (the handler's, or a problem for a
   * refused token): the end-to-end tests check each against the OpenAPI document.
   */
  onResponse?: (route: RouteDefinition, result: HttpResult) => void;
}

type AuthorizerDecision = { isAuthorized: boolean; context?: Record<string, unknown> };

/** Entries kept at most; the oldest go first (API Gateway's cache is bounded too). */
const AUTHORIZER_CACHE_MAX = 10_000;

/**
 * API Gateway's cache of device authorizer decisions (DEVICE_AUTHORIZER_CACHE, the definition CDK
 * deploys): keyed by the identity source value, reused for `resultsCacheTtlS`. Decisions
 * (allow or deny) are cached; a thrown `Unauthorized` (401) is not.
 */
function authorizerCache(now: () => number) {
  const entries = new Map<string, { until: number; decision: AuthorizerDecision }>();
  return {
    get(key: string): AuthorizerDecision | undefined {
      const hit = entries.get(key);
      if (!hit) return undefined;
      if (hit.until <= now()) {
        entries.delete(key);
        return undefined;
      }
      return hit.decision;
    },
    set(key: string, decision: AuthorizerDecision) {
      if (entries.size >= AUTHORIZER_CACHE_MAX) {
        const oldest = entries.keys().next().value;
        if (oldest !== undefined) entries.delete(oldest);
      }
      entries.set(key, {
        until: now() + DEVICE_AUTHORIZER_CACHE.resultsCacheTtlS * 1000,
        decision,
      });
    },
  };
}

/**
 * An HTTP server that behaves like the deployed HTTP API: it matches the route table, runs the
 * same authorization (JWT check, the device authorizer function with API Gateway's decision cache),
 * builds an HTTP API v2 event and invokes the real handler.
 */
export function createLocalServer(options: LocalServerOptions): Server {
  const compiled = ROUTES.map(compile);
  const cache = authorizerCache(options.now ?? Date.now);
  return createServer(async (req, res) => {
    const requestId = randomUUID();
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = (req.method ?? "GET").toUpperCase();
    const started = Date.now();
    let status = 500;
    let matched: RouteDefinition | undefined;
    let answer: HttpResult | undefined;
    try {
      const pathMatches = compiled.filter((c) => c.regex.test(url.pathname));
      // Like API Gateway, a static route wins over a parameterised one (/v1/offers/nearby vs /{id}).
      const match = pathMatches
        .filter((c) => c.route.method === method)
        .sort((a, b) => a.params.length - b.params.length)[0];
      const body = await readBody(req);
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined)
          headers[key.toLowerCase()] = Array.isArray(value) ? value.join(",") : value;
      }
      // Throws a 400 naming the parameter for a malformed escape (`/v1/stores/%`).
      const pathParameters = match
        ? (decodePathParameters(match.route.path, url.pathname) ?? {})
        : {};
      const query: Record<string, string> = {};
      for (const [key, value] of url.searchParams) {
        query[key] = query[key] === undefined ? value : `${query[key]},${value}`;
      }
      // Like API Gateway's $default route: whatever no route matches goes to the fallback function.
      const routeKey = match ? `${match.route.method} ${match.route.path}` : "$default";
      matched = match?.route;
      const params = match?.params ?? [];
      const now = Date.now();
      const event: HttpEvent = {
        version: "2.0",
        routeKey,
        rawPath: url.pathname,
        rawQueryString: url.search.replace(/^\?/, ""),
        headers,
        ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
        ...(params.length > 0 ? { pathParameters } : {}),
        requestContext: {
          accountId: "000000000000",
          apiId: "local",
          domainName: headers.host ?? "127.0.0.1",
          domainPrefix: "local",
          http: {
            method,
            path: url.pathname,
            protocol: "HTTP/1.1",
            sourceIp: req.socket.remoteAddress ?? "127.0.0.1",
            userAgent: headers["user-agent"] ?? "",
          },
          requestId,
          routeKey,
          stage: "$default",
          time: new Date(now).toISOString(),
          timeEpoch: now,
        },
        isBase64Encoded: false,
        ...(body.byteLength > 0 ? { body: body.toString("utf8") } : {}),
      };

      if (!match) {
        const fallback = await loadHandler(FALLBACK_FUNCTION);
        const result = (await fallback(
          event,
          lambdaContext(FALLBACK_FUNCTION, requestId),
        )) as HttpResult;
        status = result.statusCode ?? 200;
        send(res, result);
        return;
      }
      if (match.route.auth === "jwt") {
        const token = bearerToken(headers.authorization);
        const claims = token ? await verifyMerchantToken(options.jwtKey, token) : undefined;
        if (!claims) throw new UnauthorizedError(merchantTokenFailure(token));
        event.requestContext.authorizer = { jwt: { claims: gatewayClaims(claims), scopes: null } };
      } else if (match.route.auth === "device") {
        if (!headers.authorization)
          throw new UnauthorizedError("A device bearer token is required.");
        const identity = headers[DEVICE_AUTHORIZER_CACHE.identityHeader.toLowerCase()] ?? "";
        const authorizer = await loadHandler("device-authorizer");
        const authEvent: APIGatewayRequestAuthorizerEventV2 = {
          version: "2.0",
          type: "REQUEST",
          routeArn: `arn:aws:execute-api:us-east-1:000000000000:local/$default/${method}${url.pathname}`,
          identitySource: [identity],
          routeKey,
          rawPath: url.pathname,
          rawQueryString: event.rawQueryString,
          headers,
          requestContext: event.requestContext,
          ...(params.length > 0 ? { pathParameters } : {}),
          ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
        } as APIGatewayRequestAuthorizerEventV2;
        let decision = cache.get(identity);
        if (!decision) {
          try {
            decision = (await authorizer(
              authEvent,
              lambdaContext("device-authorizer", requestId),
            )) as AuthorizerDecision;
          } catch (error) {
            if ((error as Error).message === "Unauthorized") {
              throw new UnauthorizedError(
                await deviceTokenFailure(bearerToken(headers.authorization)),
              );
            }
            throw error;
          }
          cache.set(identity, decision);
        }
        if (!decision.isAuthorized) {
          status = 403;
          send(res, {
            statusCode: 403,
            headers: { "content-type": "application/json" },
            body: '{"message":"Forbidden"}',
          });
          return;
        }
        event.requestContext.authorizer = { lambda: decision.context ?? {} };
      }

      const handler = await loadHandler(match.route.fn);
      const result = (await handler(event, lambdaContext(match.route.fn, requestId))) as
        | HttpResult
        | undefined;
      status = result?.statusCode ?? 200;
      answer = result ?? { statusCode: 200 };
      send(res, answer);
    } catch (error) {
      const problem = toProblem(error, requestId, url.pathname);
      status = problem.statusCode ?? 500;
      if (status >= 500) console.error(`[${requestId}]`, error);
      answer = problem;
      send(res, problem);
    } finally {
      if (matched && answer) options.onResponse?.(matched, answer);
      options.onRequest?.(`${method} ${url.pathname} → ${status} (${Date.now() - started} ms)`);
    }
  });
}
