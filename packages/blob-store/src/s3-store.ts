// The S3 blob store (`@aws-sdk/client-s3`; `@aws-sdk/lib-storage` streams uploads of unknown
// length in parts; `@aws-sdk/s3-request-presigner` signs URLs). Works with any S3-compatible
// endpoint (AWS, R2, MinIO, s3rver): endpoint, region, bucket, key prefix and path-style are
// options; credentials are given or come from the standard AWS chain (env, profile, role).
// No Node-only import, so an edge entry can use it too.
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import {
  BlobExistsError,
  BlobTooLargeError,
  type BlobInfo,
  type BlobStore,
  type PresignPutOptions,
  type PresignedRequest,
  type StoredBlob,
} from './blob-store.js';

export interface S3StoreOptions {
  bucket: string;
  /** Keys are stored under `<prefix>/`; '' for the bucket's root. */
  prefix?: string;
  region?: string;
  /** An S3-compatible endpoint (`http://127.0.0.1:9000`); AWS's own when absent. */
  endpoint?: string;
  /** `https://endpoint/bucket/key` instead of `https://bucket.endpoint/key` (MinIO, s3rver). */
  forcePathStyle?: boolean;
  /** Static credentials; the standard AWS chain (env, profile, role) when absent. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** Whether an SDK error is the given S3 error (by code or HTTP status). */
function isS3Error(error: unknown, names: string[], status?: number): boolean {
  if (!(error instanceof S3ServiceException)) return false;
  return names.includes(error.name) || error.$metadata.httpStatusCode === status;
}

/** `body` passed on unchanged, failing once more than `maxBytes` went through. */
function limited(
  body: ReadableStream<Uint8Array>,
  key: string,
  maxBytes: number,
  counted: (n: number) => void,
): ReadableStream<Uint8Array> {
  let size = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        size += chunk.byteLength;
        counted(size);
        if (size > maxBytes) controller.error(new BlobTooLargeError(key, maxBytes));
        else controller.enqueue(chunk);
      },
    }),
  );
}

export class S3BlobStore implements BlobStore {
  readonly kind = 's3';
  readonly bucket: string;
  readonly prefix: string;
  readonly client: S3Client;

  constructor(private readonly options: S3StoreOptions) {
    this.bucket = options.bucket;
    this.prefix = (options.prefix ?? '').replace(/^\/+|\/+$/g, '');
    this.client = new S3Client({
      region: options.region ?? 'us-east-1',
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      forcePathStyle: options.forcePathStyle ?? false,
      ...(options.credentials ? { credentials: options.credentials } : {}),
      // Checksums only where S3 requires them: S3-compatible servers (and presigned URLs used
      // by plain `fetch`) do not all know the flexible-checksum headers.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  /** A store on another bucket of the same endpoint and credentials, at its root. */
  withBucket(bucket: string): S3BlobStore {
    return new S3BlobStore({ ...this.options, bucket, prefix: '' });
  }

  /** The object key of a store key. */
  objectKey(key: string): string {
    return this.prefix ? `${this.prefix}/${key}` : key;
  }

  private storeKey(objectKey: string): string {
    return this.prefix ? objectKey.slice(this.prefix.length + 1) : objectKey;
  }

  uri(key: string): string {
    return `s3://${this.bucket}/${this.objectKey(key)}`;
  }

  async put(
    key: string,
    body: ReadableStream<Uint8Array> | null,
    maxBytes: number,
    options: { exclusive?: boolean } = {},
  ): Promise<number> {
    if (options.exclusive && (await this.head(key))) throw new BlobExistsError(key);
    let size = 0;
    const upload = new Upload({
      client: this.client,
      params: {
        Bucket: this.bucket,
        Key: this.objectKey(key),
        Body: body ? limited(body, key, maxBytes, (n) => (size = n)) : new Uint8Array(0),
        ...(options.exclusive ? { IfNoneMatch: '*' } : {}),
      },
    });
    try {
      await upload.done();
    } catch (error) {
      if (error instanceof BlobTooLargeError) throw error;
      if (isS3Error(error, ['PreconditionFailed'], 412)) throw new BlobExistsError(key);
      throw error;
    }
    return size;
  }

  private async head(key: string): Promise<{ size: number } | undefined> {
    try {
      const out = await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }),
      );
      return { size: out.ContentLength ?? 0 };
    } catch (error) {
      if (isS3Error(error, ['NotFound', 'NoSuchKey'], 404)) return undefined;
      throw error;
    }
  }

  async get(key: string): Promise<StoredBlob | undefined> {
    try {
      const out = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }),
      );
      if (!out.Body) return undefined;
      return { stream: out.Body.transformToWebStream(), size: out.ContentLength ?? 0 };
    } catch (error) {
      if (isS3Error(error, ['NoSuchKey', 'NotFound'], 404)) return undefined;
      throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    // Blobs under `key/` first: a folder is what the API asks about most (a checkpoint).
    if ((await this.listObjects(`${key}/`, 1)).length > 0) return true;
    return (await this.head(key)) !== undefined;
  }

  async remove(key: string): Promise<void> {
    const keys = [this.objectKey(key), ...(await this.listObjects(`${key}/`)).map((o) => o.key)];
    for (let at = 0; at < keys.length; at += 1000) {
      const batch = keys.slice(at, at + 1000);
      await this.client.send(
        new DeleteObjectsCommand({
          Bucket: this.bucket,
          Delete: { Objects: batch.map((k) => ({ Key: k })), Quiet: true },
        }),
      );
    }
  }

  async list(prefix: string): Promise<BlobInfo[]> {
    const objects = await this.listObjects(prefix);
    return objects
      .map((o) => ({ ...o, key: this.storeKey(o.key) }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** Objects whose store key starts with `prefix` (object keys), at most `max` (pages of 1000). */
  private async listObjects(prefix: string, max = Infinity): Promise<BlobInfo[]> {
    const out: BlobInfo[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: this.objectKey(prefix),
          ContinuationToken: token,
        }),
      );
      for (const o of page.Contents ?? [])
        if (o.Key)
          out.push({ key: o.Key, size: o.Size ?? 0, modifiedAt: o.LastModified ?? new Date(0) });
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token && out.length < max);
    return out.slice(0, max);
  }

  async presignPut(key: string, options: PresignPutOptions): Promise<PresignedRequest> {
    const command = new PutObjectCommand({
      Bucket: this.bucket,
      Key: this.objectKey(key),
      ...(options.bytes !== undefined ? { ContentLength: options.bytes } : {}),
      ...(options.exclusive ? { IfNoneMatch: '*' } : {}),
    });
    const url = await getSignedUrl(this.client, command, {
      expiresIn: options.expiresInSeconds,
      signableHeaders: new Set(options.bytes !== undefined ? ['content-length'] : []),
    });
    const headers: Record<string, string> = {};
    if (options.exclusive) headers['if-none-match'] = '*';
    return { method: 'PUT', url, headers, expiresAt: this.expiry(options.expiresInSeconds) };
  }

  async presignGet(key: string, expiresInSeconds: number): Promise<PresignedRequest> {
    const command = new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) });
    const url = await getSignedUrl(this.client, command, { expiresIn: expiresInSeconds });
    return { method: 'GET', url, headers: {}, expiresAt: this.expiry(expiresInSeconds) };
  }

  private expiry(seconds: number): Date {
    return new Date(Date.now() + seconds * 1000);
  }
}
