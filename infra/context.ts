import { RetentionDays } from "aws-cdk-lib/aws-logs";
import type { Construct } from "constructs";
import * as z from "zod";

/** Deploy-time parameters, given as `-c key=value` (or in cdk.json `context`). */
export interface InfraContext {
  /** Stage name, part of every stack name: several stages can live in one account. */
  stage: string;
  /** Days CloudWatch keeps function and access logs. */
  logRetention: RetentionDays;
  /** SNS platform application for iOS push (APNS or APNS_SANDBOX), if push is used. */
  apnsPlatformApplicationArn: string | undefined;
  /** SNS platform application for Android push (GCM/FCM), if push is used. */
  fcmPlatformApplicationArn: string | undefined;
  /** E-mail address subscribed to the alarm topic (confirmation mail is sent on deploy). */
  alarmEmail: string | undefined;
  /** Amazon Location data provider for geocoding store addresses. */
  placeIndexDataSource: "Esri" | "Here";
  /** `Storage` when geocoded points are kept (the service terms tie storing results to it). */
  placeIndexIntendedUse: "SingleUse" | "Storage";
  /**
   * An existing Amazon Location route calculator refining pickup arrival estimates; absent: the
   * estimates are distance-based and no route permission is granted.
   */
  pickupRouteCalculator: string | undefined;
}

const RETENTION_VALUES = new Set<number>(
  Object.values(RetentionDays).filter((v): v is number => typeof v === "number"),
);

const optional = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v === "" ? undefined : v));

const platformArn = (platforms: string) =>
  optional.refine(
    (v) =>
      v === undefined ||
      new RegExp(`^arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:app/(${platforms})/[\\w.-]+$`).test(v),
    { message: `must be an SNS platform application ARN (app/${platforms}/<name>)` },
  );

const contextSchema = z.object({
  stage: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,19}$/, "must be lower-case letters, digits and dashes (max 20)")
    .default("prod"),
  logRetentionDays: z.coerce
    .number()
    .int()
    .refine((d) => RETENTION_VALUES.has(d), {
      message: `must be one of ${[...RETENTION_VALUES].join(", ")}`,
    })
    .default(30),
  apnsPlatformApplicationArn: platformArn("APNS|APNS_SANDBOX"),
  fcmPlatformApplicationArn: platformArn("GCM"),
  alarmEmail: optional.refine((v) => v === undefined || /^[^@\s]+@[^@\s]+$/.test(v), {
    message: "must be an e-mail address",
  }),
  placeIndexDataSource: z.enum(["Esri", "Here"]).default("Esri"),
  placeIndexIntendedUse: z.enum(["SingleUse", "Storage"]).default("Storage"),
  pickupRouteCalculator: optional.refine((v) => v === undefined || /^[-._\w]{1,100}$/.test(v), {
    message: "must be an Amazon Location route calculator name",
  }),
});

/** Context keys the app understands; anything else in `-c` is CDK's own business. */
export const CONTEXT_KEYS = Object.keys(contextSchema.shape);

/**
 * Reads and validates the deploy parameters once, so a typo in `-c` fails the synth with a message
 * naming the key instead of deploying something half-configured.
 */
export function readInfraContext(scope: Construct): InfraContext {
  const raw: Record<string, unknown> = {};
  for (const key of CONTEXT_KEYS) {
    const value: unknown = scope.node.tryGetContext(key);
    if (value !== undefined && value !== null) raw[key] = String(value);
  }
  const parsed = contextSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `-c ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid CDK context:\n  ${lines.join("\n  ")}`);
  }
  const c = parsed.data;
  return {
    stage: c.stage,
    logRetention: c.logRetentionDays as RetentionDays,
    apnsPlatformApplicationArn: c.apnsPlatformApplicationArn,
    fcmPlatformApplicationArn: c.fcmPlatformApplicationArn,
    alarmEmail: c.alarmEmail,
    placeIndexDataSource: c.placeIndexDataSource,
    placeIndexIntendedUse: c.placeIndexIntendedUse,
    pickupRouteCalculator: c.pickupRouteCalculator,
  };
}
