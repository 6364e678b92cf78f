// Malformed requests for one operation of the OpenAPI document, as a fast-check arbitrary: path
// parameters, query values and bodies broken in the ways hostile clients break them. Each request
// says whether it must be refused (`fatal`): every write, and the live stream, always carries at
// least one break that must be, so that no generated request can change what is stored.
import fc from 'fast-check';
import { unstorableText } from '@curio/contracts';
import { BODY_BREAKS, BrokenBody, type BodyBreak } from './body.js';
import { numberRefused, type OpenApiDoc, type Operation } from './openapi.js';
import { validBody, validParam, type World } from './world.js';

export interface FuzzRequest {
  operation: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  /** Why it must be refused with a 4xx; empty when a 2xx is fine (a read). */
  fatal: string[];
  /** What was done to it, for the report. */
  breaks: string[];
}

/** Percent-encode any string, lone surrogates included (as the bytes a careless encoder sends). */
export function percentEncode(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (ch.length === 1 && code >= 0xd800 && code <= 0xdfff)
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    else out += encodeURIComponent(ch);
  }
  return out;
}

const RAW_PARAMS = ['%00', 'x%00y', '%ED%A0%80', '%ED%B0%80abc', '%FF', '%C0%80', '%E2%82', '%'];
const NUMBERS = ['99999999999', '2147483648', '-1', '0', '1e400', 'NaN', '1.5', '0x10'];
const ODD_KEYS = ['..', '%2e%2e/x', 'a%2Fb', 'taken', 'taken/file/x', '.hidden', 'a//b', '/abs'];

/** A raw (percent-encoded) value for a path parameter; undefined keeps the valid one. */
const pathValue: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 10, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: fc.stringMatching(/^[a-z0-9_]{1,30}$/) },
  { weight: 2, arbitrary: fc.constantFrom(...RAW_PARAMS) },
  { weight: 1, arbitrary: fc.constantFrom(...NUMBERS) },
  { weight: 1, arbitrary: fc.integer({ min: 101, max: 3000 }).map((n) => 'a'.repeat(n)) },
  {
    weight: 1,
    arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }).map(percentEncode),
  },
  { weight: 1, arbitrary: fc.constantFrom(...ODD_KEYS) },
);

/** Blob keys: the path values, and more keys that collide with a blob or a folder of blobs. */
const keyValue: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 3, arbitrary: pathValue },
  {
    weight: 1,
    arbitrary: fc.constantFrom('taken', 'taken/file/x', 'taken/file/x/y', 'checkpoints'),
  },
);

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
const CURSORS = [
  b64('c1:99999999999'),
  b64('c1:-1'),
  b64('c1:\0'),
  b64('c1:1e400'),
  b64('nope'),
  'not*base64',
  'a'.repeat(300),
];

/** A raw query value for a parameter of `type`; undefined leaves the parameter out. */
function queryValue(type: string | undefined): fc.Arbitrary<string | undefined> {
  const special =
    type === 'integer'
      ? fc.constantFrom('10', '0', '-1', '201', '99999999999', 'abc', '1.5', '1e400', '')
      : fc.constantFrom('queued', 'nope', 'x', '', ...CURSORS);
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant(undefined) },
    { weight: 3, arbitrary: special },
    { weight: 1, arbitrary: fc.constantFrom(...RAW_PARAMS) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }).map(percentEncode) },
  );
}

const bodyBreak: fc.Arbitrary<BodyBreak> = fc.record({
  kind: fc.constantFrom(...BODY_BREAKS),
  pick: fc.nat(),
  variant: fc.nat(),
  size: fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 33, max: 5000 })),
});

/** Keys of the world's blob store that are folders, or lie under a file. */
function collides(key: string): boolean {
  if (['taken', 'checkpoints', 'checkpoints/00000001'].includes(key)) return true;
  return key.startsWith('taken/file/') || key.startsWith('checkpoints/00000001/weights.bin/');
}

/** Why a raw parameter value must be refused, or undefined when it may be accepted. */
function paramRefused(op: Operation, name: string, raw: string): string | undefined {
  let text: string;
  try {
    text = decodeURIComponent(raw);
  } catch {
    return `${name}: not percent-encoded UTF-8`;
  }
  const bad = unstorableText(text);
  if (bad) return `${name} ${bad}`;
  const schema = op.params.find((p) => p.name === name)?.schema;
  if (schema?.type === 'integer' && numberRefused(schema, text.trim() === '' ? NaN : Number(text)))
    return `${name} = ${text} is not an integer in range`;
  if (name === 'key') {
    const safe =
      text.length <= 1024 &&
      text.split('/').every((s) => /^[A-Za-z0-9_][A-Za-z0-9._-]{0,199}$/.test(s));
    if (!safe) return `key ${text} is not a safe key`;
    if (op.method === 'PUT' && collides(text)) return `key ${text} collides with a blob`;
  }
  return undefined;
}

const extraQuery = fc.oneof(
  { weight: 4, arbitrary: fc.constant([] as [string, string][]) },
  {
    weight: 1,
    arbitrary: fc.array(
      fc.tuple(
        fc.constantFrom('zz', 'limit', '%00', 'a%ED%A0%80'),
        fc.constantFrom(...RAW_PARAMS, 'x', '1'),
      ),
      { minLength: 1, maxLength: 2 },
    ),
  },
);

function planFor(op: Operation) {
  const pathParams = op.params.filter((p) => p.in === 'path');
  const queryParams = op.params.filter((p) => p.in === 'query');
  return fc.record({
    path: fc.tuple(...pathParams.map((p) => (p.name === 'key' ? keyValue : pathValue))),
    query: fc.tuple(
      ...queryParams.map((p) =>
        queryValue(typeof p.schema.type === 'string' ? p.schema.type : undefined),
      ),
    ),
    extraQuery,
    body: fc.array(bodyBreak, { minLength: 1, maxLength: 3 }),
    bytes: fc.uint8Array({ maxLength: 64 }),
  });
}
type Plan = ReturnType<typeof planFor> extends fc.Arbitrary<infer P> ? P : never;

/** A request being put together: what must make it refused, and what was broken. */
interface Draft {
  params: Map<string, string>;
  query: string[];
  body?: string | Uint8Array;
  contentType?: string;
  fatal: string[];
  breaks: string[];
}

function breakUrl(draft: Draft, op: Operation, world: World, plan: Plan): void {
  op.params
    .filter((p) => p.in === 'path')
    .forEach((p, i) => {
      const given = plan.path[i];
      const raw = given ?? percentEncode(validParam(world, op.path, p.name)).replace(/%2F/g, '/');
      if (given !== undefined) draft.breaks.push(`{${p.name}}=${raw.slice(0, 40)}`);
      const why = paramRefused(op, p.name, raw);
      if (why) draft.fatal.push(why);
      draft.params.set(p.name, raw);
    });
  op.params
    .filter((p) => p.in === 'query')
    .forEach((p, i) => {
      if (plan.query[i] !== undefined) draft.query.push(`${p.name}=${plan.query[i]}`);
    });
  for (const [name, value] of plan.extraQuery) draft.query.push(`${name}=${value}`);
  for (const pair of draft.query) {
    const at = pair.indexOf('=');
    const why =
      paramRefused(op, 'query', pair.slice(0, at)) ?? paramRefused(op, 'query', pair.slice(at + 1));
    if (why) draft.fatal.push(`query ${why}`);
  }
  if (draft.query.length) draft.breaks.push(`?${draft.query.join('&').slice(0, 60)}`);
}

function breakBody(draft: Draft, doc: OpenApiDoc, op: Operation, world: World, plan: Plan) {
  const [first] = plan.body as [BodyBreak];
  if (op.body?.contentType === 'application/json') {
    const broken = new BrokenBody(structuredClone(validBody(world, op.name)), doc, op.body.schema);
    let last: string | undefined;
    for (const b of plan.body) {
      last = broken.apply(b);
      draft.breaks.push(`body:${b.kind}`);
    }
    if (mustRefuse(op) && draft.fatal.length === 0 && last === undefined) {
      last = broken.apply({ ...first, kind: 'text' });
      draft.breaks.push('body:text');
    }
    if (last) draft.fatal.push(last);
    draft.body = broken.serialize();
    draft.contentType = broken.contentType;
  } else if (op.body) {
    draft.body = plan.bytes;
    draft.contentType = op.body.contentType;
  } else if (op.method !== 'GET') {
    const [body, contentType, why] = NO_BODY_BREAKS[first.variant % NO_BODY_BREAKS.length]!;
    draft.body = body.replace('DEEP', '['.repeat(first.size));
    draft.contentType = contentType;
    draft.fatal.push(why);
    draft.breaks.push(`body:${why}`);
  }
}

/** Bodies sent to writes that take none (cancel, revoke, delete): each must be refused. */
const NO_BODY_BREAKS: [body: string, contentType: string, why: string][] = [
  ['{"x":DEEP', 'application/json', 'a body that is not JSON'],
  ['{}', 'text/plain', 'a body that says it is not JSON'],
  ['{"force":true}', 'application/json', 'a body where none is taken'],
];

/** Writes, and the live stream (which would stay open), must carry a break that is refused. */
function mustRefuse(op: Operation): boolean {
  return op.method !== 'GET' || op.path.endsWith('/stream');
}

export function requestsFor(
  doc: OpenApiDoc,
  op: Operation,
  world: World,
): fc.Arbitrary<FuzzRequest> {
  return planFor(op).map((plan) => {
    const draft: Draft = { params: new Map(), query: [], fatal: [], breaks: [] };
    breakUrl(draft, op, world, plan);
    breakBody(draft, doc, op, world, plan);
    if (mustRefuse(op) && draft.fatal.length === 0) {
      const first = op.params.find((p) => p.in === 'path');
      if (first) draft.params.set(first.name, `${draft.params.get(first.name)}%00`);
      else draft.query.push('fuzz=%00');
      draft.fatal.push('a NUL in the URL');
      draft.breaks.push('url:NUL');
    }
    const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => draft.params.get(name)!);
    const headers: Record<string, string> = {};
    const key = op.path.startsWith('/v1/worker/')
      ? world.token
      : op.path.startsWith('/v1/admin/')
        ? world.adminToken
        : op.name === 'POST /v1/bootstrap'
          ? undefined
          : world.key;
    if (key) headers.authorization = `Bearer ${key}`;
    if (draft.contentType) headers['content-type'] = draft.contentType;
    return {
      operation: op.name,
      method: op.method,
      url: draft.query.length ? `${path}?${draft.query.join('&')}` : path,
      headers,
      ...(draft.body !== undefined && { body: draft.body }),
      fatal: draft.fatal,
      breaks: draft.breaks,
    };
  });
}
