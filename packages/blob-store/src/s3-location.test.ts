import { describe, expect, it } from 'vitest';
import { isSafeKey } from './blob-store.js';
import {
  isKeyGlob,
  keyGlobBase,
  keyGlobRegex,
  parseS3Location,
  s3LocationUnder,
} from './s3-location.js';

describe('s3 locations', () => {
  it('parses bucket and key, refusing what is no s3:// location', () => {
    expect(parseS3Location('s3://shards/team-a/0001.tar')).toEqual({
      bucket: 'shards',
      key: 'team-a/0001.tar',
    });
    expect(parseS3Location('s3://shards')).toEqual({ bucket: 'shards', key: '' });
    expect(parseS3Location('https://shards/x.tar')).toBeUndefined();
    expect(parseS3Location('s3://Bad_Bucket/x.tar')).toBeUndefined();
    expect(parseS3Location('s3://shards/a/../b.tar')).toBeUndefined();
  });

  it('compares by whole key segments within one bucket', () => {
    expect(s3LocationUnder('s3://shards/team-a/x.tar', 's3://shards/team-a')).toBe(true);
    expect(s3LocationUnder('s3://shards/team-a/x.tar', 's3://shards/team-a/')).toBe(true);
    expect(s3LocationUnder('s3://shards/team-ab/x.tar', 's3://shards/team-a')).toBe(false);
    expect(s3LocationUnder('s3://other/team-a/x.tar', 's3://shards/team-a')).toBe(false);
    expect(s3LocationUnder('s3://shards/anything.tar', 's3://shards')).toBe(true);
  });

  it('matches key globs segment by segment, `**` across segments', () => {
    expect(isKeyGlob('sets/cifar/test/*.tar')).toBe(true);
    expect(isKeyGlob('sets/cifar/test/0.tar')).toBe(false);
    expect(keyGlobBase('sets/cifar/test/00?.tar')).toBe('sets/cifar/test/00');
    const one = keyGlobRegex('sets/*/test/0?.tar');
    expect(one.test('sets/cifar/test/01.tar')).toBe(true);
    expect(one.test('sets/a/b/test/01.tar')).toBe(false);
    expect(one.test('sets/cifar/test/011.tar')).toBe(false);
    expect(keyGlobRegex('sets/**/x.tar').test('sets/a/b/x.tar')).toBe(true);
    expect(keyGlobRegex('a+b/(c).tar').test('a+b/(c).tar')).toBe(true);
  });

  it('keeps keys to safe relative segments', () => {
    expect(isSafeKey('run_x/ckpt/weights.bin')).toBe(true);
    expect(isSafeKey('../x')).toBe(false);
    expect(isSafeKey('/abs')).toBe(false);
    expect(isSafeKey('a//b')).toBe(false);
  });
});
