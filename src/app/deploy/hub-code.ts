/**
 * The hub's code, known by its content, never by an object's name: the bytes already at the code
 * key are used only when they hash to this build (else this build is written over them), and each
 * function's `CodeSha256` is compared with the zip's after the stack is done — equal means the
 * function runs this build; a function that does not is given the zip itself, and one that still
 * does not after that fails the deploy.
 */
import type { ArtifactStore, FunctionCodePort } from './ports.js';
import type { StackAction } from './stack-rollout.js';
import type { DeployProgress, ResourceFailure } from './stack-wait.js';

/** The zipped code: its key in the bucket and Lambda's digest of it. */
export interface CodeArtifact {
  readonly key: string;
  readonly zip: Uint8Array;
  /** Base64 SHA-256 of `zip`: a function running it has this `CodeSha256`. */
  readonly sha256Base64: string;
}

type FunctionCodeStatus = 'unchanged' | 'created' | 'updated' | 'would-create' | 'would-update' | 'mismatch';

export interface FunctionCode {
  readonly name: string;
  readonly status: FunctionCodeStatus;
  /** `mismatch`: the `CodeSha256` the function was left with (absent: no such function). */
  readonly liveSha256?: string;
}

export interface CodeUploader {
  /** Bucket (created when missing) and object (written unless it is this build), once per deploy. */
  ensure(): Promise<void>;
  summary(): {
    readonly bucket: string;
    readonly key: string;
    readonly sha256: string;
    readonly bucketCreated: boolean;
    readonly uploaded: boolean;
  };
}

export function codeUploader(
  artifact: CodeArtifact,
  artifacts: ArtifactStore,
  progress: DeployProgress,
): CodeUploader {
  let bucketCreated = false;
  let uploaded = false;
  let ensured: Promise<void> | undefined;
  const ensure = async () => {
    if ((await artifacts.ensureBucket()) === 'created') {
      bucketCreated = true;
      progress.note(`created bucket ${artifacts.bucket} (public access blocked)`);
    }
    const there = await contentAt(artifacts, artifact);
    if (there.is === 'this-build') return;
    progress.note(
      there.is === 'nothing'
        ? `uploading ${artifact.key} (${artifact.zip.length} bytes) to ${artifacts.bucket}`
        : `${artifacts.bucket}/${artifact.key} holds other bytes (${there.what}; this build is SHA-256 ${artifact.sha256Base64}): writing this build over them`,
    );
    await artifacts.put(artifact.key, artifact.zip, artifact.sha256Base64);
    uploaded = true;
  };
  return {
    ensure: () => {
      ensured ??= ensure();
      return ensured;
    },
    summary: () => ({
      bucket: artifacts.bucket,
      key: artifact.key,
      sha256: artifact.sha256Base64,
      bucketCreated,
      uploaded,
    }),
  };
}

/**
 * What is at the code key: S3's checksum says when the object has one, else the bytes are read and
 * hashed (an object of another size is other bytes without reading it). Another build's zip, an
 * old upload cut short, a file a person put there: whatever is not this build is described.
 */
async function contentAt(artifacts: ArtifactStore, artifact: CodeArtifact): Promise<Content> {
  const object = await artifacts.describeObject(artifact.key);
  if (object === undefined) return { is: 'nothing' };
  if (object.size !== artifact.zip.length) return { is: 'other', what: `${object.size} bytes` };
  const sha256 = object.sha256Base64 ?? (await artifacts.readSha256(artifact.key));
  if (sha256 === undefined) return { is: 'nothing' };
  return sha256 === artifact.sha256Base64 ? { is: 'this-build' } : { is: 'other', what: `SHA-256 ${sha256}` };
}

type Content =
  | { readonly is: 'nothing' }
  | { readonly is: 'this-build' }
  | { readonly is: 'other'; readonly what: string };

/** What a deploy would do to each function's code (`--dry-run`): read only. */
export async function previewFunctionCode(
  functions: FunctionCodePort,
  names: readonly string[],
  artifact: CodeArtifact,
  action: StackAction,
): Promise<FunctionCode[]> {
  return Promise.all(
    names.map(async (name): Promise<FunctionCode> => {
      if (action === 'create' || action === 'recreate') return { name, status: 'would-create' };
      const live = await functions.codeSha256(name);
      return { name, status: live === artifact.sha256Base64 ? 'unchanged' : 'would-update' };
    }),
  );
}

export interface CodeSync {
  readonly functions: FunctionCodePort;
  readonly names: readonly string[];
  readonly artifact: CodeArtifact;
  /** What the stack operation was: a created function is `created`. */
  readonly action: StackAction;
  /** The stack moved to another code key: its functions were `updated` by it. */
  readonly codeKeyChanged: boolean;
  readonly progress: DeployProgress;
}

/**
 * After the stack operation: each function's `CodeSha256` against the zip's. A function that runs
 * other code though the stack names this build (changed outside the stack, or given other bytes)
 * gets the zip's bytes; one whose `CodeSha256` still differs is a `mismatch`, never a success.
 */
export async function syncFunctionCode(sync: CodeSync): Promise<FunctionCode[]> {
  const statuses: FunctionCode[] = [];
  const wanted = sync.artifact.sha256Base64;
  for (const name of sync.names) {
    const live = await sync.functions.codeSha256(name);
    if (live === wanted) {
      const created = sync.action === 'create' || sync.action === 'recreate';
      statuses.push({ name, status: created ? 'created' : sync.codeKeyChanged ? 'updated' : 'unchanged' });
      continue;
    }
    if (live === undefined) {
      statuses.push({ name, status: 'mismatch' });
      continue;
    }
    sync.progress.note(`function ${name} runs other code (CodeSha256 ${live}): updating its code`);
    const now = await sync.functions.updateCode(name, sync.artifact.zip);
    statuses.push(
      now === wanted ? { name, status: 'updated' } : { name, status: 'mismatch', liveSha256: now },
    );
  }
  return statuses;
}

/** A function that does not run this build after the deploy: the deploy failed, whatever else went well. */
export function codeMismatchFailure(f: FunctionCode, artifact: CodeArtifact): ResourceFailure {
  const runs = f.liveSha256 === undefined ? 'does not exist' : `runs CodeSha256 ${f.liveSha256}`;
  return {
    logicalId: f.name,
    resourceType: 'AWS::Lambda::Function',
    status: 'CODE_MISMATCH',
    reason: `${runs}, not this build's ${artifact.sha256Base64}`,
  };
}
