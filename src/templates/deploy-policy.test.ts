import { describe, expect, it } from 'vitest';
import type { CfnTemplate } from './cfn.js';
import { deployIamPolicy, provisioningOf } from './deploy-policy.js';
import { hubTemplate } from './hub-template.js';

describe('deployIamPolicy', () => {
  it('declares the provisioning of every resource type the templates use', () => {
    // Prepare
    const unknown: CfnTemplate = {
      ...hubTemplate(),
      Resources: { X: { Type: 'AWS::EC2::VPC', Properties: {} } },
    };

    // Act / Assess
    expect(() => provisioningOf([hubTemplate()])).not.toThrow();
    expect(() => provisioningOf([unknown])).toThrow('no IAM provisioning declared for AWS::EC2::VPC');
  });

  it("narrows the stack's resources to its name, and leaves no placeholder", () => {
    // Prepare / Act
    const text = JSON.stringify(deployIamPolicy({ stackName: 'snap', memberRoleName: 'm' }));

    // Assess
    expect(text).not.toMatch(/\{[a-z-]+\}/);
    expect(text).toContain('arn:aws:cloudformation:*:*:stack/snap/*');
    expect(text).toContain('arn:aws:iam::*:role/snap-*');
    expect(text).toContain('arn:aws:iam::*:role/m');
  });

  it('passes the stack roles to Lambda and Scheduler only', () => {
    // Prepare / Act
    const passRole = deployIamPolicy().Statement.filter((s) => s.Action.includes('iam:PassRole'));

    // Assess
    expect(passRole).toHaveLength(1);
    expect(passRole[0]?.Condition).toEqual({
      StringEquals: { 'iam:PassedToService': ['lambda.amazonaws.com', 'scheduler.amazonaws.com'] },
    });
  });
});
