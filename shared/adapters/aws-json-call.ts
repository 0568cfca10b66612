/**
 * One JSON operation of an AWS service, signed with the SDK's own SigV4 signer
 * (`@smithy/signature-v4`, already in every bundle through the DynamoDB client) and sent with
 * the runtime's `fetch`: for the one or two operations a function calls on a service whose full
 * SDK client would cost it tens of KB (a client carries the schema of every operation of its
 * service; Amazon Location's about 31 KB, plus the REST protocol code). Credentials come from the
 * SDK's default chain (in bundles, Lambda's environment: shared/adapters/lambda-credentials.ts).
 *
 * Endpoints as the SDK resolves them: `AWS_ENDPOINT_URL_<SERVICE_ID>`, then `AWS_ENDPOINT_URL`,
 * then `https://<hostPrefix>.<region>.amazonaws.com` (`.amazonaws.com.cn` in China regions).
 * Errors are thrown as an `AwsCallError` named after the service's error type (`x-amzn-errortype`
 * header or `__type` in the body, as the AWS JSON protocols send it).
 */
import { defaultProvider } from "@aws-sdk/credential-provider-node";
import { Sha256 } from "@smithy/core/checksum";
import { HttpRequest } from "@smithy/core/protocols";
import { SignatureV4 } from "@smithy/signature-v4";
import type { AwsCredentialIdentity, Provider } from "@smithy/types";

type Env = Record<string, string | undefined>;

/** A service as signed and addressed. */
export interface AwsService {
  /** SigV4 signing name, e.g. `geo`, `secretsmanager`. */
  signingName: string;
  /** Host before the region, e.g. `routes.geo`, `secretsmanager`. */
  hostPrefix: string;
  /** The SDK's service id in endpoint variables, e.g. `LOCATION`, `SECRETS_MANAGER`. */
  endpointId: string;
}

export interface AwsJsonCallOptions {
  env?: Env;
  /** Default: the SDK's default chain (in bundles: Lambda's environment). */
  credentials?: Provider<AwsCredentialIdentity>;
  /** Attempts, the first included (retries on network errors, throttling and 5xx). Default 1. */
  maxAttempts?: number;
  /** Per attempt, ms. Default 5,000. */
  timeoutMs?: number;
}

/** One request: path (with query), extra headers, JSON body. */
export interface AwsJsonRequest {
  path: string;
  headers?: Record<string, string>;
  body: unknown;
}

/** An error answered by the service (or its absence of an answer); `name` is its error type. */
export class AwsCallError extends Error {
  constructor(
    name: string,
    message: string,
    /** HTTP status; undefined when no answer came (network, timeout). */
    readonly status: number | undefined,
  ) {
    super(message);
    this.name = name;
  }

  /** Worth another attempt: no answer, throttled, or a server error. */
  get retryable(): boolean {
    return (
      this.status === undefined ||
      this.status === 429 ||
      this.status >= 500 ||
      /Throttl|TooManyRequests/.test(this.name)
    );
  }
}

/** The service's endpoint URL (no trailing slash) in `region`. */
export function awsEndpoint(service: AwsService, region: string, env: Env = process.env): string {
  const configured = env[`AWS_ENDPOINT_URL_${service.endpointId}`] ?? env.AWS_ENDPOINT_URL;
  if (configured) return configured.replace(/\/+$/, "");
  const suffix = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
  return `https://${service.hostPrefix}.${region}.${suffix}`;
}

/** The error type of an AWS JSON error answer (header first, then `__type`). */
function errorName(header: string | null, body: unknown): string {
  const raw =
    header ??
    (typeof body === "object" && body !== null && "__type" in body ? String(body.__type) : "");
  // `Type:http://internal.amazon.com/...` or `com.amazonaws.service#Type`.
  const name = raw.split(":")[0]?.split("#").pop();
  return name || "UnknownError";
}

function parseJson(text: string): unknown {
  try {
    return text === "" ? {} : JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * A caller of `service` in the region of `env` (`AWS_REGION`): each call signs a POST of a JSON
 * body and answers the parsed JSON. Throws `AwsCallError` (after `maxAttempts`) or the
 * credential chain's error.
 */
export function awsJsonCall(
  service: AwsService,
  options: AwsJsonCallOptions = {},
): (request: AwsJsonRequest) => Promise<unknown> {
  const env = options.env ?? process.env;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 1);
  const timeoutMs = options.timeoutMs ?? 5_000;
  let signer: { signer: SignatureV4; endpoint: URL } | undefined;
  // Built on first use: a function that never calls the service needs no region or credentials.
  const setup = () => {
    if (signer) return signer;
    const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
    if (!region) throw new Error(`AWS_REGION is not set (needed to call ${service.signingName})`);
    signer = {
      endpoint: new URL(awsEndpoint(service, region, env)),
      signer: new SignatureV4({
        service: service.signingName,
        region,
        credentials: options.credentials ?? defaultProvider(),
        sha256: Sha256,
      }),
    };
    return signer;
  };

  async function once(request: AwsJsonRequest): Promise<unknown> {
    const { signer: sigv4, endpoint } = setup();
    const body = JSON.stringify(request.body);
    const basePath = endpoint.pathname.replace(/\/+$/, "");
    const [path = "/", query] = `${basePath}${request.path}`.split("?", 2);
    const signed = await sigv4.sign(
      new HttpRequest({
        method: "POST",
        protocol: endpoint.protocol,
        hostname: endpoint.hostname,
        ...(endpoint.port ? { port: Number(endpoint.port) } : {}),
        path,
        query: Object.fromEntries(new URLSearchParams(query ?? "")),
        headers: { ...request.headers, host: endpoint.host },
        body,
      }),
    );
    const { host: _host, ...headers } = signed.headers;
    let response: Response;
    try {
      response = await fetch(`${endpoint.origin}${path}${query ? `?${query}` : ""}`, {
        method: "POST",
        headers,
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new AwsCallError((error as Error).name || "NetworkError", String(error), undefined);
    }
    const text = await response.text();
    const parsed = parseJson(text);
    if (!response.ok) {
      const message =
        typeof parsed === "object" && parsed !== null
          ? String(
              (parsed as { message?: unknown; Message?: unknown }).message ??
                (parsed as { Message?: unknown }).Message ??
                "",
            )
          : "";
      throw new AwsCallError(
        errorName(response.headers.get("x-amzn-errortype"), parsed),
        message || `${service.signingName} answered HTTP ${response.status}`,
        response.status,
      );
    }
    if (parsed === undefined) {
      throw new AwsCallError("SerializationError", "the answer is not JSON", response.status);
    }
    return parsed;
  }

  return async (request) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await once(request);
      } catch (error) {
        if (!(error instanceof AwsCallError) || !error.retryable || attempt >= maxAttempts) {
          throw error;
        }
        // Full-jitter exponential backoff (base 100 ms, cap 2 s), as the SDK's standard retry.
        const delay = Math.random() * Math.min(2_000, 100 * 2 ** attempt);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  };
}
