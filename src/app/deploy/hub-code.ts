/**
 * The hub's code: the zip uploaded only when a step needs it in the bucket, and each function's
 * `CodeSha256` compared with the zip's — equal means the function runs this build.
 */
import type { ArtifactStore, FunctionCodePort } from './ports.js';
import type { StackAction } from './stack-rollout.js';
import type { DeployProgress } from './stack-wait.js';

/** The zipped code: its key in the bucket and Lambda's digest of it. */
export interface CodeArtifact {
  readonly key: string;
  readonly zip: Uint8Array;
  /** Base64 SHA-256 of `zip`: a function running it has this `CodeSha256`. */
  readonly sha256Base64: string;
}

export type FunctionCodeStatus = 'unchanged' | 'created' | 'updated' | 'would-create' | 'would-update';

export interface FunctionCode {
  readonly name: string;
  readonly status: FunctionCodeStatus;
}

export interface CodeUploader {
  /** Bucket (created when missing) and object (put when absent), at most once per deploy. */
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
    if (await artifacts.has(artifact.key)) return;
    progress.note(`uploading ${artifact.key} (${artifact.zip.length} bytes) to ${artifacts.bucket}`);
    await artifacts.put(artifact.key, artifact.zip);
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
  readonly upload: CodeUploader;
  readonly bucket: string;
  /** What the stack operation was: a created function is `created`. */
  readonly action: StackAction;
  /** The stack moved to another code key: its functions were `updated` by it. */
  readonly codeKeyChanged: boolean;
  readonly progress: DeployProgress;
}

/**
 * After the stack operation: each function's `CodeSha256` against the zip's. A function that runs
 * other code though the stack names this build was changed outside the stack: it gets this build.
 */
export async function syncFunctionCode(sync: CodeSync): Promise<FunctionCode[]> {
  const statuses: FunctionCode[] = [];
  for (const name of sync.names) {
    const live = await sync.functions.codeSha256(name);
    if (live === sync.artifact.sha256Base64) {
      const created = sync.action === 'create' || sync.action === 'recreate';
      statuses.push({ name, status: created ? 'created' : sync.codeKeyChanged ? 'updated' : 'unchanged' });
      continue;
    }
    sync.progress.note(`function ${name} runs other code (CodeSha256 ${live ?? 'none'}): updating its code`);
    await sync.upload.ensure();
    await sync.functions.updateCode(name, sync.bucket, sync.artifact.key);
    statuses.push({ name, status: 'updated' });
  }
  return statuses;
}
