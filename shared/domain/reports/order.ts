/** Code-point order, stable across locales (ids and ISO days sort as they read). */
export function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
