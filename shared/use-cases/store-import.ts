/**
 * Store imports as resumable jobs. The request validates the body's shape and stores the job
 * (202); a worker validates every feature's geometry, then writes and indexes the stores chunk
 * by chunk. Every step can be redone: stores are upserted by store code (or an id derived from
 * the job and the feature's index), zones re-indexed by version, progress committed per chunk
 * under a lease. A worker killed at any point leaves a job the next worker finishes.
 */
import type { ImportJobs } from "../adapters/dynamo/import-jobs.ts";
import { type MerchantPrincipal, requireRole } from "../auth/principal.ts";
import { forEachLimit } from "../concurrency.ts";
import {
  bodyHashOf,
  buildStore,
  footprintZone,
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
import {
  ConflictError,
  type FieldIssue,
  FootfallError,
  NotFoundError,
  UnprocessableError,
  ValidationError,
} from "../errors.ts";
import {
  CATALOG_READ_ROLES,
  CATALOG_WRITE_ROLES,
  type CatalogDeps,
  cellsOf,
  importError,
  importPath,
  pointOf,
  storeTriggerZones,
} from "./catalog.ts";

export interface ImportDeps extends CatalogDeps {
  imports: ImportJobs;
  /** Stores written and indexed at once within a chunk (default 16). */
  importConcurrency?: number;
}

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

/** Whether two stores say the same thing (a re-sent feature changes nothing). */
function sameStore(a: Store, b: Store): boolean {
  const facts = (s: Store) =>
    JSON.stringify([
      s.name,
      s.externalRef,
      s.address,
      s.location,
      s.locationSource,
      s.timeZone,
      s.openingHours,
      s.footprint,
      s.footprintSource ?? "request",
    ]);
  return facts(a) === facts(b);
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
    store.zoneCells = cellsOf(deps, footprintZone(store), "footprint");
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
  if (current) {
    previousLocation ??= current.location;
    next.indexPending = { previousLocation };
    await deps.catalog.replaceStore(next, current.version, current.externalRef);
  }
  const offers =
    next.offerIds.length > 0
      ? await deps.catalog.getOffers(next.offerIds.map((offerId) => ({ merchantId, offerId })))
      : [];
  for (const zone of [footprintZone(next), ...storeTriggerZones(offers, next)]) {
    await deps.geoIndex.putZone(zone);
  }
  const moved =
    previousLocation &&
    (previousLocation.lat !== next.location.lat || previousLocation.lon !== next.location.lon);
  await deps.storePoints?.put(pointOf(next), moved ? previousLocation : undefined);
  await deps.catalog.markIndexed(merchantId, storeId, next.version);
  return { index, storeId, externalRef: input.externalRef, outcome };
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
        cellsOf(deps, footprintZone(store), "footprint");
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

  for (let n = progress.phase === "write" ? progress.nextChunk : 0; n < job.chunkCount; n++) {
    if (deps.clock.now() > deadline - WORKER_RESERVE_MS) {
      await deps.imports.release(jobId, owner);
      await deps.imports.wake(merchantId, jobId);
      return "continued";
    }
    if (!(await lease())) return "busy";
    const chunk = await deps.imports.chunk(jobId, n);
    const nowIso = new Date(deps.clock.now()).toISOString();
    const results: ImportResult[] = new Array(chunk.stores.length);
    await forEachLimit(
      chunk.stores.map((input, i) => ({ input, i })),
      deps.importConcurrency ?? 16,
      async ({ input, i }) => {
        results[i] = await upsertFeature(deps, job, chunk.from + i, input, nowIso);
      },
    );
    const count = (o: ImportOutcome) => results.filter((r) => r.outcome === o).length;
    await deps.imports.completeChunk(jobId, n, owner, results, {
      created: count("created"),
      updated: count("updated"),
      unchanged: count("unchanged"),
    });
  }
  await deps.imports.finish(merchantId, jobId, "succeeded", finishedAt());
  return "finished";
}
