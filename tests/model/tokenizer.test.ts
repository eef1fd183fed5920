import { readFileSync } from 'node:fs';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';

// Golden ids come from training/wordpiece.py (the Python side that encoded the training corpus):
// the app must tokenise exactly as the model was trained.
interface TokenizerCase {
  text: string;
  input_ids: number[];
}
const golden = JSON.parse(readFileSync(new URL('../fixtures/model/tokenizer_golden.json', import.meta.url), 'utf-8')) as TokenizerCase[];

env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = 'public/models/';

describe('loupe-log-bert tokenizer', () => {
  it('has golden cases covering numbers, hex, paths and unicode', () => {
    expect(golden.length).toBeGreaterThanOrEqual(20);
  });

  it('transformers.js gives the same ids as the Python trainer for every golden line', async () => {
    const tokenizer = await AutoTokenizer.from_pretrained('loupe-log-bert');
    for (const { text, input_ids } of golden) {
      const ids = tokenizer.encode(text, { add_special_tokens: true });
      expect({ text, ids: ids.map(Number) }).toEqual({ text, ids: input_ids });
    }
  });

  it('splits digit runs into single-digit pieces instead of whole numbers', async () => {
    const tokenizer = await AutoTokenizer.from_pretrained('loupe-log-bert');
    const pieces = tokenizer.tokenize('port 38926');
    expect(pieces).toEqual(['port', '3', '##8', '##9', '##2', '##6']);
  });
});
