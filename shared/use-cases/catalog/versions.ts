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
