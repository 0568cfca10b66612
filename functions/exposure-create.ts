import { deviceActionHandler } from "../shared/http/route-handler.ts";
import { exposeLink } from "../shared/use-cases/o2o/claims.ts";
import { claimDepsFromEnv } from "../shared/wiring/o2o-deps.ts";

const deps = claimDepsFromEnv();

/**
 * POST /v1/exposures — the app is about to show a link's in-app message `{token}`: answers
 * whether to show it (`treated`) or not (`held_out`, a ghost exposure of the control group).
 */
export const handler = deviceActionHandler(1024, (device, body) => exposeLink(deps, device, body));
