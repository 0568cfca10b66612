/**
 * The credential chain of a function bundle: Lambda hands every function its execution role's
 * credentials in the environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
 * `AWS_SESSION_TOKEN`; AWS Lambda Developer Guide, "Defined runtime environment variables"), so
 * the SDK's default chain (SSO, ini files, processes, web identity, container and instance
 * metadata, with the STS/SSO clients they carry: about 80 KB minified) can never apply there.
 * Bundles alias `@aws-sdk/credential-provider-node` to this module (infra/footfall-function.ts);
 * the local runner and tests keep the SDK's own chain.
 *
 * Same exports and semantics as `@aws-sdk/credential-provider-node` for the environment link.
 */
import { fromEnv } from "@aws-sdk/credential-provider-env";

type FromEnvInit = Parameters<typeof fromEnv>[0];

/** The environment credentials; throws `CredentialsProviderError` when they are not set. */
export const defaultProvider = (init: FromEnvInit = {}) => fromEnv(init);

/** As the SDK: credentials with an expiration need refreshing. */
export const credentialsWillNeedRefresh = (credentials?: { expiration?: Date }) =>
  credentials?.expiration !== undefined;

/** As the SDK: credentials expiring within 5 minutes count as expired. */
export const credentialsTreatedAsExpired = (credentials?: { expiration?: Date }) =>
  credentials?.expiration !== undefined && credentials.expiration.getTime() - Date.now() < 300_000;
