/**
 * Offers: the request schema (the same rules the decision step relies on), the stored entity,
 * and the projection the incentive decision reads.
 */
import * as z from "zod";
import {
  DEFAULT_FRESHNESS_MINUTES,
  holdoutPercentSchema,
  isPickupOffer,
  type OfferStatus,
  PICKUP_TRIGGER,
  type WeeklySchedule,
  weeklyScheduleSchema,
} from "../decision/offer-rules.ts";
import { isLocalDate, validityCanBeNonEmpty } from "../decision/validity.ts";
import {
  circleSchema,
  compileZone,
  multiPolygonSchema,
  polygonSchema,
  type ZoneGeometry,
} from "../geometry/index.ts";
import { TARGET_STAGES, type TargetStage } from "../journey/stage.ts";
import { amountSchema, checkOfferMoney, currencySchema } from "../money.ts";
import { variantIdSchema } from "../o2o/link.ts";
import type { MessageVariant } from "../o2o/touch.ts";
import { displayText } from "../text.ts";
import { OFFER_INSTANT_RANGE, storeIdSchema, type Versioned } from "./common.ts";
import { type QuietHoursSetting, quietHoursSettingSchema } from "./quiet-hours.ts";
import { normalizeAt } from "./store.ts";

/** Trigger zones: from a shop front (50 m) to a metropolitan area (50 km). */
export const TRIGGER_RADIUS_BOUNDS = { minRadiusM: 50, maxRadiusM: 50_000 } as const;

/** At most this many stores per offer: each one is a trigger zone of up to 2,000 cells. */
export const MAX_STORES_PER_OFFER = 50;

/**
 * What fires an offer: entering or dwelling in its trigger zone (geofence offers), or a shopper's
 * active pickup order arriving at one of its stores (`pickup_arrived`: an in-store cross-sell
 * with no trigger zone, decided once per pickup order by the same rules as geofence sends).
 */
export const TRIGGER_ON = ["enter", "dwell", PICKUP_TRIGGER] as const;
export { isPickupOffer, PICKUP_TRIGGER };

/** Dwell before a `dwell` trigger fires when the offer does not say. */
export const DEFAULT_TRIGGER_DWELL_SECONDS = 120;

/**
 * Freshness limit bounds of a trigger event, in minutes (the default lives with the decision,
 * `DEFAULT_FRESHNESS_MINUTES`): an incentive for an event older than this is suppressed.
 */
export const FRESHNESS_MINUTES_BOUNDS = { min: 1, max: 1_440 } as const;

const radiusError = `the radius must be between ${TRIGGER_RADIUS_BOUNDS.minRadiusM} and ${TRIGGER_RADIUS_BOUNDS.maxRadiusM} m`;

/** A circle around each listed store's location. */
export const storeRadiusSchema = z
  .object({
    type: z.literal("StoreRadius"),
    radiusM: z
      .number({ error: "must be a finite number" })
      .min(TRIGGER_RADIUS_BOUNDS.minRadiusM, { error: radiusError })
      .max(TRIGGER_RADIUS_BOUNDS.maxRadiusM, { error: radiusError })
      .describe("Radius in metres around each listed store's location"),
  })
  .describe("A circle of radiusM around each listed store");

/** Where the offer triggers: around each store, or one explicit area (a mall, a competitor). */
export const triggerZoneSchema = z
  .discriminatedUnion(
    "type",
    [storeRadiusSchema, circleSchema(TRIGGER_RADIUS_BOUNDS), polygonSchema, multiPolygonSchema],
    {
      error: (iss) =>
        iss.code === "invalid_union"
          ? "type must be StoreRadius, Circle, Polygon or MultiPolygon"
          : undefined,
    },
  )
  .describe(
    "StoreRadius (50 m – 50 km around each listed store) or an explicit Circle (50 m – 50 km), " +
      "Polygon or MultiPolygon used for every listed store",
  );

export type TriggerZone = z.output<typeof triggerZoneSchema>;

const segmentSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, "letters, digits, _ . : - only");

/**
 * `validFrom` / `validTo`: an RFC 3339 instant with offset, or a date read in each store's zone
 * (validFrom: 00:00 that day; validTo: the whole day included, up to 00:00 the next day).
 */
const validityBound = (edge: "from" | "to") =>
  z
    .union([z.iso.datetime({ offset: true }), z.iso.date()], {
      error:
        edge === "from"
          ? 'must be an RFC 3339 date-time with offset, e.g. "2026-11-01T09:00:00+01:00", or a ' +
            'date, e.g. "2026-11-01" (from 00:00 that day in each store\'s time zone)'
          : 'must be an RFC 3339 date-time with offset, e.g. "2026-11-30T21:00:00+01:00", or a ' +
            'date, e.g. "2026-11-30" (that whole day included, in each store\'s time zone)',
    })
    .describe(
      edge === "from"
        ? "ISO 8601 instant with offset, inclusive; or a date YYYY-MM-DD = 00:00 that day in each store's zone"
        : "ISO 8601 instant with offset, exclusive; or a date YYYY-MM-DD = that whole day included (ends 00:00 the next day in each store's zone)",
    );

const count = (max: number) => z.number().int().min(1).max(max);

const UNSAFE_LINK = /^(?:javascript|data|file|vbscript):/i;

/** Message variants per offer (A/B/n tests of the push text). */
export const MAX_MESSAGE_VARIANTS = 10;

/**
 * The text of a push notification, as the offer's `message` and each A/B variant carry it:
 * title (1–80 characters), body (1–500, line breaks allowed) and an optional absolute URL or app
 * deep link (at most 2,048 characters, no script or data schemes).
 */
const pushMessageShape = {
  title: displayText({ min: 1, max: 80 }),
  body: displayText({ min: 1, max: 500, multiline: true }),
  deepLink: z
    .url("must be an absolute URL or app link")
    .max(2_048)
    .refine((u) => !UNSAFE_LINK.test(u), "this URL scheme is not allowed")
    .optional(),
};

export const offerInputSchema = z
  .strictObject({
    name: displayText({ min: 1, max: 120 }).describe("Internal name of the offer"),
    storeIds: z
      .array(storeIdSchema)
      .min(1, "must list at least one store")
      .max(MAX_STORES_PER_OFFER, `must list at most ${MAX_STORES_PER_OFFER} stores`)
      .superRefine((ids, ctx) => {
        const seen = new Set<string>();
        ids.forEach((id, i) => {
          if (seen.has(id)) ctx.addIssue({ code: "custom", message: "is listed twice", path: [i] });
          seen.add(id);
        });
      })
      .describe("The merchant's stores the offer is for (one trigger zone each)"),
    triggerZone: triggerZoneSchema
      .optional()
      .describe(
        'Where the offer triggers (required for on "enter" and "dwell"; omitted for "pickup_arrived", which fires on arrival at the store\'s footprint)',
      ),
    trigger: z
      .strictObject({
        on: z
          .enum(TRIGGER_ON)
          .describe(
            'Fire on entering the trigger zone, after dwelling in it, or ("pickup_arrived") when a shopper\'s active pickup order arrives at one of the stores: an in-store cross-sell, decided once per pickup order',
          ),
        dwellSeconds: z
          .number()
          .int()
          .min(30)
          .max(3_600)
          .optional()
          .describe(
            `Seconds inside before a dwell fires (default ${DEFAULT_TRIGGER_DWELL_SECONDS})`,
          ),
        freshnessMinutes: z
          .number()
          .int()
          .min(FRESHNESS_MINUTES_BOUNDS.min)
          .max(FRESHNESS_MINUTES_BOUNDS.max)
          .optional()
          .describe(
            `Freshness limit: an incentive is decided only for a trigger event younger than this many minutes when it reaches the server (default ${DEFAULT_FRESHNESS_MINUTES}); older events are logged as suppressed (stale_event)`,
          ),
      })
      .superRefine((t, ctx) => {
        if (t.on !== "dwell" && t.dwellSeconds !== undefined) {
          ctx.addIssue({
            code: "custom",
            message: 'only applies when on is "dwell"',
            path: ["dwellSeconds"],
          });
        }
      }),
    message: z
      .strictObject(pushMessageShape)
      .describe("The push notification shown to the shopper"),
    variants: z
      .array(z.strictObject({ variantId: variantIdSchema, ...pushMessageShape }))
      .min(1, "must list at least one variant (omit the member for the message alone)")
      .max(MAX_MESSAGE_VARIANTS, `must list at most ${MAX_MESSAGE_VARIANTS} variants`)
      .superRefine((vs, ctx) => {
        const seen = new Set<string>();
        vs.forEach((v, i) => {
          if (seen.has(v.variantId))
            ctx.addIssue({ code: "custom", message: "is listed twice", path: [i, "variantId"] });
          seen.add(v.variantId);
        });
      })
      .optional()
      .describe(
        "Message variants of geofence sends: each person gets one (stable per person, uniform), replacing message; reports compare them",
      ),
    validFrom: validityBound("from"),
    validTo: validityBound("to"),
    schedule: weeklyScheduleSchema
      .optional()
      .describe("Weekly windows in each store's local time; omit for any time"),
    caps: z
      .strictObject({
        perDevicePerDay: count(100).optional(),
        perDeviceTotal: count(1_000_000).optional(),
        cooldownMinutes: z.number().int().min(0).max(525_600).optional(),
      })
      .superRefine((c, ctx) => {
        if (
          c.perDevicePerDay !== undefined &&
          c.perDeviceTotal !== undefined &&
          c.perDevicePerDay > c.perDeviceTotal
        ) {
          ctx.addIssue({
            code: "custom",
            message: "must not exceed perDeviceTotal",
            path: ["perDevicePerDay"],
          });
        }
      })
      .default({})
      .describe("Per-device frequency caps"),
    budget: z
      .strictObject({ maxIncentives: count(1_000_000_000).optional() })
      .optional()
      .describe("Global budget: incentives actually sent (holdouts excluded)"),
    segments: z
      .array(segmentSchema)
      .max(50)
      .optional()
      .describe(
        "Devices need one of these segments, set by the app's backend or a merchant audience; omit for everyone",
      ),
    audience: z
      .strictObject({
        stages: z
          .array(z.enum(TARGET_STAGES))
          .min(1)
          .max(TARGET_STAGES.length)
          .describe(
            "Journey stages at this merchant the person must be in: prospect (no visit kept), new, returning, regular, lapsed",
          ),
      })
      .optional()
      .describe(
        "Journey targeting: the stage is computed from the visit history the service keeps, never taken from the device",
      ),
    allowSelfDeclaredSegments: z
      .boolean()
      .optional()
      .describe("Also trust segments a device declares about itself (default false)"),
    requireAttestation: z
      .boolean()
      .optional()
      .describe("Only devices with a verified platform attestation qualify (default false)"),
    holdoutPercent: holdoutPercentSchema.describe(
      "Share of eligible devices deliberately not sent anything, to measure lift (0–50)",
    ),
    attributionWindowHours: z
      .number()
      .int()
      .min(1)
      .max(720)
      .describe("A visit within this many hours after a send or holdout is attributed"),
    redemption: z
      .strictObject({
        codeKind: z.enum(["unique", "static"]),
        staticCode: z
          .string()
          .trim()
          .regex(/^[A-Z0-9-]{4,32}$/, "4–32 upper-case letters, digits or dashes")
          .optional(),
        expiresAfterHours: z.number().int().min(1).max(8_760),
        maxRedemptions: count(1_000_000_000)
          .optional()
          .describe("Static codes: most redemptions across all tills (exact); omit for no cap"),
        onlyWithinSchedule: z
          .boolean()
          .optional()
          .describe("Static codes: accept the code only inside the offer's weekly schedule"),
      })
      .superRefine((r, ctx) => {
        if (r.codeKind === "unique") {
          for (const field of ["maxRedemptions", "onlyWithinSchedule"] as const) {
            if (r[field] !== undefined) {
              ctx.addIssue({
                code: "custom",
                message: 'only applies when codeKind is "static"',
                path: [field],
              });
            }
          }
        }
        if (r.codeKind === "static" && r.staticCode === undefined) {
          ctx.addIssue({
            code: "custom",
            message: 'is required when codeKind is "static"',
            path: ["staticCode"],
          });
        }
        if (r.codeKind === "unique" && r.staticCode !== undefined) {
          ctx.addIssue({
            code: "custom",
            message: 'only applies when codeKind is "static"',
            path: ["staticCode"],
          });
        }
      })
      .describe("How shoppers redeem: a unique code per incentive, or one static code"),
    priority: z
      .number()
      .int()
      .min(-1_000)
      .max(1_000)
      .default(0)
      .describe("Higher wins when several offers are eligible at once"),
    quietHours: quietHoursSettingSchema
      .optional()
      .describe(
        "This offer's quiet hours on the device's clock, or \"none\"; omit for the merchant default",
      ),
    currency: currencySchema
      .optional()
      .describe("ISO 4217 currency of costPerSend and incentiveValue"),
    costPerSend: amountSchema
      .optional()
      .describe('What one incentive sent costs (messaging, media), e.g. "0.05"; needs currency'),
    incentiveValue: amountSchema
      .optional()
      .describe(
        'What one redeemed incentive gives away (discount, gift), e.g. "2.50"; needs currency',
      ),
  })
  .superRefine((o, ctx) => {
    if (o.trigger.on === PICKUP_TRIGGER && o.triggerZone !== undefined) {
      ctx.addIssue({
        code: "custom",
        message: `must be omitted when trigger.on is "${PICKUP_TRIGGER}" (it fires on arrival at the store)`,
        path: ["triggerZone"],
      });
    }
    if (o.trigger.on !== PICKUP_TRIGGER && o.triggerZone === undefined) {
      ctx.addIssue({ code: "custom", message: "is required", path: ["triggerZone"] });
    }
    checkOfferMoney(o, (path, message) => ctx.addIssue({ code: "custom", message, path: [path] }));
    for (const field of ["validFrom", "validTo"] as const) {
      const at = Date.parse(o[field]);
      if (!(at >= OFFER_INSTANT_RANGE.min && at < OFFER_INSTANT_RANGE.max)) {
        ctx.addIssue({ code: "custom", message: OFFER_INSTANT_RANGE.message, path: [field] });
      }
    }
    if (!validityCanBeNonEmpty(o.validFrom, o.validTo)) {
      ctx.addIssue({ code: "custom", message: "must be after validFrom", path: ["validTo"] });
    }
  })
  .describe("An offer: where and when it triggers, what it says, and its limits");

export type OfferInput = z.output<typeof offerInputSchema>;

/** An offer as kept in the catalog. */
export interface Offer extends Versioned {
  merchantId: string;
  offerId: string;
  status: OfferStatus;
  name: string;
  storeIds: string[];
  /** Explicit geometries are normalised to RFC 7946; absent on `pickup_arrived` offers. */
  triggerZone?: TriggerZone | undefined;
  trigger: {
    on: (typeof TRIGGER_ON)[number];
    dwellSeconds?: number | undefined;
    freshnessMinutes?: number | undefined;
  };
  message: { title: string; body: string; deepLink?: string | undefined };
  /** Message variants of geofence sends (one per person); absent = `message` for everyone. */
  variants?: MessageVariant[] | undefined;
  /** UTC ISO instant, or a date "YYYY-MM-DD" read in each store's zone (see validity.ts). */
  validFrom: string;
  /** UTC ISO instant (exclusive), or a date "YYYY-MM-DD" whose whole day is included. */
  validTo: string;
  schedule?: WeeklySchedule | undefined;
  caps: { perDevicePerDay?: number; perDeviceTotal?: number; cooldownMinutes?: number };
  budget?: { maxIncentives?: number | undefined } | undefined;
  segments?: string[] | undefined;
  /** Journey stages targeted (see domain/journey); absent = every stage. */
  audience?: { stages: TargetStage[] } | undefined;
  allowSelfDeclaredSegments?: boolean | undefined;
  requireAttestation?: boolean | undefined;
  holdoutPercent: number;
  attributionWindowHours: number;
  redemption: {
    codeKind: "unique" | "static";
    staticCode?: string | undefined;
    expiresAfterHours: number;
    maxRedemptions?: number | undefined;
    onlyWithinSchedule?: boolean | undefined;
  };
  priority: number;
  /** Override of the merchant's quiet hours ("none" = never quiet); absent = merchant default. */
  quietHours?: QuietHoursSetting | undefined;
  /** ISO 4217 code of the money fields; absent when the offer states no costs. */
  currency?: string | undefined;
  /** Cost of one send, decimal string in major units of `currency`. */
  costPerSend?: string | undefined;
  /** Value of one redeemed incentive, decimal string in major units of `currency`. */
  incentiveValue?: string | undefined;
  /** StoreRadius radius, or the equal-area radius of the explicit zone (decision tie-break). */
  triggerRadiusM: number;
  /** H3 cells indexing the offer's trigger zones while it is active (0 when paused). */
  zoneCells: number;
}

export interface OfferFacts {
  merchantId: string;
  offerId: string;
  input: OfferInput;
  nowIso: string;
  status: OfferStatus;
  previous?: Offer | undefined;
}

/** The radius the decision prefers smaller of: how specific the trigger zone is. */
export function triggerRadiusOf(zone: TriggerZone | undefined): number {
  if (zone === undefined) return 0;
  return zone.type === "StoreRadius" ? zone.radiusM : compileZone(zone).characteristicRadiusM;
}

/** Instants are kept as UTC ISO strings; a date-only bound is kept as the date it names. */
function normalizeBound(value: string): string {
  return isLocalDate(value) ? value : new Date(Date.parse(value)).toISOString();
}

/** Builds the stored offer from validated input (normalised zone). `zoneCells` is set later. */
export function buildOffer(facts: OfferFacts): Offer {
  const { input, previous } = facts;
  const triggerZone: TriggerZone | undefined =
    input.triggerZone === undefined
      ? undefined
      : input.triggerZone.type === "StoreRadius"
        ? { type: "StoreRadius", radiusM: input.triggerZone.radiusM }
        : (normalizeAt(input.triggerZone as ZoneGeometry, "triggerZone") as TriggerZone);
  return {
    merchantId: facts.merchantId,
    offerId: facts.offerId,
    status: facts.status,
    name: input.name,
    storeIds: [...input.storeIds],
    ...(triggerZone ? { triggerZone } : {}),
    trigger: input.trigger,
    message: input.message,
    ...(input.variants ? { variants: input.variants } : {}),
    validFrom: normalizeBound(input.validFrom),
    validTo: normalizeBound(input.validTo),
    schedule: input.schedule,
    caps: input.caps,
    budget: input.budget,
    segments: input.segments ? [...new Set(input.segments)] : undefined,
    ...(input.audience ? { audience: { stages: [...new Set(input.audience.stages)] } } : {}),
    allowSelfDeclaredSegments: input.allowSelfDeclaredSegments,
    requireAttestation: input.requireAttestation,
    holdoutPercent: input.holdoutPercent,
    attributionWindowHours: input.attributionWindowHours,
    redemption: input.redemption,
    priority: input.priority,
    ...(input.quietHours !== undefined ? { quietHours: input.quietHours } : {}),
    currency: input.currency,
    costPerSend: input.costPerSend,
    incentiveValue: input.incentiveValue,
    triggerRadiusM: triggerRadiusOf(triggerZone),
    zoneCells: 0,
    version: (previous?.version ?? 0) + 1,
    createdAt: previous?.createdAt ?? facts.nowIso,
    updatedAt: facts.nowIso,
  };
}

/** The fields of `OfferInput`, in the order the input schema declares them. */
type OfferInputField = keyof typeof offerInputSchema.shape;
const OFFER_INPUT_FIELDS = Object.keys(offerInputSchema.shape) as OfferInputField[];

/**
 * Every input field of the offer, as kept (a field the offer lacks is present, `undefined`), in
 * the input schema's order.
 */
function inputFieldsOf(offer: Offer): Pick<Offer, OfferInputField> {
  const fields: Partial<Pick<Offer, OfferInputField>> = {};
  for (const key of OFFER_INPUT_FIELDS) Object.assign(fields, { [key]: offer[key] });
  return fields as Pick<Offer, OfferInputField>;
}

/**
 * The offer as an `OfferInput` (every input field it keeps): what a client would PUT to keep it
 * as it is, and the document a JSON Merge Patch applies to.
 */
export function offerInputOf(offer: Offer): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(inputFieldsOf(offer)).filter(([, value]) => value !== undefined),
  );
}

/**
 * The offer as the API returns it: its id and status, every input field (the two attestation
 * switches default to false on offers written before they existed), how many zones and H3 cells
 * it has in the index, and its version and timestamps.
 */
export function offerView(offer: Offer) {
  return {
    offerId: offer.offerId,
    status: offer.status,
    ...inputFieldsOf(offer),
    allowSelfDeclaredSegments: offer.allowSelfDeclaredSegments ?? false,
    requireAttestation: offer.requireAttestation ?? false,
    zoneCount: offer.status === "active" && !isPickupOffer(offer) ? offer.storeIds.length : 0,
    zoneCells: offer.zoneCells,
    version: offer.version,
    createdAt: offer.createdAt,
    updatedAt: offer.updatedAt,
  };
}

export type OfferView = ReturnType<typeof offerView>;

export { toDecisionOffer } from "./decision-view.ts";
