/**
 * Store reads: one store, and the merchant's stores a page at a time. Apart from stores.ts
 * (writes) so that the read functions bundle no geocoder, time zone map or zone covers.
 */
import { type MerchantPrincipal, requireRole, STORE_READ_ROLES } from "../../auth/principal.ts";
import { catalogKeys, type ListQuery, storeView } from "../../domain/catalog/index.ts";
import type { CatalogReadDeps } from "./deps.ts";
import { listPage, STORES_SCOPE } from "./listing.ts";
import { currentStore } from "./store-lookup.ts";

/** One of the caller's stores; another merchant's id is indistinguishable from a missing one. */
export async function getStore(
  deps: CatalogReadDeps,
  principal: MerchantPrincipal,
  storeId: string | undefined,
) {
  requireRole(principal, STORE_READ_ROLES);
  return storeView(await currentStore(deps, principal.merchantId, storeId));
}

/**
 * A page of the caller's stores and an opaque cursor for the next one; with `externalRef`, the
 * one store with that store code (or none).
 */
export async function listStores(
  deps: CatalogReadDeps,
  principal: MerchantPrincipal,
  query: ListQuery & { externalRef?: string | undefined },
) {
  requireRole(principal, STORE_READ_ROLES);
  if (query.externalRef !== undefined) {
    const id = await deps.catalog.storeIdByRef(principal.merchantId, query.externalRef);
    const store = id ? await deps.catalog.getStore(principal.merchantId, id) : undefined;
    return { items: store ? [storeView(store)] : [], nextCursor: null };
  }
  return listPage(deps, principal, query, {
    roles: STORE_READ_ROLES,
    scope: STORES_SCOPE,
    prefix: catalogKeys.storePrefix,
    load: (m, limit, start) => deps.catalog.listStores(m, limit, start),
    view: storeView,
  });
}
