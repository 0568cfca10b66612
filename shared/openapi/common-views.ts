/** Members every response view shares: versions for If-Match, and the paging cursor. */
import * as z from "zod";

/** Fields every versioned resource carries (store, offer, device). */
export const versionedShape = {
  version: z.number().int().min(1).describe("Send as If-Match (ETag) to replace safely"),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
};

/** The cursor of a paged listing. */
export const nextCursor = z
  .string()
  .nullable()
  .describe("Pass as `cursor` for the next page; null on the last page");
