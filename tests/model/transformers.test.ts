import { readFileSync } from 'node:fs';
import { AutoModelForMaskedLM, AutoTokenizer, env } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';

// The way the CLI loads the bundled model: transformers.js in Node, local files only.
env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = 'public/models/';

async function fillMask(text: string): Promise<string> {
  const tokenizer = await AutoTokenizer.from_pretrained('loupe-log-bert');
  const model = await AutoModelForMaskedLM.from_pretrained('loupe-log-bert', { dtype: 'fp32' });
  const inputs = tokenizer(text);
  const { logits } = await model(inputs);
  const ids = (inputs.input_ids.tolist() as bigint[][])[0].map(Number);
  const at = ids.indexOf(4); // [MASK]
  const [, seq, vocab] = logits.dims as number[];
  const row = (logits.data as Float32Array).subarray(at * vocab, (at + 1) * vocab);
  expect(seq).toBe(ids.length);
  let best = 0;
  for (let v = 1; v < vocab; v++) if (row[v] > row[best]) best = v;
  return tokenizer.decode([best]);
}

describe('loupe-log-bert through transformers.js', () => {
  it('gives the PyTorch logits for a golden sentence', async () => {
    const golden = JSON.parse(readFileSync(new URL('../fixtures/model/golden.json', import.meta.url), 'utf-8')) as {
      input_ids: number[][];
      attention_mask: number[][];
      logit_ids: number[];
      logits_slice: number[][][];
    };
    const tokenizer = await AutoTokenizer.from_pretrained('loupe-log-bert');
    const model = await AutoModelForMaskedLM.from_pretrained('loupe-log-bert', { dtype: 'fp32' });
    const inputs = tokenizer('instruction cache parity error corrected');
    const ids = (inputs.input_ids.tolist() as bigint[][])[0].map(Number);
    const length = golden.attention_mask[0].reduce((a, b) => a + b, 0);
    expect(ids).toEqual(golden.input_ids[0].slice(0, length));
    const { logits } = await model(inputs);
    const vocab = (logits.dims as number[])[2];
    const data = logits.data as Float32Array;
    for (let s = 0; s < length; s++) {
      golden.logit_ids.forEach((id, k) => {
        expect(Math.abs(data[s * vocab + id] - golden.logits_slice[0][s][k])).toBeLessThan(1e-4);
      });
    }
  });

  it('fills in a masked word of an sshd message', async () => {
    expect(await fillMask('Failed password for [MASK] user admin from <*> port <*> ssh2')).toBe('invalid');
  });
});
