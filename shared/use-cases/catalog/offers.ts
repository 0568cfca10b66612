/**
 * Offer use cases: create, read, list, replace and patch.
 */
import {
  CATALOG_READ_ROLES,
  CATALOG_WRITE_ROLES,
  type MerchantPrincipal,
  requireRole,
} from "../../auth/principal.ts";
import {
  buildOffer,
  catalogKeys,
  type ListQuery,
  OFFER_ID_PREFIX,
  type Offer,
  type OfferInput,
  offerInputOf,
  offerInputSchema,
  offerZoneIds,
  triggerZones,
} from "../../domain/catalog/index.ts";
import type { OfferState } from "../../domain/catalog/offer-state.ts";
import { applyMergePatch } from "../../http/merge-patch.ts";
import { parseWith } from "../../http/parse.ts";
import { checkOfferCanFire } from "../offer-checks.ts";
import { withStates } from "../offer-states.ts";
import { bestEffort } from "./compensation.ts";
import { type CatalogDeps, type CatalogReadDeps, nowIso } from "./deps.ts";
import { listPage, OFFERS_SCOPE } from "./listing.ts";
import { commitOffer } from "./offer-commit.ts";
import { currentOffer, loadStores } from "./offer-lookup.ts";
import { offerStateView } from "./offer-view.ts";
import { checkIfMatch } from "./versions.ts";
import { applyPlan, zoneCellsOf } from "./zones.ts";

/** Creates an active offer, links it to its stores and indexes one trigger zone per store. */
export async function createOffer(
  deps: CatalogDeps,
  principal: MerchantPrincipal,
  input: OfferInput,
) {
  requireRole(principal, CATALOG_WRITE_ROLES);
  const warnings = await checkOfferCanFire(deps, principal.merchantId, input, deps.clock.now());
  const stores = await loadStores(deps, principal.merchantId, input.storeIds);
  const offer = buildOffer({
    merchantId: principal.merchantId,
    offerId: deps.random.id(OFFER_ID_PREFIX),
    input,
    nowIso: nowIso(deps),
    status: "active",
  });
  const zones = triggerZones(offer, stores);
  offer.zoneCells = zoneCellsOf(deps, zones);
  await deps.catalog.createOffer(offer);
  try {
    await applyPlan(deps, { put: zones, remove: [] });
  } catch (error) {
    await bestEffort("remove trigger zones", () =>
      applyPlan(deps, { put: [], remove: offerZoneIds(offer) }),
    );
    await bestEffort("delete offer", () => deps.catalog.deleteOffer(offer, offer.version));
    throw error;
  }
  return offerStateView(deps, offer, warnings);
}

/** One of the caller's offers (404 for anyone else's). */
export async function getOffer(
  deps: CatalogReadDeps,
  principal: MerchantPrincipal,
  offerId: string | undefined,
) {
  requireRole(principal, CATALOG_READ_ROLES);
  return offerStateView(deps, await currentOffer(deps, principal, offerId));
}

/**
 * A page of the caller's offers, each with its derived `state`, and an opaque cursor for the
 * next one. With `state` only offers in one of those states are returned: the filter applies
 * to each page as read, so a page may hold fewer than `limit` items (even none) while
 * `nextCursor` says more may follow.
 */
export async function listOffers(
  deps: CatalogReadDeps,
  principal: MerchantPrincipal,
  query: ListQuery & { state?: readonly OfferState[] | undefined },
) {
  const page = await listPage(deps, principal, query, {
    scope: OFFERS_SCOPE,
    prefix: catalogKeys.offerPrefix,
    load: (m, limit, start) => deps.catalog.listOffers(m, limit, start),
    view: (offer: Offer) => offer,
  });
  const items = await withStates(deps, principal.merchantId, page.items);
  const wanted = query.state && query.state.length > 0 ? new Set(query.state) : undefined;
  return {
    items: wanted ? items.filter((o) => wanted.has(o.state)) : items,
    nextCursor: page.nextCursor,
  };
}

/** Replaces an offer (PUT) at the version `ifMatch` names (or the one just read). */
export async function replaceOffer(
  deps: CatalogDeps,
  principal: MerchantPrincipal,
  offerId: string | undefined,
  input: OfferInput,
  ifMatch?: number,
) {
  requireRole(principal, CATALOG_WRITE_ROLES);
  const current = await currentOffer(deps, principal, offerId);
  checkIfMatch("offer", ifMatch, current.version);
  const warnings = await checkOfferCanFire(
    deps,
    principal.merchantId,
    input,
    deps.clock.now(),
    current,
  );
  const stores = await loadStores(deps, principal.merchantId, input.storeIds, current.storeIds);
  const next = buildOffer({
    merchantId: principal.merchantId,
    offerId: current.offerId,
    input,
    nowIso: nowIso(deps),
    status: current.status,
    previous: current,
  });
  return offerStateView(deps, await commitOffer(deps, current, next, stores), warnings);
}

/**
 * Updates an offer with a JSON Merge Patch (RFC 7396) applied to its input representation
 * (`offerInputOf`); validated like a PUT body and written at the version read (or `ifMatch`).
 */
export async function patchOffer(
  deps: CatalogDeps,
  principal: MerchantPrincipal,
  offerId: string | undefined,
  patch: unknown,
  ifMatch?: number,
) {
  requireRole(principal, CATALOG_WRITE_ROLES);
  const current = await currentOffer(deps, principal, offerId);
  checkIfMatch("offer", ifMatch, current.version);
  const input = parseWith(offerInputSchema, applyMergePatch(offerInputOf(current), patch));
  return replaceOffer(deps, principal, current.offerId, input, ifMatch ?? current.version);
}
