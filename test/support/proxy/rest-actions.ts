/**
 * The API action of a REST request (S3, Lambda, Scheduler), read from its method and path the way
 * the services route them, so the fault proxy counts `PutObject` or `UpdateFunctionCode` as it
 * counts the Query and JSON protocols' actions. S3 is read path-style (`/bucket/key`), as the
 * SDK sends it to an emulator.
 */

type Route = readonly [method: string, path: RegExp, action: string];

/** Lambda's paths start with an API version (`/2015-03-31/functions/...`). */
const LAMBDA: readonly Route[] = [
  ['POST', /^\/functions\/?$/, 'CreateFunction'],
  ['GET', /^\/functions\/?$/, 'ListFunctions'],
  ['GET', /^\/functions\/[^/]+\/?$/, 'GetFunction'],
  ['DELETE', /^\/functions\/[^/]+\/?$/, 'DeleteFunction'],
  ['PUT', /^\/functions\/[^/]+\/code$/, 'UpdateFunctionCode'],
  ['GET', /^\/functions\/[^/]+\/configuration$/, 'GetFunctionConfiguration'],
  ['PUT', /^\/functions\/[^/]+\/configuration$/, 'UpdateFunctionConfiguration'],
  ['POST', /^\/functions\/[^/]+\/invocations$/, 'Invoke'],
  ['POST', /^\/functions\/[^/]+\/versions$/, 'PublishVersion'],
  ['GET', /^\/functions\/[^/]+\/versions$/, 'ListVersionsByFunction'],
  ['POST', /^\/functions\/[^/]+\/policy$/, 'AddPermission'],
  ['GET', /^\/functions\/[^/]+\/policy$/, 'GetPolicy'],
  ['DELETE', /^\/functions\/[^/]+\/policy\/[^/]+$/, 'RemovePermission'],
  ['POST', /^\/event-source-mappings\/?$/, 'CreateEventSourceMapping'],
  ['GET', /^\/event-source-mappings\/?$/, 'ListEventSourceMappings'],
  ['GET', /^\/event-source-mappings\/[^/]+$/, 'GetEventSourceMapping'],
  ['PUT', /^\/event-source-mappings\/[^/]+$/, 'UpdateEventSourceMapping'],
  ['DELETE', /^\/event-source-mappings\/[^/]+$/, 'DeleteEventSourceMapping'],
  ['GET', /^\/tags\/.+$/, 'ListTags'],
  ['POST', /^\/tags\/.+$/, 'TagResource'],
  ['DELETE', /^\/tags\/.+$/, 'UntagResource'],
];

const SCHEDULER: readonly Route[] = [
  ['GET', /^\/schedules\/?$/, 'ListSchedules'],
  ['POST', /^\/schedules\/[^/]+$/, 'CreateSchedule'],
  ['GET', /^\/schedules\/[^/]+$/, 'GetSchedule'],
  ['PUT', /^\/schedules\/[^/]+$/, 'UpdateSchedule'],
  ['DELETE', /^\/schedules\/[^/]+$/, 'DeleteSchedule'],
  ['GET', /^\/schedule-groups\/?$/, 'ListScheduleGroups'],
  ['POST', /^\/schedule-groups\/[^/]+$/, 'CreateScheduleGroup'],
  ['GET', /^\/schedule-groups\/[^/]+$/, 'GetScheduleGroup'],
  ['DELETE', /^\/schedule-groups\/[^/]+$/, 'DeleteScheduleGroup'],
];

/** The Recycle Bin (rbin, REST-JSON). */
const RBIN: readonly Route[] = [
  ['POST', /^\/list-rules\/?$/, 'ListRules'],
  ['GET', /^\/rules\/[^/]+$/, 'GetRule'],
  ['POST', /^\/rules\/?$/, 'CreateRule'],
  ['PATCH', /^\/rules\/[^/]+$/, 'UpdateRule'],
  ['DELETE', /^\/rules\/[^/]+$/, 'DeleteRule'],
];

/** S3 bucket sub-resources (`?publicAccessBlock`) → the noun of their Get/Put/Delete actions. */
const BUCKET_SUBRESOURCES: Readonly<Record<string, string>> = {
  publicAccessBlock: 'PublicAccessBlock',
  versioning: 'BucketVersioning',
  policy: 'BucketPolicy',
  tagging: 'BucketTagging',
  encryption: 'BucketEncryption',
  ownershipControls: 'BucketOwnershipControls',
  lifecycle: 'BucketLifecycleConfiguration',
  location: 'BucketLocation',
  acl: 'BucketAcl',
};
const VERB: Readonly<Record<string, string>> = { GET: 'Get', PUT: 'Put', DELETE: 'Delete' };

/** IAM's name where it is not the API's (`s3:HeadObject` is allowed by `s3:GetObject`). */
const IAM_NAMES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  s3: {
    HeadBucket: 'ListBucket',
    HeadObject: 'GetObject',
    ListObjects: 'ListBucket',
    ListObjectsV2: 'ListBucket',
    PutPublicAccessBlock: 'PutBucketPublicAccessBlock',
    GetPublicAccessBlock: 'GetBucketPublicAccessBlock',
    DeletePublicAccessBlock: 'PutBucketPublicAccessBlock',
    CreateMultipartUpload: 'PutObject',
    UploadPart: 'PutObject',
    CompleteMultipartUpload: 'PutObject',
    DeleteObjects: 'DeleteObject',
  },
  lambda: { Invoke: 'InvokeFunction' },
  // SQS authorizes a batch call by its single-message action.
  sqs: {
    SendMessageBatch: 'SendMessage',
    DeleteMessageBatch: 'DeleteMessage',
    ChangeMessageVisibilityBatch: 'ChangeMessageVisibility',
  },
};

/**
 * The action of a REST call, or null when the service is not a REST one (or the route unknown).
 *
 * @example restActionOf('s3', 'HEAD', '/ebs-snapper-artifacts-1-us-east-1/lambda/ab.zip', {}) // 'HeadObject'
 */
export function restActionOf(
  service: string,
  method: string,
  url: string,
  headers: Readonly<Record<string, unknown>>,
): string | null {
  const { pathname, searchParams } = new URL(url, 'http://proxy');
  if (service === 's3') return s3ActionOf(method, pathname, searchParams, headers);
  const routes =
    service === 'lambda'
      ? LAMBDA
      : service === 'scheduler'
        ? SCHEDULER
        : service === 'rbin'
          ? RBIN
          : undefined;
  if (routes === undefined) return null;
  const path = service === 'lambda' ? pathname.replace(/^\/\d{4}-\d\d-\d\d/, '') : pathname;
  return routes.find(([m, pattern]) => m === method && pattern.test(path))?.[2] ?? null;
}

/** `service:Action` as IAM names it. */
export function iamActionOf(service: string, action: string): string {
  return `${service}:${IAM_NAMES[service]?.[action] ?? action}`;
}

function s3ActionOf(
  method: string,
  pathname: string,
  query: URLSearchParams,
  headers: Readonly<Record<string, unknown>>,
): string | null {
  const [bucket, ...key] = pathname.split('/').filter((part) => part !== '');
  if (bucket === undefined) return method === 'GET' ? 'ListBuckets' : null;
  if (key.length === 0) {
    const sub = Object.keys(BUCKET_SUBRESOURCES).find((name) => query.has(name));
    if (sub !== undefined)
      return VERB[method] === undefined ? null : `${VERB[method]}${BUCKET_SUBRESOURCES[sub]}`;
    if (method === 'POST' && query.has('delete')) return 'DeleteObjects';
    const bucketActions: Record<string, string> = {
      PUT: 'CreateBucket',
      HEAD: 'HeadBucket',
      DELETE: 'DeleteBucket',
      GET: query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects',
    };
    return bucketActions[method] ?? null;
  }
  if (method === 'PUT') {
    if (headers['x-amz-copy-source'] !== undefined) return 'CopyObject';
    return query.has('uploadId') ? 'UploadPart' : 'PutObject';
  }
  if (method === 'POST') return query.has('uploads') ? 'CreateMultipartUpload' : 'CompleteMultipartUpload';
  const objectActions: Record<string, string> = {
    HEAD: 'HeadObject',
    GET: 'GetObject',
    DELETE: query.has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject',
  };
  return objectActions[method] ?? null;
}
