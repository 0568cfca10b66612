import type * as z from "zod";
import type { MerchantPrincipal } from "../../auth/principal.ts";
import { applyMergePatch } from "../../http/merge-patch.ts";
import { parseWith } from "../../http/parse.ts";
import type { CatalogDeps } from "./deps.ts";
import { itemToWrite } from "./versions.ts";

/** What a catalog item's PATCH needs to know about the item's kind. */
export interface MergePatchable<T extends { version: number }, I, R> {
  kind: "offer" | "store";
  /** The caller's item (404 naming its id otherwise). */
  load: (deps: CatalogDeps, principal: MerchantPrincipal, id: string | undefined) => Promise<T>;
  /** The item as its input representation: what a client would PUT to keep it as it is. */
  inputOf: (item: T) => unknown;
  /** The PUT body's schema, which the patched representation must pass. */
  schema: z.ZodType<I>;
  idOf: (item: T) => string;
  /** The kind's PUT, writing `input` at version `ifMatch`. */
  replace: (
    deps: CatalogDeps,
    principal: MerchantPrincipal,
    id: string,
    input: I,
    ifMatch: number,
  ) => Promise<R>;
}

/**
 * The PATCH use case of a catalog item kind: a JSON Merge Patch (RFC 7396) applied to the
 * item's input representation (members sent replace, `null` removes, members absent stay),
 * validated like a PUT body (errors name the merged field) and written by the kind's PUT at
 * the version read, or the one `ifMatch` names.
 *
 * @throws ForbiddenError without a catalog write role; NotFoundError naming the id;
 * ConflictError naming `version` (409) when the item moved on; ValidationError naming the field.
 */
export function mergePatchUseCase<T extends { version: number }, I, R>(
  item: MergePatchable<T, I, R>,
) {
  return async (
    deps: CatalogDeps,
    principal: MerchantPrincipal,
    id: string | undefined,
    patch: unknown,
    ifMatch?: number,
  ): Promise<R> => {
    const current = await itemToWrite(principal, item.kind, ifMatch, () =>
      item.load(deps, principal, id),
    );
    const input = parseWith(item.schema, applyMergePatch(item.inputOf(current), patch));
    return item.replace(deps, principal, item.idOf(current), input, ifMatch ?? current.version);
  };
}
