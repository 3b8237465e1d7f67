import { describe, expect, it } from 'vitest';
import { ENCRYPTED_OBJECT_KEY, formatEnvelope, isEnvelope, objectEnvelope, parseEnvelope } from './envelope.js';

const sealed = Buffer.from(Array.from({ length: 30 }, (_, i) => i));

describe('envelope', () => {
  it('writes and reads enc:v1:<version>:<base64url>', () => {
    const text = formatEnvelope(12, sealed);
    expect(text).toBe(`enc:v1:12:${sealed.toString('base64url')}`);
    expect(parseEnvelope(text)).toEqual({ keyVersion: 12, sealed });
  });

  it.each([
    ['no version', `enc:v1::${sealed.toString('base64url')}`],
    ['version 0', `enc:v1:0:${sealed.toString('base64url')}`],
    ['a leading zero', `enc:v1:01:${sealed.toString('base64url')}`],
    ['a version past 2^31-1', `enc:v1:2147483648:${sealed.toString('base64url')}`],
    ['padding', `enc:v1:1:${sealed.toString('base64')}==`],
    ['standard base64 characters', `enc:v1:1:${'+/'.repeat(20)}`],
    ['too few bytes for IV and tag', `enc:v1:1:${Buffer.alloc(27).toString('base64url')}`],
    ['an impossible length', `enc:v1:1:${sealed.toString('base64url')}A`],
    ['another format version', `enc:v2:1:${sealed.toString('base64url')}`],
  ])('refuses %s', (_what, text) => {
    expect(parseEnvelope(text)).toBeUndefined();
  });

  it('refuses the same bytes written with unused bits set in the last character', () => {
    const odd = Buffer.alloc(31, 7); // 31 bytes: the last character carries 2 bits and 4 unused ones
    const text = odd.toString('base64url');
    const last = text.at(-1)!;
    const sloppy = `${text.slice(0, -1)}${String.fromCharCode(last.charCodeAt(0) + 1)}`;
    expect(Buffer.from(sloppy, 'base64url')).toEqual(odd);
    expect(parseEnvelope(`enc:v1:1:${text}`)).toEqual({ keyVersion: 1, sealed: odd });
    expect(parseEnvelope(`enc:v1:1:${sloppy}`)).toBeUndefined();
  });

  it('treats every string with the prefix as an envelope claim, and nothing else', () => {
    expect(isEnvelope('enc:v1:garbage')).toBe(true);
    expect(isEnvelope('ENC:v1:1:x')).toBe(false);
    expect(isEnvelope({ [ENCRYPTED_OBJECT_KEY]: 'enc:v1:1:x' })).toBe(false);
  });

  it('recognizes an encrypted object field only as a single $encrypted member holding an envelope', () => {
    const env = formatEnvelope(1, sealed);
    expect(objectEnvelope({ [ENCRYPTED_OBJECT_KEY]: env })).toBe(env);
    expect(objectEnvelope({ [ENCRYPTED_OBJECT_KEY]: env, other: 1 })).toBeUndefined();
    expect(objectEnvelope({ [ENCRYPTED_OBJECT_KEY]: 'plain' })).toBeUndefined();
    expect(objectEnvelope([env])).toBeUndefined();
    expect(objectEnvelope(env)).toBeUndefined();
  });
});
