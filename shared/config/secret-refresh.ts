/**
 * What runs before every invocation to keep rotating secrets current. Kept apart from the
 * Secrets Manager code (shared/config/load-secrets.ts) so a function that reads no secret
 * bundles no Secrets Manager client: the loader registers itself here when a function imports it.
 */
const refreshers: (() => Promise<void>)[] = [];

/** Registers a refresh run before each invocation (shared/lambda-handler.ts). */
export function refreshBeforeEachInvocation(refresh: () => Promise<void>): void {
  refreshers.push(refresh);
}

/** Runs every registered refresh (none: resolves at once). */
export async function refreshSecrets(): Promise<void> {
  if (refreshers.length === 0) return;
  await Promise.all(refreshers.map((refresh) => refresh()));
}
