/**
 * The artifacts bucket (SPEC §11): `ebs-snapper-artifacts-<account>-<region>`, created when
 * missing with public access blocked. Its name is predictable, so every call names the expected
 * owner: a bucket of that name in another account is refused, never written to.
 *
 * An object is known by its content, never by its key: the code is written with its SHA-256,
 * which S3 checks on receipt and keeps as the object's checksum, and what is already at a key is
 * judged by that checksum — or, for an object put without one, read and hashed.
 */
import { createHash } from 'node:crypto';
import {
  type BucketLocationConstraint,
  CreateBucketCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { ArtifactStore } from '../app/deploy/ports.js';
import { AwsCallError, callAws, toAwsCallError } from './errors.js';
import type { AwsOperation } from './iam.js';

/** What these calls need, on the artifacts buckets only (IAM names of the S3 calls). */
export const ARTIFACT_OPERATIONS = [
  {
    operation: 'artifacts-bucket',
    // HeadBucket is s3:ListBucket; CreateBucket with public access blocked.
    actions: ['s3:ListBucket', 's3:CreateBucket', 's3:PutBucketPublicAccessBlock'],
    resources: ['arn:{partition}:s3:::ebs-snapper-artifacts-*'],
  },
  {
    operation: 'artifacts-object',
    // HeadObject is s3:GetObject (its checksum too); GetObject reads an object put without one.
    actions: ['s3:GetObject', 's3:PutObject'],
    resources: ['arn:{partition}:s3:::ebs-snapper-artifacts-*/*'],
  },
] as const satisfies readonly AwsOperation[];

const isNotFound = (error: unknown) => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
};

export interface ArtifactStoreOptions {
  readonly bucket: string;
  /** The account that must own the bucket. */
  readonly account: string;
  readonly region: string;
}

/** @example const store = createArtifactStore(s3, { bucket, account, region }); await store.ensureBucket(); */
export function createArtifactStore(client: S3Client, options: ArtifactStoreOptions): ArtifactStore {
  const { bucket, account, region } = options;
  const owner = { ExpectedBucketOwner: account };
  return {
    bucket,
    async ensureBucket() {
      try {
        await client.send(new HeadBucketCommand({ Bucket: bucket, ...owner }));
        return 'exists';
      } catch (error) {
        if (!isNotFound(error)) throw refusal(error);
      }
      try {
        await client.send(
          new CreateBucketCommand({
            Bucket: bucket,
            // us-east-1 is the one region that refuses its own name as a location constraint.
            ...(region === 'us-east-1'
              ? {}
              : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
          }),
        );
      } catch (error) {
        // Another deploy made it a moment ago.
        if ((error as Error).name !== 'BucketAlreadyOwnedByYou') throw toAwsCallError('CreateBucket', error);
      }
      await callAws('PutPublicAccessBlock', () =>
        client.send(
          new PutPublicAccessBlockCommand({
            Bucket: bucket,
            ...owner,
            PublicAccessBlockConfiguration: {
              BlockPublicAcls: true,
              IgnorePublicAcls: true,
              BlockPublicPolicy: true,
              RestrictPublicBuckets: true,
            },
          }),
        ),
      );
      return 'created';
    },
    async describeObject(key) {
      try {
        const head = await client.send(
          new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED', ...owner }),
        );
        // A multipart object's checksum is a checksum of checksums (`…-N`): not the content's.
        const checksum = head.ChecksumSHA256;
        const whole = checksum !== undefined && !checksum.includes('-') && head.ChecksumType !== 'COMPOSITE';
        return { size: head.ContentLength ?? 0, ...(whole ? { sha256Base64: checksum } : {}) };
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw toAwsCallError('HeadObject', error);
      }
    },
    async readSha256(key) {
      try {
        const { Body } = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...owner }));
        const bytes = (await Body?.transformToByteArray()) ?? new Uint8Array();
        return createHash('sha256').update(bytes).digest('base64');
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw toAwsCallError('GetObject', error);
      }
    },
    async put(key, body, sha256Base64) {
      await callAws('PutObject', () =>
        client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: body,
            ContentType: 'application/zip',
            ChecksumAlgorithm: 'SHA256',
            ChecksumSHA256: sha256Base64,
            ...owner,
          }),
        ),
      );
    },
  };

  function refusal(error: unknown): Error {
    const failure = toAwsCallError('HeadBucket', error);
    if (failure instanceof AwsCallError && failure.httpStatusCode === 403) {
      return new AwsCallError(
        'HeadBucket',
        {
          code: failure.code,
          message: `bucket ${bucket} exists but is not this account's (${account}), or reading it is not allowed`,
          transient: false,
        },
        { cause: error },
      );
    }
    return failure;
  }
}
