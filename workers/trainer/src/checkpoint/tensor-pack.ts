// Named float32 / int32 arrays packed into one binary blob plus a JSON manifest.

export interface NamedArray {
  shape: number[];
  data: Float32Array | Int32Array;
}

interface ManifestEntry {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  offset: number;
  length: number;
}

const MAGIC = 'CURIOPK1';

export function packArrays(arrays: Map<string, NamedArray>): Uint8Array {
  const entries: ManifestEntry[] = [];
  let offset = 0;
  for (const [name, a] of arrays) {
    const size = a.shape.reduce((x, y) => x * y, 1);
    if (size !== a.data.length)
      throw new Error(`${name}: shape [${a.shape}] does not match ${a.data.length} values`);
    entries.push({
      name,
      shape: a.shape,
      dtype: a.data instanceof Int32Array ? 'int32' : 'float32',
      offset,
      length: a.data.length,
    });
    offset += a.data.length * 4;
  }
  const header = new TextEncoder().encode(JSON.stringify(entries));
  const out = new Uint8Array(8 + 4 + header.length + offset);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(8, header.length, true);
  out.set(header, 12);
  const body = 12 + header.length;
  let i = 0;
  for (const a of arrays.values()) {
    const e = entries[i++] as ManifestEntry;
    out.set(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength), body + e.offset);
  }
  return out;
}

export function unpackArrays(bytes: Uint8Array, what = 'blob'): Map<string, NamedArray> {
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) {
    throw new Error(`${what} is not a Curio tensor pack (bad header)`);
  }
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
  let entries: ManifestEntry[];
  try {
    entries = JSON.parse(
      new TextDecoder().decode(bytes.subarray(12, 12 + headerLength)),
    ) as ManifestEntry[];
  } catch {
    throw new Error(`${what} has a corrupt manifest`);
  }
  const body = 12 + headerLength;
  const out = new Map<string, NamedArray>();
  for (const e of entries) {
    const start = body + e.offset;
    const end = start + e.length * 4;
    if (end > bytes.length) throw new Error(`${what} is truncated (array ${e.name})`);
    const copy = bytes.slice(start, end);
    const data = e.dtype === 'int32' ? new Int32Array(copy.buffer) : new Float32Array(copy.buffer);
    out.set(e.name, { shape: e.shape, data });
  }
  return out;
}
