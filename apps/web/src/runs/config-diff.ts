// Configs side by side: each config flattened to `a.b.c` paths, one row per path, marked when the
// runs' values differ.

export type Flat = Map<string, string>;

/** `{a: {b: 1}, c: [2]}` → `a.b = 1`, `c.0 = 2` (values as JSON). */
export function flatten(value: unknown, prefix = '', out: Flat = new Map()): Flat {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value)
      ? value.map((v, i) => [String(i), v] as const)
      : Object.entries(value);
    if (entries.length === 0) out.set(prefix, JSON.stringify(value));
    for (const [k, v] of entries) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out.set(prefix, JSON.stringify(value));
  }
  return out;
}

export interface DiffRow {
  path: string;
  /** One value per config; undefined where that config lacks the path. */
  values: (string | undefined)[];
  differs: boolean;
}

export function diffRows(configs: readonly unknown[]): DiffRow[] {
  const flats = configs.map((c) => flatten(c));
  const paths = [...new Set(flats.flatMap((f) => [...f.keys()]))].sort();
  return paths.map((path) => {
    const values = flats.map((f) => f.get(path));
    return { path, values, differs: new Set(values).size > 1 };
  });
}
