/**
 * The two calls of the Query-protocol services (STS, Auto Scaling) the tool makes, for the
 * in-process fake EC2: who am I, and which instances each Auto Scaling group holds.
 */
import type { Inventory } from '../../../src/core/model.js';
import { readList } from './fake-ec2-filters.js';
import { escapeXml } from './fake-ec2-xml.js';

const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
const AUTOSCALING_NAMESPACE = 'http://autoscaling.amazonaws.com/doc/2011-01-01/';
const DEFAULT_GROUP_PAGE = 50;
const MAX_GROUP_PAGE = 100;

/** The XML answer to `action`, or undefined when it is not one of these services' calls. */
export function answerQueryService(
  action: string,
  params: URLSearchParams,
  inventory: Inventory,
): string | undefined {
  if (action === 'GetCallerIdentity') {
    const result =
      `<Arn>arn:aws:iam::${inventory.account}:user/fake</Arn><UserId>AIDAFAKE${inventory.account}</UserId>` +
      `<Account>${inventory.account}</Account>`;
    return wrapQuery(action, STS_NAMESPACE, result);
  }
  if (action === 'DescribeAutoScalingGroups') return describeGroups(params, inventory);
  return undefined;
}

/** Groups are read from the instances' `asg`; pages of MaxRecords (50 by default, as AWS). */
function describeGroups(params: URLSearchParams, inventory: Inventory): string {
  const groups = new Map<string, string[]>();
  for (const instance of inventory.instances) {
    if (instance.asg === undefined) continue;
    const members = groups.get(instance.asg) ?? [];
    members.push(instance.id);
    groups.set(instance.asg, members);
  }
  const wanted = new Set(readList(params, 'AutoScalingGroupNames.member'));
  const names = [...groups.keys()].filter((name) => wanted.size === 0 || wanted.has(name)).sort();
  const offset = Number(params.get('NextToken') ?? 0);
  const size = Math.min(Number(params.get('MaxRecords') ?? DEFAULT_GROUP_PAGE), MAX_GROUP_PAGE);
  const page = names.slice(offset, offset + size);
  let members = '';
  for (const name of page) {
    const instances = groups
      .get(name)!
      .map(
        (id) =>
          `<member><InstanceId>${id}</InstanceId><LifecycleState>InService</LifecycleState><HealthStatus>Healthy</HealthStatus></member>`,
      )
      .join('');
    members +=
      `<member><AutoScalingGroupName>${escapeXml(name)}</AutoScalingGroupName><MinSize>0</MinSize>` +
      `<MaxSize>${groups.get(name)!.length}</MaxSize><Instances>${instances}</Instances></member>`;
  }
  const next = offset + size < names.length ? `<NextToken>${offset + size}</NextToken>` : '';
  return wrapQuery(
    'DescribeAutoScalingGroups',
    AUTOSCALING_NAMESPACE,
    `<AutoScalingGroups>${members}</AutoScalingGroups>${next}`,
  );
}

function wrapQuery(action: string, namespace: string, result: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${namespace}"><${action}Result>${result}</${action}Result>` +
    `<ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></${action}Response>`
  );
}
