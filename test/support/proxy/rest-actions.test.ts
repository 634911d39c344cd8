import { describe, expect, it } from 'vitest';
import { iamActionOf, restActionOf } from './rest-actions.js';

describe('restActionOf', () => {
  it.each([
    ['s3', 'HEAD', '/bucket', {}, 'HeadBucket'],
    ['s3', 'PUT', '/bucket', {}, 'CreateBucket'],
    ['s3', 'PUT', '/bucket?publicAccessBlock', {}, 'PutPublicAccessBlock'],
    ['s3', 'GET', '/bucket?list-type=2&prefix=lambda', {}, 'ListObjectsV2'],
    ['s3', 'HEAD', '/bucket/lambda/ab.zip', {}, 'HeadObject'],
    ['s3', 'PUT', '/bucket/lambda/ab.zip?x-id=PutObject', {}, 'PutObject'],
    ['s3', 'PUT', '/bucket/copy.zip', { 'x-amz-copy-source': '/bucket/ab.zip' }, 'CopyObject'],
    ['lambda', 'GET', '/2015-03-31/functions/ebs-snapper-worker', {}, 'GetFunction'],
    ['lambda', 'PUT', '/2015-03-31/functions/ebs-snapper-worker/code', {}, 'UpdateFunctionCode'],
    ['lambda', 'POST', '/2015-03-31/functions/f/invocations', {}, 'Invoke'],
    ['lambda', 'POST', '/2015-03-31/event-source-mappings/', {}, 'CreateEventSourceMapping'],
    ['scheduler', 'GET', '/schedules/ebs-snapper-run', {}, 'GetSchedule'],
    ['ec2', 'POST', '/', {}, null],
  ])('%s %s %s is %s', (service, method, url, headers, action) => {
    // Prepare / Act / Assess
    expect(restActionOf(service, method, url, headers)).toBe(action);
  });
});

describe('iamActionOf', () => {
  it("names S3's HEAD calls by the IAM actions that allow them", () => {
    // Prepare / Act / Assess
    expect(iamActionOf('s3', 'HeadObject')).toBe('s3:GetObject');
    expect(iamActionOf('s3', 'HeadBucket')).toBe('s3:ListBucket');
    expect(iamActionOf('lambda', 'Invoke')).toBe('lambda:InvokeFunction');
    expect(iamActionOf('ec2', 'CreateSnapshot')).toBe('ec2:CreateSnapshot');
  });
});
