import "../config/load-secrets.ts";
import * as z from "zod";
import { documentClient } from "../adapters/aws-clients.ts";
import { dynamoCatalogStore } from "../adapters/dynamo/catalog-store.ts";
import { dynamoLinkStore } from "../adapters/dynamo/link-store.ts";
import { dynamoRateLimiter } from "../adapters/dynamo/rate-limiter.ts";
import { systemClock, systemRandom } from "../adapters/system.ts";
import { readConfig } from "../config/read-config.ts";
import { tablesFromEnv } from "../config/table-vars.ts";
import { type ClaimDeps, DEFAULT_CLAIM_LIMITS } from "../use-cases/o2o/claims.ts";
import type { LinkDeps } from "../use-cases/o2o/links.ts";
import { decisionAdapters, decisionConfigShape } from "./decision-adapters.ts";
import { deviceRefFromEnv } from "./device-ref.ts";
import { windowLimitVars } from "./window-limits.ts";

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

const claimLimits = windowLimitVars(
  DEFAULT_CLAIM_LIMITS,
  {
    attemptsPerWindow: {
      env: "CLAIM_MAX_ATTEMPTS",
      max: 10_000,
      describe: "Claims and exposures per device (web claims per address) per window",
    },
    failuresPerWindow: {
      env: "CLAIM_MAX_FAILURES",
      max: 10_000,
      describe: "Unknown link tokens per device or address per window before 429",
    },
    webClaimsPerAddressPerDay: {
      env: "WEB_CLAIMS_PER_ADDRESS_PER_DAY",
      max: 10_000,
      describe: "Web claims (no app) per source address and day",
    },
  },
  "CLAIM_WINDOW_SECONDS",
);

export const claimConfigSchema = z.object({ ...decisionConfigShape, ...claimLimits.shape });

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
    limits: claimLimits.from(config),
  };
}
