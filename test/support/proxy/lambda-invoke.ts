/**
 * Lambda's asynchronous Invoke for the fault proxy. moto runs an invoked function only in Docker
 * (absent here), so the proxy answers `Invoke` itself as Lambda's REST-JSON API does for
 * `X-Amz-Invocation-Type: Event` — `POST /2015-03-31/functions/<name>/invocations`, answered
 * `202 Accepted` with an empty body — and records what was sent, for the test to read and to hand
 * to the handler it plays (the built `fanOut`). A synchronous invocation (`RequestResponse`, the
 * default) or `DryRun` is answered with Lambda's `InvalidRequestContentException`: nothing in the
 * tool invokes that way, and a test should see it if it starts to.
 */
import type { EmulatedAnswer, Emulation } from './faults.js';

/** One Invoke the proxy answered. */
export interface RecordedInvocation {
  /** The function name (or ARN) of the path. */
  readonly functionName: string;
  /** `X-Amz-Invocation-Type` as sent (`Event`). */
  readonly invocationType: string;
  /** The payload, as sent. */
  readonly payload: string;
}

/** The proxy's Lambda Invoke (give it to `proxy.configure({ emulations: [invoke] })`), and what it was sent. */
export interface LambdaInvokeEmulator extends Emulation {
  invocations(): readonly RecordedInvocation[];
}

const PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations/;

/** @example const invoke = createLambdaInvokeEmulator(); proxy.configure({ emulations: [invoke] }); */
export function createLambdaInvokeEmulator(): LambdaInvokeEmulator {
  const invocations: RecordedInvocation[] = [];
  let serial = 0;
  return {
    answers: (service, action) => service === 'lambda' && action === 'Invoke',
    invocations: () => [...invocations],
    answer(request): EmulatedAnswer {
      serial += 1;
      const requestId = `invoke-${serial}`;
      const header = request.headers['x-amz-invocation-type'];
      const invocationType = (Array.isArray(header) ? header[0] : header) ?? 'RequestResponse';
      const functionName = decodeURIComponent(PATH.exec(request.path)?.[1] ?? '');
      if (invocationType !== 'Event') {
        return {
          status: 400,
          headers: {
            'content-type': 'application/json',
            'x-amzn-errortype': 'InvalidRequestContentException',
            'x-amzn-requestid': requestId,
          },
          body: Buffer.from(
            JSON.stringify({
              Type: 'User',
              message: `the proxy emulates asynchronous (Event) invocations only, not ${invocationType}`,
            }),
          ),
        };
      }
      invocations.push({ functionName, invocationType, payload: request.body.toString('utf8') });
      return {
        status: 202,
        headers: { 'x-amzn-requestid': requestId, 'content-length': '0' },
        body: Buffer.alloc(0),
      };
    },
  };
}
