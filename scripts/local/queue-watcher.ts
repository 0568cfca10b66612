import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";

/** Long-polls a local queue and hands each message body on (the local runner prints incentives). */
export function watchQueue(options: {
  endpoint: string;
  queueUrl: string;
  onMessage: (body: string) => void;
}) {
  const sqs = new SQSClient({
    endpoint: options.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    useQueueUrlAsEndpoint: false,
  });
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        const out = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: options.queueUrl,
            WaitTimeSeconds: 1,
            MaxNumberOfMessages: 10,
          }),
        );
        for (const m of out.Messages ?? []) {
          options.onMessage(m.Body ?? "");
          await sqs.send(
            new DeleteMessageCommand({
              QueueUrl: options.queueUrl,
              ReceiptHandle: m.ReceiptHandle,
            }),
          );
        }
      } catch {
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      sqs.destroy();
    },
  };
}
