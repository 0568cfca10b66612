import { Match } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { resources, type Synthesized, synthFootfall } from "./synth.ts";

let s: Synthesized;

beforeAll(() => {
  s = synthFootfall();
});

describe("dashboard deployment", () => {
  it("routes /dashboard and /dashboard/{proxy+} to the dashboard function without auth", () => {
    for (const key of ["GET /dashboard", "GET /dashboard/{proxy+}"]) {
      s.serviceTemplate.hasResourceProperties("AWS::ApiGatewayV2::Route", {
        RouteKey: key,
        AuthorizationType: "NONE",
      });
    }
    s.serviceTemplate.hasResourceProperties("AWS::Lambda::Function", {
      FunctionName: Match.stringLikeRegexp("-dashboard$"),
      Environment: {
        Variables: Match.objectLike({
          COGNITO_DOMAIN: Match.anyValue(),
          COGNITO_CLIENT_ID: Match.anyValue(),
        }),
      },
    });
  });

  it("signs in with the Cognito hosted UI: a domain, and a public code-flow client whose ID tokens the API accepts", () => {
    s.dataTemplate.resourceCountIs("AWS::Cognito::UserPoolDomain", 1);
    s.serviceTemplate.hasResourceProperties("AWS::Cognito::UserPoolClient", {
      GenerateSecret: false,
      AllowedOAuthFlows: ["code"],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: Match.arrayWith(["openid"]),
      SupportedIdentityProviders: ["COGNITO"],
      CallbackURLs: [Match.anyValue()],
    });
    const client = Object.entries(resources(s.serviceTemplate)).find(
      ([, r]) => r.Type === "AWS::Cognito::UserPoolClient",
    )?.[0];
    const authorizer = Object.values(resources(s.serviceTemplate)).find(
      (r) => r.Type === "AWS::ApiGatewayV2::Authorizer" && r.Properties?.AuthorizerType === "JWT",
    );
    expect(
      JSON.stringify(
        (authorizer?.Properties?.JwtConfiguration as { Audience?: unknown } | undefined)?.Audience,
      ),
    ).toContain(String(client));
    const callback = JSON.stringify(
      Object.values(resources(s.serviceTemplate)).find(
        (r) => r.Type === "AWS::Cognito::UserPoolClient",
      )?.Properties?.CallbackURLs,
    );
    expect(callback).toContain("/dashboard");
  });
});
