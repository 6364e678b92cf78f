// Text the store can hold: PostgreSQL refuses a NUL character and a lone surrogate (half of a
// UTF-16 pair) in text and JSON. The API refuses such text with a 400; a worker makes its own
// free text (log messages, errors) storable before it sends it.

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Why `text` cannot be stored, or undefined when it can. */
export function unstorableText(text: string): string | undefined {
  if (text.includes('\0')) return 'contains a NUL character';
  LONE_SURROGATE.lastIndex = 0;
  if (LONE_SURROGATE.test(text)) return 'contains a lone surrogate (not valid Unicode)';
  return undefined;
}

/** `text` with each NUL and lone surrogate replaced by U+FFFD. */
export function storableText(text: string): string {
  return text.replace(/\0/g, '\ufffd').replace(LONE_SURROGATE, '\ufffd');
}

/** A JSON value with every string (and key) made storable. */
export function storableJson(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return value.map(storableJson);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [storableText(k), storableJson(v)]),
  );
}
