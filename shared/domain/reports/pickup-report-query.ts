/** Query string of the pickup report (zod, the field named in every refusal). */
import * as z from "zod";
import { storeReportQuerySchema } from "./report-query.ts";

export const pickupReportQuerySchema = z.strictObject({
  from: storeReportQuerySchema.shape.from,
  to: storeReportQuerySchema.shape.to,
  includeEmpty: storeReportQuerySchema.shape.includeEmpty,
});
export type PickupReportQuery = z.output<typeof pickupReportQuerySchema>;
