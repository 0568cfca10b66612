/** How figures read on the page: the same rounding everywhere, "n/a" for what is not reported. */

export const NA = "n/a";

/** A proportion as a percentage with one decimal: 0.2983 → "29.8 %". */
export function percent(x: number | null | undefined): string {
  return x == null ? NA : `${(x * 100).toFixed(1)} %`;
}

/** A difference of proportions in percentage points with a sign: 0.099 → "+9.9 pts". */
export function points(x: number | null | undefined): string {
  if (x == null) return NA;
  const v = x * 100;
  return `${v >= 0 ? "+" : "−"}${Math.abs(v).toFixed(1)} pts`;
}

/** An interval in points: "−2.3 to +22.2 pts". */
export function pointsInterval(ci: readonly [number, number] | null | undefined): string {
  if (!ci) return NA;
  return `${points(ci[0]).replace(" pts", "")} to ${points(ci[1])}`;
}

/** A count with thousands separators. */
export function count(n: number | null | undefined): string {
  return n == null ? NA : n.toLocaleString("en");
}

/** A decimal that may be negative, one decimal: -2 → "−2.0". */
export function decimal(x: number | null | undefined): string {
  return x == null ? NA : `${x < 0 ? "−" : ""}${Math.abs(x).toFixed(1)}`;
}

/** An amount as the API gives it (decimal string) with its currency: "EUR 38.20". */
export function money(amount: string | null | undefined, currency: string | null | undefined) {
  return amount == null || !currency ? NA : `${currency} ${amount}`;
}
