import { DescribeRegionsCommand, EC2Client, paginateDescribeSnapshots } from '@aws-sdk/client-ec2';
import { describe, expect, it, vi } from 'vitest';
import { fakeEc2Handler } from '../../test/support/fakes/fake-ec2-handler.js';
import { SnapperRetryStrategy } from './retry.js';
import { type Clock, ThrottleRegistry } from './throttle.js';
import { actionOfCommand, applyThrottle, THROTTLE_MIDDLEWARE_NAME } from './throttle-middleware.js';

const scope = { account: '123456789012', region: 'us-east-1' };
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

function clientWith(handler: ReturnType<typeof fakeEc2Handler>): EC2Client {
  return new EC2Client({
    region: 'us-east-1',
    credentials,
    requestHandler: handler,
    maxAttempts: 5,
    retryStrategy: new SnapperRetryStrategy({ maxAttempts: 5, random: () => 0 }),
  });
}

describe('applyThrottle', () => {
  it('takes a token for every attempt, SDK retries included', async () => {
    // Prepare
    let calls = 0;
    const handler = fakeEc2Handler(() => {
      calls += 1;
      return calls < 3
        ? { error: { code: 'RequestLimitExceeded', status: 503 } }
        : { xml: '<regionInfo><item><regionName>us-east-1</regionName></item></regionInfo>' };
    });
    const ec2 = clientWith(handler);
    const registry = new ThrottleRegistry();
    const take = vi.spyOn(registry, 'take');
    applyThrottle(ec2, registry, scope);

    // Act
    await ec2.send(new DescribeRegionsCommand({}));

    // Assess
    expect(handler.calls.map((c) => c.action)).toEqual([
      'DescribeRegions',
      'DescribeRegions',
      'DescribeRegions',
    ]);
    expect(take.mock.calls).toEqual([
      ['123456789012', 'us-east-1', 'DescribeRegions'],
      ['123456789012', 'us-east-1', 'DescribeRegions'],
      ['123456789012', 'us-east-1', 'DescribeRegions'],
    ]);
  });

  it('takes a token for every page a paginator asks for', async () => {
    // Prepare
    const handler = fakeEc2Handler((_action, params) => {
      const page = Number(params.get('NextToken') ?? '0');
      const next = page < 2 ? `<nextToken>${page + 1}</nextToken>` : '';
      return { xml: `<snapshotSet><item><snapshotId>snap-${page}</snapshotId></item></snapshotSet>${next}` };
    });
    const ec2 = clientWith(handler);
    const registry = new ThrottleRegistry();
    const take = vi.spyOn(registry, 'take');
    applyThrottle(ec2, registry, scope);

    // Act
    const ids: string[] = [];
    for await (const page of paginateDescribeSnapshots({ client: ec2 }, { MaxResults: 5 })) {
      ids.push(...(page.Snapshots ?? []).map((s) => s.SnapshotId ?? ''));
    }

    // Assess
    expect(ids).toEqual(['snap-0', 'snap-1', 'snap-2']);
    expect(take).toHaveBeenCalledTimes(3);
  });

  it('holds a request back until its bucket has a token', async () => {
    // Prepare
    const wakeUps: (() => void)[] = [];
    const clock: Clock = { now: () => 0, sleep: () => new Promise((wake) => wakeUps.push(wake)) };
    const registry = new ThrottleRegistry({ clock, describe: { capacity: 1, refillPerSecond: 1 } });
    const handler = fakeEc2Handler(() => ({ xml: '<regionInfo/>' }));
    const ec2 = clientWith(handler);
    applyThrottle(ec2, registry, scope);
    await ec2.send(new DescribeRegionsCommand({}));

    // Act
    const second = ec2.send(new DescribeRegionsCommand({}));
    await vi.waitFor(() => expect(wakeUps).toHaveLength(1));
    const sentWhileWaiting = handler.calls.length;
    wakeUps[0]?.();
    await second;

    // Assess
    expect(sentWhileWaiting).toBe(1);
    expect(handler.calls).toHaveLength(2);
  });

  it('sits after the retry middleware and before signing, once however often applied', () => {
    // Prepare
    const ec2 = clientWith(fakeEc2Handler(() => ({ xml: '' })));
    const registry = new ThrottleRegistry();

    // Act
    applyThrottle(ec2, registry, scope);
    applyThrottle(ec2, registry, scope);
    const order = ec2.middlewareStack.identify().map((entry) => entry.split(' ')[0]);

    // Assess
    expect(order.filter((name) => name === THROTTLE_MIDDLEWARE_NAME)).toHaveLength(1);
    const at = (name: string) => order.indexOf(name);
    expect(at('retryMiddleware')).toBeLessThan(at(THROTTLE_MIDDLEWARE_NAME));
    expect(at(THROTTLE_MIDDLEWARE_NAME)).toBeLessThan(at('httpSigningMiddleware'));
  });

  it('names the action after the command', () => {
    // Prepare / Act / Assess
    expect(actionOfCommand('CreateSnapshotsCommand')).toBe('CreateSnapshots');
    expect(actionOfCommand('Custom')).toBe('Custom');
    expect(actionOfCommand(undefined)).toBe('Unknown');
  });
});
