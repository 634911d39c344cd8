import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { HttpResponse } from '@smithy/protocol-http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeEc2Handler } from '../../test/support/fakes/fake-ec2-handler.js';
import { createAwsClients, whoAmI } from './clients.js';
import { AwsCallError } from './errors.js';

describe('createAwsClients', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('signs with the named profile of the shared credentials file', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'ebs-snapper-profile-'));
    writeFileSync(
      join(dir, 'credentials'),
      '[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s\n[backup]\naws_access_key_id = AKIDBACKUP\naws_secret_access_key = s\n',
    );
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(dir, 'credentials'));
    vi.stubEnv('AWS_CONFIG_FILE', join(dir, 'config'));
    vi.stubEnv('AWS_ACCESS_KEY_ID', '');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', '');
    vi.stubEnv('AWS_PROFILE', '');
    const handler = fakeEc2Handler(() => ({ xml: '<regionInfo/>' }));
    const authorizations: string[] = [];
    const original = handler.handle.bind(handler);
    handler.handle = (request) => {
      authorizations.push(String(request.headers.authorization));
      return original(request);
    };

    // Act
    const clients = createAwsClients({ region: 'eu-west-1', profile: 'backup', requestHandler: handler });
    await clients.ec2.send(new DescribeRegionsCommand({}));

    // Assess
    expect(authorizations[0]).toContain('Credential=AKIDBACKUP/');
    expect(authorizations[0]).toContain('/eu-west-1/ec2/');
  });

  it('gives up after maxAttempts attempts', async () => {
    // Prepare
    const handler = fakeEc2Handler(() => ({ error: { code: 'RequestLimitExceeded', status: 503 } }));
    const clients = createAwsClients({
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 's' },
      requestHandler: handler,
      maxAttempts: 4,
      retry: { random: () => 0 },
    });

    // Act
    const failure = await clients.ec2.send(new DescribeRegionsCommand({})).catch((e: unknown) => e);

    // Assess
    expect(failure).toMatchObject({ name: 'RequestLimitExceeded' });
    expect(handler.calls).toHaveLength(4);
  });
});

describe('whoAmI', () => {
  it('reports a refused STS call as an AwsCallError', async () => {
    // Prepare
    const body = `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>bad key</Message></Error><RequestId>r</RequestId></ErrorResponse>`;
    const requestHandler = {
      handle: async () => ({
        response: new HttpResponse({
          statusCode: 403,
          headers: { 'content-type': 'text/xml' },
          body: new TextEncoder().encode(body),
        }),
      }),
    };
    const clients = createAwsClients({
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 's' },
      requestHandler,
    });

    // Act
    const failure = await whoAmI(clients.sts).catch((e: unknown) => e);

    // Assess
    expect(failure).toBeInstanceOf(AwsCallError);
    expect(failure).toMatchObject({
      operation: 'GetCallerIdentity',
      code: 'InvalidClientTokenId',
      transient: false,
    });
  });
});
