/**
 * Store imports as resumable jobs. The request validates the body's shape and stores the job
 * (202); a worker validates every feature's geometry, then writes and indexes the stores chunk
 * by chunk. Every step can be redone: stores are upserted by store code (or an id derived from
 * the job and the feature's index), zones re-indexed by version, progress committed per chunk
 * under a lease. A worker killed at any point leaves a job the next worker finishes.
 */

import {
  CATALOG_READ_ROLES,
  CATALOG_WRITE_ROLES,
  type MerchantPrincipal,
  requireRole,
} from "../auth/principal.ts";
import { forEachLimit } from "../concurrency.ts";
import {
  bayZoneIds,
  bodyHashOf,
  IDEMPOTENCY_WINDOW_MS,
  IMPORT_JOB_PREFIX,
  IMPORT_LEASE_MS,
  type ImportJob,
  type ImportOutcome,
  type ImportResult,
  importedStoreId,
  importJobView,
  MAX_JOB_ERRORS,
  parseStoreImport,
  planChunks,
  type Store,
  type StoreInput,
  WORKER_RESERVE_MS,
} from "../domain/catalog/index.ts";
import { buildStore } from "../domain/catalog/store-build.ts";
import { storeZones } from "../domain/catalog/zones.ts";
import {
  ConflictError,
  type FieldIssue,
  FootfallError,
  NotFoundError,
  UnprocessableError,
  ValidationError,
} from "../errors.ts";
import type { CatalogDeps } from "./catalog/deps.ts";
import { importError, importPath } from "./catalog/import-errors.ts";
import { pointOf } from "./catalog/stores.ts";
import { storeCellsOf, storeTriggerZones } from "./catalog/zones.ts";
import type { GeoIndex } from "./ports/geo-index-port.ts";
import type { ImportJobs } from "./ports/import-jobs.ts";
import type { StorePoints } from "./ports/store-points.ts";

export interface ImportDeps extends CatalogDeps {
  imports: ImportJobs;
  geoIndex: Pick<GeoIndex, "putZone" | "putZones" | "removeZone">;
  storePoints?: StorePoints | undefined;
  /** Stores updated (or written one by one) at once within a chunk (default 16). */
  importConcurrency?: number;
  /** Chunks written together as one bulk write (default IMPORT_CHUNKS_PER_ROUND). */
  importChunksPerRound?: number;
}

/**
 * Chunks (of up to 250 features) the worker writes as one bulk write: enough packed
 * transactions in flight per step to keep DynamoDB busy, and at most a round redone after a
 * crash.
 */
export const IMPORT_CHUNKS_PER_ROUND = 4;

const JOB_ID = /^imp_[A-Za-z0-9_-]{8,64}$/;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

function jobNotFound(): NotFoundError {
  return new NotFoundError("jobId: import job not found", {
    issues: [{ path: "jobId", reason: "import job not found" }],
  });
}

/** The `Location` of a job resource. */
export function importJobPath(jobId: string): string {
  return `/v1/store-imports/${jobId}`;
}

/**
 * `POST /v1/stores:import`: validates the body (shape and store fields of every feature: all
 * errors at once, 400, nothing stored), then stores the job. The same `Idempotency-Key` (or,
 * without one, the same body) within 24 h answers the job already submitted instead of a second
 * one; the same key with another body is a 422 naming `Idempotency-Key`.
 *
 * @returns the job view and whether it was a replay of an earlier submission.
 */
export async function submitImport(
  deps: ImportDeps,
  principal: MerchantPrincipal,
  request: { rawBody: string; body: unknown; idempotencyKey: string | undefined },
) {
  requireRole(principal, CATALOG_WRITE_ROLES);
  const { merchantId } = principal;
  if (request.idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(request.idempotencyKey)) {
    throw ValidationError.field("Idempotency-Key", "must be 1–255 visible ASCII characters");
  }
  const parsed = parseStoreImport(request.body);
  if (!parsed.ok) throw importError(parsed.issues);
  const bodyHash = bodyHashOf(request.rawBody);
  const key = request.idempotencyKey ?? `sha256:${bodyHash}`;
  const now = deps.clock.now();

  const replay = async (existing: { jobId: string; bodyHash: string }) => {
    if (existing.bodyHash !== bodyHash) {
      throw UnprocessableError.field(
        "Idempotency-Key",
        `was already used for another body (job ${existing.jobId}); use a new key per file`,
      );
    }
    return { view: await jobView(deps, merchantId, existing.jobId), replayed: true };
  };
  const known = await deps.imports.findByKey(merchantId, key);
  if (known && known.expiresAt > now) return replay(known);

  const job: ImportJob = {
    merchantId,
    jobId: deps.random.id(IMPORT_JOB_PREFIX),
    status: "queued",
    total: parsed.stores.length,
    chunkCount: 0,
    idempotencyKey: key,
    bodyHash,
    createdAt: new Date(now).toISOString(),
    wake: 0,
  };
  const chunks = planChunks(parsed.stores);
  const out = await deps.imports.submit(job, chunks, now + IDEMPOTENCY_WINDOW_MS, now);
  if (out.existing) return replay(out.existing);
  return { view: await jobView(deps, merchantId, job.jobId), replayed: false };
}

async function jobView(deps: ImportDeps, merchantId: string, jobId: string) {
  const job = await deps.imports.get(merchantId, jobId);
  if (!job) throw jobNotFound();
  const progress = await deps.imports.progress(jobId);
  const results = await deps.imports.results(jobId);
  return importJobView(job, progress, results);
}

/**
 * `GET /v1/store-imports/{jobId}`: status, progress, counts and per-feature results of one of
 * the caller's imports (another merchant's job is not found). A job whose worker died and whose
 * lease ran out is handed to a new worker on the way.
 */
export async function getImportJob(
  deps: ImportDeps,
  principal: MerchantPrincipal,
  jobId: string | undefined,
) {
  requireRole(principal, CATALOG_READ_ROLES);
  if (jobId === undefined || !JOB_ID.test(jobId)) throw jobNotFound();
  const view = await jobView(deps, principal.merchantId, jobId);
  if (view.status === "queued" || view.status === "running") {
    const progress = await deps.imports.progress(jobId);
    const now = deps.clock.now();
    const stalled = (progress?.leaseUntil ?? Date.parse(view.createdAt) + IMPORT_LEASE_MS) < now;
    if (stalled) await deps.imports.wake(principal.merchantId, jobId);
  }
  return view;
}

/** JSON with object keys sorted at every level: DynamoDB gives maps back in any key order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
        )
      : v,
  );
}

/** Whether two stores say the same thing (a re-sent feature changes nothing). */
function sameStore(a: Store, b: Store): boolean {
  const facts = (s: Store) =>
    canonicalJson([
      s.name,
      s.externalRef,
      s.address,
      s.location,
      s.locationSource,
      s.timeZone,
      s.openingHours,
      s.footprint,
      s.footprintSource ?? "request",
      s.pickupBays ?? [],
    ]);
  return facts(a) === facts(b);
}

/**
 * Bay zones a store had before this write (`previousBays` of them) that it no longer has: bays
 * are numbered, so fewer bays leave the highest numbers behind.
 */
function droppedBays(store: Store, previousBays: number | undefined): string[] {
  const kept = store.pickupBays?.length ?? 0;
  const before = bayZoneIds({ storeId: store.storeId, pickupBays: new Array(previousBays ?? 0) });
  return before.slice(kept);
}

/**
 * Writes one feature's store and indexes it, in an order any crash can resume: the store is
 * written with an `indexPending` mark (naming its previous point), then its footprint and its
 * offers' StoreRadius zones are (re)indexed, its point moved, and the mark cleared.
 */
async function upsertFeature(
  deps: ImportDeps,
  job: { merchantId: string; jobId: string },
  index: number,
  input: StoreInput,
  nowIso: string,
): Promise<ImportResult> {
  const { merchantId } = job;
  const byRef =
    input.externalRef !== undefined
      ? await deps.catalog.storeIdByRef(merchantId, input.externalRef)
      : undefined;
  const ownId = importedStoreId(job.jobId, index);
  const storeId = byRef ?? ownId;
  let current = await deps.catalog.getStore(merchantId, storeId);
  // A store with this job's id for the feature was created by this job (a chunk redone after a
  // crash): it stays "created", as it would have been without the crash.
  const ours = storeId === ownId;
  const build = () => {
    const store = buildStore({ merchantId, storeId, input, nowIso, previous: current });
    store.zoneCells = storeCellsOf(deps, storeZones(store));
    return store;
  };
  let next = build();
  let outcome: ImportOutcome = current && !ours ? "updated" : "created";
  if (current && !current.indexPending && sameStore(current, next)) {
    return {
      index,
      storeId,
      externalRef: input.externalRef,
      outcome: ours ? "created" : "unchanged",
    };
  }
  if (!current) {
    next.indexPending = {};
    try {
      await deps.catalog.createStore(next);
    } catch (error) {
      if (!(error instanceof ConflictError) || error.issues?.[0]?.path === "externalRef") {
        throw error;
      }
      // Written meanwhile (a redone chunk racing a stalled worker): update it instead.
      current = await deps.catalog.getStore(merchantId, storeId);
      if (!current) throw error;
      next = build();
      outcome = ours ? "created" : "updated";
    }
  }
  let previousLocation = current?.indexPending?.previousLocation;
  let previousBays = current?.indexPending?.previousBays;
  if (current) {
    previousLocation ??= current.location;
    previousBays ??= current.pickupBays?.length ?? 0;
    next.indexPending = { previousLocation, previousBays };
    await deps.catalog.replaceStore(next, current.version, current.externalRef);
  }
  const offers =
    next.offerIds.length > 0
      ? await deps.catalog.getOffers(next.offerIds.map((offerId) => ({ merchantId, offerId })))
      : [];
  for (const zone of [...storeZones(next), ...storeTriggerZones(offers, next)]) {
    await deps.geoIndex.putZone(zone);
  }
  for (const zoneId of droppedBays(next, previousBays)) await deps.geoIndex.removeZone(zoneId);
  const moved =
    previousLocation &&
    (previousLocation.lat !== next.location.lat || previousLocation.lon !== next.location.lon);
  await deps.storePoints?.put(pointOf(next), moved ? previousLocation : undefined);
  await deps.catalog.markIndexed(merchantId, storeId, next.version);
  return { index, storeId, externalRef: input.externalRef, outcome };
}

/**
 * Writes and indexes one chunk's stores in bulk, in the same crash-safe order as
 * `upsertFeature`: every store is written with its `indexPending` mark (new ones in packed
 * transactions with their store codes, changed ones one by one at their version), then all
 * their zones are indexed (`putZones`: intents, cells, heads), their store points set, and the
 * marks cleared. Identical stores are left alone. A new store whose transaction was cancelled
 * (its code taken meanwhile, or written by a stalled worker) goes through `upsertFeature`.
 */
async function writeChunk(
  deps: ImportDeps,
  job: { merchantId: string; jobId: string },
  chunk: { from: number; stores: StoreInput[] },
  nowIso: string,
): Promise<ImportResult[]> {
  const { merchantId } = job;
  const refs = chunk.stores.flatMap((s) => (s.externalRef === undefined ? [] : [s.externalRef]));
  const byRef =
    refs.length > 0
      ? await deps.catalog.storeIdsByRefs(merchantId, refs)
      : new Map<string, string>();
  const plans = chunk.stores.map((input, i) => {
    const index = chunk.from + i;
    const ownId = importedStoreId(job.jobId, index);
    const storeId =
      (input.externalRef !== undefined ? byRef.get(input.externalRef) : undefined) ?? ownId;
    return { i, index, input, storeId, ours: storeId === ownId };
  });
  const current = new Map(
    (
      await deps.catalog.getStoresConsistent(plans.map((p) => ({ merchantId, storeId: p.storeId })))
    ).map((st) => [st.storeId, st]),
  );

  const results: ImportResult[] = new Array(plans.length);
  const fresh: { i: number; store: Store; plan: (typeof plans)[number] }[] = [];
  const changed: {
    i: number;
    store: Store;
    current: Store;
    previousLocation: Store["location"];
    previousBays: number;
  }[] = [];
  const pendingOnly: {
    store: Store;
    previousLocation: Store["location"] | undefined;
    previousBays?: number | undefined;
  }[] = [];
  for (const plan of plans) {
    const { i, index, input, storeId, ours } = plan;
    const cur = current.get(storeId);
    const store = buildStore({ merchantId, storeId, input, nowIso, previous: cur });
    store.zoneCells = storeCellsOf(deps, storeZones(store));
    const result = (outcome: ImportOutcome): ImportResult => ({
      index,
      storeId,
      externalRef: input.externalRef,
      outcome,
    });
    if (cur && !cur.indexPending && sameStore(cur, store)) {
      results[i] = result(ours ? "created" : "unchanged");
    } else if (cur && sameStore(cur, store)) {
      // Written by a run cut off before it finished indexing: only the indexing is redone.
      pendingOnly.push({
        store: cur,
        previousLocation: cur.indexPending?.previousLocation,
        previousBays: cur.indexPending?.previousBays,
      });
      results[i] = result(ours ? "created" : "updated");
    } else if (!cur) {
      store.indexPending = {};
      fresh.push({ i, store, plan });
      results[i] = result("created");
    } else {
      const previousLocation = cur.indexPending?.previousLocation ?? cur.location;
      const previousBays = cur.indexPending?.previousBays ?? cur.pickupBays?.length ?? 0;
      store.indexPending = { previousLocation, previousBays };
      changed.push({ i, store, current: cur, previousLocation, previousBays });
      results[i] = result(ours ? "created" : "updated");
    }
  }

  // 1. Every store written with its mark before any of its index entries.
  const cancelled =
    fresh.length > 0
      ? await deps.catalog.createStores(fresh.map((f) => f.store))
      : new Set<string>();
  await forEachLimit(changed, deps.importConcurrency ?? 16, async (c) => {
    await deps.catalog.replaceStore(c.store, c.current.version, c.current.externalRef);
  });
  const written: {
    store: Store;
    previousLocation: Store["location"] | undefined;
    previousBays?: number | undefined;
  }[] = [
    ...fresh
      .filter((f) => !cancelled.has(f.store.storeId))
      .map((f) => ({ store: f.store, previousLocation: undefined })),
    ...changed.map((c) => ({
      store: c.store,
      previousLocation: c.previousLocation,
      previousBays: c.previousBays,
    })),
    ...pendingOnly,
  ];

  // 2. Their zones: footprints, and the StoreRadius trigger zones of their offers.
  const offerIds = [...new Set(written.flatMap((w) => w.store.offerIds))];
  const offers =
    offerIds.length > 0
      ? await deps.catalog.getOffers(offerIds.map((offerId) => ({ merchantId, offerId })))
      : [];
  await deps.geoIndex.putZones(
    written.flatMap((w) => [
      ...storeZones(w.store),
      ...storeTriggerZones(
        offers.filter((o) => w.store.offerIds.includes(o.offerId)),
        w.store,
      ),
    ]),
  );
  await forEachLimit(
    written.flatMap((w) => droppedBays(w.store, w.previousBays)),
    deps.importConcurrency ?? 16,
    (zoneId) => deps.geoIndex.removeZone(zoneId),
  );
  // 3. Their points (a moved store leaves its old bucket), then the marks cleared.
  await deps.storePoints?.putMany(
    written.map((w) => {
      const prev = w.previousLocation;
      const moved =
        prev && (prev.lat !== w.store.location.lat || prev.lon !== w.store.location.lon);
      return { point: pointOf(w.store), previous: moved ? prev : undefined };
    }),
  );
  await deps.catalog.markIndexedMany(
    written.map((w) => ({ merchantId, storeId: w.store.storeId, version: w.store.version })),
  );

  // 4. New stores a concurrent write got in the way of, one by one.
  await forEachLimit(
    fresh.filter((f) => cancelled.has(f.store.storeId)),
    deps.importConcurrency ?? 16,
    async (f) => {
      results[f.i] = await upsertFeature(deps, job, f.plan.index, f.plan.input, nowIso);
    },
  );
  return results;
}

/** Every feature's geometry checked (and its cover sized) before anything is written. */
async function validateAll(
  deps: ImportDeps,
  job: ImportJob,
): Promise<(FieldIssue & { index: number })[]> {
  const issues: (FieldIssue & { index: number })[] = [];
  const nowIso = new Date(deps.clock.now()).toISOString();
  for (let n = 0; n < job.chunkCount; n++) {
    const chunk = await deps.imports.chunk(job.jobId, n);
    chunk.stores.forEach((input, i) => {
      const index = chunk.from + i;
      try {
        const store = buildStore({
          merchantId: job.merchantId,
          storeId: importedStoreId(job.jobId, index),
          input,
          nowIso,
        });
        storeCellsOf(deps, storeZones(store));
      } catch (error) {
        if (!(error instanceof FootfallError) || error.status >= 500) throw error;
        for (const issue of error.issues ?? [{ path: "footprint", reason: error.detail }]) {
          issues.push({ index, path: importPath(index, issue.path), reason: issue.reason });
        }
      }
    });
  }
  return issues;
}

/** What a worker run ended with. */
export type ImportRunOutcome = "finished" | "continued" | "busy" | "gone";

/**
 * Runs (or resumes) an import job as `owner` until it is finished or `deadline` (epoch ms)
 * draws near; then it wakes the job for the next invocation. All or nothing for validation:
 * any invalid feature fails the job with every error (index + path) and writes no store.
 */
export async function runImportJob(
  deps: ImportDeps,
  merchantId: string,
  jobId: string,
  owner: string,
  deadline: number,
): Promise<ImportRunOutcome> {
  const job = await deps.imports.get(merchantId, jobId);
  if (job?.status !== "queued") return "gone";
  const lease = () => {
    const now = deps.clock.now();
    return deps.imports.claim(jobId, owner, now, now + IMPORT_LEASE_MS);
  };
  const progress = await lease();
  if (!progress) return "busy";
  const finishedAt = () => new Date(deps.clock.now()).toISOString();

  if (progress.phase === "validate") {
    const issues = await validateAll(deps, job);
    if (issues.length > 0) {
      await deps.imports.finish(merchantId, jobId, "failed", finishedAt(), {
        errors: issues.slice(0, MAX_JOB_ERRORS),
        errorCount: issues.length,
      });
      return "finished";
    }
    await deps.imports.setPhase(jobId, owner, "write");
  }

  const perRound = Math.max(1, deps.importChunksPerRound ?? IMPORT_CHUNKS_PER_ROUND);
  for (
    let n = progress.phase === "write" ? progress.nextChunk : 0;
    n < job.chunkCount;
    n += perRound
  ) {
    if (deps.clock.now() > deadline - WORKER_RESERVE_MS) {
      await deps.imports.release(jobId, owner);
      await deps.imports.wake(merchantId, jobId);
      return "continued";
    }
    if (!(await lease())) return "busy";
    // A round writes a few consecutive chunks as one bulk write; progress is still committed
    // chunk by chunk, so a crash redoes at most one round.
    const numbers = Array.from({ length: Math.min(perRound, job.chunkCount - n) }, (_, k) => n + k);
    const chunks = await Promise.all(numbers.map((k) => deps.imports.chunk(jobId, k)));
    const nowIso = new Date(deps.clock.now()).toISOString();
    const results = await writeChunk(
      deps,
      job,
      { from: chunks[0]?.from ?? 0, stores: chunks.flatMap((c) => c.stores) },
      nowIso,
    );
    let offset = 0;
    for (const [k, chunk] of chunks.entries()) {
      const mine = results.slice(offset, offset + chunk.stores.length);
      offset += chunk.stores.length;
      const count = (o: ImportOutcome) => mine.filter((r) => r.outcome === o).length;
      await deps.imports.completeChunk(jobId, n + k, owner, mine, {
        created: count("created"),
        updated: count("updated"),
        unchanged: count("unchanged"),
      });
    }
  }
  await deps.imports.finish(merchantId, jobId, "succeeded", finishedAt());
  return "finished";
}
