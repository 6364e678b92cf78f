import { describe, expect, it } from 'vitest';
import { storableJson, storableText, unstorableText } from './text.js';

describe('storable text', () => {
  it('names NUL and lone surrogates, and accepts pairs', () => {
    expect(unstorableText('a\0b')).toMatch(/NUL/);
    expect(unstorableText('x\ud800')).toMatch(/lone surrogate/);
    expect(unstorableText('\udc00x')).toMatch(/lone surrogate/);
    expect(unstorableText('emoji \ud83d\ude00 ok')).toBeUndefined();
    expect(unstorableText('emoji \ud83d\ude00 ok')).toBeUndefined(); // no state kept between calls
  });

  it('replaces them with U+FFFD, in strings and keys at any depth', () => {
    const cut = 'caption \ud83d\ude00'.slice(0, 9); // a pair cut in half
    expect(storableText(cut)).toBe('caption \ufffd');
    expect(storableJson({ ['k\0']: [{ m: 'a\0' }, 1, null] })).toEqual({
      'k\ufffd': [{ m: 'a\ufffd' }, 1, null],
    });
    expect(unstorableText(JSON.stringify(storableJson({ s: cut })))).toBeUndefined();
  });
});
