// Breaking a valid JSON body, one way at a time, and knowing whether the result must be refused:
// a NUL or lone surrogate anywhere, nesting past the cap, an array past the cap, a number out of
// its schema's range, a wrong type, a missing required field, text that is not JSON, a root that
// is not an object, a body that says it is not JSON. An extra field is the one break that may be
// accepted (most objects ignore unknown keys).
import { unstorableText } from '@curio/contracts';
import {
  numberRefused,
  schemaAt,
  singleType,
  type JsonSchema,
  type OpenApiDoc,
} from './openapi.js';

export const BODY_BREAKS = [
  'text',
  'deep',
  'longArray',
  'number',
  'wrongType',
  'missing',
  'extra',
  'notJson',
  'rootType',
  'contentType',
] as const;
export type BodyBreakKind = (typeof BODY_BREAKS)[number];

export interface BodyBreak {
  kind: BodyBreakKind;
  pick: number;
  variant: number;
  size: number;
}

type Path = (string | number)[];

/** A body being broken: the value, raw JSON spliced in at placeholders, or a whole raw text. */
export class BrokenBody {
  private raws = new Map<string, string>();
  text: string | undefined;
  contentType = 'application/json';

  constructor(
    private value: unknown,
    private readonly doc: OpenApiDoc,
    private readonly schema: JsonSchema,
  ) {}

  /** The body as sent. */
  serialize(): string {
    if (this.text !== undefined) return this.text;
    let out = JSON.stringify(this.value);
    for (const [marker, raw] of this.raws) out = out.replace(JSON.stringify(marker), raw);
    return out;
  }

  /** Apply one break; the reason it must now be refused, or undefined when it may pass. */
  apply(b: BodyBreak): string | undefined {
    const paths = allPaths(this.value);
    const nonRoot = paths.filter((p) => p.length > 0);
    const at = <T>(list: T[]) => list[b.pick % list.length]!;
    switch (b.kind) {
      case 'text':
        return this.unstorableText(b);
      case 'deep': {
        const path = at(paths);
        const nested =
          b.variant % 2
            ? '{"a":'.repeat(b.size) + '1' + '}'.repeat(b.size)
            : '['.repeat(b.size) + ']'.repeat(b.size);
        this.setRaw(path, nested);
        return path.length + b.size > 32 ? `nested ${path.length + b.size} deep` : undefined;
      }
      case 'longArray': {
        const n = 10_001 + (b.variant % 2_000);
        this.setRaw(at(paths), `[${Array(n).fill('0').join(',')}]`);
        return `an array of ${n}`;
      }
      case 'number':
        return this.badNumber(b, nonRoot);
      case 'wrongType': {
        const typed = nonRoot.filter((p) => singleType(this.schemaOf(p)) !== undefined);
        if (typed.length === 0) return this.extra(b);
        const path = at(typed);
        const type = singleType(this.schemaOf(path))!;
        const wrong: Record<string, unknown> = {
          string: 12345,
          number: '12',
          integer: '12',
          boolean: 'yes',
          array: {},
          object: [],
          null: 0,
        };
        this.set(path, wrong[type] ?? null);
        return `${path.join('.')} is not ${type}`;
      }
      case 'missing': {
        const holders = paths.flatMap((p) => {
          const v = get(this.value, p);
          const required = this.schemaOf(p)?.required ?? [];
          return isObject(v) ? required.filter((k) => k in v).map((k) => [...p, k]) : [];
        });
        if (holders.length === 0) return this.extra(b);
        const path = at(holders);
        const parent = get(this.value, path.slice(0, -1)) as Record<string, unknown>;
        delete parent[path.at(-1) as string];
        return `${path.join('.')} is missing`;
      }
      case 'extra':
        return this.extra(b);
      case 'notJson': {
        const text = this.serialize();
        this.text = text.slice(0, b.pick % (text.length + 1)) + '{';
        return 'not JSON';
      }
      case 'rootType':
        this.text = ['[]', '1', '"x"', 'null', 'true', '[{}]'][b.variant % 6]!;
        return 'the body is not an object';
      case 'contentType':
        this.contentType = [
          'text/plain',
          '',
          'application/x-www-form-urlencoded',
          'application/xml',
        ][b.variant % 4]!;
        return `content type "${this.contentType}"`;
    }
  }

  private schemaOf(path: Path): JsonSchema | undefined {
    return schemaAt(this.doc, this.schema, path);
  }

  private unstorableText(b: BodyBreak): string {
    const bad = ['\0', '\ud800', '\udc00', 'a\0b'][b.variant % 4]!;
    const leaves = allPaths(this.value).filter((p) => typeof get(this.value, p) === 'string');
    if (leaves.length > 0 && b.pick % 3 !== 0) {
      const path = leaves[b.pick % leaves.length]!;
      const s = get(this.value, path) as string;
      const at = b.size % (s.length + 1);
      this.set(path, s.slice(0, at) + bad + s.slice(at));
      return `${path.join('.')} ${unstorableText(bad)}`;
    }
    const objects = allPaths(this.value).filter((p) => isObject(get(this.value, p)));
    if (objects.length === 0) this.value = { [`key${bad}`]: 'v' };
    else this.set([...objects[b.pick % objects.length]!, `key${bad}`], 'v');
    return `a key ${unstorableText(bad)}`;
  }

  private badNumber(b: BodyBreak, nonRoot: Path[]): string | undefined {
    if (nonRoot.length === 0) return this.extra(b);
    const numeric = nonRoot.filter((p) => typeof get(this.value, p) === 'number');
    const path =
      numeric.length && b.pick % 4
        ? numeric[b.pick % numeric.length]!
        : nonRoot[b.pick % nonRoot.length]!;
    const values = [
      2147483648,
      99999999999,
      2 ** 53 + 2,
      -1,
      -2147483649,
      1e308,
      0.5,
      0,
      100_000_001,
      Infinity,
    ];
    const n = values[b.variant % values.length]!;
    if (n === Infinity) this.setRaw(path, '1e400');
    else this.set(path, n);
    const schema = this.schemaOf(path);
    return schema && numberRefused(schema, n)
      ? `${path.join('.')} = ${n} is out of range`
      : undefined;
  }

  private extra(b: BodyBreak): undefined {
    const objects = allPaths(this.value).filter((p) => isObject(get(this.value, p)));
    if (objects.length === 0) return undefined;
    const values = [1, 'x', null, [1], { a: 1 }, true, -1, 2 ** 40];
    this.set(
      [...objects[b.pick % objects.length]!, `extra${b.variant % 7}`],
      values[b.variant % values.length],
    );
    return undefined;
  }

  private setRaw(path: Path, raw: string): void {
    const marker = `__raw_${this.raws.size}__`;
    this.raws.set(marker, raw);
    this.set(path, marker);
  }

  private set(path: Path, v: unknown): void {
    if (path.length === 0) {
      this.value = v;
      return;
    }
    const parent = get(this.value, path.slice(0, -1)) as Record<string | number, unknown>;
    parent[path.at(-1)!] = v;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function get(value: unknown, path: Path): unknown {
  let v = value;
  for (const key of path) v = (v as Record<string | number, unknown>)[key];
  return v;
}

/** Every path in a JSON value, the root ([]) first. */
function allPaths(value: unknown, prefix: Path = []): Path[] {
  const out: Path[] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...allPaths(v, [...prefix, i])));
  else if (isObject(value))
    for (const [k, v] of Object.entries(value)) out.push(...allPaths(v, [...prefix, k]));
  return out;
}
