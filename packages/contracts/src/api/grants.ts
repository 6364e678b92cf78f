// Where a team's data may live: grants (given by the operator through the admin routes) and the
// team's own uploads. A pool, an appended shard or an eval set may name only what these allow.
import { z } from 'zod';
import { DataGrantKind, DataGrantSpec } from '../data-access.js';
import { Timestamp } from './common.js';

export const DataGrant = z
  .object({
    id: z.string(),
    teamId: z.string(),
    kind: DataGrantKind,
    /** A real server path, an `http(s)://host/prefix/` or an `s3://bucket/prefix/`. */
    location: z.string(),
    createdAt: Timestamp,
  })
  .meta({ id: 'DataGrant' });
export type DataGrant = z.infer<typeof DataGrant>;

/** A grant to add: a server directory (absolute, must exist), a URL prefix or an S3 prefix. */
export const DataGrantCreate = DataGrantSpec.extend({
  location: z.string().min(1, 'a grant needs a location').max(4096),
});
export type DataGrantCreate = z.input<typeof DataGrantCreate>;

/** `{teamId}` of the admin routes. */
export const TeamParam = z.object({ teamId: z.string().min(1).max(100) });

/** One shard tar a team uploaded; name `location` in a pool to use it. */
export const Upload = z
  .object({
    name: z.string(),
    /** The location to name in `POST /v1/pools` (the file in the team's upload area). */
    location: z.string(),
    bytes: z.number().int(),
    uploadedAt: Timestamp,
  })
  .meta({ id: 'Upload' });
export type Upload = z.infer<typeof Upload>;

/** An upload's name: one file name ending in `.tar`. */
export const UploadName = z
  .string()
  .regex(
    /^[A-Za-z0-9_][A-Za-z0-9._-]{0,195}\.tar$/,
    'an upload name is one file name of letters, digits, ".", "_", "-" ending in .tar',
  );
export const UploadParam = z.object({ name: UploadName });

/** `POST /v1/uploads`: an upload to start, of exactly `bytes` bytes. */
export const UploadStart = z
  .object({
    name: UploadName,
    /** The tar's exact size (a tar is at least one 512-byte header). */
    bytes: z.number().int().min(512),
  })
  .meta({ id: 'UploadStart' });
export type UploadStart = z.infer<typeof UploadStart>;

/** Where to PUT an upload's bytes, and the location it will have. */
export const UploadTarget = z
  .object({
    name: z.string(),
    /** The location to name in `POST /v1/pools` once the PUT is done. */
    location: z.string(),
    method: z.literal('PUT'),
    url: z.string(),
    /** Headers the PUT must carry as they are. */
    headers: z.record(z.string(), z.string()),
    /** `presigned`: PUT to `url` with nothing else; `api-key`: with the team's key as Bearer. */
    auth: z.enum(['presigned', 'api-key']),
    /** When a presigned URL stops working; null for the API's own PUT. */
    expiresAt: Timestamp.nullable(),
  })
  .meta({ id: 'UploadTarget' });
export type UploadTarget = z.infer<typeof UploadTarget>;
