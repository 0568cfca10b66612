/**
 * Routes a merchant's back-end calls about its audiences: trusted segment memberships for the
 * merchant's own offers.
 */
import * as z from "zod";
import {
  AUDIENCE_WRITE_ROLES,
  audienceNameSchema,
  audienceUploadResultSchema,
  audienceUploadSchema,
  MAX_AUDIENCE_UPLOAD_BYTES,
} from "../../domain/audience.ts";
import { defineRoute } from "../route-contract.ts";
import { problems, WRITE_PROBLEMS } from "./common.ts";

export const uploadAudienceMembersRoute = defineRoute({
  method: "POST",
  path: "/v1/audiences/{audience}/members",
  fn: "audience-members",
  auth: "jwt",
  roles: AUDIENCE_WRITE_ROLES,
  rateLimit: 10,
  operationId: "uploadAudienceMembers",
  tag: "audiences",
  summary: "Add or remove members of one of the merchant's audiences",
  description:
    "Trusted segment memberships for the merchant's own offers: an offer targeting " +
    "`segments: [audience]` reaches the people (the app's user ids, as its backend asserts " +
    "them) and devices uploaded here. User ids are pseudonymized on arrival and never stored. " +
    "Up to 1,000 members per call (256 KB); `add` refreshes the expiry (default 90 days).",
  bodyLimit: MAX_AUDIENCE_UPLOAD_BYTES,
  request: {
    path: z.object({
      audience: audienceNameSchema.describe("The audience: the segment name offers target"),
    }),
    body: audienceUploadSchema,
  },
  responses: {
    200: { description: "Written", schema: audienceUploadResultSchema },
    ...problems(...WRITE_PROBLEMS, 503),
  },
});
