import { createHmac, timingSafeEqual } from "node:crypto";
import { ValidationError } from "../errors.ts";

/** A DynamoDB `LastEvaluatedKey` with string attributes (the catalog's key shapes). */
export type PageKey = Record<string, string>;

/** Signs and verifies pagination cursors for one secret. */
export interface CursorCodec {
  /** Opaque cursor for `key`, bound to the merchant and the listing it came from. */
  encode(merchantId: string, scope: string, key: PageKey): string;
  /** The key inside a cursor this codec issued for the same merchant and listing, or 400. */
  decode(merchantId: string, scope: string, cursor: string): PageKey;
}

const VERSION = "1";
const MAX_CURSOR_LENGTH = 2048;

function invalid(): ValidationError {
  return ValidationError.field("cursor", "is not a cursor issued by this API for this listing");
}

function isPageKey(value: unknown): value is PageKey {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return entries.length > 0 && entries.every(([, v]) => typeof v === "string");
}

/**
 * Cursor codec keyed by CURSOR_SECRET. The cursor carries the raw `LastEvaluatedKey` (so pages
 * cost nothing to resume) plus an HMAC-SHA256 over the key, the merchant id and the listing, so a
 * caller can neither edit the key to walk into another tenant's partition nor replay a cursor
 * issued to another merchant or for another listing: all of these fail as a 400 naming `cursor`.
 */
export function cursorCodec(secret: string): CursorCodec {
  if (secret.length < 32) throw new Error("cursor secret must be at least 32 characters");
  const sign = (merchantId: string, scope: string, payload: string) =>
    createHmac("sha256", secret)
      .update(`${VERSION}\n${merchantId}\n${scope}\n${payload}`, "utf8")
      .digest();
  return {
    encode(merchantId, scope, key) {
      const payload = Buffer.from(JSON.stringify(key), "utf8").toString("base64url");
      const mac = sign(merchantId, scope, payload).toString("base64url");
      return `${VERSION}.${payload}.${mac}`;
    },
    decode(merchantId, scope, cursor) {
      if (cursor.length > MAX_CURSOR_LENGTH) throw invalid();
      const [version, payload, mac, ...rest] = cursor.split(".");
      if (version !== VERSION || !payload || !mac || rest.length > 0) throw invalid();
      // Compared as text, so even the unused low bits of the last base64 character count.
      const expected = Buffer.from(sign(merchantId, scope, payload).toString("base64url"));
      const given = Buffer.from(mac);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
      let key: unknown;
      try {
        key = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
      } catch {
        throw invalid();
      }
      if (!isPageKey(key)) throw invalid();
      return key;
    },
  };
}

/**
 * A cursor codec that follows a rotating CURSOR_SECRET: `secret` is read at each use (see
 * shared/config/load-secrets.ts) and the codec is rebuilt when it changed. Cursors signed with
 * the previous secret are refused (400 naming `cursor`); clients restart the listing.
 */
export function rotatingCursorCodec(secret: () => string): CursorCodec {
  let current: { secret: string; codec: CursorCodec } | undefined;
  const codec = (): CursorCodec => {
    const value = secret();
    if (current?.secret !== value) current = { secret: value, codec: cursorCodec(value) };
    return current.codec;
  };
  codec();
  return {
    encode: (merchantId, scope, key) => codec().encode(merchantId, scope, key),
    decode: (merchantId, scope, cursor) => codec().decode(merchantId, scope, cursor),
  };
}
