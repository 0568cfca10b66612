/**
 * RFC 4180 CSV fields and records, as every CSV report writes them. Pure.
 */

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One RFC 4180 field: quoted when it holds a comma, a double quote or a line break, with inner
 * quotes doubled; null and undefined are empty fields.
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One RFC 4180 record, CRLF-terminated. */
export function csvLine(values: readonly (string | number | null | undefined)[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}
