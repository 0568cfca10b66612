/**
 * A stand-in for an AWS JSON service that has no local emulator (Secrets Manager, Amazon Location
 * Routes), on a free loopback port: it checks each request's SigV4 signature as AWS does (the
 * same signer recomputes it from the request it received) and answers with a handler of the
 * test's choosing. Point a caller at it with `AWS_ENDPOINT_URL_<SERVICE_ID>` = `url`.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { Sha256 } from "@smithy/core/checksum";
import { HttpRequest } from "@smithy/core/protocols";
import { SignatureV4 } from "@smithy/signature-v4";

export const FAKE_CREDENTIALS = {
  accessKeyId: "AKIDFAKEAWSJSON",
  secretAccessKey: "fake-secret-access-key-for-signature-checks",
  sessionToken: "fake-session-token",
};

/** One request as the service received it. */
export interface ReceivedCall {
  path: string;
  headers: Record<string, string>;
  body: unknown;
  /** Whether the signature matched (signing name, region, credentials, headers, body). */
  signatureValid: boolean;
}

/** The answer: status (default 200), JSON body, extra headers. */
export interface FakeAnswer {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Never answer (the caller's timeout fires). */
  hang?: boolean;
}

export interface FakeAwsService {
  url: string;
  calls: ReceivedCall[];
  /** Sets how the next calls are answered. */
  answer(handler: (call: ReceivedCall) => FakeAnswer | Promise<FakeAnswer>): void;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** The signature of `authorization`'s request, recomputed as AWS would. */
async function signatureMatches(
  req: IncomingMessage,
  path: string,
  query: Record<string, string>,
  headers: Record<string, string>,
  body: string,
  signing: { name: string; region: string },
): Promise<boolean> {
  const authorization = headers.authorization ?? "";
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      authorization,
    );
  if (!match) return false;
  const [, keyId, , region, service, signedHeaders] = match;
  if (keyId !== FAKE_CREDENTIALS.accessKeyId || region !== signing.region) return false;
  if (service !== signing.name) return false;
  const amzDate = headers["x-amz-date"] ?? "";
  const date = new Date(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  const signed: Record<string, string> = {};
  for (const name of (signedHeaders ?? "").split(";")) signed[name] = headers[name] ?? "";
  const signer = new SignatureV4({
    service: signing.name,
    region: signing.region,
    credentials: FAKE_CREDENTIALS,
    sha256: Sha256,
  });
  const host = req.headers.host ?? "";
  const [hostname, port] = host.split(":");
  const again = await signer.sign(
    new HttpRequest({
      method: req.method ?? "POST",
      protocol: "http:",
      hostname: hostname ?? "",
      ...(port ? { port: Number(port) } : {}),
      path,
      query,
      headers: signed,
      body,
    }),
    { signingDate: date },
  );
  return again.headers.authorization === authorization;
}

/** Starts the fake service (signing name and region the callers must sign for). */
export async function fakeAwsService(signing: {
  name: string;
  region: string;
}): Promise<FakeAwsService> {
  const calls: ReceivedCall[] = [];
  let handler: (call: ReceivedCall) => FakeAnswer | Promise<FakeAnswer> = () => ({ body: {} });
  const server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const url = new URL(req.url ?? "/", "http://fake");
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (typeof v === "string") headers[k.toLowerCase()] = v;
    }
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      body = raw;
    }
    const query = Object.fromEntries(url.searchParams);
    const call: ReceivedCall = {
      path: url.pathname,
      headers,
      body,
      signatureValid: await signatureMatches(req, url.pathname, query, headers, raw, signing),
    };
    calls.push(call);
    const answer: FakeAnswer = call.signatureValid
      ? await handler(call)
      : {
          status: 403,
          headers: { "x-amzn-errortype": "InvalidSignatureException" },
          body: { message: "The request signature we calculated does not match" },
        };
    if (answer.hang) return;
    res.writeHead(answer.status ?? 200, {
      "content-type": "application/json",
      ...answer.headers,
    });
    res.end(JSON.stringify(answer.body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    answer(next) {
      handler = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Credentials every caller of the fake signs with. */
export const fakeCredentials = async () => FAKE_CREDENTIALS;
