import { CfnOutput, Duration, Lazy, Stack, type StackProps } from "aws-cdk-lib";
import {
  ClientAttributes,
  OAuthScope,
  UserPoolClient,
  UserPoolClientIdentityProvider,
} from "aws-cdk-lib/aws-cognito";
import type { Construct } from "constructs";
import { TABLES, type TableId } from "../shared/tables.ts";
import type { InfraContext } from "./context.ts";
import { FootfallFunction } from "./footfall-function.ts";
import { type FunctionSpec, SECRET_ARN_ENV, type TableAccess } from "./function-specs.ts";
import { FootfallHttpApi } from "./http-api.ts";
import { Monitoring } from "./monitoring.ts";
import { pascalCase } from "./names.ts";
import { FALLBACK_FUNCTION, type RouteDefinition } from "./routes.ts";
import type { StatefulResources } from "./stateful-stack.ts";

/** Name of the function API Gateway calls to authorize `device` routes. */
export const DEVICE_AUTHORIZER_FUNCTION = "device-authorizer";

export interface StatelessStackProps extends StackProps {
  context: InfraContext;
  data: StatefulResources;
  specs: Record<string, FunctionSpec>;
  routes: RouteDefinition[];
}

/**
 * Functions, the HTTP API, alarms and the dashboard: everything that can be replaced freely. All
 * data comes in through `props.data`; every function is built from its spec, so its permissions
 * and environment are exactly what the spec says.
 */
export class StatelessStack extends Stack {
  readonly functions: Record<string, FootfallFunction> = {};
  readonly httpApi: FootfallHttpApi;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { context, data } = props;
    const platforms = [
      { envVar: "APNS_PLATFORM_APPLICATION_ARN", arn: context.apnsPlatformApplicationArn },
      { envVar: "FCM_PLATFORM_APPLICATION_ARN", arn: context.fcmPlatformApplicationArn },
    ].filter((p): p is { envVar: string; arn: string } => p.arn !== undefined);

    for (const [name, spec] of Object.entries(props.specs)) {
      const f = new FootfallFunction(this, pascalCase(name), {
        name,
        spec,
        stage: context.stage,
        logRetention: context.logRetention,
      });
      bindSpec(f, data, platforms);
      if (spec.routeCalculation && context.pickupRouteCalculator) {
        f.bindRouteCalculator(
          context.pickupRouteCalculator,
          this.formatArn({
            service: "geo",
            resource: "route-calculator",
            resourceName: context.pickupRouteCalculator,
          }),
        );
      }
      this.functions[name] = f;
    }

    // The marketing dashboard signs in with the hosted UI (authorization code + PKCE, public
    // client) and calls the API with the ID token: its client is one more JWT audience.
    const dashboardUrl = Lazy.string({
      produce: () => `${this.httpApi.api.apiEndpoint}/dashboard`,
    });
    const dashboardClient = new UserPoolClient(this, "DashboardClient", {
      userPool: data.userPool,
      userPoolClientName: `footfall-${context.stage}-dashboard`,
      generateSecret: false,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL],
        callbackUrls: [dashboardUrl],
        logoutUrls: [dashboardUrl],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(1),
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true })
        .withCustomAttributes("merchantId"),
      writeAttributes: new ClientAttributes(),
    });
    const dashboard = this.functions.dashboard;
    dashboard?.setEnv("COGNITO_DOMAIN", data.userPoolDomain.baseUrl());
    dashboard?.setEnv("COGNITO_CLIENT_ID", dashboardClient.userPoolClientId);

    this.httpApi = new FootfallHttpApi(this, "Http", {
      extraJwtAudiences: [dashboardClient.userPoolClientId],
      stage: context.stage,
      routes: props.routes,
      functions: this.functions,
      deviceAuthorizer: this.functions[DEVICE_AUTHORIZER_FUNCTION],
      fallback: this.functions[FALLBACK_FUNCTION],
      userPool: data.userPool,
      userPoolClient: data.userPoolClient,
      logRetention: context.logRetention,
    });

    this.monitoring = new Monitoring(this, "Monitoring", {
      stage: context.stage,
      functions: Object.values(this.functions),
      deadLetterQueues: data.deadLetterQueues,
      api: this.httpApi.api,
      incentiveTopic: data.incentiveTopic,
      platformApplicationArns: platforms.map((p) => p.arn),
      alarmEmail: context.alarmEmail,
    });

    new CfnOutput(this, "ApiUrlOutput", { key: "ApiUrl", value: this.httpApi.api.apiEndpoint });
    new CfnOutput(this, "DashboardUrlOutput", {
      key: "DashboardUrl",
      value: `${this.httpApi.api.apiEndpoint}/dashboard`,
    });
    new CfnOutput(this, "AlarmTopicArnOutput", {
      key: "AlarmTopicArn",
      value: this.monitoring.alarmTopic.topicArn,
    });
  }
}

/** Applies a function's spec: each resource it names is bound (env var + narrowest grant). */
function bindSpec(
  f: FootfallFunction,
  data: StatefulResources,
  platforms: { envVar: string; arn: string }[],
): void {
  const { spec, name } = f;
  for (const [tableId, access] of Object.entries(spec.access) as [TableId, TableAccess][]) {
    f.bindTable(data.tables[tableId], TABLES[tableId], access);
  }
  if (spec.publishesIncentives) {
    f.bindIncentivePublisher(data.incentiveTopic, data.incentiveTopicKey);
  } else if (spec.probesIncentiveTopic) {
    f.bindIncentiveTopicProbe(data.incentiveTopic);
  }
  for (const secretId of spec.secrets) {
    f.bindSecret(data.secrets[secretId], SECRET_ARN_ENV[secretId]);
  }
  if (spec.geocoding) {
    f.bindPlaceIndex(data.placeIndex.indexName, data.placeIndex.attrIndexArn);
  }
  if (spec.mobilePush && platforms.length > 0) f.bindMobilePush(platforms, spec.mobilePush);
  if (spec.trigger?.kind === "tableStream") {
    const dlq = data.deadLetterQueues[name];
    if (!dlq) throw new Error(`${name} consumes a stream but the data stack made no DLQ for it`);
    if (!TABLES[spec.trigger.table].stream) {
      throw new Error(`${name} consumes the ${spec.trigger.table} table, which has no stream`);
    }
    f.bindTableStream(data.tables[spec.trigger.table], spec.trigger, dlq);
  }
  if (spec.trigger?.kind === "schedule") {
    const dlq = data.deadLetterQueues[name];
    if (!dlq) throw new Error(`${name} runs on a schedule but the data stack made no DLQ for it`);
    f.bindSchedule(spec.trigger, dlq);
  }
}
