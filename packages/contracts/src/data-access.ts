// Where a team's data may live: its grants, and the rule for outbound fetches. The API stores
// grants per team (`data_grants`), checks every location against them and sends the run's team's
// access to the worker with its assignment; `@curio/webdataset` applies the rule.
import { z } from 'zod';

/**
 * `directory`: a server folder the operator granted (absolute; symlinks resolved).
 * `url-prefix`: `http(s)://host[:port]/prefix/`; URLs under it may reach that host even at a
 * private address. `object-prefix`: `s3://bucket/prefix/`; objects under it are listed and
 * presigned by the API, read by the worker through those presigned URLs.
 */
export const DATA_GRANT_KINDS = ['directory', 'url-prefix', 'object-prefix'] as const;
export const DataGrantKind = z.enum(DATA_GRANT_KINDS);
export type DataGrantKind = z.infer<typeof DataGrantKind>;

export const DataGrantSpec = z.object({
  kind: DataGrantKind,
  location: z.string().min(1, 'a grant needs a location'),
});
export type DataGrantSpec = z.infer<typeof DataGrantSpec>;

/** Limits on every outbound fetch of a shard. */
export const FetchLimits = z.object({
  /** Hosts, addresses and CIDR ranges that may be private (the operator's internal servers). */
  allowHosts: z.array(z.string()),
  connectTimeoutMs: z.number().int().positive(),
  /** From the request to the last byte of the body. */
  totalTimeoutMs: z.number().int().positive(),
  maxBytes: z.number().int().positive(),
  maxRedirects: z.number().int().min(0).max(20),
});
export type FetchLimits = z.infer<typeof FetchLimits>;

/** What one team may read. */
export const DataAccess = z.object({
  grants: z.array(DataGrantSpec),
  /** The team's own uploads (readable although it lies inside the store). */
  uploadDir: z.string().optional(),
  /** The store's own folders (database, blobs, logs, every team's uploads): never readable. */
  protectedDirs: z.array(z.string()),
  /** The team's own uploads in object storage (`s3://bucket/…/uploads/<teamId>/`), when there. */
  uploadPrefix: z.string().optional(),
  /** The blob store's own prefix in object storage (checkpoints, every team's uploads). */
  protectedPrefixes: z.array(z.string()).optional(),
  /**
   * Presigned GET URLs of the `s3://` shards the holder may read, by shard: signed by the API
   * (which holds the bucket's credentials) for the run's worker, which holds none.
   */
  objectUrls: z.record(z.string(), z.string()).optional(),
  fetch: FetchLimits,
});
export type DataAccess = z.infer<typeof DataAccess>;
