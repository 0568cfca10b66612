/** IANA time zones the local-time tests read offers and schedules in. */
export const PARIS = "Europe/Paris";
export const BERLIN = "Europe/Berlin";
export const TOKYO = "Asia/Tokyo";
export const NY = "America/New_York";

/** An ISO 8601 instant in epoch milliseconds. */
export const ms = (iso: string): number => Date.parse(iso);
