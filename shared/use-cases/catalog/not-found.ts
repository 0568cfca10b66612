import { isCatalogId } from "../../domain/catalog/index.ts";
import { NotFoundError } from "../../errors.ts";

/** 404 naming `path`: `what` not found. */
export function notFound(path: string, what: string): NotFoundError {
  return new NotFoundError(`${path}: ${what} not found`, {
    issues: [{ path, reason: `${what} not found` }],
  });
}

/** The id when it is one of `prefix`'s shape, else 404 naming `path`. */
export function requireId(
  prefix: string,
  id: string | undefined,
  path: string,
  what: string,
): string {
  if (id === undefined || !isCatalogId(prefix, id)) throw notFound(path, what);
  return id;
}
