import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  FakeStacks,
  fakeArtifacts,
  fakeConfigStore,
  fakeFunctions,
} from '../../../test/support/fakes/fake-stacks.js';
import { fakeTopic } from '../../../test/support/fakes/fake-topic.js';
import { deployHub, type HubDeployRequest } from './deploy-hub.js';
import type { CodeArtifact } from './hub-code.js';
import type { KeptTable } from './ports.js';

const TEMPLATE = '{"Resources":{"Worker":{"Type":"AWS::Lambda::Function"}}}';
const FUNCTIONS = ['ebs-snapper-worker', 'ebs-snapper-fanout'];
const TOPIC = 'arn:aws:sns:us-east-1:111111111111:ebs-snapper-Topic-X';
const CONFIG =
  'version: 1\npolicies:\n  - {id: a, select: {volumes: {tag:B: "1"}}, schedule: {every: 1d}, retention: {minimum: 1}}\n';

const digest = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('base64');

/** The build named `name`: its zip is the name's bytes, its key the name. */
function artifactOf(name: string): CodeArtifact {
  const zip = new TextEncoder().encode(name);
  return { key: `lambda/${name}.zip`, zip, sha256Base64: digest(zip) };
}

/** The digest of the build a code key names: what a function created from that key runs. */
const digestOfKey = (key: string) => artifactOf(key.replace(/^lambda\/|\.zip$/g, '')).sha256Base64;

function request(name: string, overrides: Partial<HubDeployRequest> = {}): HubDeployRequest {
  const artifact = artifactOf(name);
  return {
    stackName: 'ebs-snapper',
    templateBodyFor: () => TEMPLATE,
    parametersFor: (deployed, keptTable) => ({
      CodeKey: artifact.key,
      ScheduleExpression: deployed?.ScheduleExpression ?? 'rate(1 hour)',
      KeptTableName: keptTable ?? deployed?.KeptTableName ?? '',
    }),
    artifact,
    functionNames: FUNCTIONS,
    dryRun: false,
    now: Date.parse('2026-11-29T00:00:00Z'),
    ...overrides,
  };
}

function world(kept: KeptTable[] = []) {
  const stacks = new FakeStacks();
  const writes = stacks.writes;
  const code = new Map<string, string>();
  const objects = new Map<string, Uint8Array>();
  const configs = fakeConfigStore();
  // What CloudFormation does to the functions: they run what the stack's CodeKey holds.
  stacks.onApply = (r) => {
    const body = objects.get(r.parameters.CodeKey ?? '');
    for (const name of FUNCTIONS) code.set(name, body === undefined ? 'none' : digest(body));
  };
  const create = stacks.create.bind(stacks);
  stacks.create = async (r) => {
    const id = await create(r);
    stacks.event(r.name, { logicalId: 'x', resourceType: 'x', status: 'CREATE_COMPLETE' });
    return id;
  };
  // The stack's outputs name its table (kept, or made by it).
  const describeStack = stacks.describe.bind(stacks);
  stacks.describe = async (n) => {
    const found = await describeStack(n);
    if (found === undefined) return undefined;
    const table = found.parameters.KeptTableName || 'ebs-snapper-Table-NEW';
    return { ...found, outputs: { TableName: table, TopicArn: TOPIC } };
  };
  const ports = {
    stacks,
    artifacts: fakeArtifacts(writes, objects),
    functions: fakeFunctions(writes, code),
    keptTables: { find: async () => kept },
    configsIn: () => configs,
    topics: fakeTopic(),
    progress: { note: (text: string) => notes.push(text), event: () => {} },
    wait: { sleep: async () => {} },
  };
  const notes: string[] = [];
  return { stacks, writes, code, objects, configs, notes, ports };
}

describe('deployHub', () => {
  it('creates the stack with the code uploaded first', async () => {
    // Prepare
    const { writes, ports } = world();

    // Act
    const report = await deployHub(request('a1'), ports);

    // Assess
    expect(report.outcome).toBe('created');
    expect(writes).toEqual(['CreateBucket', 'PutObject lambda/a1.zip', 'CreateStack ebs-snapper']);
    expect(report.code.functions.map((f) => f.status)).toEqual(['created', 'created']);
  });

  it('deploys the same build again with no write at all, and says unchanged', async () => {
    // Prepare
    const { writes, ports } = world();
    await deployHub(request('a1'), ports);
    writes.length = 0;

    // Act
    const report = await deployHub(request('a1'), ports);

    // Assess
    expect(report.outcome).toBe('unchanged');
    expect(writes).toEqual([]);
    expect(report.code).toMatchObject({ uploaded: false, bucketCreated: false });
  });

  it('a new build: one upload, one stack update through a change set, the functions updated', async () => {
    // Prepare
    const { writes, ports, code } = world();
    await deployHub(request('a1'), ports);
    writes.length = 0;

    // Act
    const report = await deployHub(request('b2'), ports);

    // Assess
    expect(report.outcome).toBe('updated');
    expect(writes).toEqual(['PutObject lambda/b2.zip', 'ExecuteChangeSet ebs-snapper']);
    expect([...code.values()]).toEqual([digestOfKey('b2'), digestOfKey('b2')]);
  });

  it('puts this build back into a function changed by hand, and updates nothing else', async () => {
    // Prepare
    const { writes, ports, code } = world();
    await deployHub(request('a1'), ports);
    code.set('ebs-snapper-worker', 'by-hand');
    writes.length = 0;

    // Act
    const report = await deployHub(request('a1'), ports);

    // Assess
    expect(report.outcome).toBe('updated');
    expect(writes).toEqual(['UpdateFunctionCode ebs-snapper-worker']);
    expect(report.code.functions).toEqual([
      { name: 'ebs-snapper-worker', status: 'updated' },
      { name: 'ebs-snapper-fanout', status: 'unchanged' },
    ]);
  });

  it('a dry run previews a new build and writes nothing', async () => {
    // Prepare
    const { writes, ports, stacks } = world();
    await deployHub(request('a1'), ports);
    writes.length = 0;

    // Act
    const report = await deployHub(
      request('b2', { dryRun: true, templateBodyFor: () => '{"Resources":{}}' }),
      ports,
    );

    // Assess
    expect(report.outcome).toBe('dry-run');
    expect(report.action).toBe('update');
    expect(writes).toEqual([]);
    expect(stacks.changeSets.size).toBe(0);
    expect(report.parameterChanges).toEqual([
      { name: 'CodeKey', from: 'lambda/a1.zip', to: 'lambda/b2.zip' },
    ]);
    expect(report.code.functions.map((f) => f.status)).toEqual(['would-update', 'would-update']);
  });
});

describe('deployHub checks the code by content', () => {
  it('writes this build over other bytes at its key before the stack is made', async () => {
    // Prepare
    const { writes, ports, objects, code, notes } = world();
    objects.set('lambda/a1.zip', new TextEncoder().encode('someone else'));

    // Act
    const report = await deployHub(request('a1'), ports);

    // Assess
    expect(report.outcome).toBe('created');
    expect(writes).toEqual(['CreateBucket', 'PutObject lambda/a1.zip', 'CreateStack ebs-snapper']);
    expect(notes.join('\n')).toContain('holds other bytes');
    expect([...code.values()]).toEqual([digestOfKey('a1'), digestOfKey('a1')]);
  });

  it('uses the bytes at its key as they are when they are this build', async () => {
    // Prepare
    const { writes, ports, objects } = world();
    objects.set('lambda/a1.zip', artifactOf('a1').zip);

    // Act
    const report = await deployHub(request('a1'), ports);

    // Assess
    expect(report.code.uploaded).toBe(false);
    expect(writes).toEqual(['CreateBucket', 'CreateStack ebs-snapper']);
  });

  it('fails, never succeeds, when a function runs other code even after its update', async () => {
    // Prepare: Lambda takes the zip but reports another digest
    const { ports } = world();
    const functions = fakeFunctions([], new Map(), () => 'other');
    const stuck = { ...ports, functions };

    // Act
    const report = await deployHub(request('a1'), stuck);

    // Assess
    expect(report.outcome).toBe('failed');
    expect(report.failures.map((f) => [f.logicalId, f.status])).toEqual([
      ['ebs-snapper-worker', 'CODE_MISMATCH'],
      ['ebs-snapper-fanout', 'CODE_MISMATCH'],
    ]);
    expect(report.failures[0]?.reason).toContain(artifactOf('a1').sha256Base64);
  });
});

describe('deployHub keeps the table', () => {
  it('a stack made anew takes up the table an earlier stack of its name kept', async () => {
    // Prepare
    const { ports, notes } = world([{ name: 'ebs-snapper-Table-OLD' }]);

    // Act
    const report = await deployHub(request('a1'), ports);

    // Assess
    expect(report.parameters.KeptTableName).toBe('ebs-snapper-Table-OLD');
    expect(report.keptTable).toBe('ebs-snapper-Table-OLD');
    expect(notes).toContain('using the table kept from an earlier stack: ebs-snapper-Table-OLD');
  });

  it('a stack that exists keeps its parameter and is not looked for again', async () => {
    // Prepare
    const { ports } = world([{ name: 'ebs-snapper-Table-OLD' }]);
    await deployHub(request('a1'), ports);
    const find = { find: async () => [{ name: 'ebs-snapper-Table-X' }, { name: 'ebs-snapper-Table-Y' }] };

    // Act
    const report = await deployHub(request('b2'), { ...ports, keptTables: find });

    // Assess
    expect(report.outcome).toBe('updated');
    expect(report.parameters.KeptTableName).toBe('ebs-snapper-Table-OLD');
    expect(report.keptTable).toBeUndefined();
  });

  it('refuses to guess between two kept tables, before anything is written', async () => {
    // Prepare
    const { ports, writes } = world([{ name: 'ebs-snapper-Table-A' }, { name: 'ebs-snapper-Table-B' }]);

    // Act
    const deploying = deployHub(request('a1'), ports);

    // Assess
    await expect(deploying).rejects.toThrow(/ebs-snapper-Table-A, ebs-snapper-Table-B/);
    expect(writes).toEqual([]);
  });

  it('refuses an update whose change set replaces the table, and executes nothing', async () => {
    // Prepare
    const { ports, stacks, writes } = world();
    await deployHub(request('a1'), ports);
    stacks.changeSetChanges = [
      {
        action: 'Modify',
        logicalId: 'Table',
        resourceType: 'AWS::DynamoDB::Table',
        physicalId: 'ebs-snapper-Table-NEW',
        replacement: 'True',
      },
    ];
    writes.length = 0;

    // Act
    const deploying = deployHub(request('b2'), ports);

    // Assess
    await expect(deploying).rejects.toThrow(/would replace the table ebs-snapper-Table-NEW/);
    expect(writes.filter((w) => !w.startsWith('PutObject'))).toEqual([]);
    expect(stacks.changeSets.size).toBe(0);
  });
});

describe('deployHub --config', () => {
  it("pushes the config into the stack's table under ConfigName", async () => {
    // Prepare
    const { ports, configs } = world();

    // Act
    const report = await deployHub(
      request('a1', {
        config: { text: CONFIG, source: 'ebs-snapper.yaml' },
        parametersFor: () => ({ CodeKey: 'lambda/a1.zip', ConfigName: 'prod' }),
      }),
      ports,
    );

    // Assess
    expect(report.config).toMatchObject({ name: 'prod', pushed: true });
    expect(configs.items.get('prod')?.text).toBe(CONFIG);
  });

  it('does not write a config the table holds already, and says it is unchanged', async () => {
    // Prepare
    const { ports, configs } = world();
    const withConfig = request('a1', { config: { text: CONFIG, source: 'ebs-snapper.yaml' } });
    await deployHub(withConfig, ports);
    const stored = configs.items.get('default');
    let puts = 0;
    const put = configs.put.bind(configs);
    configs.put = async (c) => {
      puts++;
      return put(c);
    };

    // Act
    const report = await deployHub(withConfig, ports);

    // Assess
    expect(report.outcome).toBe('unchanged');
    expect(report.config).toEqual({
      name: 'default',
      sha256: stored?.sha256,
      pushed: false,
      unchanged: true,
    });
    expect(puts).toBe(0);
  });

  it('subscribes each --notify-email address once, and leaves one pending or confirmed alone', async () => {
    // Prepare
    const { ports } = world();
    const topics = fakeTopic([{ protocol: 'email', endpoint: 'lead@example.com', confirmed: false }]);
    const emails = ['ops@example.com', 'OPS@example.com', 'lead@example.com'];

    // Act
    const first = await deployHub(request('a1', { notifyEmails: emails }), { ...ports, topics });
    topics.confirm('ops@example.com');
    const second = await deployHub(request('a1', { notifyEmails: emails }), { ...ports, topics });

    // Assess
    expect(topics.subscribeCalls).toEqual([`${TOPIC} ops@example.com`]);
    expect(first.subscriptions).toEqual([
      { address: 'ops@example.com', status: 'subscribed' },
      { address: 'lead@example.com', status: 'pending' },
    ]);
    expect(second.subscriptions).toEqual([
      { address: 'ops@example.com', status: 'confirmed' },
      { address: 'lead@example.com', status: 'pending' },
    ]);
  });

  it('subscribes nothing in a dry run, nor after a failed deploy', async () => {
    // Prepare
    const { ports, stacks } = world();
    const topics = fakeTopic();
    stacks.onApply = () => {
      throw new Error('the stack failed');
    };

    // Act
    const dry = await deployHub(request('a1', { notifyEmails: ['ops@example.com'], dryRun: true }), {
      ...ports,
      topics,
    });
    await deployHub(request('a1', { notifyEmails: ['ops@example.com'] }), { ...ports, topics }).catch(
      () => undefined,
    );

    // Assess
    expect(dry.subscriptions).toEqual([{ address: 'ops@example.com', status: 'would-subscribe' }]);
    expect(topics.subscribeCalls).toEqual([]);
  });

  it('gives the template the parameters it was built for (the worker role follows Features)', async () => {
    // Prepare
    const { ports, stacks } = world();
    const seen: string[] = [];

    // Act
    await deployHub(
      request('a1', {
        parametersFor: () => ({ CodeKey: 'lambda/a1.zip', Features: 'volume-snapshots' }),
        templateBodyFor: (parameters) => {
          seen.push(parameters.Features ?? '');
          return TEMPLATE;
        },
      }),
      ports,
    );

    // Assess
    expect(seen).toEqual(['volume-snapshots']);
    expect((await stacks.describe('ebs-snapper'))?.parameters.Features).toBe('volume-snapshots');
  });
});
