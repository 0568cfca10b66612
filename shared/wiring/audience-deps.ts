import "../config/load-secrets.ts";
import * as z from "zod";
import { documentClient } from "../adapters/aws-clients.ts";
import { dynamoAudienceStore } from "../adapters/dynamo/audience-store.ts";
import { systemClock } from "../adapters/system.ts";
import { currentSecret } from "../config/load-secrets.ts";
import { configVars, readConfig } from "../config/read-config.ts";
import { tableVars } from "../config/table-vars.ts";
import { personPseudonym } from "../privacy.ts";
import type { AudienceDeps } from "../use-cases/audiences.ts";

/**
 * Dependencies of the audience upload, built once per cold start. PSEUDONYM_KEY turns user ids
 * into the same person pseudonyms registration derives (`personRef`).
 */
export function audienceDepsFromEnv(
  env: Record<string, string | undefined> = process.env,
): AudienceDeps {
  const config = readConfig(
    z.object({ ...tableVars("devices"), PSEUDONYM_KEY: configVars.secret }),
    env,
  );
  const pseudonymKey = currentSecret(env, "PSEUDONYM_KEY");
  return {
    audiences: dynamoAudienceStore(documentClient, config.DEVICES_TABLE),
    clock: systemClock,
    personRef: (appId, userId) => personPseudonym(pseudonymKey(), appId, userId),
  };
}
