import type { CatalogDeps } from "../use-cases/catalog/deps.ts";
import { catalogDepsFromEnv } from "./catalog-deps.ts";
import { offerStateDepsFromEnv } from "./catalog-read-deps.ts";

/**
 * Catalog dependencies of the offer routes that answer with an offer's derived `state`: the
 * catalog ones plus the budget counters (incentives table) and store zones it is computed from.
 */
export function offerDepsFromEnv(
  env: Record<string, string | undefined> = process.env,
): CatalogDeps {
  return { ...catalogDepsFromEnv(env), ...offerStateDepsFromEnv(env) };
}
