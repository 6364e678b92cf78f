// A byte-level BPE tokenizer: ids 0–2 are the special tokens (pad, start and end of text), ids
// 3–258 the 256 bytes, then one id per learned merge. Encoding pads and truncates to a context
// length (the end-of-text token always kept); decoding returns the normalised text. Saved with
// checkpoints as JSON (the merges are the whole model).
import { z } from 'zod';
import { normalizeText, pretokenize } from './pretokenize.js';

export const PAD_ID = 0;
export const SOT_ID = 1;
export const EOT_ID = 2;
export const BYTE_OFFSET = 3;
export const FIRST_MERGE_ID = BYTE_OFFSET + 256;
export const TOKENIZER_FORMAT = 'curio-bpe';

const TokenizerJson = z.object({
  format: z.literal(TOKENIZER_FORMAT),
  version: z.literal(1),
  specials: z.object({ pad: z.literal(PAD_ID), sot: z.literal(SOT_ID), eot: z.literal(EOT_ID) }),
  byteOffset: z.literal(BYTE_OFFSET),
  vocabSize: z.number().int(),
  /** Flat [a0, b0, a1, b1, …]: merge r joins ids a_r and b_r into id 259 + r. */
  merges: z.array(z.number().int().min(0)),
});
export type TokenizerJson = z.infer<typeof TokenizerJson>;

const CACHE_LIMIT = 50_000;

export class Tokenizer {
  readonly pad = PAD_ID;
  readonly sot = SOT_ID;
  readonly eot = EOT_ID;
  private readonly merges: readonly (readonly [number, number])[];
  private readonly ranks = new Map<number, number>();
  private readonly bytesOf: Uint8Array[] = [];
  private readonly cache = new Map<string, number[]>();
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder('utf-8');

  constructor(merges: readonly (readonly [number, number])[]) {
    this.merges = merges.map(([a, b]) => [a, b] as const);
    for (let b = 0; b < 256; b++) this.bytesOf[BYTE_OFFSET + b] = Uint8Array.of(b);
    this.merges.forEach(([a, b], r) => {
      const id = FIRST_MERGE_ID + r;
      if (!(a >= BYTE_OFFSET && a < id && b >= BYTE_OFFSET && b < id)) {
        throw new Error(
          `tokenizer merge ${r} joins ids ${a} and ${b}; both must be token ids in [${BYTE_OFFSET}, ${id})`,
        );
      }
      const key = a * 65536 + b;
      if (this.ranks.has(key))
        throw new Error(`tokenizer merge ${r} repeats the pair (${a}, ${b})`);
      this.ranks.set(key, r);
      const left = this.bytesOf[a]!;
      const right = this.bytesOf[b]!;
      const joined = new Uint8Array(left.length + right.length);
      joined.set(left);
      joined.set(right, left.length);
      this.bytesOf[id] = joined;
    });
  }

  /** Number of ids, specials and bytes included. */
  get vocabSize(): number {
    return FIRST_MERGE_ID + this.merges.length;
  }

  private encodeChunk(chunk: string): number[] {
    const cached = this.cache.get(chunk);
    if (cached) return cached;
    let symbols = Array.from(this.encoder.encode(chunk), (b) => b + BYTE_OFFSET);
    for (;;) {
      let bestRank = Infinity;
      for (let i = 0; i + 1 < symbols.length; i++) {
        const rank = this.ranks.get(symbols[i]! * 65536 + symbols[i + 1]!);
        if (rank !== undefined && rank < bestRank) bestRank = rank;
      }
      if (bestRank === Infinity) break;
      const [a, b] = this.merges[bestRank]!;
      const next: number[] = [];
      for (let i = 0; i < symbols.length; i++) {
        if (i + 1 < symbols.length && symbols[i] === a && symbols[i + 1] === b) {
          next.push(FIRST_MERGE_ID + bestRank);
          i++;
        } else next.push(symbols[i]!);
      }
      symbols = next;
    }
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(chunk, symbols);
    return symbols;
  }

  /** Token ids of the normalised text, without special tokens. */
  tokenize(text: string): number[] {
    return pretokenize(normalizeText(text)).flatMap((chunk) => this.encodeChunk(chunk));
  }

  /**
   * [sot, tokens…, eot] padded with pad to `contextLength`; when too long the tokens are cut and
   * eot stays last.
   */
  encode(text: string, contextLength: number): Int32Array {
    const out = new Int32Array(contextLength);
    this.encodeInto(text, contextLength, out, 0);
    return out;
  }

  /** Encode several texts into one [texts.length × contextLength] array (row-major). */
  encodeBatch(texts: readonly string[], contextLength: number): Int32Array {
    const out = new Int32Array(texts.length * contextLength);
    texts.forEach((text, i) => this.encodeInto(text, contextLength, out, i * contextLength));
    return out;
  }

  private encodeInto(text: string, contextLength: number, out: Int32Array, offset: number): void {
    if (!Number.isInteger(contextLength) || contextLength < 2) {
      throw new Error(
        `tokenizer: contextLength must be an integer ≥ 2 (room for sot and eot), got ${contextLength}`,
      );
    }
    if (typeof text !== 'string')
      throw new Error(`tokenizer: expected a string to encode, got ${typeof text}`);
    const tokens = this.tokenize(text);
    const n = Math.min(tokens.length, contextLength - 2);
    out[offset] = SOT_ID;
    for (let i = 0; i < n; i++) out[offset + 1 + i] = tokens[i]!;
    out[offset + 1 + n] = EOT_ID;
  }

  /** Text of the ids, special tokens left out. */
  decode(ids: ArrayLike<number>): string {
    const parts: Uint8Array[] = [];
    let length = 0;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (id === PAD_ID || id === SOT_ID || id === EOT_ID) continue;
      const bytes = this.bytesOf[id];
      if (!bytes)
        throw new Error(
          `tokenizer: id ${id} at position ${i} is not in the vocabulary (size ${this.vocabSize})`,
        );
      parts.push(bytes);
      length += bytes.length;
    }
    const all = new Uint8Array(length);
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    return this.decoder.decode(all);
  }

  /** The text of one token id (for inspection, e.g. " circle"). */
  tokenText(id: number): string {
    if (id === PAD_ID) return '<pad>';
    if (id === SOT_ID) return '<sot>';
    if (id === EOT_ID) return '<eot>';
    const bytes = this.bytesOf[id];
    if (!bytes)
      throw new Error(`tokenizer: id ${id} is not in the vocabulary (size ${this.vocabSize})`);
    return this.decoder.decode(bytes);
  }

  toJSON(): TokenizerJson {
    return {
      format: TOKENIZER_FORMAT,
      version: 1,
      specials: { pad: PAD_ID, sot: SOT_ID, eot: EOT_ID },
      byteOffset: BYTE_OFFSET,
      vocabSize: this.vocabSize,
      merges: this.merges.flatMap(([a, b]) => [a, b]),
    };
  }

  /** Rebuild from `toJSON()` output; invalid JSON is an error naming the field. */
  static fromJSON(json: unknown): Tokenizer {
    const parsed = TokenizerJson.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ');
      throw new Error(`invalid tokenizer JSON: ${issues}`);
    }
    const { merges, vocabSize } = parsed.data;
    if (merges.length % 2 !== 0)
      throw new Error('invalid tokenizer JSON: merges must hold pairs (an even count of ids)');
    if (vocabSize !== FIRST_MERGE_ID + merges.length / 2) {
      throw new Error(
        `invalid tokenizer JSON: vocabSize ${vocabSize} does not match ${merges.length / 2} merges`,
      );
    }
    const pairs: [number, number][] = [];
    for (let i = 0; i < merges.length; i += 2) pairs.push([merges[i]!, merges[i + 1]!]);
    return new Tokenizer(pairs);
  }
}
