/**
 * `deploy` and `deploy member` refuse each other's options, naming the option and the command it
 * belongs to, before any AWS call: commander hands `deploy`'s options to `deploy member` wherever
 * they stand, so without this `deploy member --config FILE` would ignore the file in silence.
 * `npm run build` first when running it alone.
 */
import { describe, expect, it } from 'vitest';
import { runCli, writePolicy } from './cli.js';
import { useDeployBehindProxy } from './deploy-harness.js';

const MEMBER = ['deploy', 'member', '--hub-account', '123456789012'];

describe('deploy member refuses the hub stack options', () => {
  const t = useDeployBehindProxy();

  it.each([
    [['--config', 'POLICY'], '--config'],
    [['-c', 'POLICY'], '--config'],
    [['--config-name', 'prod'], '--config-name'],
    [['--schedule', 'rate(1 hour)'], '--schedule'],
    [['--member-role-name', 'ebs-snapper-member'], '--member-role-name'],
    [['--bundle', 'dist/lambda/index.js'], '--bundle'],
    [['--stack-name', 'ebs-snapper'], '--stack-name'],
  ])('%j: exit 1, naming %s as an option of deploy, and no AWS call', async (option, named) => {
    // Prepare
    const policy = writePolicy(t.env.workDir, 'version: 1\npolicies: []\n');
    const args = [...MEMBER, ...option.map((a) => (a === 'POLICY' ? policy : a))];

    // Act
    const result = await runCli(args, t.env);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `${named} is an option of \`deploy\` (the hub stack), not of \`deploy member\``,
    );
    expect(t.proxy.counts()).toEqual({});
  });

  it('refuses a hub option given before the word member too', async () => {
    // Act
    const result = await runCli(
      ['deploy', '--schedule', 'rate(1 hour)', 'member', '--hub-account', '123456789012'],
      t.env,
    );

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--schedule is an option of `deploy`');
    expect(t.proxy.counts()).toEqual({});
  });

  it('lists in its help the deploy options it takes, and none of the hub stack', async () => {
    // Act
    const result = await runCli(['deploy', 'member', '--help'], t.env);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/--region <region>/);
    expect(result.stdout).toMatch(/--dry-run/);
    for (const hubOnly of ['--schedule', '--config', '--bundle', '--member-role-name', '--stack-name '])
      expect(result.stdout).not.toContain(hubOnly);
  });

  it('points --stack-name and --member-role-name to the member options they may have meant', async () => {
    // Act
    const stack = await runCli([...MEMBER, '--stack-name', 'hub'], t.env);
    const role = await runCli([...MEMBER, '--member-role-name', 'r'], t.env);

    // Assess
    expect(stack.stderr).toContain('`deploy member` takes --hub-stack-name');
    expect(role.stderr).toContain('`deploy member` takes --role-name');
  });
});

describe('deploy refuses the member options', () => {
  const t = useDeployBehindProxy();

  it.each([
    [['--hub-account', '123456789012'], '--hub-account'],
    [['--hub-stack-name', 'ebs-snapper'], '--hub-stack-name'],
    [['--role-arn', 'arn:aws:iam::111111111111:role/x'], '--role-arn'],
    [['--role-name', 'ebs-snapper-member'], '--role-name'],
    [['--template-out', 'member.json'], '--template-out'],
  ])('%j: exit 1, naming %s as an option of deploy member, and no AWS call', async (option, named) => {
    // Act
    const result = await runCli(['deploy', ...option], t.env);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `${named} is an option of \`deploy member\` (the member role), not of \`deploy\``,
    );
    expect(t.proxy.counts()).toEqual({});
  });

  it('still refuses an option neither has as unknown', async () => {
    // Act
    const result = await runCli(['deploy', '--no-such-option'], t.env);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("unknown option '--no-such-option'");
    expect(t.proxy.counts()).toEqual({});
  });
});
