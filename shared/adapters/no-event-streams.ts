/**
 * What function bundles get for `@smithy/core/event-streams`: the SDK loads that module (about
 * 19 KB minified, its codec and serde) with a dynamic `import()` only when an operation has an
 * event-stream member (S3 SelectObjectContent, Bedrock, Transcribe streaming...). No function
 * calls such an operation, but esbuild bundles every dynamic import it can resolve, so bundles
 * alias the module to this one (infra/bundle-settings.ts). Should an event-stream operation
 * ever be called from a bundle, it fails loudly here instead of silently misbehaving; the local
 * runner and tests keep the SDK's own module.
 *
 * Same exports as `@smithy/core/event-streams` that the SDK's protocols import.
 */
const unsupported = (): never => {
  throw new Error(
    "Event-stream operations are not bundled (@smithy/core/event-streams is aliased away in " +
      "infra/bundle-settings.ts); remove the alias to call one.",
  );
};

/** Throws: event streams are not bundled. */
export const eventStreamSerdeProvider = unsupported;

/** Throws when constructed: event streams are not bundled. */
export class EventStreamSerde {
  constructor() {
    unsupported();
  }
}
