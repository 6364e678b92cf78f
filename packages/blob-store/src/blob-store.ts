// What every blob store offers: blobs under flat keys of `/`-separated segments (`<runId>/<key>`
// for a run's uploads, `uploads/<teamId>/<name>.tar` for a team's shards). The filesystem store
// (the API's default, Node-only) and the S3 store implement it; only the S3 store presigns.

export interface StoredBlob {
  stream: ReadableStream<Uint8Array>;
  size: number;
}

export interface BlobInfo {
  key: string;
  size: number;
  modifiedAt: Date;
}

/** A request anyone holding it may make, without other credentials, until `expiresAt`. */
export interface PresignedRequest {
  method: 'GET' | 'PUT';
  url: string;
  /** Headers the request must carry as they are (they are part of the signature). */
  headers: Record<string, string>;
  expiresAt: Date;
}

export interface PresignPutOptions {
  /** Seconds the URL stays good. */
  expiresInSeconds: number;
  /** The exact size the upload must have. */
  bytes?: number;
  /** Refuse the upload when the key holds a blob already (`If-None-Match: *`). */
  exclusive?: boolean;
}

/** Thrown by `put` past `maxBytes`; the API answers it with a 413. */
export class BlobTooLargeError extends Error {
  constructor(
    readonly key: string,
    readonly maxBytes: number,
  ) {
    super(`blob ${key} is larger than ${maxBytes} bytes`);
    this.name = 'BlobTooLargeError';
  }
}

/** Thrown by `put({ exclusive })` when the key holds a blob already; the API answers 409. */
export class BlobExistsError extends Error {
  constructor(readonly key: string) {
    super(`a blob exists at ${key} already`);
    this.name = 'BlobExistsError';
  }
}

export interface BlobStore {
  readonly kind: 'filesystem' | 's3';
  /** Where the blob lives, for records and shard locations (`file:///…` or `s3://bucket/…`). */
  uri(key: string): string;
  /** Stream `body` to the key; throws `BlobTooLargeError` past `maxBytes`. Returns the size. */
  put(
    key: string,
    body: ReadableStream<Uint8Array> | null,
    maxBytes: number,
    options?: { exclusive?: boolean },
  ): Promise<number>;
  /** The blob, or undefined when there is none. */
  get(key: string): Promise<StoredBlob | undefined>;
  /** Whether a blob, or blobs under `key/`, exist. */
  exists(key: string): Promise<boolean>;
  /** Delete the blob and every blob under `key/` (nothing there is not an error). */
  remove(key: string): Promise<void>;
  /** Blobs whose key starts with `prefix`, sorted by key. */
  list(prefix: string): Promise<BlobInfo[]>;
  /** A URL to PUT the key with, when the store can sign one. */
  presignPut?(key: string, options: PresignPutOptions): Promise<PresignedRequest>;
  /** A URL to GET the key with, when the store can sign one. */
  presignGet?(key: string, expiresInSeconds: number): Promise<PresignedRequest>;
}

const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,199}$/;

/** True when the key is `seg/seg/…` of safe segments (no `..`, no `/` at the ends). */
export function isSafeKey(key: string): boolean {
  return key.length <= 1024 && key.split('/').every((s) => SEGMENT.test(s));
}
