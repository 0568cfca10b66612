import {
  CATALOG_READ_ROLES,
  CATALOG_WRITE_ROLES,
  type MerchantPrincipal,
  type Role,
  requireRole,
  STORE_READ_ROLES,
} from "../auth/principal.ts";
import { forEachLimit } from "../concurrency.ts";
import {
  buildOffer,
  buildStore,
  catalogKeys,
  isCatalogId,
  type ListQuery,
  OFFER_ID_PREFIX,
  type Offer,
  type OfferInput,
  offerInputOf,
  offerInputSchema,
  offerZoneIds,
  planZones,
  STORE_ID_PREFIX,
  type Store,
  type StoreInput,
  storeInputOf,
  storeInputSchema,
  storeView,
  storeZones,
  triggerZones,
  type ZonePlan,
} from "../domain/catalog/index.ts";
import type { OfferState } from "../domain/catalog/offer-state.ts";
import type { LatLon } from "../domain/geometry/index.ts";
import type { ZoneDefinition } from "../domain/zone.ts";
import {
  ConflictError,
  type FieldIssue,
  NotFoundError,
  UnprocessableError,
  ValidationError,
} from "../errors.ts";
import type { CursorCodec, PageKey } from "../http/cursor.ts";
import { applyMergePatch } from "../http/merge-patch.ts";
import { parseWith } from "../http/parse.ts";
import { logger } from "../logger.ts";
import type { Clock, Random } from "../ports.ts";
import { checkOfferCanFire, type OfferWarning } from "./offer-checks.ts";
import { type OfferWithState, withStates } from "./offer-states.ts";
import type { CatalogStore } from "./ports/catalog-store.ts";
import type { GeoIndex } from "./ports/geo-index-port.ts";
import type { Geocoder } from "./ports/geocoder.ts";
import type { MerchantSettingsStore } from "./ports/merchant-settings-store.ts";
import type { OfferStateReader } from "./ports/offer-state-reader.ts";
import type { StorePoints } from "./ports/store-points.ts";

export interface CatalogDeps {
  catalog: CatalogStore;
  geoIndex: Pick<GeoIndex, "putZone" | "removeZone">;
  geocoder: Geocoder;
  cursors: CursorCodec;
  /** H3 cover of a zone: the function the index uses, for cell counts before any write. */
  cover: (zone: ZoneDefinition) => string[];
  clock: Clock;
  random: Random;
  /** Zones indexed at once in bulk operations (default 8). */
  indexConcurrency?: number;
  /** Store locations for "offers near me" (optional: absent in tests that do not need it). */
  storePoints?: StorePoints | undefined;
  /** Budget use and store zones for offers' derived `state` (absent: budget reads as 0). */
  offerStates?: OfferStateReader | undefined;
  /** The merchant's default quiet hours, for the "can this offer fire?" check. */
  merchantSettings?: Pick<MerchantSettingsStore, "get"> | undefined;
}

/** One offer as the API returns it: the stored view plus its derived state (and warnings). */
async function stateView(
  deps: CatalogDeps,
  offer: Offer,
  warnings: readonly OfferWarning[] = [],
): Promise<OfferWithState & { warnings?: OfferWarning[] }> {
  const [view] = await withStates(deps, offer.merchantId, [offer]);
  if (!view) throw new Error("offer state missing");
  return warnings.length > 0 ? { ...view, warnings: [...warnings] } : view;
}

/** A store's entry in the "offers near me" buckets. */
export function pointOf(store: Store) {
  return { merchantId: store.merchantId, storeId: store.storeId, ...store.location };
}

export { CATALOG_READ_ROLES, CATALOG_WRITE_ROLES, STORE_READ_ROLES };

/** A store named by its store code in a path: `code:<externalRef>` in place of the id. */
export const STORE_CODE_PATH_PREFIX = "code:";

const STORES_SCOPE = "stores";
const OFFERS_SCOPE = "offers";

function nowIso(deps: CatalogDeps): string {
  return new Date(deps.clock.now()).toISOString();
}

function notFound(path: string, what: string): NotFoundError {
  return new NotFoundError(`${path}: ${what} not found`, {
    issues: [{ path, reason: `${what} not found` }],
  });
}

function versionConflict(kind: string, expected: number, current: number): ConflictError {
  return new ConflictError(`The ${kind} is at version ${current}, not ${expected}.`, {
    issues: [{ path: "version", reason: `is ${current}; If-Match named ${expected}` }],
  });
}

function checkIfMatch(kind: string, ifMatch: number | undefined, current: number): void {
  if (ifMatch !== undefined && ifMatch !== current) throw versionConflict(kind, ifMatch, current);
}

/** A compensating step: logged, never masking the error that made it necessary. */
async function bestEffort(what: string, step: () => Promise<unknown>): Promise<void> {
  try {
    await step();
  } catch (error) {
    logger.error(`compensation failed: ${what}`, { error: error as Error });
  }
}

async function applyPlan(deps: CatalogDeps, plan: ZonePlan, concurrency?: number): Promise<void> {
  const limit = concurrency ?? deps.indexConcurrency ?? 8;
  await forEachLimit(plan.put, limit, async (zone) => {
    await deps.geoIndex.putZone(zone);
  });
  await forEachLimit(plan.remove, limit, (zoneId) => deps.geoIndex.removeZone(zoneId));
}

/** Cell count of a zone's cover; a zone too intricate to index is the caller's 422. */
export function cellsOf(
  deps: Pick<CatalogDeps, "cover">,
  zone: ZoneDefinition,
  path: string,
): number {
  try {
    return deps.cover(zone).length;
  } catch (error) {
    if (error instanceof UnprocessableError && !error.issues) {
      throw UnprocessableError.field(path, error.detail);
    }
    throw error;
  }
}

/**
 * Cells of a store's zones (footprint, then bays), each checked indexable; errors name the
 * footprint or `pickupBays/{n}/geometry`.
 */
export function storeCellsOf(deps: Pick<CatalogDeps, "cover">, zones: readonly ZoneDefinition[]) {
  return zones.reduce(
    (sum, zone, i) =>
      sum + cellsOf(deps, zone, i === 0 ? "footprint" : `pickupBays/${i - 1}/geometry`),
    0,
  );
}

function requireId(prefix: string, id: string | undefined, path: string, what: string): string {
  if (id === undefined || !isCatalogId(prefix, id)) throw notFound(path, what);
  return id;
}

/**
 * The store a path names: its id (`st_…`), or `code:<externalRef>` resolved through the code's
 * uniqueness item. Either way another merchant's store is not found (404 naming `storeId`).
 */
async function resolveStoreId(
  deps: CatalogDeps,
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

function checkCursorKey(key: PageKey, merchantId: string, prefix: string): PageKey {
  if (key.pk !== catalogKeys.partition(merchantId) || !key.sk?.startsWith(prefix)) {
    throw ValidationError.field("cursor", "is not a cursor issued by this API for this listing");
  }
  return key;
}

// ---------------------------------------------------------------------------------------------
// Stores

/**
 * The store's point when the request gave only an address (no location, no footprint: a
 * footprint already places the store): geocoded, and an unchanged address of a geocoded store
 * is not looked up again. No match is the caller's 422 naming `address`; an unavailable or
 * unconfigured geocoder is a 503 naming `address` before anything is written.
 */
async function geocodeIfNeeded(
  deps: CatalogDeps,
  input: StoreInput,
  previous?: Store,
): Promise<LatLon | undefined> {
  if (input.location || input.footprint || !input.address) return undefined;
  if (previous?.locationSource === "geocoder" && previous.address === input.address) {
    return previous.location;
  }
  const match = await deps.geocoder.geocode(input.address);
  if (!match) throw UnprocessableError.field("address", "no place matches this address");
  return { lat: match.lat, lon: match.lon };
}

/** Trigger zones of the offers listing `store`, as they are with that store's location. */
export function storeTriggerZones(offers: readonly Offer[], store: Store): ZoneDefinition[] {
  const zones: ZoneDefinition[] = [];
  const stores = new Map([[store.storeId, store]]);
  for (const offer of offers) {
    if (offer.status !== "active" || !offer.storeIds.includes(store.storeId)) continue;
    const only = { ...offer, storeIds: [store.storeId] };
    zones.push(...triggerZones(only, stores));
  }
  return zones;
}

/**
 * Creates a store: validated input, geocoded if needed, time zone derived if absent, then the
 * catalog item and its footprint zone. If indexing fails the item is removed again, so a store
 * either exists and matches or does not exist.
 */
export async function createStore(
  deps: CatalogDeps,
  principal: MerchantPrincipal,
  input: StoreInput,
) {
  requireRole(principal, CATALOG_WRITE_ROLES);
  const geocoded = await geocodeIfNeeded(deps, input);
  const store = buildStore({
    merchantId: principal.merchantId,
    storeId: deps.random.id(STORE_ID_PREFIX),
    input,
    geocoded,
    nowIso: nowIso(deps),
  });
  const zones = storeZones(store);
  store.zoneCells = storeCellsOf(deps, zones);
  await deps.catalog.createStore(store);
  try {
    await applyPlan(deps, { put: zones, remove: [] });
    await deps.storePoints?.put(pointOf(store));
  } catch (error) {
    await bestEffort("remove store zones", () =>
      applyPlan(deps, { put: [], remove: zones.map((z) => z.zoneId) }),
    );
    await bestEffort("delete store", () =>
      deps.catalog.deleteStore(
        store.merchantId,
        store.storeId,
        store.version,
        undefined,
        store.externalRef,
      ),
    );
    throw error;
  }
  return storeView(store);
}

/** One of the caller's stores; another merchant's id is indistinguishable from a missing one. */
export async function getStore(
  deps: CatalogDeps,
  principal: MerchantPrincipal,
  storeId: string | undefined,
) {
  requireRole(principal, STORE_READ_ROLES);
  const id = await resolveStoreId(deps, principal.merchantId, storeId);
  const store = await deps.catalog.getStore(principal.merchantId, id);
  if (!store) throw notFound("storeId", "store");
  return storeView(store);
}

/**
 * One page of a catalog listing: the cursor is decoded for this merchant and listing only (a
 * forged or foreign cursor is a 400), and the next one is bound the same way.
 */
async function listPage<T, V>(
  deps: CatalogDeps,
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

/**
 * A page of the caller's stores and an opaque cursor for the next one; with `externalRef`, the
 * one store with that store code (or none).
 */
export async function listStores(
  deps: CatalogDeps,
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

/**
 * Replaces a store (PUT) at the version `ifMatch` names (or the one just read). Moving it
 * re-indexes its footprint and the StoreRadius trigger zones of its active offers; if indexing
 * fails, the previous store and zones are put back.
 */
export async function replaceStore(
  deps: CatalogDeps,
  principal: MerchantPrincipal,
  storeId: string | undefined,
  input: StoreInput,
  ifMatch?: number,
) {
  requireRole(principal, CATALOG_WRITE_ROLES);
  const id = await resolveStoreId(deps, principal.merchantId, storeId);
  const current = await deps.catalog.getStore(principal.merchantId, id);
  if (!current) throw notFound("storeId", "store");
  checkIfMatch("store", ifMatch, current.version);
  const geocoded = await geocodeIfNeeded(deps, input, current);
  const next = buildStore({
    merchantId: principal.merchantId,
    storeId: id,
    input,
    geocoded,
    nowIso: nowIso(deps),
    previous: current,
  });
  const zones = storeZones(next);
  next.zoneCells = storeCellsOf(deps, zones);

  const moved =
    current.location.lat !== next.location.lat || current.location.lon !== next.location.lon;
  const offers =
    moved && current.offerIds.length > 0
      ? await deps.catalog.getOffers(
          current.offerIds.map((offerId) => ({ merchantId: principal.merchantId, offerId })),
        )
      : [];
  const before = [...storeZones(current), ...storeTriggerZones(offers, current)];
  const after = [...zones, ...storeTriggerZones(offers, next)];

  await deps.catalog.replaceStore(next, current.version, current.externalRef);
  try {
    await applyPlan(deps, planZones(before, after));
    await deps.storePoints?.put(pointOf(next), current.location);
  } catch (error) {
    const restored: Store = { ...current, version: next.version + 1, updatedAt: nowIso(deps) };
    await bestEffort("restore store", () =>
      deps.catalog.replaceStore(restored, next.version, next.externalRef),
    );
    await bestEffort("restore zones", () => applyPlan(deps, planZones(after, before)));
    throw error;
  }
  return storeView(next);
}

/**
 * Updates a store with a JSON Merge Patch (RFC 7396) applied to its input representation
 * (`storeInputOf`): members sent replace, `null` removes, members absent stay. The result is
 * validated like a PUT body (errors name the merged field) and written at the version read, or
 * the one `ifMatch` names (409 if it moved on).
 */
export async function patchStore(
  deps: CatalogDeps,
  principal: MerchantPrincipal,
  storeId: string | undefined,
  patch: unknown,
  ifMatch?: number,
) {
  requireRole(principal, CATALOG_WRITE_ROLES);
  const id = await resolveStoreId(deps, principal.merchantId, storeId);
  const current = await deps.catalog.getStore(principal.merchantId, id);
  if (!current) throw notFound("storeId", "store");
  checkIfMatch("store", ifMatch, current.version);
  const input = parseWith(storeInputSchema, applyMergePatch(storeInputOf(current), patch));
  return replaceStore(deps, principal, id, input, ifMatch ?? current.version);
}

/**
 * Deletes a store and its footprint zone. A store still listed by an offer (active or paused)
 * is refused with 409 naming `storeId` and the offers: silently shrinking offers would change
 * what merchants promised, and a paused offer may be resumed. Links left by an interrupted
 * offer update are repaired on the way. The zone goes first, so a deleted store never matches.
 */
export async function deleteStore(
  deps: CatalogDeps,
  principal: MerchantPrincipal,
  storeId: string | undefined,
  ifMatch?: number,
) {
  requireRole(principal, CATALOG_WRITE_ROLES);
  const { merchantId } = principal;
  const id = await resolveStoreId(deps, merchantId, storeId);
  const current = await deps.catalog.getStore(merchantId, id);
  if (!current) throw notFound("storeId", "store");
  checkIfMatch("store", ifMatch, current.version);
  if (current.offerIds.length > 0) {
    const offers = await deps.catalog.getOffers(
      current.offerIds.map((offerId) => ({ merchantId, offerId })),
    );
    const listing = offers.filter((o) => o.storeIds.includes(id)).map((o) => o.offerId);
    const stale = current.offerIds.filter((o) => !listing.includes(o));
    await deps.catalog.unlinkOffers(merchantId, id, stale);
    if (listing.length > 0) {
      throw new ConflictError(
        `storeId: offers ${listing.join(", ")} still list this store; remove it from them or delete them first.`,
        {
          issues: [{ path: "storeId", reason: "is still listed by offers" }],
          extensions: { offerIds: listing },
        },
      );
    }
  }
  const zones = storeZones(current);
  await applyPlan(deps, { put: [], remove: zones.map((z) => z.zoneId) });
  await deps.storePoints?.remove(id, current.location);
  try {
    await deps.catalog.deleteStore(merchantId, id, current.version, {
      ...current,
      deletedAt: nowIso(deps),
    });
  } catch (error) {
    await bestEffort("re-index store zones", () => applyPlan(deps, { put: zones, remove: [] }));
    await bestEffort("re-add store point", async () => deps.storePoints?.put(pointOf(current)));
    throw error;
  }
}

/** Where a store-level error path points inside the import body. */
export function importPath(index: number, storePath: string): string {
  const [head, ...rest] = storePath.split("/");
  if (head === "footprint") return ["features", index, "geometry", ...rest].join("/");
  return ["features", index, "properties", storePath].join("/");
}

export function importError(issues: FieldIssue[]): ValidationError {
  const features = new Set(issues.map((i) => (i as { index?: number }).index)).size;
  const first = issues[0];
  return new ValidationError(
    issues.length === 1 && first
      ? `${first.path}: ${first.reason}`
      : `${issues.length} errors in ${features} feature(s); nothing was imported.`,
    { issues },
  );
}

// ---------------------------------------------------------------------------------------------
// Offers

/** The listed stores, all of which must be the caller's (404 naming `storeIds/i` otherwise). */
async function loadStores(
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

function zoneCellsOf(deps: CatalogDeps, zones: readonly ZoneDefinition[]): number {
  return zones.reduce((sum, zone) => sum + cellsOf(deps, zone, "triggerZone"), 0);
}

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
  return stateView(deps, offer, warnings);
}

/** One of the caller's offers (404 for anyone else's). */
export async function getOffer(
  deps: CatalogDeps,
  principal: MerchantPrincipal,
  offerId: string | undefined,
) {
  requireRole(principal, CATALOG_READ_ROLES);
  return stateView(deps, await currentOffer(deps, principal, offerId));
}

async function currentOffer(
  deps: CatalogDeps,
  principal: MerchantPrincipal,
  offerId: string | undefined,
): Promise<Offer> {
  const id = requireId(OFFER_ID_PREFIX, offerId, "offerId", "offer");
  const offer = await deps.catalog.getOffer(principal.merchantId, id);
  if (!offer) throw notFound("offerId", "offer");
  return offer;
}

/**
 * A page of the caller's offers, each with its derived `state`, and an opaque cursor for the
 * next one. With `state` only offers in one of those states are returned: the filter applies
 * to each page as read, so a page may hold fewer than `limit` items (even none) while
 * `nextCursor` says more may follow.
 */
export async function listOffers(
  deps: CatalogDeps,
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

/**
 * Writes `next` over `current` and moves the index from the zones of one to those of the
 * other (zones of removed stores or of a paused offer disappear). If indexing fails, the
 * previous offer and its zones are put back.
 */
async function commitOffer(
  deps: CatalogDeps,
  current: Offer,
  next: Offer,
  stores: ReadonlyMap<string, Store>,
): Promise<Offer> {
  const before = triggerZones(current, stores);
  const after = triggerZones(next, stores);
  const plan = planZones(before, after);
  next.zoneCells =
    plan.put.length === 0 && plan.remove.length === 0
      ? current.zoneCells
      : zoneCellsOf(deps, after);
  await deps.catalog.replaceOffer(next, current.version, current.storeIds);
  try {
    await applyPlan(deps, plan);
  } catch (error) {
    const restored: Offer = { ...current, version: next.version + 1, updatedAt: next.updatedAt };
    await bestEffort("restore offer", () =>
      deps.catalog.replaceOffer(restored, next.version, next.storeIds),
    );
    await bestEffort("restore zones", () => applyPlan(deps, planZones(after, before)));
    throw error;
  }
  return next;
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
  return stateView(deps, await commitOffer(deps, current, next, stores), warnings);
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

/**
 * Pauses or resumes an offer: a paused offer's trigger zones leave the index (it can no
 * longer match), resuming indexes them again. Idempotent.
 */
export async function setOfferStatus(
  deps: CatalogDeps,
  principal: MerchantPrincipal,
  offerId: string | undefined,
  status: "active" | "paused",
  ifMatch?: number,
) {
  requireRole(principal, CATALOG_WRITE_ROLES);
  const current = await currentOffer(deps, principal, offerId);
  checkIfMatch("offer", ifMatch, current.version);
  if (current.status === status) return stateView(deps, current);
  const stores = await loadStores(deps, principal.merchantId, current.storeIds);
  const next: Offer = {
    ...current,
    status,
    version: current.version + 1,
    updatedAt: nowIso(deps),
  };
  return stateView(deps, await commitOffer(deps, current, next, stores));
}

/** Deletes an offer: its zones leave the index first, then the offer and its store links. */
export async function deleteOffer(
  deps: CatalogDeps,
  principal: MerchantPrincipal,
  offerId: string | undefined,
  ifMatch?: number,
) {
  requireRole(principal, CATALOG_WRITE_ROLES);
  const current = await currentOffer(deps, principal, offerId);
  checkIfMatch("offer", ifMatch, current.version);
  await applyPlan(deps, { put: [], remove: offerZoneIds(current) });
  try {
    await deps.catalog.deleteOffer(current, current.version, nowIso(deps));
  } catch (error) {
    if (current.status === "active") {
      await bestEffort("re-index offer", async () => {
        const stores = await loadStores(deps, current.merchantId, current.storeIds);
        await applyPlan(deps, planZones([], triggerZones(current, stores)));
      });
    }
    throw error;
  }
}
