// What every HTTP shipper protocol (Splunk HEC, Elasticsearch bulk) needs from the rest of Vigil.
import type { Intake } from '../queue/intake.js';
import type { Metrics } from '../core/metrics.js';

export interface ShipperDeps {
  intake: Intake;
  metrics: Metrics;
  tenantExists: (t: string) => boolean;
  /** Largest request body on the wire, and largest after gzip/deflate is undone. */
  bodyLimit: number;
  /** Longest single record (a HEC event, a bulk document). */
  maxLineBytes: number;
  /** Bytes of request bodies that may be in memory at once; default max(4 x bodyLimit, 256 MiB). */
  maxInflightBytes?: number;
}
