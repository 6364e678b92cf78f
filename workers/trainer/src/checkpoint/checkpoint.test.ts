import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalBlobStore } from './blob-store.js';
import { packArrays, unpackArrays } from './tensor-pack.js';

describe('tensor pack', () => {
  it('round-trips named float32 and int32 arrays', () => {
    const arrays = new Map([
      ['w', { shape: [2, 3], data: new Float32Array([1, 2, 3, 4, 5, 6.5]) }],
      ['steps', { shape: [1], data: new Int32Array([42]) }],
    ]);
    const back = unpackArrays(packArrays(arrays));
    expect([...back.keys()]).toEqual(['w', 'steps']);
    expect(Array.from(back.get('w')!.data)).toEqual([1, 2, 3, 4, 5, 6.5]);
    expect(back.get('steps')!.data).toBeInstanceOf(Int32Array);
  });
  it('names what is wrong with a bad blob', () => {
    expect(() => unpackArrays(new Uint8Array([1, 2, 3]), 'weights.bin')).toThrow(
      /weights\.bin is not a Curio tensor pack/,
    );
    const good = packArrays(new Map([['w', { shape: [4], data: new Float32Array(4) }]]));
    expect(() => unpackArrays(good.subarray(0, good.length - 4), 'weights.bin')).toThrow(
      /truncated \(array w\)/,
    );
    expect(() => packArrays(new Map([['w', { shape: [3], data: new Float32Array(4) }]]))).toThrow(
      /w: shape/,
    );
  });
});

describe('LocalBlobStore', () => {
  it('puts, gets, lists and refuses keys outside its root', async () => {
    const store = new LocalBlobStore(await mkdtemp(join(tmpdir(), 'curio-blob-')));
    await store.put('ckpt/000100/state.json', new TextEncoder().encode('{}'));
    await store.put('ckpt/000200/state.json', new TextEncoder().encode('{"a":1}'));
    expect(await store.list('ckpt/')).toEqual(['ckpt/000100/state.json', 'ckpt/000200/state.json']);
    expect(new TextDecoder().decode(await store.get('ckpt/000200/state.json'))).toBe('{"a":1}');
    expect(await store.exists('ckpt/000300/state.json')).toBe(false);
    await expect(store.get('nope.bin')).rejects.toThrow(/blob not found: .*nope\.bin/);
    await expect(store.put('../escape', new Uint8Array(1))).rejects.toThrow(/escapes the store/);
  });
});
