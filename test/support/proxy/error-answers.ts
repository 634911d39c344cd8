/**
 * An injected fault, answered in the error shape of the request's own protocol, as the AWS service
 * would answer it — so the SDK's real deserializer reads the code (a fault in the wrong shape
 * reaches the code under test as a parse error, not as the error it plays):
 *
 * - EC2 (Query, its own XML): `<Response><Errors><Error><Code>`, throttling `RequestLimitExceeded`;
 * - other Query services (STS, Auto Scaling, SNS, CloudFormation, IAM): `<ErrorResponse><Error>`,
 *   throttling `Throttling` (HTTP 400);
 * - JSON services (`X-Amz-Target`: DynamoDB, SQS, SSM, Organizations): `{"__type", "message"}`,
 *   throttling `ThrottlingException` (400);
 * - S3 (REST-XML): `<Error><Code>`, throttling `SlowDown` (503);
 * - REST-JSON services (Lambda, Scheduler, Recycle Bin): `{"message"}` with the code in
 *   `X-Amzn-ErrorType`, throttling `ThrottlingException` (429).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ec2ErrorBody, escapeXml } from '../fakes/fake-ec2-xml.js';
import type { InjectedFault } from './faults.js';

/** An answer to send back: status, headers, body. */
export interface FaultAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

const QUERY_SERVICES = new Set(['sts', 'autoscaling', 'sns', 'cloudformation', 'iam', 'monitoring']);

/** The answer a service gives for `fault` to `req`, signed for `service`. */
export function faultAnswer(req: IncomingMessage, fault: InjectedFault, service: string): FaultAnswer {
  const id = randomUUID();
  const message = fault.message;
  if (service === 'ec2') {
    return xml(fault.status, ec2ErrorBody(fault.code, message, id));
  }
  if (typeof req.headers['x-amz-target'] === 'string') {
    const code = fault.throttle ? 'ThrottlingException' : fault.code;
    const status = fault.throttle ? 400 : fault.status;
    const type = req.headers['content-type'] ?? 'application/x-amz-json-1.0';
    return {
      status,
      headers: { 'content-type': type, 'x-amzn-requestid': id },
      body: Buffer.from(JSON.stringify({ __type: code, message })),
    };
  }
  if (QUERY_SERVICES.has(service)) {
    const code = fault.throttle ? 'Throttling' : fault.code;
    const status = fault.throttle ? 400 : fault.status;
    const kind = status < 500 ? 'Sender' : 'Receiver';
    return xml(
      status,
      `<ErrorResponse><Error><Type>${kind}</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${id}</RequestId></ErrorResponse>`,
    );
  }
  if (service === 's3') {
    const code = fault.throttle ? 'SlowDown' : fault.code;
    const status = fault.throttle ? 503 : fault.status;
    return xml(
      status,
      `<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message><RequestId>${id}</RequestId></Error>`,
    );
  }
  const code = fault.throttle ? 'ThrottlingException' : fault.code;
  return {
    status: fault.throttle ? 429 : fault.status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': code, 'x-amzn-requestid': id },
    body: Buffer.from(JSON.stringify({ message })),
  };
}

function xml(status: number, body: string): FaultAnswer {
  return { status, headers: { 'content-type': 'text/xml;charset=UTF-8' }, body: Buffer.from(body) };
}
