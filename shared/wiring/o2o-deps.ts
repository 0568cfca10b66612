import "../config/load-secrets.ts";
import * as z from "zod";
import { documentClient } from "../adapters/aws-clients.ts";
import { dynamoCatalogStore } from "../adapters/dynamo/catalog-store.ts";
import { dynamoLinkStore } from "../adapters/dynamo/link-store.ts";
import { dynamoRateLimiter } from "../adapters/dynamo/rate-limiter.ts";
import { systemClock, systemRandom } from "../adapters/system.ts";
import { configVars, readConfig } from "../config/read-config.ts";
import { tablesFromEnv } from "../config/table-vars.ts";
import { type ClaimDeps, DEFAULT_CLAIM_LIMITS } from "../use-cases/o2o/claims.ts";
import type { LinkDeps } from "../use-cases/o2o/links.ts";
import { decisionAdapters, decisionConfigShape } from "./decision-adapters.ts";
import { deviceRefFromEnv } from "./device-ref.ts";

/** Dependencies of the merchant's claim-link routes, built once per cold start. */
export function linkDepsFromEnv(env: Record<string, string | undefined> = process.env): LinkDeps {
  const { catalog } = tablesFromEnv(env, "catalog");
  return {
    links: dynamoLinkStore(documentClient, catalog),
    offers: dynamoCatalogStore(documentClient, catalog),
    clock: systemClock,
    random: systemRandom,
  };
}

export const claimConfigSchema = z.object({
  ...decisionConfigShape,
  CLAIM_MAX_ATTEMPTS: configVars
    .integer(1, 10_000, DEFAULT_CLAIM_LIMITS.attemptsPerWindow)
    .describe("Claims and exposures per device (web claims per address) per window"),
  CLAIM_MAX_FAILURES: configVars
    .integer(1, 10_000, DEFAULT_CLAIM_LIMITS.failuresPerWindow)
    .describe("Unknown link tokens per device or address per window before 429"),
  CLAIM_WINDOW_SECONDS: configVars.seconds(DEFAULT_CLAIM_LIMITS.windowMs / 1000),
  WEB_CLAIMS_PER_ADDRESS_PER_DAY: configVars.integer(
    1,
    10_000,
    DEFAULT_CLAIM_LIMITS.webClaimsPerAddressPerDay,
  ),
});

/** Dependencies of claims, exposures and web claims, built once per cold start. */
export function claimDepsFromEnv(env: Record<string, string | undefined> = process.env): ClaimDeps {
  const config = readConfig(claimConfigSchema, env);
  const { offers, store, journeys, settings } = decisionAdapters(config);
  return {
    links: dynamoLinkStore(documentClient, config.CATALOG_TABLE),
    offers,
    store,
    limiter: dynamoRateLimiter(documentClient, config.DEVICES_TABLE),
    journeys,
    settings,
    clock: systemClock,
    random: systemRandom,
    deviceRef: deviceRefFromEnv(env),
    retentionDays: config.CONVERSION_RETENTION_DAYS,
    limits: {
      attemptsPerWindow: config.CLAIM_MAX_ATTEMPTS,
      failuresPerWindow: config.CLAIM_MAX_FAILURES,
      windowMs: config.CLAIM_WINDOW_SECONDS * 1000,
      webClaimsPerAddressPerDay: config.WEB_CLAIMS_PER_ADDRESS_PER_DAY,
    },
  };
}
