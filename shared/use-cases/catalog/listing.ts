/**
 * Paged catalog listings with opaque cursors bound to the merchant and the listing.
 */
import {
  CATALOG_READ_ROLES,
  type MerchantPrincipal,
  type Role,
  requireRole,
} from "../../auth/principal.ts";
import { catalogKeys, type ListQuery } from "../../domain/catalog/index.ts";
import { ValidationError } from "../../errors.ts";
import type { PageKey } from "../../http/cursor.ts";
import type { CatalogReadDeps } from "./deps.ts";

/** Cursor scopes of the store and offer listings. */
export const STORES_SCOPE = "stores";
export const OFFERS_SCOPE = "offers";

/** The decoded cursor key when it points into this merchant's listing, else 400 naming `cursor`. */
export function checkCursorKey(key: PageKey, merchantId: string, prefix: string): PageKey {
  if (key.pk !== catalogKeys.partition(merchantId) || !key.sk?.startsWith(prefix)) {
    throw ValidationError.field("cursor", "is not a cursor issued by this API for this listing");
  }
  return key;
}

/**
 * One page of a catalog listing: the cursor is decoded for this merchant and listing only (a
 * forged or foreign cursor is a 400), and the next one is bound the same way.
 */
export async function listPage<T, V>(
  deps: CatalogReadDeps,
  principal: MerchantPrincipal,
  query: ListQuery,
  listing: {
    roles?: readonly Role[];
    scope: string;
    prefix: string;
    load: (
      merchantId: string,
      limit: number,
      startKey: PageKey | undefined,
    ) => Promise<{ items: T[]; lastKey?: PageKey | undefined }>;
    view: (item: T) => V;
  },
) {
  requireRole(principal, listing.roles ?? CATALOG_READ_ROLES);
  const { merchantId } = principal;
  const startKey = query.cursor
    ? checkCursorKey(
        deps.cursors.decode(merchantId, listing.scope, query.cursor),
        merchantId,
        listing.prefix,
      )
    : undefined;
  const page = await listing.load(merchantId, query.limit, startKey);
  return {
    items: page.items.map(listing.view),
    nextCursor: page.lastKey ? deps.cursors.encode(merchantId, listing.scope, page.lastKey) : null,
  };
}
