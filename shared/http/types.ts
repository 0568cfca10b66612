import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from "aws-lambda";

/** Authorizer payloads as API Gateway HTTP API v2 delivers them (JWT or Lambda authorizer). */
export interface HttpAuthorizer {
  jwt?: { claims: Record<string, string | number | boolean | string[]>; scopes: string[] | null };
  lambda?: Record<string, unknown>;
}

export type HttpEvent = Omit<APIGatewayProxyEventV2, "requestContext"> & {
  requestContext: APIGatewayProxyEventV2["requestContext"] & { authorizer?: HttpAuthorizer };
  /** Parsed JSON body, set by the body middleware. */
  parsedBody?: unknown;
};

export type HttpResult = APIGatewayProxyStructuredResultV2;
export type { Context };
