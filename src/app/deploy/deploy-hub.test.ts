import { describe, expect, it } from 'vitest';
import {
  FakeStacks,
  fakeArtifacts,
  fakeConfigStore,
  fakeFunctions,
} from '../../../test/support/fakes/fake-stacks.js';
import { deployHub, type HubDeployRequest } from './deploy-hub.js';

const TEMPLATE = '{"Resources":{"Worker":{"Type":"AWS::Lambda::Function"}}}';
const FUNCTIONS = ['ebs-snapper-worker', 'ebs-snapper-fanout'];

/** A request for a build whose zip digest is `sha` (the fake functions run what they were given). */
function request(sha: string, overrides: Partial<HubDeployRequest> = {}): HubDeployRequest {
  const key = `lambda/${sha}.zip`;
  return {
    stackName: 'ebs-snapper',
    templateBody: TEMPLATE,
    parametersFor: (deployed) => ({
      CodeKey: key,
      ScheduleExpression: deployed?.ScheduleExpression ?? 'rate(1 hour)',
    }),
    artifact: { key, zip: new Uint8Array(3), sha256Base64: key },
    functionNames: FUNCTIONS,
    dryRun: false,
    now: Date.parse('2026-11-29T00:00:00Z'),
    ...overrides,
  };
}

function world() {
  const stacks = new FakeStacks();
  const writes = stacks.writes;
  const code = new Map<string, string>();
  const configs = fakeConfigStore();
  // What CloudFormation does to the functions: they run the stack's CodeKey.
  const create = stacks.create.bind(stacks);
  const update = stacks.update.bind(stacks);
  const follow = (r: { parameters: Readonly<Record<string, string>> }) => {
    for (const name of FUNCTIONS) code.set(name, r.parameters.CodeKey ?? '');
  };
  stacks.create = async (r) => {
    follow(r);
    return create(r).then((id) => {
      stacks.event(r.name, { logicalId: 'x', resourceType: 'x', status: 'CREATE_COMPLETE' });
      return id;
    });
  };
  stacks.update = async (r) => {
    const started = await update(r);
    if (started === 'started') follow(r);
    return started;
  };
  const ports = {
    stacks,
    artifacts: fakeArtifacts(writes),
    functions: fakeFunctions(writes, code),
    configsIn: () => configs,
    progress: { note: () => {}, event: () => {} },
    wait: { sleep: async () => {} },
  };
  return { stacks, writes, code, configs, ports };
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

  it('a new build: one upload, one stack update, the functions updated', async () => {
    // Prepare
    const { writes, ports, code } = world();
    await deployHub(request('a1'), ports);
    writes.length = 0;

    // Act
    const report = await deployHub(request('b2'), ports);

    // Assess
    expect(report.outcome).toBe('updated');
    expect(writes).toEqual(['PutObject lambda/b2.zip', 'UpdateStack ebs-snapper']);
    expect([...code.values()]).toEqual(['lambda/b2.zip', 'lambda/b2.zip']);
  });

  it('puts this build back into a function changed by hand, and updates nothing else', async () => {
    // Prepare
    const { writes, ports, code } = world();
    await deployHub(request('a1'), ports);
    code.set('ebs-snapper-worker', 'lambda/by-hand.zip');
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
    const report = await deployHub(request('b2', { dryRun: true, templateBody: '{"Resources":{}}' }), ports);

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

  it("pushes the config into the stack's table under ConfigName", async () => {
    // Prepare
    const { ports, configs } = world();
    const text =
      'version: 1\npolicies:\n  - {id: a, select: {volumes: {tag:B: "1"}}, schedule: {every: 1d}, retention: {minimum: 1}}\n';
    const withOutputs = ports.stacks.describe.bind(ports.stacks);
    ports.stacks.describe = async (n) => {
      const found = await withOutputs(n);
      return found === undefined ? undefined : { ...found, outputs: { TableName: 'ebs-snapper-Table-1' } };
    };

    // Act
    const report = await deployHub(
      request('a1', {
        config: { text, source: 'ebs-snapper.yaml' },
        parametersFor: () => ({ CodeKey: 'lambda/a1.zip', ConfigName: 'prod' }),
      }),
      ports,
    );

    // Assess
    expect(report.config).toMatchObject({ name: 'prod', pushed: true });
    expect(configs.items.get('prod')?.text).toBe(text);
  });
});
