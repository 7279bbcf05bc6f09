// AWS CloudTrail: single records (EventBridge, CloudWatch Logs, Firehose) and the {"Records":[...]} files
// CloudTrail delivers to S3, which the pipeline expands into one event per record.
import type { EcsDoc } from '../../../core/event.js';
import { defineParser } from '../define.js';
import { CLOUDTRAIL_KEYS, isCloudTrail, mapCloudTrail } from './cloudtrail.js';
import { isObj, restoreKeys } from '../json-fields.js';

export default defineParser({
  id: 'cloudtrail',
  title: 'AWS CloudTrail',
  description:
    'AWS CloudTrail management events (IAM, STS, console and Identity Center sign-in, Cognito user pools, EC2), one record per line or S3 log files ({"Records":[...]})',
  input: 'json',
  requirements: [
    'B1.1', 'B1.3', 'B1.4', 'B1.6', 'B1.7', 'B1.8', 'B1.9', 'B1.10.1', 'B1.10.2', 'B1.10.3',
    'B2.1', 'B5.1', 'B5.2', 'B5.3', 'B5.4.1', 'B5.4.2', 'B5.4.3', 'B5.4.4',
  ],
  split: {
    marker: '"Records"',
    records(json) {
      const records = json.Records;
      // An empty file, or a "Records" key that holds something else, is not expanded.
      if (!Array.isArray(records) || records.length === 0) return null;
      const out = records.filter(isObj) as EcsDoc[];
      return out.length > 0 && out.some(isCloudTrail) ? out : null;
    },
  },
  parse({ json }) {
    if (!json) return null;
    const record = restoreKeys(json, CLOUDTRAIL_KEYS);
    return isCloudTrail(record) ? mapCloudTrail(record) : null;
  },
});
