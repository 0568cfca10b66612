/**
 * The attestation port as deployed: one verifier per platform (App Attest for iOS, Play Integrity
 * for Android), built from a configuration document that lives in Secrets Manager and is read
 * again after its cache max age, so a rotated Google service account key or a new iOS app id
 * takes effect without a deploy.
 */
import * as z from "zod";
import { logger } from "../../logger.ts";
import type { AttestationVerifier } from "../../use-cases/devices.ts";
import { appAttestVerifier } from "./app-attest.ts";
import { playIntegrityVerifier, serviceAccountAccessToken } from "./play-integrity.ts";

/**
 * The attestation configuration (the `ATTESTATION_CONFIG` secret's JSON). Every part is optional:
 * a platform without one verifies nothing (its devices register unattested).
 * - `playIntegrity.packageName`: the Android application id; `serviceAccount`: the Google service
 *   account key file (JSON) with the Play Integrity API enabled.
 * - `appAttest.appIds`: `<Team ID>.<bundle id>` of each iOS app; `environment`: `production`
 *   (App Store, TestFlight) or `development` (builds run from Xcode).
 */
export const attestationConfigSchema = z.strictObject({
  playIntegrity: z
    .strictObject({
      packageName: z
        .string()
        .regex(
          /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$/,
          "must be an Android application id",
        ),
      serviceAccount: z.looseObject({
        client_email: z.string().min(1),
        private_key: z.string().min(1),
        token_uri: z.string().url().optional(),
      }),
    })
    .optional(),
  appAttest: z
    .strictObject({
      appIds: z
        .array(z.string().regex(/^[A-Z0-9]{10}\.[A-Za-z0-9.-]+$/, "must be <Team ID>.<bundle id>"))
        .min(1)
        .max(20),
      environment: z.enum(["production", "development"]).default("production"),
    })
    .optional(),
});
export type AttestationConfig = z.infer<typeof attestationConfigSchema>;

type Fetch = (url: string, init: RequestInit) => Promise<Response>;

/** Builds the per-platform verifiers of a validated configuration. */
export function attestationFromConfig(
  config: AttestationConfig,
  fetchFn: Fetch,
): AttestationVerifier {
  const android = config.playIntegrity
    ? playIntegrityVerifier({
        packageName: config.playIntegrity.packageName,
        accessToken: serviceAccountAccessToken(
          JSON.stringify(config.playIntegrity.serviceAccount),
          fetchFn,
        ),
        fetch: fetchFn,
      })
    : undefined;
  const ios = config.appAttest
    ? appAttestVerifier({
        appIds: config.appAttest.appIds,
        environment: config.appAttest.environment,
      })
    : undefined;
  return {
    async verify(input) {
      const verifier =
        input.platform === "ios" ? ios : input.platform === "android" ? android : undefined;
      if (!verifier)
        return { verified: false, reason: `attestation is not configured for ${input.platform}` };
      return await verifier.verify(input);
    },
  };
}

/**
 * A verifier reading its configuration through `load` on every use (the loader caches: Powertools
 * Parameters with a max age in AWS, a constant locally) and rebuilding the platform verifiers only
 * when the document changed. A configuration that cannot be loaded or is invalid verifies nothing
 * (registration goes on unattested) and is logged without its content.
 */
export function configuredAttestation(
  load: () => Promise<unknown>,
  fetchFn: Fetch,
): AttestationVerifier {
  let built: { key: string; verifier: AttestationVerifier } | undefined;
  return {
    async verify(input) {
      let raw: unknown;
      try {
        raw = await load();
      } catch (error) {
        logger.error("attestation configuration unavailable", {
          error: error instanceof Error ? error.name : "unknown",
        });
        return { verified: false, reason: "attestation configuration unavailable" };
      }
      const key = typeof raw === "string" ? raw : JSON.stringify(raw ?? {});
      if (built?.key !== key) {
        let parsed: ReturnType<typeof attestationConfigSchema.safeParse>;
        try {
          parsed = attestationConfigSchema.safeParse(
            typeof raw === "string" ? JSON.parse(raw) : raw,
          );
        } catch {
          parsed = attestationConfigSchema.safeParse(undefined);
        }
        if (!parsed.success) {
          logger.error("attestation configuration invalid", {
            issues: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`),
          });
          return { verified: false, reason: "attestation configuration invalid" };
        }
        built = { key, verifier: attestationFromConfig(parsed.data, fetchFn) };
      }
      return await built.verifier.verify(input);
    },
  };
}
