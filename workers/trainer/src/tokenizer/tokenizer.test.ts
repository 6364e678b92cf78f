import { describe, expect, it } from 'vitest';
import { Rng } from '@curio/random';
import { offTargetCaption, onTargetCaption } from '@curio/synthetic';
import { parseClasses } from '@curio/synthetic';
import {
  EOT_ID,
  FIRST_MERGE_ID,
  normalizeText,
  PAD_ID,
  pretokenize,
  SOT_ID,
  Tokenizer,
  trainBpe,
} from './index.js';

const rng = new Rng(4);
const classes = parseClasses(['red circle', 'blue square', 'green triangle']);
const captions = Array.from({ length: 3000 }, (_, i) =>
  i % 3 === 0
    ? offTargetCaption(rng)
    : onTargetCaption(rng, rng.pick(classes), {
        size: 'small',
        position: 'centre',
        background: 'white',
      }),
);
const tokenizer = trainBpe(captions, { vocabSize: 600 });

describe('BPE tokenizer', () => {
  it('normalises and pre-tokenises text', () => {
    expect(normalizeText('  A  Red\tCIRCLE,\nﬁne ')).toBe('a red circle, fine');
    expect(pretokenize('a red circle, 42!')).toEqual(['a', ' red', ' circle', ',', ' 42', '!']);
  });

  it('learns merges up to the vocabulary size, whole frequent words included', () => {
    expect(tokenizer.vocabSize).toBe(600);
    expect(tokenizer.tokenize('red circle').map((id) => tokenizer.tokenText(id))).toEqual([
      'red',
      ' circle',
    ]);
    expect(tokenizer.tokenize('red circle').every((id) => id >= FIRST_MERGE_ID)).toBe(true);
  });

  it('round-trips: decode(encode(x)) is the normalised x, unseen text and unicode included', () => {
    for (const text of [...captions.slice(0, 50), 'Zebra-striped ÜBER café 🚀 #1', 'x', '']) {
      expect(tokenizer.decode(tokenizer.encode(text, 200))).toBe(normalizeText(text));
    }
  });

  it('adds sot/eot, pads with 0 and keeps eot last when truncating', () => {
    const ids = tokenizer.encode('red circle', 8);
    expect(Array.from(ids)).toEqual([
      SOT_ID,
      ...tokenizer.tokenize('red circle'),
      EOT_ID,
      PAD_ID,
      PAD_ID,
      PAD_ID,
      PAD_ID,
    ]);
    const long = 'a very long caption about a big red circle on a white background with more words';
    const cut = tokenizer.encode(long, 6);
    expect(cut[0]).toBe(SOT_ID);
    expect(cut[5]).toBe(EOT_ID);
    expect(Array.from(cut.subarray(1, 5))).toEqual(tokenizer.tokenize(long).slice(0, 4));
    expect(Array.from(tokenizer.encode('', 4))).toEqual([SOT_ID, EOT_ID, PAD_ID, PAD_ID]);
    const batch = tokenizer.encodeBatch(['red circle', long], 6);
    expect(batch.length).toBe(12);
    expect(Array.from(batch.subarray(6))).toEqual(Array.from(cut));
    expect(() => tokenizer.encode('x', 1)).toThrow(/contextLength must be an integer ≥ 2/);
  });

  it('survives a JSON round trip and rejects malformed JSON, naming the field', () => {
    const restored = Tokenizer.fromJSON(JSON.parse(JSON.stringify(tokenizer)));
    expect(restored.vocabSize).toBe(tokenizer.vocabSize);
    for (const text of captions.slice(0, 30))
      expect(Array.from(restored.encode(text, 32))).toEqual(Array.from(tokenizer.encode(text, 32)));
    const json = tokenizer.toJSON();
    expect(() => Tokenizer.fromJSON({ ...json, format: 'gpt2' })).toThrow(
      /invalid tokenizer JSON: format/,
    );
    expect(() => Tokenizer.fromJSON({ ...json, vocabSize: 5 })).toThrow(
      /vocabSize 5 does not match/,
    );
    expect(() => Tokenizer.fromJSON({ ...json, merges: [1, 5], vocabSize: 260 })).toThrow(
      /merge 0 joins ids 1 and 5/,
    );
    expect(() => tokenizer.decode([70000])).toThrow(
      /id 70000 at position 0 is not in the vocabulary/,
    );
  });

  it('trains deterministically, stops when no pair repeats, and checks vocabSize', () => {
    expect(trainBpe(captions, { vocabSize: 600 }).toJSON()).toEqual(tokenizer.toJSON());
    expect(trainBpe(['ab ab'], { vocabSize: 1000 }).vocabSize).toBeLessThan(FIRST_MERGE_ID + 4);
    expect(() => trainBpe(captions, { vocabSize: 100 })).toThrow(
      /vocabSize must be an integer in \[259, 65536\], got 100/,
    );
  });
});
