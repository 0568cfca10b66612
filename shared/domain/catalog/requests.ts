/**
 * The query strings of catalog listings, validated with the same problem vocabulary as bodies
 * so every 4xx names its field. (`If-Match` is HTTP: shared/http/if-match.ts.)
 */
import * as z from "zod";
import { integerQuery } from "../query-number.ts";
import { storeCodeSchema } from "./store.ts";

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

/** `GET /v1/stores` and `GET /v1/offers` query. */
export const listQuerySchema = z
  .strictObject({
    limit: integerQuery()
      .pipe(
        z
          .number()
          .min(1, `must be between 1 and ${MAX_PAGE_SIZE}`)
          .max(MAX_PAGE_SIZE, `must be between 1 and ${MAX_PAGE_SIZE}`),
      )
      .default(DEFAULT_PAGE_SIZE)
      .describe(`Page size, 1–${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE})`),
    cursor: z
      .string()
      .min(1)
      .max(2_048)
      .optional()
      .describe("The `nextCursor` of the previous page (opaque)"),
  })
  .describe("Pagination");

export type ListQuery = z.output<typeof listQuerySchema>;

/** `GET /v1/stores` query: pagination, or the one store with a store code. */
export const storeListQuerySchema = listQuerySchema
  .extend({
    externalRef: storeCodeSchema
      .optional()
      .describe("A store code: answers the store with that code (or none), no paging"),
  })
  .describe("Pagination, or lookup by store code");
