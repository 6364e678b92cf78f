// Curio's byte-level BPE as a Hugging Face `tokenizer.json` (what the `tokenizers` library and
// tokenizers.js load): the same normalisation (NFKC, lower case, whitespace runs → one space,
// trimmed), the same chunks (split by Curio's pre-tokenizer regex, then GPT-2's byte → character
// map), the vocab and merges in rank order, and `<start_of_text> … <end_of_text>` padded with
// `<pad>` to the context length. Ids are Curio's own, so the exported embedding rows line up.
import { chunkPattern, whitespacePattern } from '../tokenizer/pretokenize.js';
import { BYTE_OFFSET, EOT_ID, PAD_ID, SOT_ID, type Tokenizer } from '../tokenizer/index.js';

const SPECIALS = [
  { id: PAD_ID, content: '<pad>' },
  { id: SOT_ID, content: '<start_of_text>' },
  { id: EOT_ID, content: '<end_of_text>' },
] as const;

/** GPT-2's reversible byte → printable character map (`bytes_to_unicode`). */
export function byteToUnicode(): string[] {
  const printable = (b: number) =>
    (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  const out: string[] = [];
  let extra = 0;
  for (let b = 0; b < 256; b++) out[b] = String.fromCodePoint(printable(b) ? b : 256 + extra++);
  return out;
}

/** The vocab (token string → id) and merges ("left right", by rank) of a tokenizer. */
function vocabAndMerges(tokenizer: Tokenizer): { vocab: Record<string, number>; merges: string[] } {
  const chars = byteToUnicode();
  const strings: string[] = [];
  for (let b = 0; b < 256; b++) strings[BYTE_OFFSET + b] = chars[b]!;
  const merges: string[] = [];
  const flat = tokenizer.toJSON().merges;
  for (let r = 0; 2 * r < flat.length; r++) {
    const [a, b] = [flat[2 * r]!, flat[2 * r + 1]!];
    strings[BYTE_OFFSET + 256 + r] = strings[a]! + strings[b]!;
    merges.push(`${strings[a]} ${strings[b]}`);
  }
  const vocab: Record<string, number> = {};
  for (const s of SPECIALS) vocab[s.content] = s.id;
  for (let id = BYTE_OFFSET; id < strings.length; id++) {
    const s = strings[id]!;
    if (s in vocab)
      throw new Error(
        `tokenizer ids ${vocab[s]} and ${id} spell the same bytes; a tokenizer.json vocab cannot hold both`,
      );
    vocab[s] = id;
  }
  return { vocab, merges };
}

export function huggingFaceTokenizer(tokenizer: Tokenizer, contextLength: number): unknown {
  const { vocab, merges } = vocabAndMerges(tokenizer);
  const [pad, sot, eot] = SPECIALS;
  return {
    version: '1.0',
    truncation: {
      direction: 'Right',
      max_length: contextLength,
      strategy: 'LongestFirst',
      stride: 0,
    },
    padding: {
      strategy: { Fixed: contextLength },
      direction: 'Right',
      pad_to_multiple_of: null,
      pad_id: pad.id,
      pad_type_id: 0,
      pad_token: pad.content,
    },
    added_tokens: SPECIALS.map((s) => ({
      id: s.id,
      content: s.content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: {
      type: 'Sequence',
      normalizers: [
        { type: 'NFKC' },
        { type: 'Lowercase' },
        { type: 'Replace', pattern: { Regex: whitespacePattern }, content: ' ' },
        { type: 'Strip', strip_left: true, strip_right: true },
      ],
    },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        { type: 'Split', pattern: { Regex: chunkPattern }, behavior: 'Isolated', invert: false },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
      ],
    },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: sot.content, type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: eot.content, type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: sot.content, type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 0 } },
        { SpecialToken: { id: eot.content, type_id: 0 } },
      ],
      special_tokens: Object.fromEntries(
        [sot, eot].map((s) => [s.content, { id: s.content, ids: [s.id], tokens: [s.content] }]),
      ),
    },
    decoder: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges,
    },
  };
}
