/**
 * The member stack (SPEC §11): in every account the hub works on, the role its functions assume,
 * with exactly what a run does in an account. `deploy member` creates it through `--role-arn`;
 * `--template-out` writes the same template for CloudFormation StackSets.
 */
import { AWS_OPERATIONS, VAULT_OPERATIONS } from '../aws/iam.js';
import { isUndo } from '../aws/iam-serverless.js';
import { type CfnTemplate, getAtt, ref, sub } from './cfn.js';
import { DEFAULT_MEMBER_ROLE_NAME, DEFAULT_STACK_NAME, HUB_FUNCTIONS } from './names.js';
import { cfnStatements } from './role-policies.js';

/**
 * A run's operations in a member account. The role never assumes another (the hub's functions
 * assume it), so the run's `assume-role` operation is not granted here.
 */
const MEMBER_OPERATIONS = AWS_OPERATIONS.filter((op) => op.operation !== 'assume-role' && !isUndo(op));

export interface MemberTemplateOptions {
  /** Defaults written into the template, so a StackSet needs no parameters. */
  readonly hubAccount?: string;
  readonly hubStackName?: string;
  readonly roleName?: string;
  /**
   * A vault account's role (SPEC §14): what a run does in a vault — copy in what sources share,
   * list, lock and delete its copies — and nothing else.
   */
  readonly vault?: boolean;
}

/**
 * The role trusts the hub account, and within it only the hub's worker and fan-out roles
 * (`aws:PrincipalArn`). Naming those roles as principals instead would fail while the hub does
 * not exist yet — StackSets roll out in any order — and would break when the hub is recreated.
 *
 * @example JSON.stringify(memberTemplate({ hubAccount: '111111111111' }))
 */
export function memberTemplate(options: MemberTemplateOptions = {}): CfnTemplate {
  const trusted = HUB_FUNCTIONS.map((fn) =>
    sub(`arn:\${AWS::Partition}:iam::\${HubAccountId}:role/\${HubStackName}-${fn}`),
  );
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description:
      options.vault === true
        ? 'ebs-snapper vault role: copies other accounts share are copied into this account, kept, locked and deleted by the hub account (made by ebs-snapper)'
        : 'ebs-snapper member role: what the hub account runs in this account (made by ebs-snapper)',
    Parameters: {
      HubAccountId: {
        Type: 'String',
        Description: 'The account where the ebs-snapper hub stack runs',
        AllowedPattern: '^\\d{12}$',
        ConstraintDescription: 'a 12-digit AWS account id',
        ...(options.hubAccount === undefined ? {} : { Default: options.hubAccount }),
      },
      HubStackName: {
        Type: 'String',
        Description: 'The hub stack; its functions roles are named after it',
        Default: options.hubStackName ?? DEFAULT_STACK_NAME,
        MinLength: 1,
      },
      RoleName: {
        Type: 'String',
        Description: 'This role name (EBS_SNAPPER_MEMBER_ROLE_NAME of the hub)',
        Default: options.roleName ?? DEFAULT_MEMBER_ROLE_NAME,
        AllowedPattern: '^[\\w+=,.@-]{1,64}$',
      },
    },
    Resources: {
      MemberRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: ref('RoleName'),
          Description:
            options.vault === true
              ? 'ebs-snapper vault: copies made, locked and deleted here by the hub account'
              : 'ebs-snapper: snapshots of this account, taken and deleted by the hub account',
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: sub('arn:${AWS::Partition}:iam::${HubAccountId}:root') },
                Action: 'sts:AssumeRole',
                Condition: { ArnEquals: { 'aws:PrincipalArn': trusted } },
              },
            ],
          },
          Policies: [
            {
              PolicyName: options.vault === true ? 'ebs-snapper-vault' : 'ebs-snapper-run',
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: cfnStatements(options.vault === true ? VAULT_OPERATIONS : MEMBER_OPERATIONS, {}),
              },
            },
          ],
        },
      },
    },
    Outputs: {
      RoleArn: { Description: 'The role the hub assumes', Value: getAtt('MemberRole', 'Arn') },
    },
  };
}
