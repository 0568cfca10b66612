import { json } from "../shared/http/middleware.ts";
import { parseWith } from "../shared/http/parse.ts";
import { routeHandler, routePrincipal } from "../shared/http/route-handler.ts";
import { uploadAudienceMembersRoute } from "../shared/http/routes/audiences.ts";
import { uploadAudienceMembers } from "../shared/use-cases/audiences.ts";
import { audienceDepsFromEnv } from "../shared/wiring/audience-deps.ts";

const deps = audienceDepsFromEnv();
const route = uploadAudienceMembersRoute;

/**
 * POST /v1/audiences/{audience}/members — a merchant admin adds (refreshes) or removes members of
 * one of its audiences, by the app's user ids or by device ids; at most 1,000 per call, 256 KB.
 */
export const handler = routeHandler(route, async (event) => {
  const principal = routePrincipal(route, event);
  const input = parseWith(route.request.body, event.parsedBody);
  const audience = event.pathParameters?.audience ?? "";
  return json(200, await uploadAudienceMembers(deps, principal, audience, input));
});
