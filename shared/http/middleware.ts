import type { MiddlewareObj } from "@middy/core";
import {
  MalformedJsonError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from "../errors.ts";
import { logger } from "../logger.ts";
import { parseJsonBody } from "./json-limits.ts";
import { decodePathParameters, routeTemplate } from "./path-parameters.ts";
import { toProblem } from "./problem.ts";
import type { Context, HttpEvent, HttpResult } from "./types.ts";

export interface HttpOptions {
  /** Largest accepted body in bytes (after base64 decoding). Default 1 MiB. */
  maxBodyBytes?: number;
  /** Whether a JSON body is required (POST/PUT/PATCH default to true). */
  requireBody?: boolean;
  /**
   * The only media types accepted for the body (e.g. `application/merge-patch+json` for a
   * PATCH); default: `application/json` or any `+json` type.
   */
  contentTypes?: readonly string[];
  /** The handler reads no body: none is required, checked or parsed (the route fallback). */
  ignoreBody?: boolean;
}

const DEFAULT_MAX_BODY = 1024 * 1024;

function header(event: HttpEvent, name: string): string | undefined {
  const headers = event.headers ?? {};
  const direct = headers[name];
  if (direct !== undefined) return direct;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

function isJsonContentType(value: string | undefined): boolean {
  if (!value) return false;
  const mediaType = value.split(";")[0]?.trim().toLowerCase() ?? "";
  return mediaType === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(mediaType);
}

/**
 * The HTTP API middleware stack shared by every handler: path parameter escapes (400), JSON body
 * checks (415/413/400), request logging keys (`requestId`, `route`), and the single error →
 * problem+json mapping. Use as `lambdaHandler<HttpEvent, HttpResult>().use(http()).handler(...)`
 * (shared/lambda-handler.ts), whose logger middleware resets the keys after every invocation.
 */
export function http(
  options: HttpOptions = {},
): MiddlewareObj<HttpEvent, HttpResult, Error, Context> {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  return {
    before: (request) => {
      const event = request.event;
      logger.appendKeys({
        requestId: event.requestContext?.requestId,
        route: event.routeKey,
      });
      // A malformed escape in a path id (`/v1/stores/%`) is the client's 400, naming the parameter.
      const template = routeTemplate(event.routeKey);
      if (event.pathParameters && template && event.rawPath) {
        decodePathParameters(template, event.rawPath);
      }
      const method = event.requestContext?.http?.method ?? "GET";
      const expectsBody = options.requireBody ?? ["POST", "PUT", "PATCH"].includes(method);
      const raw = event.body;
      if (options.ignoreBody) return;
      if (raw === undefined || raw === null || raw === "") {
        if (expectsBody) throw ValidationError.field("(body)", "a JSON body is required");
        return;
      }
      const bytes = event.isBase64Encoded ? Buffer.from(raw, "base64") : Buffer.from(raw, "utf8");
      if (bytes.byteLength > maxBodyBytes) {
        throw new PayloadTooLargeError(
          `The body is ${bytes.byteLength} bytes; the limit for this route is ${maxBodyBytes} bytes.`,
        );
      }
      const contentType = header(event, "content-type");
      if (options.contentTypes) {
        const mediaType = contentType?.split(";")[0]?.trim().toLowerCase() ?? "";
        if (!options.contentTypes.includes(mediaType)) {
          throw new UnsupportedMediaTypeError(
            `content-type must be ${options.contentTypes.join(" or ")}`,
            { extensions: { acceptPatch: options.contentTypes.join(", ") } },
          );
        }
      } else if (!isJsonContentType(contentType)) {
        throw new UnsupportedMediaTypeError("content-type must be application/json");
      }
      const parsed = parseJsonBody(bytes.toString("utf8"));
      if (!parsed.ok) throw new MalformedJsonError("The body is not valid JSON.");
      event.parsedBody = parsed.value;
    },
    after: (request) => {
      const response = request.response;
      if (response && response.headers?.["content-type"] === undefined && response.body) {
        response.headers = { ...response.headers, "content-type": "application/json" };
      }
    },
    onError: (request) => {
      const requestId = request.event?.requestContext?.requestId ?? request.context?.awsRequestId;
      const problem = toProblem(request.error, requestId ?? "unknown", request.event?.rawPath);
      if (problem.statusCode !== undefined && problem.statusCode >= 500) {
        logger.error("request failed", { error: request.error as Error, requestId });
      } else {
        logger.info("request rejected", {
          status: problem.statusCode,
          errorType: (request.error as Error | undefined)?.name,
        });
      }
      request.response = problem;
    },
  };
}

/** JSON response helper: one place decides headers and serialisation. */
export function json(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResult {
  return {
    statusCode,
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  };
}

/** Reads a header case-insensitively (HTTP API lower-cases them; tests may not). */
export function readHeader(event: HttpEvent, name: string): string | undefined {
  return header(event, name);
}
