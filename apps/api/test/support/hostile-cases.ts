// The hostile-input cases, one rule per group, each with the answer and the field it must name.
import type { CallOptions } from './api.js';
import type { Catalog } from './catalog.js';

export interface HostileCase {
  label: string;
  method: string;
  url: string;
  options: CallOptions;
  status: number;
  /** The `errors[].path` the problem must name (a RegExp: a path or the detail must match). */
  field: string | RegExp;
}

export interface Target {
  key: string;
  keyId: string;
  token: string;
  runId: string;
  cat: Catalog;
}

type Row = [
  label: string,
  method: string,
  url: string,
  options: CallOptions,
  status: number,
  field: string | RegExp,
];
const rows = (list: Row[]): HostileCase[] =>
  list.map(([label, method, url, options, status, field]) => ({
    label,
    method,
    url,
    options,
    status,
    field,
  }));
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');

/** NUL bytes and lone surrogates in the path, the query, JSON strings and keys. */
export function textCases({ key, runId }: Target): HostileCase[] {
  const json = (body: unknown): CallOptions => ({ key, json: body });
  return rows([
    ['NUL in a path id', 'GET', '/v1/pools/pool%00x', { key }, 400, 'id'],
    ['NUL in a DELETE id', 'DELETE', '/v1/keys/%00', { key }, 400, 'id'],
    ['a lone surrogate in a path id', 'GET', '/v1/runs/%ED%A0%80', { key }, 400, 'id'],
    ['NUL in a worker run id', 'GET', '/v1/worker/runs/x%00/assignment', { key }, 400, 'runId'],
    ['NUL in a blob key', 'GET', `/v1/worker/runs/${runId}/blobs/a/b%00/c`, { key }, 400, 'key'],
    [
      'a version that is not UTF-8',
      'GET',
      `/v1/metadata-sets/x/versions/%FF`,
      { key },
      400,
      'version',
    ],
    ['NUL in a query value', 'GET', '/v1/runs?experimentId=a%00b', { key }, 400, 'experimentId'],
    ['a cursor holding NUL', 'GET', `/v1/pools?cursor=${b64('c1:\0')}`, { key }, 400, 'cursor'],
    [
      'NUL in a JSON string',
      'POST',
      '/v1/pools',
      json({ name: 'a\0b', shards: ['x'] }),
      400,
      'name',
    ],
    [
      'a lone surrogate in a JSON string',
      'POST',
      '/v1/metadata-sets',
      json({ name: 'm', names: ['ok', 'x\ud800'] }),
      400,
      'names.1',
    ],
    ['NUL in a JSON key', 'POST', '/v1/keys', json({ name: 'k', ['r\0']: 1 }), 400, 'r\\x00'],
    ['a stream with NUL in its id', 'GET', `/v1/runs/${runId}%00/stream`, { key }, 400, 'id'],
  ]);
}

/** Integers past their column, bounds on what reaches the trainer, oversized arrays. */
export function numberCases({ key, runId, cat }: Target): HostileCase[] {
  const config = { poolId: cat.poolId, metadataSetId: cat.metadataSetId, stop: { maxSteps: 5 } };
  const experiment = (patch: Record<string, unknown>): CallOptions => ({
    key,
    json: { name: 'e', config: { ...config, ...patch } },
  });
  const versions = `/v1/metadata-sets/${cat.metadataSetId}/versions`;
  return rows([
    ['a version past int4', 'GET', `${versions}/99999999999`, { key }, 400, 'version'],
    [
      'a cursor past int4',
      'GET',
      `/v1/runs/${runId}/events?cursor=${b64('c1:99999999999')}`,
      { key },
      400,
      'cursor',
    ],
    [
      'a metadata version past int4',
      'POST',
      '/v1/experiments',
      experiment({ metadataVersion: 2 ** 31 }),
      400,
      'config.metadataVersion',
    ],
    [
      'stop.maxSteps 2^31',
      'POST',
      '/v1/experiments',
      experiment({ stop: { maxSteps: 2 ** 31 } }),
      400,
      'config.stop.maxSteps',
    ],
    [
      'a batch of a million',
      'POST',
      '/v1/experiments',
      experiment({ training: { batchSize: 1e6 } }),
      400,
      'config.training.batchSize',
    ],
    [
      'a sub-batch past the bound',
      'POST',
      '/v1/experiments',
      experiment({ training: { batchSize: 64, subBatch: 2 ** 20 } }),
      400,
      'config.training.subBatch',
    ],
    [
      'an eval interval past the bound',
      'POST',
      '/v1/experiments',
      experiment({ eval: { everySteps: 1e9 } }),
      400,
      'config.eval.everySteps',
    ],
    [
      'a checkpoint interval of 0',
      'POST',
      '/v1/experiments',
      experiment({ checkpoint: { everySteps: 0 } }),
      400,
      'config.checkpoint.everySteps',
    ],
    [
      'an oversized array',
      'POST',
      '/v1/pools',
      { key, json: { name: 'p', shards: Array(10_001).fill('x') } },
      400,
      'shards',
    ],
  ]);
}

/** `device` is a kind of the price table, never any string. */
export function deviceCases({ key, token, runId, cat }: Target): HostileCase[] {
  const run = (device: string): CallOptions => ({
    key,
    json: { experimentId: cat.experimentId, device },
  });
  return rows([
    ['a device that is a path', 'POST', '/v1/runs', run('../../../../etc/passwd'), 400, 'device'],
    ['a device the price table lacks', 'POST', '/v1/runs', run('quantum'), 422, 'device'],
    [
      'a schedule on an unpriced device',
      'POST',
      '/v1/schedules',
      {
        key,
        json: { experimentId: cat.experimentId, everyMinutes: 5, run: { device: 'default' } },
      },
      422,
      'run.device',
    ],
    [
      'a device the worker names as a path',
      'POST',
      `/v1/worker/runs/${runId}/started`,
      { key: token, json: { attempt: 1, backend: 'wasm', device: '../x' } },
      400,
      'device',
    ],
  ]);
}

/** Bodies that are not JSON, or not the JSON the route takes; `cancel` among them. */
export function bodyCases({ key, keyId, runId }: Target): HostileCase[] {
  const raw = (body: string, type = 'application/json'): CallOptions => ({
    key,
    body,
    headers: { 'content-type': type },
  });
  const cancel = `/v1/runs/${runId}/cancel`;
  return rows([
    [
      'cancel with a body that is not JSON',
      'POST',
      cancel,
      raw('{"reason":'),
      400,
      /malformed JSON/,
    ],
    ['cancel with a text body', 'POST', cancel, raw('now', 'text/plain'), 415, /text\/plain/],
    ['cancel with unknown fields', 'POST', cancel, { key, json: { force: true } }, 400, '(root)'],
    [
      'a DELETE with a text body',
      'DELETE',
      `/v1/keys/${keyId}`,
      raw('{}', 'text/plain'),
      415,
      /text\/plain/,
    ],
  ]);
}

/** Worker bodies: steps past int4, nesting 5,000 deep, NUL in a message, colliding blob keys. */
export function workerCases({ token, runId }: Target): HostileCase[] {
  const w = (path: string) => `/v1/worker/runs/${runId}${path}`;
  const json = (body: unknown): CallOptions => ({ key: token, json: body });
  const deep = '['.repeat(5000) + ']'.repeat(5000);
  const nested: CallOptions = {
    key: token,
    body: `{"events":[{"type":"log","message":"m","data":{"d":${deep}}}]}`,
    headers: { 'content-type': 'application/json' },
  };
  const bytes: CallOptions = { key: token, body: new Uint8Array([2]) };
  return rows([
    [
      'a worker step past int4',
      'POST',
      w('/heartbeat'),
      json({ attempt: 1, step: 2147483648, deviceSeconds: 1 }),
      400,
      'step',
    ],
    [
      'a metric step past int4',
      'POST',
      w('/metrics'),
      json({ points: [{ step: 2 ** 31, name: 'loss', value: 1 }] }),
      400,
      'points.0.step',
    ],
    [
      'worker event data 5,000 deep',
      'POST',
      w('/events'),
      nested,
      400,
      /^events\.0\.data\.d(\.0)+$/,
    ],
    [
      'NUL in a worker message',
      'POST',
      w('/events'),
      json({ events: [{ type: 'log', message: 'a\0' }] }),
      400,
      'events.0.message',
    ],
    ['a blob key under a blob', 'PUT', w('/blobs/ckpt/weights.bin/more'), bytes, 409, 'key'],
    ['a blob key that is a folder', 'PUT', w('/blobs/ckpt'), bytes, 409, 'key'],
  ]);
}
