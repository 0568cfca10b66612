/** Counter bumps (funnel and touch counters) merged before they are written. Pure. */

/**
 * Merges bumps of the same counters (same `keyOf`) so one transaction never touches an item
 * twice: their fields (counter name → amount) add up. Order of first appearance is kept.
 */
export function mergeBumpsBy<B extends { fields: Record<string, number> }>(
  bumps: readonly B[],
  keyOf: (bump: B) => string,
): B[] {
  const merged = new Map<string, B>();
  for (const b of bumps) {
    const key = keyOf(b);
    const existing = merged.get(key);
    if (!existing) merged.set(key, { ...b, fields: { ...b.fields } });
    else
      for (const [f, n] of Object.entries(b.fields))
        existing.fields[f] = (existing.fields[f] ?? 0) + n;
  }
  return [...merged.values()];
}
