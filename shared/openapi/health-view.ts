import * as z from "zod";

/** `GET /v1/health` answer (200 ok, 503 degraded). */
export const healthSchema = z
  .object({
    status: z.enum(["ok", "degraded"]),
    checks: z.record(
      z.string(),
      z.object({
        status: z.enum(["ok", "unavailable"]),
        latencyMs: z.number().min(0),
      }),
    ),
  })
  .describe("Dependency checks (DynamoDB, SNS)");
