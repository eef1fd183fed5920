/**
 * Messages of a normal-only generated log for the training corpus, one per line.
 * The seed differs from every demo sample's, so the demo logs stay unseen text for the model.
 * Usage: npx tsx training/generated_messages.ts <output file>
 */
import { writeFileSync } from 'node:fs';
import { generateLog } from '../src/core/generate';

const TRAINING_SEED = 777_001;
const LINES = 20_000;

const out = process.argv[2];
if (!out) throw new Error('usage: generated_messages.ts <output file>');
const messages: string[] = [];
// jsonl keeps the message in one field, so no header parsing is needed to strip timestamps and hosts.
for (const line of generateLog({ seed: TRAINING_SEED, lines: LINES, layout: 'jsonl', anomalyRate: 0 })) {
  const record = JSON.parse(line.text) as { msg: string };
  messages.push(record.msg.replace(/\s+/g, ' '));
}
writeFileSync(out, messages.join('\n') + '\n');
console.log(`wrote ${messages.length} generated messages to ${out}`);
