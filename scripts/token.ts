import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ROLES, type Role } from "../shared/auth/principal.ts";
import { loadOrCreateDevKey, mintMerchantToken } from "./local/dev-jwt.ts";

/**
 * `npm run token -- --merchant M --role R [--subject S] [--ttl seconds]`: mints a local
 * merchant-side JWT. Without `--subject` each token is a new identity (as each Cognito user or
 * till login is), so redemption limits count each minted POS token separately.
 */
const { values } = parseArgs({
  options: {
    merchant: { type: "string", default: "m_demo" },
    role: { type: "string", default: "merchant-admin" },
    ttl: { type: "string", default: "43200" },
    subject: { type: "string" },
  },
});
if (!(ROLES as readonly string[]).includes(values.role)) {
  console.error(`--role must be one of ${ROLES.join(", ")}`);
  process.exit(2);
}
const key = await loadOrCreateDevKey(
  join(resolve(import.meta.dirname, ".."), ".footfall", "dev-jwt-key.json"),
);
console.log(
  await mintMerchantToken(key, {
    merchantId: values.merchant,
    role: values.role as Role,
    ttlSeconds: Number(values.ttl),
    ...(values.subject ? { subject: values.subject } : {}),
  }),
);
