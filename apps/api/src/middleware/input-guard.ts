// One gate for malformed input, before any route sees it: the path and the query must be valid
// percent-encoded UTF-8; no string anywhere (path segments, query names and values, JSON keys and
// strings) may hold a NUL byte or a lone surrogate (PostgreSQL cannot store either); a JSON body
// must say it is JSON (else 415), parse, nest at most `maxDepth` deep and hold no array longer
// than `maxArray`. Each refusal is a 400 naming the field. Raw uploads (worker blobs, team shards)
// are checked by their route.
import { unstorableText } from '@curio/contracts';
import type { MiddlewareHandler } from 'hono';
import { ApiError, badRequest, type FieldError } from '../http/problem.js';
import { escapeControl } from '../http/text.js';

export interface InputLimits {
  /** Deepest nesting of arrays and objects in a JSON body. */
  maxDepth: number;
  /** Longest array in a JSON body. */
  maxArray: number;
}

const JSON_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;

/** The name of the path parameter at segment `i` of `segments`, when a route template says. */
export type SegmentNamer = (segments: readonly string[], i: number) => string | undefined;

/**
 * Names path segments by the route templates (`/v1/pools/{id}`: segment 3 is `id`); a last
 * `{key}` takes the rest of the path (blob keys hold "/"). `templates` is read on first use, once
 * every route is registered.
 */
export function segmentNamer(templates: () => readonly string[]): SegmentNamer {
  let split: string[][] | undefined;
  return (segments, i) => {
    split ??= [...new Set(templates())].map((t) => t.split('/'));
    for (const tpl of split) {
      const rest = tpl.at(-1) === '{key}';
      if (rest ? segments.length < tpl.length : segments.length !== tpl.length) continue;
      const matches = tpl.every((part, j) => part.startsWith('{') || part === segments[j]);
      if (!matches) continue;
      const part = tpl[Math.min(i, tpl.length - 1)]!;
      if ((i < tpl.length || rest) && part.startsWith('{')) return part.slice(1, -1);
    }
    return undefined;
  };
}

export function inputGuard(
  limits: InputLimits,
  isRawBody: (method: string, path: string) => boolean,
  nameSegment: SegmentNamer = () => undefined,
): MiddlewareHandler {
  return async (c, next) => {
    const url = new URL(c.req.url);
    checkPath(url.pathname, nameSegment);
    checkQuery(url.search);
    if (!isRawBody(c.req.method, c.req.path)) await checkJsonBody(c.req, limits);
    await next();
  };
}

function refuse(slug: string, where: string, path: string, message: string): never {
  throw badRequest(slug, `invalid ${where}: ${path}: ${message}`, [{ path, message }]);
}

function decodeStrict(raw: string, where: string, path: string | (() => string)): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    const name = typeof path === 'string' ? path : path();
    return refuse(
      'malformed-url',
      where,
      escapeControl(name, true),
      'is not valid percent-encoded UTF-8',
    );
  }
}

function checkPath(pathname: string, nameSegment: SegmentNamer): void {
  const segments = pathname.split('/');
  segments.forEach((raw, i) => {
    const name = () => nameSegment(segments, i) ?? `path segment ${i}`;
    const segment = decodeStrict(raw, 'path', name);
    const why = unstorableText(segment);
    if (why) refuse('invalid-text', 'path', name(), why);
  });
}

function checkQuery(search: string): void {
  for (const pair of search.replace(/^\?/, '').split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const rawName = at === -1 ? pair : pair.slice(0, at);
    const name = decodeStrict(rawName.replace(/\+/g, ' '), 'query', 'query parameter names');
    const why = unstorableText(name);
    if (why) refuse('invalid-text', 'query', 'query parameter name', why);
    if (at === -1) continue;
    const value = decodeStrict(pair.slice(at + 1).replace(/\+/g, ' '), 'query', name);
    const bad = unstorableText(value);
    if (bad) refuse('invalid-text', 'query', escapeControl(name, true), bad);
  }
}

async function checkJsonBody(
  req: { raw: Request; header(name: string): string | undefined; text(): Promise<string> },
  limits: InputLimits,
): Promise<void> {
  if (req.raw.body === null) return;
  const text = await req.text();
  if (text === '') return;
  const type = req.header('content-type');
  if (type === undefined || !JSON_TYPE.test(type))
    throw new ApiError(
      415,
      'unsupported-media-type',
      type
        ? `content type ${escapeControl(type, true)} is not accepted here: send application/json`
        : 'this request has a body but no Content-Type: send application/json',
    );
  if (text.trim() === '') return;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest('malformed-json', 'the request body is not valid JSON (malformed JSON)');
  }
  const problem = findProblem(value, limits);
  if (problem)
    throw badRequest(
      problem.slug,
      `invalid request body: ${problem.error.path}: ${problem.error.message}`,
      [problem.error],
    );
}

interface Problem {
  slug: string;
  error: FieldError;
}

interface Node {
  value: unknown;
  key: string;
  depth: number;
  parent: Node | undefined;
}

/** "a.b.0.c" for a node (keys escaped), "(root)" for the body itself. */
function pathOf(node: Node): string {
  const keys: string[] = [];
  for (let n: Node | undefined = node; n?.parent; n = n.parent)
    keys.push(escapeControl(n.key, true));
  return keys.reverse().join('.') || '(root)';
}

/** The first problem in a parsed JSON value, walking without recursion (any depth is safe). */
function findProblem(root: unknown, limits: InputLimits): Problem | undefined {
  const stack: Node[] = [{ value: root, key: '', depth: 0, parent: undefined }];
  const problem = (slug: string, node: Node, message: string) => ({
    slug,
    error: { path: pathOf(node), message },
  });
  while (stack.length > 0) {
    const node = stack.pop()!;
    const { value, depth } = node;
    if (typeof value === 'string') {
      const why = unstorableText(value);
      if (why) return problem('invalid-text', node, why);
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= limits.maxDepth)
      return problem('too-deep', node, `nests deeper than ${limits.maxDepth} levels`);
    if (Array.isArray(value)) {
      if (value.length > limits.maxArray)
        return problem(
          'array-too-long',
          node,
          `has ${value.length} items; at most ${limits.maxArray}`,
        );
      value.forEach((item, i) =>
        stack.push({ value: item, key: String(i), depth: depth + 1, parent: node }),
      );
      continue;
    }
    for (const [key, item] of Object.entries(value)) {
      const child = { value: item, key, depth: depth + 1, parent: node };
      const why = unstorableText(key);
      if (why) return problem('invalid-text', child, `the key ${why}`);
      stack.push(child);
    }
  }
  return undefined;
}
