/**
 * An in-process EC2 endpoint for unit tests and benchmarks: an SDK `requestHandler` that answers
 * EC2 Query requests with XML, so the SDK's real serializers, parsers, retries and paginators run.
 */
import { HttpResponse } from '@smithy/protocol-http';
import type { HttpRequest } from '@smithy/types';

/** What a responder returns: an XML body for `<Action>Response`, or an EC2 error. */
export type FakeReply =
  | { readonly xml: string }
  | { readonly error: { readonly code: string; readonly message?: string; readonly status: number } };

/** Answers one request; `params` are the decoded form fields (`Filter.1.Name`, `MaxResults`, ...). */
export type FakeResponder = (action: string, params: URLSearchParams) => FakeReply | Promise<FakeReply>;

const NAMESPACE = 'http://ec2.amazonaws.com/doc/2016-11-15/';

/**
 * @example
 * const handler = fakeEc2Handler(() => ({ xml: '<regionInfo/>' }));
 * const ec2 = new EC2Client({ region: 'us-east-1', requestHandler: handler, credentials });
 */
export function fakeEc2Handler(respond: FakeResponder) {
  const calls: { action: string; params: URLSearchParams }[] = [];
  return {
    calls,
    metadata: { handlerProtocol: 'http/1.1' },
    async handle(request: HttpRequest): Promise<{ response: HttpResponse }> {
      const params = new URLSearchParams(typeof request.body === 'string' ? request.body : '');
      const action = params.get('Action') ?? 'Unknown';
      calls.push({ action, params });
      const reply = await respond(action, params);
      return { response: toResponse(action, reply) };
    },
    updateHttpClientConfig(): void {},
    httpHandlerConfigs: () => ({}),
    destroy(): void {},
  };
}

function toResponse(action: string, reply: FakeReply): HttpResponse {
  if ('error' in reply) {
    const { code, message = code, status } = reply.error;
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>fake</RequestID></Response>`;
    return xmlResponse(status, body);
  }
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${NAMESPACE}"><requestId>fake</requestId>${reply.xml}</${action}Response>`;
  return xmlResponse(200, body);
}

function xmlResponse(statusCode: number, body: string): HttpResponse {
  return new HttpResponse({
    statusCode,
    headers: { 'content-type': 'text/xml;charset=UTF-8' },
    body: new TextEncoder().encode(body),
  });
}
