import { describe, expect, it } from 'vitest';
import { fileFingerprint, hashText } from '../../../src/core/labels/labels';

/** The fingerprint as first defined: the hash of the sampled bytes read as a Latin-1 string. */
function asLatin1Text(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return text;
}

describe('file fingerprints hashed straight from the bytes', () => {
  it('are the very keys stored before (labels and notes saved under them still match)', async () => {
    // Under the 256 KiB head: the whole file is hashed; every byte value occurs.
    const small = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 131 + (i >> 8)) & 0xff);
    const text = asLatin1Text(small);
    expect(await fileFingerprint(new Blob([small]))).toBe(`f${small.length.toString(36)}-${hashText(text, 1)}${hashText(text, 2)}`);
  });
});
