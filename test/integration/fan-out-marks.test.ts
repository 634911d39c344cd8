/**
 * The fan-out's marks in the table against moto: the conditional writes that keep two invocations
 * of one run from sending a chunk twice, and let a retry take over a chunk whose claim expired;
 * the run's own mark, once it is queued whole.
 */
import { describe, expect, it } from 'vitest';
import { createDeployedClients } from '../../src/aws/serverless-clients.js';
import { createFanOutMarks } from '../../src/aws/table/fan-out-marks.js';
import { useDeployment } from '../support/moto/deployment.js';
import { useMotoBehindProxy } from '../support/moto/use-moto.js';

const RUN = '20261206T210000Z-3f9a2c';
const CHUNK = '111111111111..222222222222';
const NOW = Date.parse('2026-12-06T21:00:05Z');

describe('fan-out marks in the table', () => {
  const t = useMotoBehindProxy();
  const deployed = useDeployment(t);
  const marks = () => {
    const { dynamo } = createDeployedClients({ region: deployed.current.region, endpoint: t.moto.endpoint });
    return createFanOutMarks(dynamo, deployed.current.table);
  };

  it('refuses a chunk another invocation holds, until that one marks it or its claim expires', async () => {
    // Prepare
    const store = marks();
    const queued = [{ account: '111111111111', region: 'eu-west-1' }];

    // Act
    const first = await store.claim(RUN, CHUNK, 'req-a', NOW, NOW + 60_000);
    const whileHeld = await store.claim(RUN, CHUNK, 'req-b', NOW + 1_000, NOW + 61_000);
    await store.done(RUN, CHUNK, 'req-a', queued);
    const afterMark = await store.claim(RUN, CHUNK, 'req-b', NOW + 2_000, NOW + 62_000);
    const whileBHolds = await store.claim(RUN, CHUNK, 'req-c', NOW + 3_000, NOW + 63_000);
    const afterExpiry = await store.claim(RUN, CHUNK, 'req-c', NOW + 62_001, NOW + 122_001);
    await store.done(RUN, CHUNK, 'req-b', []);

    // Assess: b's late mark (its claim had expired) does not overwrite what c found
    expect(first).toEqual({ queued: [] });
    expect(whileHeld).toBeUndefined();
    expect(afterMark).toEqual({ queued });
    expect(whileBHolds).toBeUndefined();
    expect(afterExpiry).toEqual({ queued });
    expect(await store.claim(RUN, CHUNK, 'req-c', NOW + 62_002, NOW + 122_002)).toEqual({ queued });
  });

  it('marks a run queued whole with its target count, read back until the mark expires', async () => {
    // Prepare
    const store = marks();
    const twoDays = 2 * 24 * 60 * 60 * 1000;

    // Act
    const before = await store.queuedRun(RUN, NOW);
    await store.runQueued(RUN, 17, NOW);
    const after = await store.queuedRun(RUN, NOW + 1_000);
    const expired = await store.queuedRun(RUN, NOW + twoDays + 1_000);
    const chunk = await store.claim(RUN, CHUNK, 'req-a', NOW + 2_000, NOW + 62_000);

    // Assess: the run's mark is no chunk's
    expect([before, after, expired]).toEqual([undefined, 17, undefined]);
    expect(chunk).toEqual({ queued: [] });
  });
});
