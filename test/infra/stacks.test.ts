import { readFileSync, rmSync } from "node:fs";
import { Match } from "aws-cdk-lib/assertions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { platformEndpointsArn } from "../../infra/footfall-function.ts";
import {
  FUNCTION_SPECS,
  type FunctionSpec,
  SECRET_ARN_ENV,
  type SecretId,
} from "../../infra/function-specs.ts";
import {
  burstFor,
  DEFAULT_ROUTE_RATE_LIMIT,
  DEVICE_AUTHORIZER_CACHE_TTL_S,
  routeKey,
} from "../../infra/http-api.ts";
import { FUNNEL_METRICS } from "../../infra/monitoring.ts";
import { FALLBACK_FUNCTION, ROUTES } from "../../infra/routes.ts";
import { DEVICE_AUTHORIZER_FUNCTION } from "../../infra/stateless-stack.ts";
import { ROLES } from "../../shared/auth/principal.ts";
import { TABLE_LIST, TABLES, type TableId } from "../../shared/tables.ts";
import {
  logicalId,
  type Resources,
  resources,
  type Synthesized,
  synthFootfall,
  TEST_PLATFORM_ARNS,
} from "./synth.ts";

let s: Synthesized;
let service: Resources;
let data: Resources;

beforeAll(() => {
  s = synthFootfall({ push: true });
  service = resources(s.serviceTemplate);
  data = resources(s.dataTemplate);
});

afterAll(() => {
  if (s) rmSync(s.assemblyDir, { recursive: true, force: true });
});

const ofType = (res: Resources, type: string) =>
  Object.entries(res).filter(([, r]) => r.Type === type);

const fnLogicalId = (name: string) => {
  const f = s.service.functions[name];
  if (!f) throw new Error(`no function ${name}`);
  return logicalId(s.service, f.fn);
};

// ---- IAM: what each function's role may do, in readable labels --------------------------------

type Grant = `${string} on ${string}`;

const READ = [
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:Query",
  "dynamodb:Scan",
  "dynamodb:ConditionCheckItem",
  "dynamodb:DescribeTable",
];
const WRITE = [
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
];

/** Labels for data-stack resources, keyed by logical id (import names embed it). */
function dataLabels(): [string, string][] {
  const labels: [string, string][] = [];
  for (const def of TABLE_LIST) {
    labels.push([logicalId(s.data, s.data.tables[def.id]), `table:${def.id}`]);
  }
  labels.push([logicalId(s.data, s.data.incentiveTopic), "topic:incentives"]);
  labels.push([logicalId(s.data, s.data.incentiveTopicKey), "key:incentives"]);
  for (const [id, secret] of Object.entries(s.data.secrets)) {
    labels.push([logicalId(s.data, secret), `secret:${id}`]);
  }
  for (const [fn, queue] of Object.entries(s.data.deadLetterQueues)) {
    labels.push([logicalId(s.data, queue), `dlq:${fn}`]);
  }
  labels.push([logicalId(s.data, s.data.placeIndex), "placeIndex"]);
  return labels;
}

/** A policy resource as a label: `table:catalog`, `table:catalog/index/gsi1`, `logs:own`, `*`… */
function label(resource: unknown, ownLogGroup: string): string {
  if (typeof resource === "string") return resource;
  const json = JSON.stringify(resource);
  if (json.includes(ownLogGroup)) return "logs:own";
  const match = dataLabels().find(([id]) => json.includes(id));
  if (!match) return `unknown:${json}`;
  const join = (resource as { "Fn::Join"?: [string, unknown[]] })["Fn::Join"];
  const suffix = join ? join[1].filter((p) => typeof p === "string").join("") : "";
  const attr = json.includes("StreamArn") ? "/stream" : "";
  return `${match[1]}${attr}${suffix}`;
}

/** Every (action, resource) pair granted to a function's role. */
function grantsOf(name: string): Set<Grant> {
  const f = s.service.functions[name];
  if (!f) throw new Error(`no function ${name}`);
  const roleId = logicalId(s.service, f.role);
  const ownLogGroup = logicalId(s.service, f.logGroup);
  const grants = new Set<Grant>();
  for (const [, policy] of ofType(service, "AWS::IAM::Policy")) {
    const roles = JSON.stringify(policy.Properties?.Roles);
    if (!roles.includes(`"${roleId}"`)) continue;
    const doc = policy.Properties?.PolicyDocument as {
      Statement: { Effect: string; Action: string | string[]; Resource: unknown }[];
    };
    for (const st of doc.Statement) {
      expect(st.Effect).toBe("Allow");
      const actions = Array.isArray(st.Action) ? st.Action : [st.Action];
      const res = Array.isArray(st.Resource) ? st.Resource : [st.Resource];
      for (const a of actions) for (const r of res) grants.add(`${a} on ${label(r, ownLogGroup)}`);
    }
  }
  return grants;
}

/** What the spec allows, derived independently of the binding code. */
function expectedGrants(name: string, spec: FunctionSpec): Set<Grant> {
  const g = new Set<Grant>();
  const add = (actions: string[], res: string) => {
    for (const a of actions) g.add(`${a} on ${res}`);
  };
  add(["logs:CreateLogStream", "logs:PutLogEvents"], "logs:own");
  add(["xray:PutTraceSegments", "xray:PutTelemetryRecords"], "*");
  for (const [id, access] of Object.entries(spec.access) as [TableId, string][]) {
    if (access === "describe") add(["dynamodb:DescribeTable"], `table:${id}`);
    if (access === "read" || access === "readwrite") {
      add(READ, `table:${id}`);
      for (const gsi of TABLES[id].globalIndexes) add(READ, `table:${id}/index/${gsi.indexName}`);
    }
    if (access === "readwrite") add(WRITE, `table:${id}`);
  }
  if (spec.publishesIncentives) {
    add(["sns:Publish"], "topic:incentives");
    add(["kms:GenerateDataKey", "kms:Decrypt"], "key:incentives");
  }
  if (spec.probesIncentiveTopic) add(["sns:GetTopicAttributes"], "topic:incentives");
  for (const secret of spec.secrets) {
    add(["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], `secret:${secret}`);
  }
  if (spec.geocoding) add(["geo:SearchPlaceIndexForText"], "placeIndex");
  for (const app of Object.values(TEST_PLATFORM_ARNS)) {
    if (spec.mobilePush === "manage") {
      add(["sns:CreatePlatformEndpoint"], app);
      add(
        ["sns:GetEndpointAttributes", "sns:SetEndpointAttributes", "sns:DeleteEndpoint"],
        platformEndpointsArn(app),
      );
    }
    if (spec.mobilePush === "publish") add(["sns:Publish"], platformEndpointsArn(app));
  }
  if (spec.trigger?.kind === "tableStream") {
    const stream = `table:${spec.trigger.table}/stream`;
    add(["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"], stream);
    add(["dynamodb:ListStreams"], "*");
    add(["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"], `dlq:${name}`);
  }
  if (spec.trigger?.kind === "schedule") {
    // Asynchronous invocation's on-failure destination.
    add(["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"], `dlq:${name}`);
  }
  return g;
}

const canWrite = (grants: Set<Grant>, table: TableId) =>
  [...grants].some((g) => {
    const [action, , res] = g.split(" ");
    return (WRITE.includes(action ?? "") || action === "dynamodb:*") && res === `table:${table}`;
  });
const canPublish = (grants: Set<Grant>) =>
  [...grants].some((g) => g.startsWith("sns:Publish ") || g.startsWith("sns:* "));

/** A resource policy that denies every request not made over TLS (with `extra` matched too). */
const denyWithoutTls = (extra: Record<string, unknown> = {}) => ({
  Statement: Match.arrayWith([
    Match.objectLike({
      Effect: "Deny",
      ...extra,
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    }),
  ]),
});

describe("IAM: each function may do exactly what its spec says", () => {
  it.each(Object.keys(FUNCTION_SPECS))("%s", (name) => {
    const spec = FUNCTION_SPECS[name] as FunctionSpec;
    const actual = [...grantsOf(name)].sort();
    expect(actual).toEqual([...expectedGrants(name, spec)].sort());
    expect(actual.filter((g) => g.split(" ")[0]?.includes("*"))).toEqual([]);
  });

  it("device-register cannot write the geo index", () => {
    expect(canWrite(grantsOf("device-register"), "geoIndex")).toBe(false);
    expect(canWrite(grantsOf("device-register"), "devices")).toBe(true);
  });

  it("the health function cannot publish to SNS nor read items", () => {
    const grants = grantsOf("health");
    expect(canPublish(grants)).toBe(false);
    expect(grants.has("dynamodb:GetItem on table:catalog")).toBe(false);
    expect(grants.has("dynamodb:DescribeTable on table:catalog")).toBe(true);
    expect(grants.has("sns:GetTopicAttributes on topic:incentives")).toBe(true);
  });

  it("the device authorizer only reads devices", () => {
    const grants = grantsOf(DEVICE_AUTHORIZER_FUNCTION);
    for (const table of Object.keys(TABLES) as TableId[]) {
      expect(canWrite(grants, table), table).toBe(false);
    }
    expect(canPublish(grants)).toBe(false);
  });

  it("ping functions cannot write the catalog and report functions cannot publish", () => {
    const present = Object.keys(FUNCTION_SPECS);
    for (const name of present.filter((n) => n.startsWith("ping"))) {
      expect(canWrite(grantsOf(name), "catalog"), name).toBe(false);
      expect(canPublish(grantsOf(name)), name).toBe(false);
    }
    for (const name of present.filter((n) => n.startsWith("report"))) {
      expect(canPublish(grantsOf(name)), name).toBe(false);
      for (const table of Object.keys(TABLES) as TableId[]) {
        if (table !== "conversions") expect(canWrite(grantsOf(name), table), name).toBe(false);
      }
    }
    // Only functions whose spec says so may publish incentives.
    for (const name of present) {
      const publishesTopic = grantsOf(name).has("sns:Publish on topic:incentives");
      expect(publishesTopic, name).toBe(FUNCTION_SPECS[name]?.publishesIncentives === true);
    }
  });

  it("no role carries a managed policy (no blanket AWSLambdaBasicExecutionRole)", () => {
    for (const [id, role] of ofType(service, "AWS::IAM::Role")) {
      expect(role.Properties?.ManagedPolicyArns, id).toBeUndefined();
    }
  });
});

// ---- Functions ---------------------------------------------------------------------------------

describe("functions", () => {
  it("one Lambda function per spec, on Node.js 24 / ARM64 with tracing and JSON logs", () => {
    const functions = ofType(service, "AWS::Lambda::Function");
    expect(functions).toHaveLength(Object.keys(FUNCTION_SPECS).length);
    for (const [name, spec] of Object.entries(FUNCTION_SPECS)) {
      const props = service[fnLogicalId(name)]?.Properties ?? {};
      expect(props.Runtime, name).toBe("nodejs24.x");
      expect(props.Architectures, name).toEqual(["arm64"]);
      expect(props.TracingConfig, name).toEqual({ Mode: "Active" });
      expect(props.MemorySize, name).toBe(spec.memoryMb ?? 512);
      expect(props.Timeout, name).toBe(spec.timeoutS ?? 10);
      expect(props.LoggingConfig, name).toMatchObject({ LogFormat: "JSON" });
      expect(props.ReservedConcurrentExecutions, name).toBe(spec.reservedConcurrency);
    }
  });

  it("each function's handler matches an exported handler in its entry file", () => {
    for (const [name, f] of Object.entries(s.service.functions)) {
      const handler = service[fnLogicalId(name)]?.Properties?.Handler as string;
      const [file, exported] = handler.split(".");
      expect(file, name).toBe("index");
      const source = readFileSync(f.entry, "utf8");
      expect(source, `${f.entry} must export const ${exported}`).toMatch(
        new RegExp(`^export const ${exported}\\b`, "m"),
      );
    }
  });

  it("environment: table names, secret ARNs (never values), topic only where granted", () => {
    for (const [name, spec] of Object.entries(FUNCTION_SPECS)) {
      const environment = service[fnLogicalId(name)]?.Properties?.Environment as
        | { Variables: Record<string, unknown> }
        | undefined;
      const env = environment?.Variables ?? {};
      expect(env.NODE_OPTIONS, name).toBe("--enable-source-maps");
      expect(env.POWERTOOLS_METRICS_NAMESPACE, name).toBe("Footfall");
      const tableVars = TABLE_LIST.filter((d) => spec.access[d.id]).map((d) => d.envVar);
      for (const def of TABLE_LIST) {
        expect(def.envVar in env, `${name} ${def.envVar}`).toBe(tableVars.includes(def.envVar));
      }
      for (const [secret, envVar] of Object.entries(SECRET_ARN_ENV)) {
        expect(envVar in env, `${name} ${envVar}`).toBe(spec.secrets.includes(secret as SecretId));
        expect(envVar.replace(/_ARN$/, "") in env, `${name} holds no secret value`).toBe(false);
      }
      expect("INCENTIVE_TOPIC_ARN" in env, name).toBe(
        Boolean(spec.publishesIncentives || spec.probesIncentiveTopic),
      );
      expect("PLACE_INDEX_NAME" in env, name).toBe(Boolean(spec.geocoding));
      expect("APNS_PLATFORM_APPLICATION_ARN" in env, name).toBe(Boolean(spec.mobilePush));
    }
  });

  it("log groups keep logs for the configured retention", () => {
    const groups = ofType(service, "AWS::Logs::LogGroup");
    expect(groups.length).toBeGreaterThanOrEqual(Object.keys(FUNCTION_SPECS).length + 1);
    for (const [id, g] of groups) expect(g.Properties?.RetentionInDays, id).toBe(30);
  });

  /** The destination config that sends failed events of function `name` to its DLQ (data stack). */
  const onFailureToDlq = (name: string) => ({
    OnFailure: {
      Destination: Match.objectLike({
        "Fn::ImportValue": Match.stringLikeRegexp(
          logicalId(s.data, s.data.deadLetterQueues[name] as never),
        ),
      }),
    },
  });

  it("scheduled functions run on an EventBridge rule and end failed runs in their DLQ", () => {
    const scheduled = Object.entries(FUNCTION_SPECS).filter(
      ([, spec]) => spec.trigger?.kind === "schedule",
    );
    expect(scheduled.map(([n]) => n)).toContain("visit-sweeper");
    for (const [name, spec] of scheduled) {
      if (spec.trigger?.kind !== "schedule") continue;
      s.serviceTemplate.hasResourceProperties("AWS::Events::Rule", {
        ScheduleExpression: `rate(${spec.trigger.rateMinutes} minute${spec.trigger.rateMinutes === 1 ? "" : "s"})`,
        State: "ENABLED",
        Targets: [Match.objectLike({ Arn: { "Fn::GetAtt": [fnLogicalId(name), "Arn"] } })],
      });
      s.serviceTemplate.hasResourceProperties("AWS::Lambda::EventInvokeConfig", {
        FunctionName: { Ref: fnLogicalId(name) },
        MaximumRetryAttempts: 0,
        DestinationConfig: onFailureToDlq(name),
      });
    }
  });

  it("the devices table has the sparse due index the sweeper queries (keys only)", () => {
    const devices = data[logicalId(s.data, s.data.tables.devices as never)]?.Properties ?? {};
    expect(devices.GlobalSecondaryIndexes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          IndexName: "due",
          KeySchema: [
            { AttributeName: "dueShard", KeyType: "HASH" },
            { AttributeName: "dueAt", KeyType: "RANGE" },
          ],
          Projection: { ProjectionType: "KEYS_ONLY" },
        }),
      ]),
    );
  });

  it("stream consumers retry, split failing batches and end in their DLQ", () => {
    for (const [name, spec] of Object.entries(FUNCTION_SPECS)) {
      if (spec.trigger?.kind !== "tableStream") continue;
      s.serviceTemplate.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
        FunctionName: { Ref: fnLogicalId(name) },
        StartingPosition: "TRIM_HORIZON",
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ["ReportBatchItemFailures"],
        MaximumRetryAttempts: spec.trigger.retryAttempts ?? 10,
        DestinationConfig: onFailureToDlq(name),
      });
    }
  });
});

// ---- HTTP API ----------------------------------------------------------------------------------

describe("HTTP API", () => {
  const authorizers = () => ofType(service, "AWS::ApiGatewayV2::Authorizer");
  const authorizerId = (type: "JWT" | "REQUEST") => {
    const found = authorizers().filter(([, a]) => a.Properties?.AuthorizerType === type);
    expect(found).toHaveLength(1);
    return (found[0] as [string, unknown])[0];
  };

  it("has exactly the routes of ROUTES", () => {
    const keys = ofType(service, "AWS::ApiGatewayV2::Route").map(([, r]) => r.Properties?.RouteKey);
    expect(keys.sort()).toEqual([...ROUTES.map(routeKey), "$default"].sort());
  });

  it("$default answers unmatched requests with the fallback function, without an authorizer", () => {
    const [, route] = ofType(service, "AWS::ApiGatewayV2::Route").find(
      ([, r]) => r.Properties?.RouteKey === "$default",
    ) as [string, Resources[string]];
    expect(route.Properties?.AuthorizationType ?? "NONE").toBe("NONE");
    const target = JSON.stringify(route.Properties?.Target);
    const integration = ofType(service, "AWS::ApiGatewayV2::Integration").find(([id]) =>
      target.includes(id),
    );
    expect(JSON.stringify(integration?.[1].Properties?.IntegrationUri)).toContain(
      fnLogicalId(FALLBACK_FUNCTION),
    );
  });

  it.each(ROUTES.map((r) => [routeKey(r), r] as const))(
    "%s has the right authorizer and function",
    (key, route) => {
      const [, r] = ofType(service, "AWS::ApiGatewayV2::Route").find(
        ([, x]) => x.Properties?.RouteKey === key,
      ) as [string, Resources[string]];
      const expected = {
        jwt: "JWT",
        device: "CUSTOM",
        deviceByFunction: "NONE",
        appKey: "NONE",
        none: "NONE",
      }[route.auth];
      expect(r.Properties?.AuthorizationType).toBe(expected);
      if (route.auth === "jwt")
        expect(r.Properties?.AuthorizerId).toEqual({ Ref: authorizerId("JWT") });
      else if (route.auth === "device") {
        expect(r.Properties?.AuthorizerId).toEqual({ Ref: authorizerId("REQUEST") });
      } else expect(r.Properties?.AuthorizerId).toBeUndefined();

      const target = JSON.stringify(r.Properties?.Target);
      const integration = ofType(service, "AWS::ApiGatewayV2::Integration").find(([id]) =>
        target.includes(id),
      );
      expect(JSON.stringify(integration?.[1].Properties?.IntegrationUri)).toContain(
        fnLogicalId(route.fn),
      );
      expect(integration?.[1].Properties?.PayloadFormatVersion).toBe("2.0");
    },
  );

  it("JWT authorizer trusts the Cognito user pool and its app client only", () => {
    const [, jwt] = authorizers().find(([, a]) => a.Properties?.AuthorizerType === "JWT") ?? [];
    const config = JSON.stringify(jwt?.Properties?.JwtConfiguration);
    expect(config).toContain(logicalId(s.data, s.data.userPool));
    expect(config).toContain(logicalId(s.data, s.data.userPoolClient));
    expect(jwt?.Properties?.IdentitySource).toEqual(["$request.header.Authorization"]);
  });

  it("device authorizer: simple responses, Authorization header, cached 60 s", () => {
    const [, dev] = authorizers().find(([, a]) => a.Properties?.AuthorizerType === "REQUEST") ?? [];
    expect(dev?.Properties).toMatchObject({
      EnableSimpleResponses: true,
      AuthorizerPayloadFormatVersion: "2.0",
      IdentitySource: ["$request.header.Authorization"],
      AuthorizerResultTtlInSeconds: DEVICE_AUTHORIZER_CACHE_TTL_S,
    });
    expect(JSON.stringify(dev?.Properties?.AuthorizerUri)).toContain(
      fnLogicalId(DEVICE_AUTHORIZER_FUNCTION),
    );
  });

  it("throttles each route (its rateLimit, else the default) and writes access logs", () => {
    const [[, stage]] = ofType(service, "AWS::ApiGatewayV2::Stage") as [
      [string, Resources[string]],
    ];
    expect(stage.Properties?.DefaultRouteSettings).toEqual({
      ThrottlingRateLimit: DEFAULT_ROUTE_RATE_LIMIT,
      ThrottlingBurstLimit: burstFor(DEFAULT_ROUTE_RATE_LIMIT),
    });
    const expected = Object.fromEntries(
      ROUTES.filter((r) => r.rateLimit !== undefined).map((r) => [
        routeKey(r),
        { ThrottlingRateLimit: r.rateLimit, ThrottlingBurstLimit: burstFor(r.rateLimit ?? 0) },
      ]),
    );
    expect(stage.Properties?.RouteSettings).toEqual(expected);
    const access = stage.Properties?.AccessLogSettings as {
      DestinationArn: unknown;
      Format: string;
    };
    expect(JSON.stringify(access.DestinationArn)).toContain(
      logicalId(s.service, s.service.httpApi.accessLogs),
    );
    expect(access.Format).toContain("$context.requestId");
    expect(access.Format).not.toContain("sourceIp");
  });

  it("answers no CORS preflight (clients are apps and servers)", () => {
    const [[, api]] = ofType(service, "AWS::ApiGatewayV2::Api") as [[string, Resources[string]]];
    expect(api.Properties?.CorsConfiguration).toBeUndefined();
  });
});

// ---- Data stack --------------------------------------------------------------------------------

describe("data stack", () => {
  it.each(TABLE_LIST.map((d) => [d.id, d] as const))(
    "table %s: on-demand, PITR, TTL, deletion protection, encryption",
    (id, def) => {
      const table = data[logicalId(s.data, s.data.tables[id])];
      expect(table?.DeletionPolicy).toBe("Retain");
      const p = table?.Properties ?? {};
      expect(p.BillingMode).toBe("PAY_PER_REQUEST");
      expect(p.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
      expect(p.DeletionProtectionEnabled).toBe(true);
      expect(p.SSESpecification).toMatchObject({ SSEEnabled: true });
      expect(p.KeySchema).toEqual([
        { AttributeName: def.partitionKey.name, KeyType: "HASH" },
        ...(def.sortKey ? [{ AttributeName: def.sortKey.name, KeyType: "RANGE" }] : []),
      ]);
      expect(p.TimeToLiveSpecification).toEqual(
        def.ttlAttribute ? { AttributeName: def.ttlAttribute, Enabled: true } : undefined,
      );
      expect(p.StreamSpecification).toEqual(
        def.stream ? { StreamViewType: def.stream } : undefined,
      );
      const indexes = ((p.GlobalSecondaryIndexes ?? []) as { IndexName: string }[]).map(
        (g) => g.IndexName,
      );
      expect(indexes).toEqual(def.globalIndexes.map((g) => g.indexName));
    },
  );

  it("the incentive topic is KMS-encrypted and refuses publishes without TLS", () => {
    const topicId = logicalId(s.data, s.data.incentiveTopic);
    s.dataTemplate.hasResourceProperties("AWS::SNS::Topic", {
      KmsMasterKeyId: { "Fn::GetAtt": [logicalId(s.data, s.data.incentiveTopicKey), "Arn"] },
    });
    s.dataTemplate.hasResourceProperties("AWS::SNS::TopicPolicy", {
      Topics: [{ Ref: topicId }],
      PolicyDocument: denyWithoutTls({ Principal: "*", Action: "sns:Publish" }),
    });
    s.dataTemplate.hasResourceProperties("AWS::KMS::Key", { EnableKeyRotation: true });
  });

  it("every async path has an encrypted, TLS-only dead-letter queue", () => {
    const asyncFns = Object.entries(FUNCTION_SPECS).filter(([, spec]) => spec.trigger);
    expect(Object.keys(s.data.deadLetterQueues).sort()).toEqual(asyncFns.map(([n]) => n).sort());
    for (const queue of Object.values(s.data.deadLetterQueues)) {
      const id = logicalId(s.data, queue);
      expect(data[id]?.Properties?.SqsManagedSseEnabled).toBe(true);
      s.dataTemplate.hasResourceProperties("AWS::SQS::QueuePolicy", {
        Queues: [{ Ref: id }],
        PolicyDocument: denyWithoutTls(),
      });
    }
  });

  it("the user pool has the three roles, an immutable merchantId and required MFA", () => {
    const pool = data[logicalId(s.data, s.data.userPool)]?.Properties ?? {};
    expect(pool.MfaConfiguration).toBe("ON");
    expect(pool.AdminCreateUserConfig).toMatchObject({ AllowAdminCreateUserOnly: true });
    expect(pool.Schema).toEqual(
      expect.arrayContaining([expect.objectContaining({ Name: "merchantId", Mutable: false })]),
    );
    const groups = ofType(data, "AWS::Cognito::UserPoolGroup").map(
      ([, g]) => g.Properties?.GroupName,
    );
    expect(groups.sort()).toEqual([...ROLES].sort());
    const client = data[logicalId(s.data, s.data.userPoolClient)]?.Properties ?? {};
    expect(client.GenerateSecret).toBe(false);
    expect(client.WriteAttributes).not.toContain("custom:merchantId");
    expect(client.ReadAttributes).toContain("custom:merchantId");
  });

  it("the place index is Esri with intended use Storage by default (geocoded points are kept)", () => {
    s.dataTemplate.hasResourceProperties("AWS::Location::PlaceIndex", {
      DataSource: "Esri",
      DataSourceConfiguration: { IntendedUse: "Storage" },
    });
  });

  it("keys are generated without commas, attestation starts empty; all are retained", () => {
    const secrets = ofType(data, "AWS::SecretsManager::Secret");
    expect(secrets).toHaveLength(4);
    const attestationId = logicalId(s.data, s.data.secrets.attestation);
    for (const [id, secret] of secrets) {
      expect(secret.DeletionPolicy, id).toBe("Retain");
      if (id === attestationId) {
        // The operator fills in the service account and app ids; nothing secret is in the template.
        expect(secret.Properties?.SecretString).toBe("{}");
        expect(secret.Properties?.GenerateSecretString).toBeUndefined();
      } else {
        expect(secret.Properties?.GenerateSecretString).toMatchObject({ ExcludePunctuation: true });
      }
    }
  });

  it("only device-register may read the attestation secret, found by ARN, with a cache max age", () => {
    const readers = Object.keys(s.service.functions).filter((name) =>
      [...grantsOf(name)].some((g) => g.endsWith(" on secret:attestation")),
    );
    expect(readers).toEqual(["device-register"]);
    expect(
      [...grantsOf("device-register")].filter((g) => g.endsWith("secret:attestation")).sort(),
    ).toEqual([
      "secretsmanager:DescribeSecret on secret:attestation",
      "secretsmanager:GetSecretValue on secret:attestation",
    ]);
    const env = service[fnLogicalId("device-register")]?.Properties?.Environment as {
      Variables: Record<string, unknown>;
    };
    expect(JSON.stringify(env.Variables.ATTESTATION_CONFIG_ARN)).toContain(
      logicalId(s.data, s.data.secrets.attestation),
    );
    expect("ATTESTATION_CONFIG" in env.Variables).toBe(false);
    expect(env.Variables.ATTESTATION_CONFIG_MAX_AGE_SECONDS).toBe("300");
  });

  it("the data stack is protected from termination; the service stack holds no data", () => {
    expect(s.data.terminationProtection).toBe(true);
    for (const type of ["AWS::DynamoDB::Table", "AWS::SQS::Queue", "AWS::Cognito::UserPool"]) {
      expect(ofType(service, type), type).toEqual([]);
    }
  });
});

// ---- Alarms and dashboard ----------------------------------------------------------------------

describe("alarms and dashboard", () => {
  const alarms = () => ofType(service, "AWS::CloudWatch::Alarm").map(([, a]) => a.Properties ?? {});
  const alarmFor = (metric: string, dims: string) =>
    alarms().filter(
      (a) => a.MetricName === metric && JSON.stringify(a.Dimensions ?? []).includes(dims),
    );

  it("alarms on errors and throttles of every function", () => {
    for (const [name, spec] of Object.entries(FUNCTION_SPECS)) {
      const errors = alarmFor("Errors", fnLogicalId(name));
      expect(errors, name).toHaveLength(1);
      expect(errors[0]?.Threshold, name).toBe(spec.errorAlarmThreshold ?? 1);
      expect(alarmFor("Throttles", fnLogicalId(name)), name).toHaveLength(1);
    }
  });

  it("alarms when anything lands in a DLQ", () => {
    for (const queue of Object.values(s.data.deadLetterQueues)) {
      const found = alarmFor("ApproximateNumberOfMessagesVisible", logicalId(s.data, queue));
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({
        Threshold: 1,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
      });
    }
  });

  it("alarms on the API 5xx rate and on failed SNS deliveries", () => {
    const rate = alarms().find((a) => JSON.stringify(a.Metrics ?? []).includes("5xx"));
    expect(rate).toBeDefined();
    expect(JSON.stringify(rate?.Metrics)).toContain("100 * errors / requests");
    expect(
      alarmFor("NumberOfNotificationsFailed", logicalId(s.data, s.data.incentiveTopic)),
    ).toHaveLength(1);
    expect(alarmFor("NumberOfNotificationsFailed", "FootfallTest")).toHaveLength(2);
  });

  it("alarms when a store hits its redemption guess ceiling and on throttled registrations", () => {
    for (const [metric, threshold] of [
      ["RedemptionStoreLockouts", 1],
      ["RegistrationsThrottled", 50],
    ] as const) {
      const found = alarms().filter((a) => a.MetricName === metric);
      expect(found, metric).toHaveLength(1);
      expect(found[0]).toMatchObject({
        Namespace: "Footfall",
        Threshold: threshold,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
        Dimensions: [{ Name: "service", Value: "footfall" }],
      });
    }
  });

  it("every alarm notifies the encrypted alarm topic", () => {
    const topicId = logicalId(s.service, s.service.monitoring.alarmTopic);
    for (const alarm of alarms()) expect(JSON.stringify(alarm.AlarmActions)).toContain(topicId);
    s.serviceTemplate.hasResourceProperties("AWS::SNS::Topic", {
      KmsMasterKeyId: Match.anyValue(),
    });
  });

  it("the dashboard shows every funnel metric", () => {
    const [[, dashboard]] = ofType(service, "AWS::CloudWatch::Dashboard") as [
      [string, Resources[string]],
    ];
    const body = JSON.stringify(dashboard.Properties?.DashboardBody);
    for (const metric of FUNNEL_METRICS) expect(body, metric).toContain(`\\"${metric}\\"`);
    expect(body).toContain("Footfall");
    expect(body).toContain("service");
  });
});
