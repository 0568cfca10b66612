/**
 * Names reports show next to ids: stores and offers as the catalog knows them, or as it kept them
 * after deletion.
 */

/** A store as reports name it: kept after deletion (then `deletedAt` is set). */
export interface StoreLabel {
  name: string;
  /** The merchant's own store code (`externalRef`), null when none was given. */
  storeCode: string | null;
  timeZone: string;
  deletedAt: string | null;
}

/** An offer as reports name it: kept after deletion (then `deletedAt` is set). */
export interface OfferLabel {
  name: string;
  deletedAt: string | null;
}

/** Names of the stores and offers a report mentions, by id (ids missing: unknown). */
export interface NameBook {
  stores: ReadonlyMap<string, StoreLabel>;
  offers: ReadonlyMap<string, OfferLabel>;
}

/**
 * A store's name and store code as report columns: `storeName`, `storeCode` (null each for a
 * store without a label).
 */
export function storeNameColumns(
  label: Pick<StoreLabel, "name" | "storeCode"> | null | undefined,
): { storeName: string | null; storeCode: string | null } {
  return { storeName: label?.name ?? null, storeCode: label?.storeCode ?? null };
}

export const NO_NAMES: NameBook = { stores: new Map(), offers: new Map() };

/**
 * The report note on a deleted subject (store or offer): `null` is one deleted before deleted
 * subjects were kept (counters without a name), a set `deletedAt` one kept since then; none for
 * a live subject. English sentences, as the reports' `notes` carry them.
 */
export function deletionNotes(
  kind: "store" | "offer",
  subject: { deletedAt: string | null } | null,
): string[] {
  if (subject === null) {
    return [
      `The ${kind} was deleted before deleted ${kind}s were kept: its counters are reported without a name.`,
    ];
  }
  if (subject.deletedAt !== null) {
    return [`The ${kind} was deleted on ${subject.deletedAt}; its counters are reported as kept.`];
  }
  return [];
}
