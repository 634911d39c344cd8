/**
 * `deploy` from an installed package, not the repository: the packed tarball (`npm pack`) is
 * unpacked where npm would put it, and its CLI deploys the Lambda bundle it ships. `npm test`
 * builds first; run `npm run build` before running this file alone.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLambdaArtifact } from '../../src/app/deploy/lambda-zip.js';
import { liveCodeSha256, REGION, useDeployBehindProxy } from './deploy-harness.js';
import { installPacked } from './packed.js';

function run(cli: string, args: readonly string[], endpoint: string, cwd: string) {
  const env = {
    PATH: process.env.PATH,
    HOME: cwd,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: REGION,
    AWS_ENDPOINT_URL: endpoint,
    NO_COLOR: '1',
  };
  const child = spawn(process.execPath, [cli, ...args], { env, cwd });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done, reject) => {
    child.on('error', reject);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('deploy from the installed package', () => {
  const t = useDeployBehindProxy();

  it('deploys the bundle the package ships, with no repository and no node_modules of its own', async () => {
    // Prepare
    const project = mkdtempSync(join(tmpdir(), 'ebs-snapper-installed-'));
    const installed = installPacked(project);
    const shipped = readLambdaArtifact(join(installed, 'dist', 'lambda'));

    // Act
    const { code, stdout, stderr } = await run(
      join(installed, 'dist', 'cli.js'),
      ['deploy', '--output', 'json'],
      t.proxy.endpoint,
      project,
    );

    // Assess
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ outcome: 'created', code: { sha256: shipped.sha256Base64 } });
    expect(await liveCodeSha256(t, 'ebs-snapper-worker')).toBe(shipped.sha256Base64);
  });
});
