import { STORE_ID_PREFIX, type Store } from "../../domain/catalog/index.ts";
import type { CatalogReadDeps } from "./deps.ts";
import { notFound, requireId } from "./not-found.ts";

/** A store named by its store code in a path: `code:<externalRef>` in place of the id. */
export const STORE_CODE_PATH_PREFIX = "code:";

/**
 * The store a path names: its id (`st_…`), or `code:<externalRef>` resolved through the code's
 * uniqueness item. Either way another merchant's store is not found (404 naming `storeId`).
 */
export async function resolveStoreId(
  deps: CatalogReadDeps,
  merchantId: string,
  storeId: string | undefined,
): Promise<string> {
  if (storeId?.startsWith(STORE_CODE_PATH_PREFIX)) {
    const ref = storeId.slice(STORE_CODE_PATH_PREFIX.length);
    const id = ref === "" ? undefined : await deps.catalog.storeIdByRef(merchantId, ref);
    if (id === undefined) throw notFound("storeId", "store");
    return id;
  }
  return requireId(STORE_ID_PREFIX, storeId, "storeId", "store");
}

/** The merchant's store a path names (id or `code:<externalRef>`); 404 naming `storeId` if none. */
export async function currentStore(
  deps: CatalogReadDeps,
  merchantId: string,
  storeId: string | undefined,
): Promise<Store> {
  const id = await resolveStoreId(deps, merchantId, storeId);
  const store = await deps.catalog.getStore(merchantId, id);
  if (!store) throw notFound("storeId", "store");
  return store;
}
