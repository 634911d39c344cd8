/** Reading a printed IAM policy in tests: does a statement allow an action (IAM's `*` wildcards)? */

/** The part of a policy statement these checks read. */
export interface PrintedStatement {
  readonly Action: string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** What `allows` reads of a statement: a printed one, or one the code builds (`IamStatement`). */
type Actions = { readonly Action: readonly string[] };

/** @example allows({ Action: ['ec2:Describe*'] }, 'ec2:DescribeVolumes') // true */
export const allows = (statement: Actions, action: string): boolean =>
  statement.Action.some((pattern) => new RegExp(`^${pattern.replace(/\*/g, '.*')}$`).test(action));

/** The actions in `seen` that no statement allows. */
export const notAllowed = (seen: readonly string[], statements: readonly Actions[]): string[] =>
  seen.filter((action) => !statements.some((s) => allows(s, action)));
