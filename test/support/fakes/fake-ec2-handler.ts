/**
 * An in-process EC2 endpoint: an SDK `requestHandler` that answers Query requests with XML, so
 * the SDK's real serializers, parsers, retries and paginators run without a network. Unit tests
 * give it a small responder; `createFakeEc2` (fake-ec2.ts) serves a whole inventory through it.
 */
import { HttpResponse } from '@smithy/protocol-http';
import type { HttpRequest } from '@smithy/types';
import { ec2ErrorBody, ec2Response } from './fake-ec2-xml.js';

/**
 * What a responder returns: the content of an EC2 `<Action>Response`, a whole body (another
 * service's shape, or a page already written), or an EC2 error.
 */
export type FakeReply =
  | { readonly xml: string }
  | { readonly body: string | Buffer }
  | { readonly error: { readonly code: string; readonly message?: string; readonly status: number } };

/** Answers one request; `params` are the decoded form fields (`Filter.1.Name`, `MaxResults`, ...). */
export type FakeResponder = (
  action: string,
  params: URLSearchParams,
  request: HttpRequest,
) => FakeReply | Promise<FakeReply>;

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
      // The clients of a target share one handler: the Recycle Bin's rules (REST-JSON) are none here.
      if (request.path === '/list-rules') return { response: emptyRules() };
      const params = new URLSearchParams(readBody(request));
      const action = params.get('Action') ?? 'Unknown';
      calls.push({ action, params });
      const reply = await respond(action, params, request);
      return { response: toResponse(action, reply) };
    },
    updateHttpClientConfig(): void {},
    httpHandlerConfigs: () => ({}),
    destroy(): void {},
  };
}

function readBody(request: HttpRequest): string {
  const body: unknown = request.body;
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  return '';
}

function toResponse(action: string, reply: FakeReply): HttpResponse {
  if ('error' in reply) {
    const { code, message = code, status } = reply.error;
    return xmlResponse(status, ec2ErrorBody(code, message));
  }
  return xmlResponse(200, 'body' in reply ? reply.body : ec2Response(action, reply.xml));
}

function emptyRules(): HttpResponse {
  return new HttpResponse({
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from('{"Rules":[]}'),
  });
}

function xmlResponse(statusCode: number, body: string | Buffer): HttpResponse {
  return new HttpResponse({
    statusCode,
    headers: { 'content-type': 'text/xml;charset=UTF-8' },
    body: typeof body === 'string' ? Buffer.from(body) : body,
  });
}
