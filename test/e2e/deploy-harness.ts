/**
 * The shared set-up of the deploy end-to-end files: moto behind the counting proxy, the built CLI
 * spawned against the proxy, SDK clients straight to moto for checks (their calls are not
 * counted), and the proxy's answer rewrites that play the stack states moto cannot produce.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeEach } from 'vitest';
import { type LambdaArtifact, readLambdaArtifact } from '../../src/app/deploy/lambda-zip.js';
import { motoClientConfig } from '../support/moto/moto.js';
import { type MotoBehindProxy, useMotoBehindProxy } from '../support/moto/use-moto.js';
import type { AnswerRewrite } from '../support/proxy/answer-rewrite.js';
import { type CliEnv, runCliJson, workDir } from './cli.js';

export const REGION = 'us-east-1';
export const STACK = 'ebs-snapper';
/** The per-handler bundles the package ships: what `deploy` zips when no `--bundle` is given. */
export const BUNDLE = resolve(import.meta.dirname, '../../dist/lambda');
/** The package export's bundle, both handlers in one file: what `--bundle FILE` is given in tests. */
const ONE_FILE_BUNDLE = join(BUNDLE, 'index.js');

export interface DeployContext extends MotoBehindProxy {
  env: CliEnv;
  cloudformation: CloudFormationClient;
  lambda: LambdaClient;
  dynamo: DynamoDBClient;
  documents: DynamoDBDocumentClient;
  s3: S3Client;
}

/** Register the hooks; the fields are filled in before each test. */
export function useDeployBehindProxy(): DeployContext {
  const context = useMotoBehindProxy() as DeployContext;
  beforeEach(() => {
    context.env = { endpoint: context.proxy.endpoint, workDir: workDir(), region: REGION };
    context.cloudformation = new CloudFormationClient(motoClientConfig(context.moto.endpoint, REGION));
    context.lambda = new LambdaClient(motoClientConfig(context.moto.endpoint, REGION));
    context.dynamo = new DynamoDBClient(motoClientConfig(context.moto.endpoint, REGION));
    context.documents = DynamoDBDocumentClient.from(context.dynamo);
    context.s3 = new S3Client({ ...motoClientConfig(context.moto.endpoint, REGION), forcePathStyle: true });
  });
  return context;
}

/** `deploy ...` with `--output json`, its document parsed. */
export const deployJson = (args: readonly string[], env: CliEnv) => runCliJson<DeployJson>(args, env);

/** What `deploy --output json` prints. */
export interface DeployJson {
  outcome: string;
  stack: { name: string; action: string; status: string | null };
  parameters: Record<string, string>;
  outputs: Record<string, string>;
  code: { key: string; sha256: string; uploaded: boolean; functions: { name: string; status: string }[] };
  config: { name: string; pushed: boolean; unchanged?: boolean; sha256?: string } | null;
  kept_table: string | null;
  changes?: { action: string; logical_id: string }[];
  parameter_changes?: { name: string; from?: string; to: string }[];
  failures: { logical_id: string; status: string; reason: string }[];
}

/** The artifact of the package's own bundle. */
export function shippedArtifact(): LambdaArtifact {
  return readLambdaArtifact(BUNDLE);
}

/** Another build: the shipped bundle with a line appended, written into `dir`. */
export function changedBundle(dir: string, mark = 'changed'): string {
  const path = join(dir, 'index.js');
  copyFileSync(ONE_FILE_BUNDLE, path);
  writeFileSync(path, `${readFileSync(path, 'utf8')}\n// ${mark}\n`);
  return path;
}

export async function describeStack(context: DeployContext, name = STACK): Promise<Stack | undefined> {
  try {
    const { Stacks } = await context.cloudformation.send(new DescribeStacksCommand({ StackName: name }));
    return Stacks?.[0];
  } catch {
    return undefined;
  }
}

export async function liveCodeSha256(
  context: DeployContext,
  functionName: string,
): Promise<string | undefined> {
  const { Configuration } = await context.lambda.send(new GetFunctionCommand({ FunctionName: functionName }));
  return Configuration?.CodeSha256;
}

/** The Lambda environment a function runs with. */
export async function liveEnvironment(
  context: DeployContext,
  functionName: string,
): Promise<Record<string, string>> {
  const { Configuration } = await context.lambda.send(new GetFunctionCommand({ FunctionName: functionName }));
  return Configuration?.Environment?.Variables ?? {};
}

/** Every DynamoDB table of the region, by name. */
export async function tableNames(context: DeployContext): Promise<string[]> {
  const { TableNames } = await context.dynamo.send(new ListTablesCommand({}));
  return [...(TableNames ?? [])].sort();
}

/** DescribeStacks answers with `status` (the next `times` answers, or those by stack id only). */
export function stackStatusRewrite(
  status: string,
  options: { times?: number; byIdOnly?: boolean } = {},
): AnswerRewrite {
  return {
    ...(options.times === undefined ? {} : { times: options.times }),
    body: (body, params) => {
      if (options.byIdOnly === true && !(params.get('StackName') ?? '').startsWith('arn:')) return undefined;
      return body.replace(/<StackStatus>[A-Z_]+<\/StackStatus>/, `<StackStatus>${status}</StackStatus>`);
    },
  };
}

/** DescribeStackEvents answers with one more event: `logicalId` failed for `reason`. */
export function failedResourceEvent(logicalId: string, resourceType: string, reason: string): AnswerRewrite {
  const event = `<member><StackId>x</StackId><EventId>injected-failure</EventId><StackName>${STACK}</StackName><LogicalResourceId>${logicalId}</LogicalResourceId><PhysicalResourceId></PhysicalResourceId><ResourceType>${resourceType}</ResourceType><Timestamp>2026-01-01T00:00:00.000Z</Timestamp><ResourceStatus>CREATE_FAILED</ResourceStatus><ResourceStatusReason>${reason}</ResourceStatusReason></member>`;
  return { body: (body) => body.replace('<StackEvents>', `<StackEvents>${event}`) };
}
