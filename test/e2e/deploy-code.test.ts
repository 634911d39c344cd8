/**
 * Deployed code is checked by its content, never by the object's name: bytes already at the code
 * key are hashed before the stack uses them, and a deploy never ends successfully while a function's
 * `CodeSha256` is not this build's. End to end against moto behind the counting proxy.
 * `npm run build` first when running it alone.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { readLambdaArtifact, zipLambdaBundle } from '../../src/app/deploy/lambda-zip.js';
import { artifactsBucketName } from '../../src/templates/names.js';
import type { AnswerRewrite } from '../support/proxy/answer-rewrite.js';
import { runCli } from './cli.js';
import {
  changedBundle,
  type DeployContext,
  deployJson,
  liveCodeSha256,
  REGION,
  shippedArtifact,
  useDeployBehindProxy,
} from './deploy-harness.js';

const WORKER = 'ebs-snapper-worker';
const FANOUT = 'ebs-snapper-fanout';
const BUCKET = artifactsBucketName('123456789012', REGION);

/** Puts a working zip of another build at `key`: what a person, or a broken upload, left there. */
async function putOtherBytes(t: DeployContext, key: string, bucketExists = false): Promise<Uint8Array> {
  if (!bucketExists) await t.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const dir = mkdtempSync(join(t.env.workDir, 'other-'));
  const other = zipLambdaBundle(readFileSync(changedBundle(dir, 'not this build')));
  await t.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: other }));
  return other;
}

async function objectSha256(t: DeployContext, key: string): Promise<string> {
  const { Body } = await t.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return createHash('sha256')
    .update(await Body!.transformToByteArray())
    .digest('base64');
}

describe('deploy checks the code by content', () => {
  const t = useDeployBehindProxy();

  it('other bytes at the code key are replaced by this build before the stack uses them', async () => {
    // Prepare
    const artifact = shippedArtifact();
    await putOtherBytes(t, artifact.key);

    // Act
    const { code, json, stderr } = await deployJson(['deploy'], t.env);

    // Assess
    expect(code, stderr).toBe(0);
    expect(json.outcome).toBe('created');
    expect(stderr).toContain('other bytes');
    expect(json.code.uploaded).toBe(true);
    expect(await objectSha256(t, artifact.key)).toBe(artifact.sha256Base64);
    expect(await liveCodeSha256(t, WORKER)).toBe(artifact.sha256Base64);
    expect(await liveCodeSha256(t, FANOUT)).toBe(artifact.sha256Base64);
    expect(t.proxy.counts().UpdateFunctionCode).toBeUndefined();
  });

  it('a new build whose key already holds other bytes: those bytes never run', async () => {
    // Prepare
    expect((await deployJson(['deploy'], t.env)).code).toBe(0);
    const bundle = changedBundle(t.env.workDir, 'the new build');
    const artifact = readLambdaArtifact(bundle);
    await putOtherBytes(t, artifact.key, true);

    // Act
    const { code, json, stderr } = await deployJson(['deploy', '--bundle', bundle], t.env);

    // Assess
    expect(code, stderr).toBe(0);
    expect(json.outcome).toBe('updated');
    expect(await objectSha256(t, artifact.key)).toBe(artifact.sha256Base64);
    expect(await liveCodeSha256(t, WORKER)).toBe(artifact.sha256Base64);
    expect(await liveCodeSha256(t, FANOUT)).toBe(artifact.sha256Base64);
  });

  it('the right bytes already at the key are used as they are: nothing uploaded', async () => {
    // Prepare
    const artifact = shippedArtifact();
    await t.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await t.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: artifact.key, Body: artifact.zip }));

    // Act
    const { code, json, stderr } = await deployJson(['deploy'], t.env);

    // Assess
    expect(code, stderr).toBe(0);
    expect(json.code.uploaded).toBe(false);
    expect(t.proxy.counts().PutObject).toBeUndefined();
    expect(await liveCodeSha256(t, WORKER)).toBe(artifact.sha256Base64);
  });
});

describe('deploy never reports success while a function runs other code', () => {
  const t = useDeployBehindProxy();

  it('a function still not on this build after its repair fails the deploy: exit 1, outcome failed', async () => {
    // Prepare: Lambda keeps answering with another digest, before and after UpdateFunctionCode
    t.proxy.configure({ rewrite: { GetFunction: otherDigest(), UpdateFunctionCode: otherDigest() } });

    // Act
    const { code, json } = await deployJson(['deploy'], t.env);
    const text = await runCli(['deploy'], t.env);

    // Assess
    expect(code).toBe(1);
    expect(json.outcome).toBe('failed');
    expect(json.failures.map((f) => f.logical_id).sort()).toEqual([FANOUT, WORKER]);
    expect(json.failures[0]?.reason).toContain(shippedArtifact().sha256Base64);
    expect(text.code).toBe(1);
    expect(text.stderr).toContain('failed');
  });
});

const OTHER_DIGEST = Buffer.alloc(32, 7).toString('base64');

/** Lambda's answer names another `CodeSha256` than the one it has. */
function otherDigest(): AnswerRewrite {
  return { body: (body) => body.replace(/"CodeSha256":\s*"[^"]*"/g, `"CodeSha256": "${OTHER_DIGEST}"`) };
}
