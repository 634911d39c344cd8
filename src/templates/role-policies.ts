/**
 * The deployed roles' IAM statements, derived from the same per-operation declarations as
 * `iam-policy` (`AWS_OPERATIONS`, `WORKER_OPERATIONS`, `FANOUT_OPERATIONS`): one source of truth.
 * The declarations name the stack's resources by placeholder; here they become `Fn::Sub` strings.
 */

import { type AwsOperation, buildIamPolicy, type IamStatement } from '../aws/iam.js';
import { FANOUT_OPERATIONS, WORKER_OPERATIONS } from '../aws/iam-serverless.js';
import { type CfnValue, type Intrinsic, ifThen, NO_VALUE, sub } from './cfn.js';

/**
 * A placeholder of the declarations → what `Fn::Sub` fills in for it: a `${...}` text, or a text
 * and the `Fn::Sub` variables it uses (a value only a condition decides, such as the table's name).
 */
export type Substitutions = Readonly<
  Record<string, string | { readonly text: string; readonly variables: Readonly<Record<string, CfnValue>> }>
>;

/** A placeholder whose statements exist only when a condition holds (the member role may be unset). */
export interface ConditionalPlaceholder {
  readonly placeholder: string;
  readonly condition: string;
}

/**
 * The worker's and the fan-out's statements as the declarations give them (placeholders such as
 * `{table}` and `{queue}` left in, partition filled in): what the functions may call, to check
 * the calls a test sees against.
 *
 * @example functionRoleStatements().worker.some((s) => s.Action.includes('sqs:SendMessage')) // true
 */
export function functionRoleStatements(partition = 'aws'): {
  readonly worker: readonly IamStatement[];
  readonly fanOut: readonly IamStatement[];
} {
  return {
    worker: buildIamPolicy(WORKER_OPERATIONS, { partition }).Statement,
    fanOut: buildIamPolicy(FANOUT_OPERATIONS, { partition }).Statement,
  };
}

/**
 * The statements of `operations` for a template: placeholders become `${...}` references
 * (`{table}` → `${Table.Arn}`), the partition `${AWS::Partition}`; a statement that names a
 * conditional placeholder is left out when its condition is false.
 *
 * @example cfnStatements(WORKER_OPERATIONS, { '{table}': '${Table.Arn}' }, [])
 */
export function cfnStatements(
  operations: readonly AwsOperation[],
  substitutions: Substitutions,
  conditional: readonly ConditionalPlaceholder[] = [],
): CfnValue[] {
  // `$` in a replacement string is special to String.replace only before $, &, `, ' or a digit.
  const { Statement } = buildIamPolicy(operations, { partition: '${AWS::Partition}' });
  return Statement.map((statement) => {
    const resources = statement.Resource === '*' ? [] : statement.Resource;
    const cfn = {
      ...statement,
      Resource: statement.Resource === '*' ? '*' : resources.map((r) => resolve(r, substitutions)),
    };
    const guard = conditional.find((c) => resources.some((r) => r.includes(c.placeholder)));
    return guard === undefined ? cfn : ifThen(guard.condition, cfn, NO_VALUE);
  });
}

function resolve(resource: string, substitutions: Substitutions): string | Intrinsic {
  let text = resource;
  let variables: Record<string, CfnValue> | undefined;
  for (const [placeholder, value] of Object.entries(substitutions)) {
    if (!text.includes(placeholder)) continue;
    const replacement = typeof value === 'string' ? value : value.text;
    text = text.split(placeholder).join(replacement);
    if (typeof value !== 'string') variables = { ...variables, ...value.variables };
  }
  const left = /\{[a-z-]+\}/.exec(text);
  if (left !== null) throw new Error(`no substitution for ${left[0]} in ${resource}`);
  return text.includes('${') ? sub(text, variables) : text;
}
