import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from "aws-cdk-lib";
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  type UserPoolDomain,
} from "aws-cdk-lib/aws-cognito";
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from "aws-cdk-lib/aws-dynamodb";
import { Key } from "aws-cdk-lib/aws-kms";
import { CfnPlaceIndex } from "aws-cdk-lib/aws-location";
import { Secret } from "aws-cdk-lib/aws-secretsmanager";
import { Topic } from "aws-cdk-lib/aws-sns";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import { ROLES } from "../shared/auth/principal.ts";
import {
  type KeyAttribute,
  TABLE_LIST,
  type TableDefinition,
  type TableId,
} from "../shared/tables.ts";
import type { InfraContext } from "./context.ts";
import type { SecretId } from "./function-specs.ts";
import { acknowledge } from "./nag.ts";
import { pascalCase } from "./names.ts";

export interface StatefulStackProps extends StackProps {
  context: InfraContext;
  /** Functions invoked asynchronously; each gets an encrypted dead-letter queue here. */
  asyncFunctions: string[];
}

/** The data-bearing resources the stateless stack binds functions to. */
export interface StatefulResources {
  tables: Record<TableId, Table>;
  incentiveTopic: Topic;
  incentiveTopicKey: Key;
  deadLetterQueues: Record<string, Queue>;
  userPool: UserPool;
  userPoolClient: UserPoolClient;
  /** The Cognito hosted UI domain the marketing dashboard signs in with. */
  userPoolDomain: UserPoolDomain;
  placeIndex: CfnPlaceIndex;
  secrets: Record<SecretId, Secret>;
}

const SECRET_DESCRIPTIONS: Record<
  SecretId,
  {
    id: string;
    description: string;
    ack: string;
    /** Created as `{}` for the operator to fill in, instead of a generated random key. */
    emptyJson?: boolean;
  }
> = {
  deviceToken: {
    id: "DeviceTokenSecrets",
    description:
      "DEVICE_TOKEN_SECRETS: device token signing keys, comma-separated, newest first (HS256)",
    ack:
      "Rotation is an operator procedure (README, 'Rotate the device token signing key'): the " +
      "value is a newest-first key list that must keep the old key for the token lifetime, which " +
      "a single-value rotation function would break, logging every device out.",
  },
  pseudonym: {
    id: "PseudonymKey",
    description: "PSEUDONYM_KEY: HMAC key turning device ids into pseudonyms in logs and reports",
    ack:
      "Rotating the pseudonym key on a schedule would split every device's history in the " +
      "conversion log at the rotation point; it is rotated deliberately by an operator only.",
  },
  cursor: {
    id: "CursorSecret",
    description: "CURSOR_SECRET: key authenticating pagination cursors handed to API clients",
    ack:
      "Pagination cursors live for minutes; an operator rotates this key by hand when needed " +
      "(open cursors are simply refused and clients restart the listing).",
  },
  attestation: {
    id: "AttestationConfig",
    description:
      "ATTESTATION_CONFIG: JSON {playIntegrity: {packageName, serviceAccount}, appAttest: " +
      "{appIds, environment}}; {} = attestation off (README, 'Enabling attestation')",
    ack:
      "The Play Integrity service account key is rotated in Google Cloud by an operator, who then " +
      "puts the new key here; the device-register function reads it again within 5 minutes.",
    emptyJson: true,
  },
};

const attr = (a: KeyAttribute) => ({
  name: a.name,
  type: a.type === "S" ? AttributeType.STRING : AttributeType.NUMBER,
});

/**
 * Tables, topic, queues, keys, user pool, place index and secrets: everything that holds data or
 * identity. Deployed separately from code, retained on delete and protected from termination, so
 * a code deploy can never replace or drop data.
 */
export class StatefulStack extends Stack implements StatefulResources {
  readonly tables: Record<TableId, Table>;
  readonly incentiveTopic: Topic;
  readonly incentiveTopicKey: Key;
  readonly deadLetterQueues: Record<string, Queue>;
  readonly userPool: UserPool;
  readonly userPoolClient: UserPoolClient;
  readonly userPoolDomain: UserPoolDomain;
  readonly placeIndex: CfnPlaceIndex;
  readonly secrets: Record<SecretId, Secret>;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, { terminationProtection: true, ...props });
    const { stage } = props.context;

    this.tables = Object.fromEntries(TABLE_LIST.map((def) => [def.id, this.table(def)])) as Record<
      TableId,
      Table
    >;

    this.incentiveTopicKey = new Key(this, "IncentiveTopicKey", {
      description: `Footfall ${stage}: encrypts incentive messages at rest in SNS`,
      alias: `alias/footfall-${stage}-incentives`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.incentiveTopic = new Topic(this, "IncentiveTopic", {
      displayName: `Footfall ${stage} incentives`,
      masterKey: this.incentiveTopicKey,
      enforceSSL: true,
    });
    this.incentiveTopic.applyRemovalPolicy(RemovalPolicy.RETAIN);

    this.deadLetterQueues = Object.fromEntries(
      props.asyncFunctions.map((fn) => [fn, this.deadLetterQueue(fn)]),
    );

    this.userPool = new UserPool(this, "MerchantUserPool", {
      userPoolName: `footfall-${stage}-merchants`,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Immutable: set once by an administrator, never by the user, so no tenant hopping.
      customAttributes: {
        merchantId: new StringAttribute({ minLen: 1, maxLen: 64, mutable: false }),
      },
      featurePlan: FeaturePlan.ESSENTIALS,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const role of ROLES) {
      this.userPool.addGroup(`${pascalCase(role)}Group`, {
        groupName: role,
        description: `Footfall role ${role}`,
      });
    }
    this.userPoolClient = this.userPool.addClient("MerchantAppClient", {
      userPoolClientName: `footfall-${stage}-merchant-app`,
      generateSecret: false,
      // API clients sign in directly (SRP or password); no hosted UI, no OAuth redirects.
      disableOAuth: true,
      authFlows: { userSrp: true, userPassword: true },
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes("merchantId"),
      writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true }),
    });
    // Hosted UI for the marketing dashboard (its app client lives with the API, which it calls).
    this.userPoolDomain = this.userPool.addDomain("HostedUiDomain", {
      cognitoDomain: { domainPrefix: `footfall-${stage}-${this.account}` },
    });
    acknowledge(this.userPool, {
      id: "AwsSolutions-COG8",
      reason:
        "Essentials tier on purpose: users are created by an administrator (no self sign-up) and " +
        "MFA is required; Plus-tier threat protection is billed per user and can be enabled later.",
    });

    this.placeIndex = new CfnPlaceIndex(this, "PlaceIndex", {
      indexName: `footfall-${stage}-places`,
      dataSource: props.context.placeIndexDataSource,
      dataSourceConfiguration: { intendedUse: props.context.placeIndexIntendedUse },
      description: "Geocodes store addresses when merchants create or import stores",
    });

    this.secrets = Object.fromEntries(
      (Object.keys(SECRET_DESCRIPTIONS) as SecretId[]).map((secretId) => {
        const meta = SECRET_DESCRIPTIONS[secretId];
        const secret = new Secret(this, meta.id, {
          description: `Footfall ${stage}: ${meta.description}`,
          ...(meta.emptyJson
            ? { secretObjectValue: {} }
            : // Letters and digits only: no commas, so the value is a valid one-key list.
              { generateSecretString: { passwordLength: 64, excludePunctuation: true } }),
          removalPolicy: RemovalPolicy.RETAIN,
        });
        acknowledge(secret, { id: "AwsSolutions-SMG4", reason: meta.ack });
        return [secretId, secret];
      }),
    ) as Record<SecretId, Secret>;

    this.outputs(stage);
  }

  private table(def: TableDefinition): Table {
    const table = new Table(this, `${pascalCase(def.id)}Table`, {
      partitionKey: attr(def.partitionKey),
      ...(def.sortKey ? { sortKey: attr(def.sortKey) } : {}),
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: TableEncryption.AWS_MANAGED,
      ...(def.ttlAttribute ? { timeToLiveAttribute: def.ttlAttribute } : {}),
      ...(def.stream ? { stream: StreamViewType[def.stream] } : {}),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const gsi of def.globalIndexes) {
      table.addGlobalSecondaryIndex({
        indexName: gsi.indexName,
        partitionKey: attr(gsi.partitionKey),
        ...(gsi.sortKey ? { sortKey: attr(gsi.sortKey) } : {}),
        projectionType: gsi.projection === "ALL" ? ProjectionType.ALL : ProjectionType.KEYS_ONLY,
      });
    }
    return table;
  }

  private deadLetterQueue(fn: string): Queue {
    const queue = new Queue(this, `${pascalCase(fn)}Dlq`, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(queue, {
      id: "AwsSolutions-SQS3",
      reason: `This queue is itself the dead-letter queue of ${fn}; its depth is alarmed and an operator redrives it, a DLQ behind it would only move the problem.`,
    });
    return queue;
  }

  private outputs(stage: string): void {
    for (const def of TABLE_LIST) {
      new CfnOutput(this, `${def.envVar}Output`, {
        key: pascalCase(def.envVar.toLowerCase()),
        value: this.tables[def.id].tableName,
        description: `${def.envVar} for ${stage}`,
      });
    }
    new CfnOutput(this, "IncentiveTopicArnOutput", {
      key: "IncentiveTopicArn",
      value: this.incentiveTopic.topicArn,
    });
    new CfnOutput(this, "UserPoolIdOutput", { key: "UserPoolId", value: this.userPool.userPoolId });
    new CfnOutput(this, "UserPoolClientIdOutput", {
      key: "UserPoolClientId",
      value: this.userPoolClient.userPoolClientId,
    });
    new CfnOutput(this, "PlaceIndexNameOutput", {
      key: "PlaceIndexName",
      value: this.placeIndex.indexName,
    });
    for (const [secretId, secret] of Object.entries(this.secrets)) {
      new CfnOutput(this, `${pascalCase(secretId)}SecretArnOutput`, {
        key: `${pascalCase(secretId)}SecretArn`,
        value: secret.secretArn,
      });
    }
  }
}
