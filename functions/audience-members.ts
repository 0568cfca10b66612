import middy from "@middy/core";
import { merchantPrincipal } from "../shared/auth/principal.ts";
import { audienceUploadSchema, MAX_AUDIENCE_UPLOAD_BYTES } from "../shared/domain/audience.ts";
import { http, json } from "../shared/http/middleware.ts";
import { parseWith } from "../shared/http/parse.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { uploadAudienceMembers } from "../shared/use-cases/audiences.ts";
import { audienceDepsFromEnv } from "../shared/wiring/audience-deps.ts";

const deps = audienceDepsFromEnv();

/**
 * POST /v1/audiences/{audience}/members — a merchant admin adds (refreshes) or removes members of
 * one of its audiences, by the app's user ids or by device ids; at most 1,000 per call, 256 KB.
 */
export const handler = middy<HttpEvent, HttpResult>()
  .use(http({ maxBodyBytes: MAX_AUDIENCE_UPLOAD_BYTES }))
  .handler(async (event) => {
    const principal = merchantPrincipal(event);
    const input = parseWith(audienceUploadSchema, event.parsedBody);
    const result = await uploadAudienceMembers(
      deps,
      principal,
      event.pathParameters?.audience ?? "",
      input,
    );
    return json(200, result);
  });
