/**
 * The offer a request names and the stores it lists, both the caller's (404 otherwise).
 */
import type { MerchantPrincipal } from "../../auth/principal.ts";
import { OFFER_ID_PREFIX, type Offer, type Store } from "../../domain/catalog/index.ts";
import { NotFoundError } from "../../errors.ts";
import type { CatalogDeps, CatalogReadDeps } from "./deps.ts";
import { notFound, requireId } from "./not-found.ts";

/** The caller's offer named by `offerId` (404 naming `offerId` for anyone else's or none). */
export async function currentOffer(
  deps: CatalogReadDeps,
  principal: MerchantPrincipal,
  offerId: string | undefined,
): Promise<Offer> {
  const id = requireId(OFFER_ID_PREFIX, offerId, "offerId", "offer");
  const offer = await deps.catalog.getOffer(principal.merchantId, id);
  if (!offer) throw notFound("offerId", "offer");
  return offer;
}

/** The listed stores, all of which must be the caller's (404 naming `storeIds/i` otherwise). */
export async function loadStores(
  deps: CatalogDeps,
  merchantId: string,
  storeIds: readonly string[],
  extra: readonly string[] = [],
): Promise<Map<string, Store>> {
  const all = [...new Set([...storeIds, ...extra])];
  const found = await deps.catalog.getStores(all.map((storeId) => ({ merchantId, storeId })));
  const byId = new Map(found.map((s) => [s.storeId, s]));
  const missing = storeIds
    .map((id, i) => ({ id, i }))
    .filter(({ id }) => !byId.has(id))
    .map(({ i }) => ({ path: `storeIds/${i}`, reason: "store not found" }));
  if (missing.length > 0) {
    throw new NotFoundError(`${missing.map((m) => m.path).join(", ")}: store not found`, {
      issues: missing,
    });
  }
  return byId;
}
