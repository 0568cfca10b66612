/**
 * Money on offers and in reports. Amounts cross the API as decimal strings in the currency's
 * major unit ("0.05", "2.50", "1200" for JPY) and are kept and summed as integers in its minor
 * unit (cents), so no sum ever picks up a binary rounding error. A currency is an ISO 4217 code
 * the runtime knows (`Intl.supportedValuesOf("currency")`); its minor-unit digits are those of
 * `Intl.NumberFormat` (2 for EUR and USD, 0 for JPY, 3 for KWD).
 */
import * as z from "zod";

/** ISO 4217 codes the runtime knows. */
const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf("currency"));

/** Largest amount accepted anywhere, in major units (one billion). */
export const MAX_MAJOR_AMOUNT = 1_000_000_000;

/** Digits after the decimal point of a currency's minor unit (ISO 4217 exponent). */
export function minorDigits(currency: string): number {
  return (
    new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
      .maximumFractionDigits ?? 2
  );
}

/** `EUR`, `USD`, `JPY`…: three upper-case letters the runtime knows as a currency. */
export const currencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, { error: "must be an ISO 4217 code such as EUR", abort: true })
  .refine((c) => CURRENCIES.has(c), "is not an ISO 4217 currency code")
  .describe("ISO 4217 currency code, e.g. EUR");

const DECIMAL = /^(0|[1-9]\d{0,9})(\.\d{1,3})?$/;

/** A non-negative decimal string in major units ("0.05"); digits are checked against a currency. */
export const amountSchema = z
  .string()
  .regex(DECIMAL, { error: 'must be a non-negative decimal string such as "2.50"', abort: true })
  .refine((s) => Number(s) <= MAX_MAJOR_AMOUNT, `must be at most ${MAX_MAJOR_AMOUNT}`)
  .describe('Decimal string in the currency\'s major unit, e.g. "2.50"');

/**
 * The amount in minor units, or undefined when it has more decimals than the currency allows
 * ("0.005" EUR, "1.5" JPY).
 */
export function toMinor(amount: string, currency: string): number | undefined {
  const digits = minorDigits(currency);
  const [whole = "0", fraction = ""] = amount.split(".");
  if (fraction.length > digits) return undefined;
  return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
}

/**
 * Minor units as a decimal string in major units, rounded half away from zero to the minor
 * unit when `minor` is not an integer (a cost per visit: 1234.5 cents → "12.35").
 */
export function formatMinor(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  const rounded = Math.sign(minor) * Math.round(Math.abs(minor));
  const sign = rounded < 0 ? "-" : "";
  const abs = Math.abs(rounded);
  if (digits === 0) return `${sign}${abs}`;
  const scale = 10 ** digits;
  const whole = Math.floor(abs / scale);
  const fraction = String(abs % scale).padStart(digits, "0");
  return `${sign}${whole}.${fraction}`;
}

/** An offer's costs: what one send costs and what one redeemed incentive is worth. */
export interface OfferCosts {
  currency: string;
  /** Minor units per incentive sent (messaging, media); 0 when not given. */
  costPerSendMinor: number;
  /** Minor units per redemption (the discount or gift given); 0 when not given. */
  incentiveValueMinor: number;
}

/** The money fields of an offer as stored (the decimal strings as given). */
export interface OfferMoney {
  currency?: string | undefined;
  costPerSend?: string | undefined;
  incentiveValue?: string | undefined;
}

/** The costs of an offer in minor units, or null when it names no currency. */
export function offerCosts(money: OfferMoney): OfferCosts | null {
  const { currency } = money;
  if (currency === undefined) return null;
  return {
    currency,
    costPerSendMinor: money.costPerSend ? (toMinor(money.costPerSend, currency) ?? 0) : 0,
    incentiveValueMinor: money.incentiveValue ? (toMinor(money.incentiveValue, currency) ?? 0) : 0,
  };
}

/**
 * Cross-field rules of the money fields: amounts need a currency, and no more decimals than it
 * has. Issues name the field (`costPerSend`), to be reported by the schema that embeds them.
 */
export function checkOfferMoney(money: OfferMoney, addIssue: (path: string, msg: string) => void) {
  for (const field of ["costPerSend", "incentiveValue"] as const) {
    const amount = money[field];
    if (amount === undefined) continue;
    if (money.currency === undefined) {
      addIssue(field, "needs currency");
    } else if (toMinor(amount, money.currency) === undefined) {
      addIssue(
        field,
        `has more decimals than ${money.currency} allows (${minorDigits(money.currency)})`,
      );
    }
  }
}

/** A basket amount at redemption: what the shopper paid, in the offer's currency. */
export const basketSchema = z
  .strictObject({
    amount: amountSchema,
    currency: currencySchema,
  })
  .refine((b) => toMinor(b.amount, b.currency) !== undefined, {
    message: "has more decimals than the currency allows",
    path: ["amount"],
  })
  .describe("Basket total paid at the till (optional): used for incremental revenue");
export type Basket = z.output<typeof basketSchema>;
