/**
 * The deployed functions' code: Lambda's `CodeSha256` (the base64 SHA-256 of the zip it runs)
 * tells `deploy` whether a function already runs this build, and `UpdateFunctionCode` puts it
 * right when it does not — with the zip's bytes themselves, so what runs is what was built,
 * whatever the bucket holds.
 */
import { GetFunctionCommand, type LambdaClient, UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import type { FunctionCodePort } from '../app/deploy/ports.js';
import { callAws, toAwsCallError } from './errors.js';
import type { AwsOperation } from './iam.js';

/** What these calls need, on the stack's functions only. */
export const FUNCTION_CODE_OPERATIONS = [
  {
    operation: 'function-code',
    actions: ['lambda:GetFunction', 'lambda:UpdateFunctionCode'],
    resources: ['arn:{partition}:lambda:*:*:function:{stack}-*'],
  },
] as const satisfies readonly AwsOperation[];

/** @example await createFunctionCodePort(lambda).codeSha256('ebs-snapper-worker') */
export function createFunctionCodePort(client: LambdaClient): FunctionCodePort {
  return {
    async codeSha256(functionName) {
      try {
        const { Configuration } = await client.send(new GetFunctionCommand({ FunctionName: functionName }));
        return Configuration?.CodeSha256;
      } catch (error) {
        if ((error as Error).name === 'ResourceNotFoundException') return undefined;
        throw toAwsCallError('GetFunction', error);
      }
    },
    async updateCode(functionName, zip) {
      const { CodeSha256 } = await callAws('UpdateFunctionCode', () =>
        client.send(new UpdateFunctionCodeCommand({ FunctionName: functionName, ZipFile: zip })),
      );
      return CodeSha256 ?? '';
    },
  };
}
