import { join } from "node:path";
import * as z from "zod";
import { readConfig } from "../shared/config/read-config.ts";
import { dashboardResponse, loadDashboardAssets } from "../shared/http/dashboard-assets.ts";
import { http, readHeader } from "../shared/http/middleware.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { lambdaHandler } from "../shared/lambda-handler.ts";

const config = readConfig(
  z.object({
    /** Where the built files are: beside the bundle in Lambda, `.build/dashboard` locally. */
    DASHBOARD_DIR: z.string().min(1).optional(),
    COGNITO_DOMAIN: z.url().optional(),
    COGNITO_CLIENT_ID: z.string().min(1).optional(),
  }),
  process.env,
);
const assets = loadDashboardAssets(config.DASHBOARD_DIR ?? join(import.meta.dirname, "dashboard"));
const signIn = {
  cognitoDomain: config.COGNITO_DOMAIN ?? null,
  clientId: config.COGNITO_CLIENT_ID ?? null,
};

/** GET /dashboard, /dashboard/, /dashboard/{asset} — the marketing dashboard's static files. */
export const handler = lambdaHandler<HttpEvent, HttpResult>()
  .use(http())
  .handler(async (event) =>
    dashboardResponse(assets, signIn, event.rawPath, readHeader(event, "if-none-match")),
  );
