#!/usr/bin/python3
"""Write a tiny random-weight BERT (hidden 32, 2 layers) in the layout Loupe's encoder loads.

Run with Debian's python (torch 1.13 + onnx):  /usr/bin/python3 scripts/make_tiny_bert.py

Outputs (committed, each well under 1 MB):
  tests/fixtures/tiny-bert/        config.json, tokenizer.json, tokenizer_config.json, vocab.txt,
                                   onnx/model.onnx with outputs last_hidden_state AND logits (MLM head)
  tests/fixtures/tiny-bert-nomlm/  the same encoder weights exported WITHOUT the logits output
  tests/fixtures/tiny-bert/reference.json  token ids -> mean-pooled vectors computed by torch, an
                                   independent check of the ONNX Runtime path.
The BERT is written out here (no HF transformers on this machine) following BertModel's maths.
"""
import json
import math
import os
import string

import torch
from torch import nn

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests', 'fixtures')
HIDDEN, LAYERS, HEADS, FFN, MAX_POS = 32, 2, 4, 64, 128

SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']
# Words that are common in system logs, so tokenisation yields whole words as well as pieces.
LOG_WORDS = """error warning warn info debug fatal failed failure exception timeout connection
refused closed open opened session user root from to for of the a in on at is was not no
received receiving block blk packet responder terminating served sent send read write
instruction cache parity corrected kernel interrupt node core generating ciod data tlb
storage machine check memory disk file directory server client request response ip port
start started stop stopped shutdown running job task app application service process
pid thread lock unlock invalid password authentication accepted ssh sshd daemon""".split()


def build_vocab():
    vocab = list(SPECIALS)
    chars = string.ascii_lowercase + string.digits + string.punctuation
    vocab += list(chars)
    vocab += ['##' + c for c in string.ascii_lowercase + string.digits]
    seen = set(vocab)
    for w in LOG_WORDS:
        if w not in seen:
            vocab.append(w)
            seen.add(w)
    return vocab


class TinyBert(nn.Module):
    """BERT encoder + MLM head; forward returns (last_hidden_state, logits)."""

    def __init__(self, vocab_size):
        super().__init__()
        self.word = nn.Embedding(vocab_size, HIDDEN)
        self.pos = nn.Embedding(MAX_POS, HIDDEN)
        self.token_type = nn.Embedding(2, HIDDEN)
        self.emb_norm = nn.LayerNorm(HIDDEN, eps=1e-12)
        self.layers = nn.ModuleList()
        for _ in range(LAYERS):
            self.layers.append(nn.ModuleDict({
                'qkv': nn.Linear(HIDDEN, 3 * HIDDEN), 'out': nn.Linear(HIDDEN, HIDDEN),
                'norm1': nn.LayerNorm(HIDDEN, eps=1e-12), 'up': nn.Linear(HIDDEN, FFN),
                'down': nn.Linear(FFN, HIDDEN), 'norm2': nn.LayerNorm(HIDDEN, eps=1e-12)}))
        self.head_dense = nn.Linear(HIDDEN, HIDDEN)
        self.head_norm = nn.LayerNorm(HIDDEN, eps=1e-12)
        self.head_bias = nn.Parameter(torch.zeros(vocab_size))

    def encode(self, input_ids, attention_mask, token_type_ids):
        b, t = input_ids.shape
        positions = torch.arange(t).unsqueeze(0).expand(b, t)
        x = self.emb_norm(self.word(input_ids) + self.pos(positions) + self.token_type(token_type_ids))
        bias = (1.0 - attention_mask[:, None, None, :].float()) * -10000.0
        dh = HIDDEN // HEADS
        for layer in self.layers:
            q, k, v = layer['qkv'](x).split(HIDDEN, dim=-1)
            q = q.view(b, t, HEADS, dh).transpose(1, 2)
            k = k.view(b, t, HEADS, dh).transpose(1, 2)
            v = v.view(b, t, HEADS, dh).transpose(1, 2)
            att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(dh) + bias, dim=-1)
            ctx = (att @ v).transpose(1, 2).reshape(b, t, HIDDEN)
            x = layer['norm1'](x + layer['out'](ctx))
            x = layer['norm2'](x + layer['down'](nn.functional.gelu(layer['up'](x))))
        return x

    def forward(self, input_ids, attention_mask, token_type_ids):
        h = self.encode(input_ids, attention_mask, token_type_ids)
        z = self.head_norm(nn.functional.gelu(self.head_dense(h)))
        logits = z @ self.word.weight.t() + self.head_bias  # decoder tied to the word embeddings
        return h, logits


class EncoderOnly(nn.Module):
    def __init__(self, bert):
        super().__init__()
        self.bert = bert

    def forward(self, input_ids, attention_mask, token_type_ids):
        return self.bert.encode(input_ids, attention_mask, token_type_ids)


def tokenizer_json(vocab):
    ids = {tok: i for i, tok in enumerate(vocab)}
    added = [{'id': ids[t], 'content': t, 'single_word': False, 'lstrip': False, 'rstrip': False,
              'normalized': False, 'special': True} for t in SPECIALS]
    cls, sep = ids['[CLS]'], ids['[SEP]']
    return {
        'version': '1.0', 'truncation': None, 'padding': None, 'added_tokens': added,
        'normalizer': {'type': 'BertNormalizer', 'clean_text': True, 'handle_chinese_chars': True,
                       'strip_accents': None, 'lowercase': True},
        'pre_tokenizer': {'type': 'BertPreTokenizer'},
        'post_processor': {
            'type': 'TemplateProcessing',
            'single': [{'SpecialToken': {'id': '[CLS]', 'type_id': 0}}, {'Sequence': {'id': 'A', 'type_id': 0}},
                       {'SpecialToken': {'id': '[SEP]', 'type_id': 0}}],
            'pair': [{'SpecialToken': {'id': '[CLS]', 'type_id': 0}}, {'Sequence': {'id': 'A', 'type_id': 0}},
                     {'SpecialToken': {'id': '[SEP]', 'type_id': 0}}, {'Sequence': {'id': 'B', 'type_id': 1}},
                     {'SpecialToken': {'id': '[SEP]', 'type_id': 1}}],
            'special_tokens': {'[CLS]': {'id': '[CLS]', 'ids': [cls], 'tokens': ['[CLS]']},
                               '[SEP]': {'id': '[SEP]', 'ids': [sep], 'tokens': ['[SEP]']}}},
        'decoder': {'type': 'WordPiece', 'prefix': '##', 'cleanup': True},
        'model': {'type': 'WordPiece', 'unk_token': '[UNK]', 'continuing_subword_prefix': '##',
                  'max_input_chars_per_word': 100, 'vocab': ids},
    }


def write_folder(folder, module, vocab, output_names):
    os.makedirs(os.path.join(folder, 'onnx'), exist_ok=True)
    config = {'model_type': 'bert', 'architectures': ['BertForMaskedLM'], 'vocab_size': len(vocab),
              'hidden_size': HIDDEN, 'num_hidden_layers': LAYERS, 'num_attention_heads': HEADS,
              'intermediate_size': FFN, 'max_position_embeddings': MAX_POS, 'type_vocab_size': 2,
              'hidden_act': 'gelu', 'layer_norm_eps': 1e-12, 'pad_token_id': 0}
    tok_config = {'tokenizer_class': 'BertTokenizer', 'do_lower_case': True, 'model_max_length': MAX_POS,
                  'cls_token': '[CLS]', 'sep_token': '[SEP]', 'pad_token': '[PAD]', 'mask_token': '[MASK]',
                  'unk_token': '[UNK]'}
    with open(os.path.join(folder, 'config.json'), 'w') as f:
        json.dump(config, f, indent=2)
    with open(os.path.join(folder, 'tokenizer_config.json'), 'w') as f:
        json.dump(tok_config, f, indent=2)
    with open(os.path.join(folder, 'tokenizer.json'), 'w') as f:
        json.dump(tokenizer_json(vocab), f)
    with open(os.path.join(folder, 'vocab.txt'), 'w') as f:
        f.write('\n'.join(vocab) + '\n')
    dummy = (torch.tensor([[2, 10, 11, 3]]), torch.ones(1, 4, dtype=torch.long), torch.zeros(1, 4, dtype=torch.long))
    axes = {'input_ids': {0: 'batch', 1: 'sequence'}, 'attention_mask': {0: 'batch', 1: 'sequence'},
            'token_type_ids': {0: 'batch', 1: 'sequence'}}
    for name in output_names:
        axes[name] = {0: 'batch', 1: 'sequence'}
    torch.onnx.export(module, dummy, os.path.join(folder, 'onnx', 'model.onnx'),
                      input_names=['input_ids', 'attention_mask', 'token_type_ids'], output_names=output_names,
                      dynamic_axes=axes, opset_version=14, do_constant_folding=True)


def main():
    torch.manual_seed(7)
    vocab = build_vocab()
    bert = TinyBert(len(vocab))
    # Wider than BERT's 0.02 init so random outputs differ clearly between tokens (tests compare them).
    with torch.no_grad():
        for p in bert.parameters():
            if p.dim() > 1:
                p.normal_(0.0, 0.3)
    bert.eval()
    write_folder(os.path.join(ROOT, 'tiny-bert'), bert, vocab, ['last_hidden_state', 'logits'])
    write_folder(os.path.join(ROOT, 'tiny-bert-nomlm'), EncoderOnly(bert), vocab, ['last_hidden_state'])

    # Reference vectors: mean over attention mask, L2-normalised, for fixed id sequences (padded batch).
    ids = [[2, 5, 40, 41, 3, 0, 0], [2, 17, 12, 23, 44, 50, 3]]  # single characters only (no ## pieces)
    input_ids = torch.tensor(ids)
    mask = (input_ids != 0).long()
    with torch.no_grad():
        h, logits = bert(input_ids, mask, torch.zeros_like(input_ids))
    pooled = (h * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
    pooled = pooled / pooled.norm(dim=-1, keepdim=True)
    ref = {'input_ids': ids, 'pooled': pooled.tolist(),
           'logits_first_row_token1': logits[0, 1, :8].tolist()}
    with open(os.path.join(ROOT, 'tiny-bert', 'reference.json'), 'w') as f:
        json.dump(ref, f)
    print('vocab', len(vocab), 'params', sum(p.numel() for p in bert.parameters()))


if __name__ == '__main__':
    main()
