import { Duration, RemovalPolicy } from "aws-cdk-lib";
import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";
import {
  type CfnStage,
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from "aws-cdk-lib/aws-apigatewayv2";
import {
  HttpJwtAuthorizer,
  HttpLambdaAuthorizer,
  HttpLambdaResponseType,
} from "aws-cdk-lib/aws-apigatewayv2-authorizers";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import type { IUserPoolClient, UserPool } from "aws-cdk-lib/aws-cognito";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import type { FootfallFunction } from "./footfall-function.ts";
import { acknowledge } from "./nag.ts";
import { pascalCase } from "./names.ts";
import { DEVICE_AUTHORIZER_CACHE, type RouteAuth, type RouteDefinition } from "./routes.ts";

/** Steady-state requests per second of routes that name no `rateLimit`. */
export const DEFAULT_ROUTE_RATE_LIMIT = 50;

/** Burst allowance: twice the steady rate, at least 10, so short spikes of retries pass. */
export function burstFor(rateLimit: number): number {
  return Math.max(10, Math.ceil(rateLimit * 2));
}

/** Seconds API Gateway caches a device authorizer decision per Authorization header. */
export const DEVICE_AUTHORIZER_CACHE_TTL_S = DEVICE_AUTHORIZER_CACHE.resultsCacheTtlS;

export interface FootfallHttpApiProps {
  stage: string;
  routes: RouteDefinition[];
  functions: Record<string, FootfallFunction>;
  deviceAuthorizer: FootfallFunction | undefined;
  /** Answers every request no route matches (the `$default` route), when given. */
  fallback?: FootfallFunction | undefined;
  userPool: UserPool;
  userPoolClient: IUserPoolClient;
  /** More app clients whose ID tokens merchant routes accept (the dashboard's). */
  extraJwtAudiences?: string[];
  logRetention: RetentionDays;
}

/** The API Gateway route key of a route, e.g. `POST /v1/devices`. */
export function routeKey(route: RouteDefinition): string {
  return `${route.method} ${route.path}`;
}

// Access log fields: request identity and outcome; no source IP, no bodies, no query strings.
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: "$context.requestId",
    requestTime: "$context.requestTimeEpoch",
    routeKey: "$context.routeKey",
    status: "$context.status",
    responseLength: "$context.responseLength",
    latencyMs: "$context.responseLatency",
    integrationLatencyMs: "$context.integrationLatency",
    integrationError: "$context.integrationErrorMessage",
    authorizerError: "$context.authorizer.error",
    protocol: "$context.protocol",
    userAgent: "$context.identity.userAgent",
  }),
);

/**
 * The HTTP API with every route of ROUTES, each behind the authorizer its `auth` names: Cognito JWT
 * for merchants, analysts and POS; the device Lambda authorizer for devices; none where the
 * function itself checks an app key or the route is public. No CORS: the callers are mobile apps
 * and servers, not browsers, so no preflight is answered.
 */
export class FootfallHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  readonly routes: Record<string, HttpRoute> = {};

  constructor(scope: Construct, id: string, props: FootfallHttpApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, "Api", {
      apiName: `footfall-${props.stage}`,
      description: "Footfall device, merchant, redemption and reporting API",
      createDefaultStage: false,
    });

    this.accessLogs = new LogGroup(this, "AccessLogs", {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, "DefaultStage", {
      httpApi: this.api,
      stageName: "$default",
      autoDeploy: true,
      throttle: {
        rateLimit: DEFAULT_ROUTE_RATE_LIMIT,
        burstLimit: burstFor(DEFAULT_ROUTE_RATE_LIMIT),
      },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: ACCESS_LOG_FORMAT,
      },
    });

    const authorizers = this.authorizers(props);
    const integrations = new Map<string, HttpLambdaIntegration>();
    const routeSettings: Record<
      string,
      { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }
    > = {};

    for (const route of props.routes) {
      const target = props.functions[route.fn];
      if (!target) {
        throw new Error(
          `Route ${routeKey(route)} names functions/${route.fn}.ts, which has no entry in FUNCTION_SPECS (infra/function-specs.ts)`,
        );
      }
      let integration = integrations.get(route.fn);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${pascalCase(route.fn)}Integration`, target.fn);
        integrations.set(route.fn, integration);
      }
      const authorizer = authorizers(route.auth, routeKey(route));
      const httpRoute = new HttpRoute(
        this,
        `Route${pascalCase(route.method)}${pascalCase(route.path) || "Root"}`,
        {
          httpApi: this.api,
          routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
          integration,
          ...(authorizer ? { authorizer } : {}),
        },
      );
      this.routes[routeKey(route)] = httpRoute;
      if (!authorizer) this.acknowledgeOpenRoute(httpRoute, route);
      if (route.rateLimit !== undefined) {
        routeSettings[routeKey(route)] = {
          ThrottlingRateLimit: route.rateLimit,
          ThrottlingBurstLimit: burstFor(route.rateLimit),
        };
      }
      // Route settings name route keys, which must exist before the stage is updated.
      this.stage.node.addDependency(httpRoute);
    }
    (this.stage.node.defaultChild as CfnStage).routeSettings = routeSettings;

    if (props.fallback) {
      // Without it API Gateway answers unknown routes with a bare {"message":"Not Found"}.
      const fallback = new HttpRoute(this, "RouteDefault", {
        httpApi: this.api,
        routeKey: HttpRouteKey.DEFAULT,
        integration: new HttpLambdaIntegration("RouteFallbackIntegration", props.fallback.fn),
      });
      acknowledge(fallback, {
        id: "AwsSolutions-APIG4",
        reason:
          "$default only answers requests no route matches with a problem+json 404 or 405; it reads and writes nothing and is throttled by the stage default.",
      });
      this.stage.node.addDependency(fallback);
    }
  }

  /** The authorizer for each kind of route auth (created once, shared by routes). */
  private authorizers(props: FootfallHttpApiProps) {
    let jwt: HttpJwtAuthorizer | undefined;
    let device: HttpLambdaAuthorizer | undefined;
    return (auth: RouteAuth, key: string): IHttpRouteAuthorizer | undefined => {
      switch (auth) {
        case "jwt":
          jwt ??= new HttpJwtAuthorizer(
            "MerchantJwtAuthorizer",
            props.userPool.userPoolProviderUrl,
            {
              authorizerName: "merchant-jwt",
              jwtAudience: [
                props.userPoolClient.userPoolClientId,
                ...(props.extraJwtAudiences ?? []),
              ],
              identitySource: ["$request.header.Authorization"],
            },
          );
          return jwt;
        case "device": {
          if (!props.deviceAuthorizer) {
            throw new Error(
              `Route ${key} needs the device authorizer (functions/device-authorizer.ts)`,
            );
          }
          device ??= new HttpLambdaAuthorizer("DeviceAuthorizer", props.deviceAuthorizer.fn, {
            authorizerName: "device-token",
            responseTypes: [HttpLambdaResponseType.SIMPLE],
            identitySource: [`$request.header.${DEVICE_AUTHORIZER_CACHE.identityHeader}`],
            resultsCacheTtl: Duration.seconds(DEVICE_AUTHORIZER_CACHE_TTL_S),
          });
          return device;
        }
        case "deviceByFunction":
        case "appKey":
        case "none":
          return undefined;
      }
    };
  }

  private acknowledgeOpenRoute(route: HttpRoute, def: RouteDefinition): void {
    const reason =
      def.auth === "appKey"
        ? `${routeKey(def)} is authenticated by the function itself with a hashed app key (HTTP APIs have no API-key authorizer); it is throttled per route.`
        : def.auth === "deviceByFunction"
          ? `${routeKey(def)} is authenticated by the function itself: it verifies the device token (HS256, the same keys as the device authorizer) before any read, and reads the device profile in the same DynamoDB request as the device's visit state; it is throttled per route.`
          : `${routeKey(def)} is public by design (no caller identity exists or is needed) and is throttled per route.`;
    acknowledge(route, { id: "AwsSolutions-APIG4", reason });
  }
}
