import type * as z from "zod";
import { type MerchantPrincipal, type Role, requireRole } from "../../auth/principal.ts";
import { isCatalogId, OFFER_ID_PREFIX } from "../../domain/catalog/common.ts";
import type { Offer } from "../../domain/catalog/offer.ts";
import {
  type Link,
  type LinkView,
  linkInputSchema,
  linkPatchSchema,
  linkView,
  MAX_LINKS_PER_OFFER,
  newLinkToken,
} from "../../domain/o2o/link.ts";
import { ConflictError, NotFoundError, ValidationError } from "../../errors.ts";
import { parseWith } from "../../http/parse.ts";
import type { Clock, Random } from "../../ports.ts";
import type { LinkStore } from "../ports/link-store.ts";

export interface LinkDeps {
  links: LinkStore;
  offers: { getOffer(merchantId: string, offerId: string): Promise<Offer | undefined> };
  clock: Clock;
  random: Random;
}

/** Who may create and change links (like offers), and who may read them. */
export const LINK_WRITE_ROLES: readonly Role[] = ["merchant-admin"];
export const LINK_READ_ROLES: readonly Role[] = ["merchant-admin", "marketing-analyst"];

const notFound = (what: "offerId" | "linkId") =>
  new NotFoundError(`${what}: ${what === "offerId" ? "offer" : "link"} not found`, {
    issues: [{ path: what, reason: "not found" }],
  });

/** The caller's offer, or 404 (another merchant's offer is not found either). */
async function ownOffer(deps: LinkDeps, merchantId: string, offerId: string | undefined) {
  if (offerId === undefined || !isCatalogId(OFFER_ID_PREFIX, offerId)) throw notFound("offerId");
  const offer = await deps.offers.getOffer(merchantId, offerId);
  if (!offer) throw notFound("offerId");
  return offer;
}

/**
 * What a link write starts from, checked in this order: the caller holds a link write role
 * (403), the body passes `schema` (422 naming the field), the offer is the caller's (404 naming
 * `offerId`).
 */
async function openLinkWrite<S extends z.ZodType>(
  deps: LinkDeps,
  principal: MerchantPrincipal,
  offerId: string | undefined,
  schema: S,
  body: unknown,
): Promise<{ input: z.output<S>; offer: Offer }> {
  requireRole(principal, LINK_WRITE_ROLES);
  const input = parseWith(schema, body);
  return { input, offer: await ownOffer(deps, principal.merchantId, offerId) };
}

/**
 * Creates a claim link for the caller's offer: channel, creative variant, optional expiry and
 * web claims; answers the link with its token (192 random bits). 404 for another merchant's
 * offer, 409 past `MAX_LINKS_PER_OFFER` links.
 * @throws ValidationError naming the field; NotFoundError; ConflictError.
 */
export async function createLink(
  deps: LinkDeps,
  principal: MerchantPrincipal,
  offerId: string | undefined,
  body: unknown,
): Promise<LinkView> {
  const { input, offer } = await openLinkWrite(deps, principal, offerId, linkInputSchema, body);
  const now = deps.clock.now();
  if (input.expiresAt !== undefined && Date.parse(input.expiresAt) <= now) {
    throw ValidationError.field("expiresAt", "must be in the future");
  }
  const existing = await deps.links.list(principal.merchantId, offer.offerId);
  if (existing.length >= MAX_LINKS_PER_OFFER) {
    throw new ConflictError(`An offer has at most ${MAX_LINKS_PER_OFFER} links.`, {
      issues: [{ path: "offerId", reason: `has ${MAX_LINKS_PER_OFFER} links already` }],
    });
  }
  const iso = new Date(now).toISOString();
  const link: Link = {
    merchantId: principal.merchantId,
    offerId: offer.offerId,
    linkId: deps.random.id("lk"),
    channel: input.channel,
    variant: input.variant,
    ...(input.label !== undefined ? { label: input.label } : {}),
    token: newLinkToken((n) => deps.random.bytes(n)),
    status: "active",
    ...(input.expiresAt !== undefined
      ? { expiresAt: new Date(Date.parse(input.expiresAt)).toISOString() }
      : {}),
    allowWebClaims: input.allowWebClaims ?? false,
    createdAt: iso,
    updatedAt: iso,
    version: 1,
  };
  if (!(await deps.links.create(link))) {
    throw new ConflictError("A link with this id or token exists; retry.");
  }
  return linkView(link, now);
}

/** Every link of the caller's offer, oldest first. 404 for another merchant's offer. */
export async function listLinks(
  deps: LinkDeps,
  principal: MerchantPrincipal,
  offerId: string | undefined,
): Promise<{ items: LinkView[] }> {
  requireRole(principal, LINK_READ_ROLES);
  const offer = await ownOffer(deps, principal.merchantId, offerId);
  const now = deps.clock.now();
  const links = await deps.links.list(principal.merchantId, offer.offerId);
  links.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  return { items: links.map((l) => linkView(l, now)) };
}

/**
 * Pauses, resumes, relabels or re-dates a link (`linkPatchSchema`). Another merchant's link (or
 * offer) is a 404; a concurrent change is a 409.
 */
export async function updateLink(
  deps: LinkDeps,
  principal: MerchantPrincipal,
  offerId: string | undefined,
  linkId: string | undefined,
  body: unknown,
): Promise<LinkView> {
  const { input: patch, offer } = await openLinkWrite(
    deps,
    principal,
    offerId,
    linkPatchSchema,
    body,
  );
  if (linkId === undefined || !/^lk_[A-Za-z0-9_-]{1,64}$/.test(linkId)) throw notFound("linkId");
  const link = await deps.links.get(principal.merchantId, offer.offerId, linkId);
  if (!link) throw notFound("linkId");
  const now = deps.clock.now();
  const next: Link = { ...link, updatedAt: new Date(now).toISOString(), version: link.version + 1 };
  if (patch.status !== undefined) next.status = patch.status;
  if (patch.label === null) delete next.label;
  else if (patch.label !== undefined) next.label = patch.label;
  if (patch.expiresAt === null) delete next.expiresAt;
  else if (patch.expiresAt !== undefined) {
    next.expiresAt = new Date(Date.parse(patch.expiresAt)).toISOString();
  }
  if (!(await deps.links.replace(next, link.version))) {
    throw new ConflictError("The link changed meanwhile; read it again.", {
      issues: [{ path: "linkId", reason: "changed concurrently" }],
    });
  }
  return linkView(next, now);
}
