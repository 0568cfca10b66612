import { BaseProvider } from "@aws-lambda-powertools/parameters/base";
import { type AwsJsonCallOptions, awsJsonCall } from "../adapters/aws-json-call.ts";
import { logger } from "../logger.ts";
import { configVars } from "./read-config.ts";
import { refreshBeforeEachInvocation } from "./secret-refresh.ts";

/**
 * Secrets a function may need; in AWS each arrives as `<NAME>_ARN` and is read through Powertools
 * Parameters (Secrets Manager `GetSecretValue`) with a max age, so a rotated value is picked up by warm instances
 * within `SECRETS_MAX_AGE_SECONDS` (default 300 s) instead of at their next cold start.
 * ATTESTATION_CONFIG_ARN (JSON) is read on use through the same provider (shared/wiring/device-deps.ts).
 */
export const SECRET_VARS = ["DEVICE_TOKEN_SECRETS", "PSEUDONYM_KEY", "CURSOR_SECRET"] as const;
export type SecretVar = (typeof SECRET_VARS)[number];

/** How long a read secret is reused before Secrets Manager is asked again (seconds). */
export const DEFAULT_SECRET_MAX_AGE_SECONDS = 300;

type Env = Record<string, string | undefined>;

/** Port: a secret's current value (`SecretString`, or the decoded `SecretBinary`). */
export type GetSecretValue = (secretId: string) => Promise<string | Uint8Array | undefined>;

/**
 * Secrets Manager `GetSecretValue` (AWS JSON 1.1, `secretsmanager.GetSecretValue`), signed with
 * the SDK's signer and sent with `fetch` (shared/adapters/aws-json-call.ts): the one operation
 * every function with a secret calls, without `@aws-sdk/client-secrets-manager` (about 18 KB
 * with Powertools' provider for it). Three attempts, as the SDK's standard retry.
 */
export function secretsManagerGetSecretValue(
  env: Env = process.env,
  options: Pick<AwsJsonCallOptions, "credentials"> = {},
): GetSecretValue {
  const call = awsJsonCall(
    { signingName: "secretsmanager", hostPrefix: "secretsmanager", endpointId: "SECRETS_MANAGER" },
    { env, maxAttempts: 3, ...options },
  );
  return async (secretId) => {
    const out = (await call({
      path: "/",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "secretsmanager.GetSecretValue",
      },
      body: { SecretId: secretId },
    })) as { SecretString?: unknown; SecretBinary?: unknown } | null;
    if (typeof out?.SecretString === "string") return out.SecretString;
    if (typeof out?.SecretBinary === "string") return Buffer.from(out.SecretBinary, "base64");
    return undefined;
  };
}

/** Powertools Parameters' cache and transforms over a `GetSecretValue` port. */
class SecretValueProvider extends BaseProvider {
  readonly #get: GetSecretValue;

  constructor(get: GetSecretValue) {
    super({});
    this.#get = get;
  }

  protected _get(name: string): Promise<string | Uint8Array | undefined> {
    return this.#get(name);
  }

  protected _getMultiple(): Promise<Record<string, unknown> | undefined> {
    throw new Error("Secrets Manager has no multiple-secret read by path");
  }
}

/**
 * The secrets of one environment: `<NAME>_ARN` variables resolved into `<NAME>`, first at cold
 * start (before any config is read, so secret values never sit in the function configuration),
 * then again before each invocation through the provider's cache: Secrets Manager is called only
 * once the cached value is older than the max age. A refreshed value that fails the secret rule
 * (at least 32 characters) or cannot be read is not taken: the last good value stays, and the
 * failure is logged. Locally the plain variables are set and nothing is fetched.
 */
export class SecretEnv {
  readonly #env: Env;
  readonly #provider: SecretValueProvider;
  readonly #maxAge: number;
  /** The names backed by a secret ARN (a plain variable set locally wins, as at cold start). */
  readonly #rotating: SecretVar[];

  constructor(
    env: Env = process.env,
    getSecretValue: GetSecretValue = secretsManagerGetSecretValue(env),
    maxAgeSeconds = Number(env.SECRETS_MAX_AGE_SECONDS ?? DEFAULT_SECRET_MAX_AGE_SECONDS),
  ) {
    this.#env = env;
    this.#provider = new SecretValueProvider(getSecretValue);
    this.#maxAge = Number.isFinite(maxAgeSeconds) && maxAgeSeconds > 0 ? maxAgeSeconds : 300;
    this.#rotating = SECRET_VARS.filter((name) => !env[name] && env[`${name}_ARN`]);
  }

  /** Reads one secret through the provider's max-age cache (`json`: parsed). */
  read(arn: string, options: { maxAge?: number; transform?: "json" } = {}): Promise<unknown> {
    return this.#provider.get(arn, { maxAge: options.maxAge ?? this.#maxAge, ...options });
  }

  async #fetch(name: SecretVar): Promise<string> {
    const value = await this.read(this.#env[`${name}_ARN`] as string);
    if (typeof value !== "string" || value === "") {
      throw new Error(`${name}_ARN: the secret has no string value`);
    }
    return value;
  }

  /** Cold start: every ARN-backed secret into its variable; throws (the function fails to start). */
  async resolve(): Promise<void> {
    await Promise.all(
      this.#rotating.map(async (name) => {
        this.#env[name] = await this.#fetch(name);
      }),
    );
  }

  /** Before an invocation: takes each secret's current value (cached up to the max age). */
  async refresh(): Promise<void> {
    await Promise.all(
      this.#rotating.map(async (name) => {
        try {
          const value = await this.#fetch(name);
          if (value === this.#env[name]) return;
          const check = configVars.secret.safeParse(value);
          if (!check.success) {
            logger.error("rotated secret refused; the previous value stays", {
              secret: name,
              reason: check.error.issues[0]?.message,
            });
            return;
          }
          this.#env[name] = value;
          logger.info("rotated secret taken", { secret: name });
        } catch (error) {
          logger.warn("secret refresh failed; the previous value stays", {
            secret: name,
            error: (error as Error).name,
          });
        }
      }),
    );
  }
}

/**
 * The current value of a secret variable, read at each use (so derived keys follow a rotation).
 * Throws when the variable is unset: config validation at cold start makes that a bug.
 */
export function currentSecret(env: Env, name: SecretVar): () => string {
  return () => {
    // Trimmed as the config schema trims it, so derived keys match the validated value.
    const value = env[name]?.trim();
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
}

/** The process's secrets: resolved once at cold start, refreshed before every invocation. */
export const secretEnv = new SecretEnv();

/**
 * Resolves `<NAME>_ARN` variables into `<NAME>` once (kept for scripts that only need the
 * values at start, like `npm run app:create`).
 */
export async function resolveSecretEnv(
  env: Env = process.env,
  getSecretValue?: GetSecretValue,
): Promise<void> {
  await new SecretEnv(env, getSecretValue).resolve();
}

await secretEnv.resolve();
refreshBeforeEachInvocation(() => secretEnv.refresh());
