/**
 * `ebs-snapper trigger`: the fan-out started now, as the schedule starts it — asynchronously
 * (`InvocationType: Event`): Lambda queues the event and answers 202 at once, so the CLI never
 * waits on a fan-out of thousands of targets, and Lambda retries a failed fan-out as it would a
 * scheduled one.
 */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { AwsCallError, callAws } from './errors.js';

/**
 * Queue `payload` for `functionName`; throws unless Lambda took it (202).
 *
 * @example await invokeAsync(lambda, 'ebs-snapper-fanout', { run_id: '20261206T210000Z-3f9a2c' });
 */
export async function invokeAsync(
  client: LambdaClient,
  functionName: string,
  payload: unknown,
): Promise<void> {
  const { StatusCode } = await callAws('Invoke', () =>
    client.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify(payload)),
      }),
    ),
  );
  if (StatusCode !== 202) {
    throw new AwsCallError('Invoke', {
      code: 'UnexpectedStatus',
      message: `Lambda answered ${StatusCode ?? 'no status'} to an asynchronous invocation of ${functionName} (expected 202)`,
      transient: false,
    });
  }
}
