/** Port: LinkStore (implemented by shared/adapters/dynamo/link-store.ts). */
import type { Link } from "../../domain/o2o/link.ts";

/** Port: claim links of offers (catalog table), and their lookup by token. */
export interface LinkStore {
  /** Stores a new link and its token lookup together; false if the id or token exists. */
  create(link: Link): Promise<boolean>;
  list(merchantId: string, offerId: string): Promise<Link[]>;
  get(merchantId: string, offerId: string, linkId: string): Promise<Link | undefined>;
  /** Replaces the link (and its lookup copy) if it is still at `expectedVersion`. */
  replace(link: Link, expectedVersion: number): Promise<boolean>;
  /** The link a token belongs to (one consistent read of the lookup item), or undefined. */
  findByToken(token: string): Promise<Link | undefined>;
}
