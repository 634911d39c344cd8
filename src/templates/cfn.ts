/**
 * CloudFormation templates as typed data: the stacks `deploy` creates are built from these types
 * and serialized with `JSON.stringify`, so a template is code that the type checker and the tests
 * read, not a text file that drifts from the code around it.
 */

/** A value CloudFormation resolves at deploy time (`Ref`, `Fn::GetAtt`, `Fn::Sub`, ...). */
export type Intrinsic =
  | { readonly Ref: string }
  | { readonly 'Fn::GetAtt': readonly [string, string] }
  | { readonly 'Fn::Sub': string | readonly [string, { readonly [name: string]: CfnValue }] }
  | { readonly 'Fn::If': readonly [string, CfnValue, CfnValue] }
  | { readonly 'Fn::Equals': readonly [CfnValue, CfnValue] }
  | { readonly 'Fn::Not': readonly [CfnValue] };

/** Any JSON value, intrinsics included. */
export type CfnValue =
  | string
  | number
  | boolean
  | Intrinsic
  | readonly CfnValue[]
  | { readonly [key: string]: CfnValue | undefined };

interface CfnParameter {
  readonly Type: 'String' | 'Number';
  readonly Description: string;
  readonly Default?: string | number;
  readonly AllowedValues?: readonly (string | number)[];
  readonly AllowedPattern?: string;
  readonly ConstraintDescription?: string;
  readonly MinLength?: number;
  readonly MaxLength?: number;
}

export interface CfnResource {
  readonly Type: string;
  readonly Properties: { readonly [key: string]: CfnValue | undefined };
  readonly DependsOn?: readonly string[];
  readonly Condition?: string;
  readonly DeletionPolicy?: 'Delete' | 'Retain' | 'Snapshot';
  readonly UpdateReplacePolicy?: 'Delete' | 'Retain' | 'Snapshot';
}

export interface CfnOutput {
  readonly Description: string;
  readonly Value: CfnValue;
}

export interface CfnTemplate {
  readonly AWSTemplateFormatVersion: '2010-09-09';
  readonly Description: string;
  readonly Parameters: Readonly<Record<string, CfnParameter>>;
  readonly Conditions?: Readonly<Record<string, Intrinsic>>;
  readonly Resources: Readonly<Record<string, CfnResource>>;
  readonly Outputs: Readonly<Record<string, CfnOutput>>;
}

/** `{"Ref": name}` — a parameter, a pseudo parameter (`AWS::Region`) or a resource's main id. */
export const ref = (name: string): Intrinsic => ({ Ref: name });

/** `{"Fn::GetAtt": [resource, attribute]}`. */
export const getAtt = (resource: string, attribute: string): Intrinsic => ({
  'Fn::GetAtt': [resource, attribute],
});

/**
 * `{"Fn::Sub": text}`: `${Name}` and `${Resource.Attribute}` are filled in by CloudFormation; with
 * `variables`, `{"Fn::Sub": [text, variables]}`, whose `${Variable}`s may be any value (an `Fn::If`).
 */
export const sub = (text: string, variables?: { readonly [name: string]: CfnValue }): Intrinsic => ({
  'Fn::Sub': variables === undefined ? text : [text, variables],
});

/** `{"Fn::If": [condition, then, else]}`. */
export const ifThen = (condition: string, then: CfnValue, otherwise: CfnValue): Intrinsic => ({
  'Fn::If': [condition, then, otherwise],
});

/**
 * A role's trust policy: assumable by an AWS service, under an optional condition.
 *
 * @example assumedBy('lambda.amazonaws.com')
 */
export function assumedBy(service: string, condition?: CfnValue): CfnValue {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: service },
        Action: 'sts:AssumeRole',
        ...(condition === undefined ? {} : { Condition: condition }),
      },
    ],
  };
}

/** `AWS::NoValue`: leaves a property out when used in `Fn::If`. */
export const NO_VALUE = ref('AWS::NoValue');

/**
 * The template as the body CloudFormation receives: compact JSON (the body limit is 51,200 bytes).
 *
 * @example const body = templateBody(hubTemplate());
 */
export function templateBody(template: CfnTemplate): string {
  return JSON.stringify(template);
}
