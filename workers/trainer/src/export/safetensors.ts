// A small safetensors writer (no maintained npm package writes the format; npm's
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
