import { CATALOG_WRITE_ROLES, type MerchantPrincipal, requireRole } from "../../auth/principal.ts";
import { ConflictError } from "../../errors.ts";

/** 409 naming `version`: the item moved on from the version the caller named. */
export function versionConflict(kind: string, expected: number, current: number): ConflictError {
  return new ConflictError(`The ${kind} is at version ${current}, not ${expected}.`, {
    issues: [{ path: "version", reason: `is ${current}; If-Match named ${expected}` }],
  });
}

/** Refuses a write whose `If-Match` names another version than the current one (409). */
export function checkIfMatch(kind: string, ifMatch: number | undefined, current: number): void {
  if (ifMatch !== undefined && ifMatch !== current) throw versionConflict(kind, ifMatch, current);
}

/**
 * The catalog item (`offer`, `store`) a write is about: the caller needs a catalog write role
 * (403, checked before `load` reads anything), `load` answers the caller's item (404 naming its
 * id otherwise), and when `ifMatch` names a version the item must be at it (409 naming
 * `version`).
 */
export async function itemToWrite<T extends { version: number }>(
  principal: MerchantPrincipal,
  kind: "offer" | "store",
  ifMatch: number | undefined,
  load: () => Promise<T>,
): Promise<T> {
  requireRole(principal, CATALOG_WRITE_ROLES);
  const current = await load();
  checkIfMatch(kind, ifMatch, current.version);
  return current;
}
