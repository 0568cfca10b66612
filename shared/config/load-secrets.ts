import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

/** Secrets a function may need; in AWS each arrives as `<NAME>_ARN` and is fetched at cold start. */
export const SECRET_VARS = ["DEVICE_TOKEN_SECRETS", "PSEUDONYM_KEY", "CURSOR_SECRET"] as const;
// ATTESTATION_CONFIG_ARN is not resolved here: the device-register function reads it on use with
// a cache max age (shared/wiring/device-deps.ts), so rotated attestation credentials apply
// without a cold start.

/**
 * Resolves `<NAME>_ARN` variables into `<NAME>` from Secrets Manager, once, before any config is
 * read, so secret values never sit in the function configuration. Locally the plain variables are
 * set and nothing is fetched.
 */
export async function resolveSecretEnv(
  env: Record<string, string | undefined> = process.env,
  client?: Pick<SecretsManagerClient, "send">,
): Promise<void> {
  const wanted = SECRET_VARS.filter((name) => !env[name] && env[`${name}_ARN`]);
  if (wanted.length === 0) return;
  const sm = client ?? new SecretsManagerClient({});
  await Promise.all(
    wanted.map(async (name) => {
      const out = await sm.send(new GetSecretValueCommand({ SecretId: env[`${name}_ARN`] }));
      if (!out.SecretString) throw new Error(`${name}_ARN: the secret has no string value`);
      env[name] = out.SecretString;
    }),
  );
}

await resolveSecretEnv();
