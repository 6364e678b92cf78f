// A small safetensors writer and reader (no maintained npm package writes the format; npm's
// `safetensors` is a 0.0.1 placeholder). The format (huggingface/safetensors): an 8-byte
// little-endian header length N, N bytes of JSON
// `{name: {dtype, shape, data_offsets: [begin, end]}, __metadata__?: {…}}` (padded with spaces
// to a multiple of 8), then the tensors' raw little-endian bytes, offsets counted from the end
// of the header. Only F32 is written: Curio's weights are float32.

export interface NamedTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

interface HeaderEntry {
  dtype: 'F32';
  shape: number[];
  data_offsets: [number, number];
}

const ALIGN = 8;

/** Encode tensors (in the given order) and string metadata as one safetensors file. */
export function encodeSafetensors(
  tensors: readonly NamedTensor[],
  metadata: Record<string, string> = {},
): Uint8Array {
  const header: Record<string, HeaderEntry | Record<string, string>> = { __metadata__: metadata };
  let offset = 0;
  for (const t of tensors) {
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (size !== t.data.length)
      throw new Error(`${t.name}: shape [${t.shape}] does not hold ${t.data.length} values`);
    if (t.name in header) throw new Error(`tensor ${t.name} named twice`);
    header[t.name] = {
      dtype: 'F32',
      shape: t.shape,
      data_offsets: [offset, offset + t.data.byteLength],
    };
    offset += t.data.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((ALIGN - ((ALIGN + json.length) % ALIGN)) % ALIGN);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(ALIGN + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, ALIGN);
  let at = ALIGN + headerBytes.length;
  for (const t of tensors) {
    // Float32Array is host-endian; every platform Node runs on here is little-endian.
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  return out;
}

/** Decode a safetensors file of F32 tensors (what `encodeSafetensors` writes). */
export function decodeSafetensors(bytes: Uint8Array): {
  tensors: Map<string, NamedTensor>;
  metadata: Record<string, string>;
} {
  if (bytes.length < ALIGN)
    throw new Error('not a safetensors file: shorter than its header length');
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  if (ALIGN + length > bytes.length)
    throw new Error(`not a safetensors file: header length ${length} exceeds the file`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(ALIGN, ALIGN + length))) as Record<
      string,
      unknown
    >;
  } catch {
    throw new Error('not a safetensors file: the header is not JSON');
  }
  const body = ALIGN + length;
  const tensors = new Map<string, NamedTensor>();
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const e = value as HeaderEntry;
    if (e.dtype !== 'F32') throw new Error(`tensor ${name}: dtype ${e.dtype} is not F32`);
    const [begin, end] = e.data_offsets;
    if (body + end > bytes.length || end < begin) throw new Error(`tensor ${name} is truncated`);
    const data = new Float32Array(bytes.slice(body + begin, body + end).buffer);
    tensors.set(name, { name, shape: e.shape, data });
  }
  return { tensors, metadata: (header.__metadata__ ?? {}) as Record<string, string> };
}
