// Printing: aligned tables (hand-made: plain columns that grep and cut handle, no box drawing),
// JSON for --json, and the formats numbers are shown in.
import pc from 'picocolors';

export interface Out {
  /** Results: tables, JSON, ids. */
  log(line?: string): void;
  /** Progress and notes (stderr), kept out of what --json prints. */
  note(line?: string): void;
}

export const console_: Out = {
  log: (line = '') => process.stdout.write(`${line}\n`),
  note: (line = '') => process.stderr.write(`${line}\n`),
};

export function printJson(out: Out, value: unknown): void {
  out.log(JSON.stringify(value, null, 2));
}

export type Align = 'left' | 'right';

export interface Column<T> {
  header: string;
  value: (row: T) => string;
  align?: Align;
}

/** Characters a string takes on screen (colour codes take none). */
export function visibleLength(s: string): number {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\x1b\[[0-9;]*m/g, '').length;
}

function pad(s: string, width: number, align: Align): string {
  const fill = ' '.repeat(Math.max(0, width - visibleLength(s)));
  return align === 'right' ? fill + s : s + fill;
}

/** Rows under a header, columns two spaces apart. */
export function table<T>(rows: readonly T[], columns: readonly Column<T>[]): string[] {
  const cells = rows.map((r) => columns.map((c) => c.value(r)));
  const widths = columns.map((c, i) =>
    Math.max(c.header.length, ...cells.map((row) => visibleLength(row[i]!))),
  );
  const line = (values: string[], header = false) =>
    values
      .map((v, i) => pad(header ? pc.bold(v) : v, widths[i]!, columns[i]!.align ?? 'left'))
      .join('  ')
      .trimEnd();
  return [
    line(
      columns.map((c) => c.header),
      true,
    ),
    ...cells.map((row) => line(row)),
  ];
}

export function printTable<T>(
  out: Out,
  rows: readonly T[],
  columns: readonly Column<T>[],
  empty: string,
): void {
  if (rows.length === 0) return out.log(pc.dim(empty));
  for (const line of table(rows, columns)) out.log(line);
}

/** `key  value` lines, keys aligned. */
export function printFields(out: Out, fields: [string, string][]): void {
  const width = Math.max(...fields.map(([k]) => k.length));
  for (const [k, v] of fields) out.log(`${pc.dim(k.padEnd(width))}  ${v}`);
}

// ── formats ──────────────────────────────────────────────────────────────────────────────────

/** 75s → "1m15s"; 3725s → "1h02m"; 4.2s → "4.2s". */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  if (seconds < 10) return `${seconds.toFixed(1)}s`;
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** USD, with enough digits to tell small CPU costs apart. */
export function cost(usd: number | null | undefined): string {
  if (usd === null || usd === undefined || !Number.isFinite(usd)) return '–';
  if (usd === 0) return '$0';
  if (usd < 0.01) return `$${usd.toFixed(5)}`;
  if (usd < 10) return `$${usd.toFixed(3)}`;
  return `$${usd.toFixed(2)}`;
}

/** 0.4237 → "42.4%". */
export function percent(fraction: number | null | undefined, digits = 1): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '–';
  return `${(fraction * 100).toFixed(digits)}%`;
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

/** An ISO timestamp as "2026-11-24 14:05:31" (local time), or – . */
export function when(iso: string | null | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

const STATUS_COLOURS: Record<string, (s: string) => string> = {
  queued: pc.dim,
  dispatching: pc.cyan,
  running: pc.cyan,
  succeeded: pc.green,
  failed: pc.red,
  canceled: pc.yellow,
};

export function status(s: string): string {
  return (STATUS_COLOURS[s] ?? ((x: string) => x))(s);
}
