/**
 * Edits an ONNX model's protobuf bytes: drops outputs with every node only they needed, or puts
 * the masked-LM head behind a gather of the masked positions.
 *
 * Why: onnxruntime-web runs every node of a graph whatever outputs a call asks for, and
 * onnxruntime-node prunes only part of them. For a masked-LM model the vocabulary projection is
 * the largest matrix product: measured on loupe-log-bert (batch 128 × 32 tokens, one thread),
 * WASM 758 → 498 ms and native 129 → 89 ms once `logits` and its head are gone. Vectors need
 * only `last_hidden_state`, so the encoder runs them on a graph without the head.
 *
 * Only the fields needed are read (ModelProto.graph, GraphProto.node/output, NodeProto
 * input/output/op_type, ValueInfoProto.name); every other byte is copied as it was.
 */
import { concatBytes } from '../bytes';

interface Field {
  number: number;
  /** The whole field, tag included. */
  start: number;
  end: number;
  /** Payload of a length-delimited field. */
  bodyStart: number;
}

const VARINT = 0;
const LENGTH_DELIMITED = 2;
const MODEL_GRAPH = 7;
const GRAPH_NODE = 1;
const GRAPH_INITIALIZER = 5;
const GRAPH_INPUT = 11;
const GRAPH_OUTPUT = 12;
const NODE_INPUT = 1;
const NODE_OUTPUT = 2;
const NODE_NAME = 3;
const NODE_OP_TYPE = 4;
const NODE_ATTRIBUTE = 5;
const ATTRIBUTE_NAME = 1;
const ATTRIBUTE_INT = 3;
const ATTRIBUTE_TYPE = 20;
const ATTRIBUTE_TYPE_INT = 2;
const TENSOR_NAME = 8;
const VALUE_INFO_NAME = 1;
const VALUE_INFO_TYPE = 2;
const TYPE_TENSOR = 1;
const TENSOR_TYPE_ELEM = 1;
const TENSOR_TYPE_SHAPE = 2;
const SHAPE_DIM = 1;
const DIM_VALUE = 1;
const DIM_PARAM = 2;
const FLOAT = 1;
const INT64 = 7;
/** Ops whose subgraphs may read outer values implicitly: pruning around them is not attempted. */
const CONTROL_FLOW = new Set(['If', 'Loop', 'Scan']);

function readVarint(bytes: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  let scale = 1;
  for (let i = at; i < bytes.length && i < at + 10; i++) {
    value += (bytes[i] & 0x7f) * scale;
    if (bytes[i] < 0x80) return [value, i + 1];
    scale *= 128;
  }
  throw new Error('malformed ONNX protobuf (varint)');
}

function writeVarint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

/** Top-level fields of one message (length-delimited payloads are not descended into). */
function fields(bytes: Uint8Array, start: number, end: number): Field[] {
  const out: Field[] = [];
  let at = start;
  while (at < end) {
    const fieldStart = at;
    const [tag, afterTag] = readVarint(bytes, at);
    const wire = tag % 8;
    let bodyStart = afterTag;
    if (wire === 0) at = readVarint(bytes, afterTag)[1];
    else if (wire === 1) at = afterTag + 8;
    else if (wire === 5) at = afterTag + 4;
    else if (wire === LENGTH_DELIMITED) {
      const [length, body] = readVarint(bytes, afterTag);
      bodyStart = body;
      at = body + length;
    } else throw new Error(`malformed ONNX protobuf (wire type ${wire})`);
    if (at > end) throw new Error('malformed ONNX protobuf (field runs past its message)');
    out.push({ number: Math.floor(tag / 8), start: fieldStart, end: at, bodyStart });
  }
  return out;
}

const utf8 = new TextDecoder();

function text(bytes: Uint8Array, field: Field): string {
  return utf8.decode(bytes.subarray(field.bodyStart, field.end));
}

interface NodeInfo {
  field: Field;
  inputs: string[];
  outputs: string[];
  opType: string;
}

function nodeInfo(bytes: Uint8Array, field: Field): NodeInfo {
  const info: NodeInfo = { field, inputs: [], outputs: [], opType: '' };
  for (const f of fields(bytes, field.bodyStart, field.end)) {
    if (f.number === NODE_INPUT) info.inputs.push(text(bytes, f));
    else if (f.number === NODE_OUTPUT) info.outputs.push(text(bytes, f));
    else if (f.number === NODE_OP_TYPE) info.opType = text(bytes, f);
  }
  return info;
}

function outputName(bytes: Uint8Array, field: Field): string {
  const name = fields(bytes, field.bodyStart, field.end).find((f) => f.number === VALUE_INFO_NAME);
  return name ? text(bytes, name) : '';
}

/**
 * The model without the outputs in `drop` and the nodes only they needed; undefined when there is
 * nothing to drop or the graph has control flow. Throws on bytes that are not a protobuf message.
 */
export function withoutOutputs(model: Uint8Array, drop: readonly string[]): Uint8Array | undefined {
  const top = fields(model, 0, model.length);
  const graph = top.find((f) => f.number === MODEL_GRAPH);
  if (!graph) return undefined;
  const graphFields = fields(model, graph.bodyStart, graph.end);
  const nodes = graphFields.filter((f) => f.number === GRAPH_NODE).map((f) => nodeInfo(model, f));
  if (nodes.some((n) => CONTROL_FLOW.has(n.opType))) return undefined;
  const outputs = graphFields.filter((f) => f.number === GRAPH_OUTPUT).map((f) => ({ field: f, name: outputName(model, f) }));
  const dropped = new Set(drop);
  const kept = outputs.filter((o) => !dropped.has(o.name));
  if (kept.length === outputs.length || kept.length === 0) return undefined;

  const producer = new Map<string, NodeInfo>();
  for (const node of nodes) for (const name of node.outputs) producer.set(name, node);
  const needed = new Set<NodeInfo>();
  const pending = kept.map((o) => o.name);
  while (pending.length > 0) {
    const node = producer.get(pending.pop()!);
    if (!node || needed.has(node)) continue;
    needed.add(node);
    pending.push(...node.inputs);
  }
  const skip = new Set<Field>([
    ...nodes.filter((n) => !needed.has(n)).map((n) => n.field),
    ...outputs.filter((o) => dropped.has(o.name)).map((o) => o.field),
  ]);

  const graphBody = concatBytes(graphFields.filter((f) => !skip.has(f)).map((f) => model.subarray(f.start, f.end)));
  const graphField = concatBytes([writeVarint(MODEL_GRAPH * 8 + LENGTH_DELIMITED), writeVarint(graphBody.length), graphBody]);
  return concatBytes(top.map((f) => (f === graph ? graphField : model.subarray(f.start, f.end))));
}

/** The surprise graph's extra inputs and its output (see `withMaskedHead`). */
export const MASKED_POSITIONS = 'masked_positions';
export const MASKED_TOKEN_IDS = 'masked_token_ids';
export const MASKED_LOG_PROB = 'masked_log_prob';

const MODEL_OPSET_IMPORT = 8;
const OPSET_DOMAIN = 1;
const OPSET_VERSION = 2;
const GRAPH_VALUE_INFO = 13;
const ATTRIBUTE_INTS = 8;
const HIDDEN = 'last_hidden_state';
const LOGITS = 'logits';
/** Ops that transform each position's vector on its own; a head made of them may run on a gather. */
const POSITION_WISE = new Set([
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Erf',
  'Pow',
  'Sqrt',
  'Tanh',
  'Relu',
  'Sigmoid',
  'Gelu',
  'FastGelu',
  'BiasGelu',
  'ReduceMean',
  'LayerNormalization',
  'SimplifiedLayerNormalization',
  'MatMul',
  'Cast',
  'Identity',
]);
/** Last axis of the rank-3 [1, masked, hidden] tensor the head sees after the gather. */
const LAST_AXES = new Set([-1n, 2n]);

const utf8Encoder = new TextEncoder();

function lengthField(number: number, body: Uint8Array | number[]): Uint8Array {
  return concatBytes([writeVarint(number * 8 + LENGTH_DELIMITED), writeVarint(body.length), body]);
}

function stringField(number: number, value: string): Uint8Array {
  return lengthField(number, utf8Encoder.encode(value));
}

function varintField(number: number, value: number): number[] {
  return [...writeVarint(number * 8 + VARINT), ...writeVarint(value)];
}

function nodeBytes(opType: string, name: string, inputs: string[], outputs: string[], ints: Record<string, number> = {}): Uint8Array {
  const attributes = Object.entries(ints).map(([key, value]) =>
    lengthField(
      NODE_ATTRIBUTE,
      concatBytes([stringField(ATTRIBUTE_NAME, key), varintField(ATTRIBUTE_INT, value), varintField(ATTRIBUTE_TYPE, ATTRIBUTE_TYPE_INT)]),
    ),
  );
  return concatBytes([
    ...inputs.map((i) => stringField(NODE_INPUT, i)),
    ...outputs.map((o) => stringField(NODE_OUTPUT, o)),
    stringField(NODE_NAME, name),
    stringField(NODE_OP_TYPE, opType),
    ...attributes,
  ]);
}

/** A tensor ValueInfoProto; a string dim is symbolic. */
function valueInfoBytes(name: string, elemType: number, dims: Array<number | string>): Uint8Array {
  const shape = concatBytes(
    dims.map((d) => lengthField(SHAPE_DIM, typeof d === 'number' ? varintField(DIM_VALUE, d) : stringField(DIM_PARAM, d))),
  );
  const tensor = concatBytes([varintField(TENSOR_TYPE_ELEM, elemType), lengthField(TENSOR_TYPE_SHAPE, shape)]);
  return concatBytes([stringField(VALUE_INFO_NAME, name), lengthField(VALUE_INFO_TYPE, lengthField(TYPE_TENSOR, tensor))]);
}

/** Signed varint (int64 attributes such as axis -1 take ten bytes). */
function readSignedVarint(bytes: Uint8Array, at: number): [value: bigint, next: number] {
  let value = 0n;
  let shift = 0n;
  for (let i = at; i < bytes.length && i < at + 10; i++) {
    value |= BigInt(bytes[i] & 0x7f) << shift;
    if (bytes[i] < 0x80) return [BigInt.asIntN(64, value), i + 1];
    shift += 7n;
  }
  throw new Error('malformed ONNX protobuf (varint)');
}

/** Values of a node's `axis` / `axes` attributes (packed or not). */
function axesOf(bytes: Uint8Array, node: NodeInfo): bigint[] {
  const axes: bigint[] = [];
  for (const attribute of fields(bytes, node.field.bodyStart, node.field.end).filter((f) => f.number === NODE_ATTRIBUTE)) {
    const parts = fields(bytes, attribute.bodyStart, attribute.end);
    const name = parts.find((f) => f.number === ATTRIBUTE_NAME);
    if (!name || !['axis', 'axes'].includes(text(bytes, name))) continue;
    for (const part of parts) {
      if (part.number !== ATTRIBUTE_INT && part.number !== ATTRIBUTE_INTS) continue;
      // `fields` leaves bodyStart after the tag: a single varint, or a packed run of them.
      const packed = part.number === ATTRIBUTE_INTS && readVarint(bytes, part.start)[0] % 8 === LENGTH_DELIMITED;
      for (let at = part.bodyStart; at < part.end;) {
        const [value, next] = readSignedVarint(bytes, at);
        axes.push(value);
        at = packed ? next : part.end;
      }
    }
  }
  return axes;
}

function defaultOpset(bytes: Uint8Array, top: Field[]): number {
  for (const f of top.filter((x) => x.number === MODEL_OPSET_IMPORT)) {
    const parts = fields(bytes, f.bodyStart, f.end);
    const domain = parts.find((p) => p.number === OPSET_DOMAIN);
    const version = parts.find((p) => p.number === OPSET_VERSION);
    if ((!domain || text(bytes, domain) === '' || text(bytes, domain) === 'ai.onnx') && version)
      return readVarint(bytes, version.bodyStart)[0];
  }
  return 0;
}

/** The node's bytes with input `from` renamed `to`. */
function renameInput(bytes: Uint8Array, node: NodeInfo, from: string, to: string): Uint8Array {
  const body = concatBytes(
    fields(bytes, node.field.bodyStart, node.field.end).map((f) =>
      f.number === NODE_INPUT && text(bytes, f) === from ? stringField(NODE_INPUT, to) : bytes.subarray(f.start, f.end),
    ),
  );
  return lengthField(GRAPH_NODE, body);
}

/**
 * The masked-LM model rewired for surprise: the vocabulary head runs only at the masked positions
 * and the graph returns log p(true token) there, instead of `[batch, sequence, vocab]` logits.
 *
 * Why: the head's 6000-wide projection was computed for every token of every masked pass, and the
 * logits then copied out and soft-maxed in JavaScript; with a stride of 4 only a quarter of the
 * positions are ever read, and of each row only one log-probability.
 *
 * Inputs: the model's own, plus `masked_positions` (int64 [1, masked], flat indices row × width +
 * position into the batch) and `masked_token_ids` (int64 [1, masked, 1], the true token at each).
 * Output: `masked_log_prob` (float [1, masked, 1]), ln softmax(logits)[true token].
 *
 * The head (nodes that `logits` needs and `last_hidden_state` does not) must read the encoder
 * only through `last_hidden_state` and act on each position alone (POSITION_WISE ops, reductions
 * over the last axis); otherwise, or without `logits` / `last_hidden_state`, or below opset 11,
 * this returns undefined and the encoder keeps the full graph.
 */
export function withMaskedHead(model: Uint8Array): Uint8Array | undefined {
  const top = fields(model, 0, model.length);
  const graph = top.find((f) => f.number === MODEL_GRAPH);
  if (!graph || defaultOpset(model, top) < 11) return undefined;
  const graphFields = fields(model, graph.bodyStart, graph.end);
  const nodes = graphFields.filter((f) => f.number === GRAPH_NODE).map((f) => nodeInfo(model, f));
  if (nodes.some((n) => CONTROL_FLOW.has(n.opType))) return undefined;
  const outputs = graphFields.filter((f) => f.number === GRAPH_OUTPUT);
  const outputNames = outputs.map((f) => outputName(model, f));
  if (!outputNames.includes(HIDDEN) || !outputNames.includes(LOGITS)) return undefined;
  const graphInputs = new Set(graphFields.filter((f) => f.number === GRAPH_INPUT).map((f) => outputName(model, f)));
  const initializers = new Set<string>();
  for (const f of graphFields.filter((x) => x.number === GRAPH_INITIALIZER)) {
    const name = fields(model, f.bodyStart, f.end).find((x) => x.number === TENSOR_NAME);
    if (name) initializers.add(text(model, name));
  }

  const producer = new Map<string, NodeInfo>();
  for (const node of nodes) for (const name of node.outputs) producer.set(name, node);
  const ancestors = (root: string): Set<NodeInfo> => {
    const found = new Set<NodeInfo>();
    const pending = [root];
    while (pending.length > 0) {
      const node = producer.get(pending.pop()!);
      if (!node || found.has(node)) continue;
      found.add(node);
      pending.push(...node.inputs);
    }
    return found;
  };
  const encoder = ancestors(HIDDEN);
  const head = [...ancestors(LOGITS)].filter((n) => !encoder.has(n));
  const hiddenProducer = producer.get(HIDDEN);
  if (!hiddenProducer || head.length === 0) return undefined;

  // Head tensors computed from the hidden states (the rest is weight preparation, e.g. a Transpose).
  const activations = new Set<string>([HIDDEN]);
  const headOrder = nodes.filter((n) => head.includes(n));
  for (const node of headOrder) {
    const fromHidden = node.inputs.filter((name) => activations.has(name));
    for (const name of node.inputs) {
      if (name === '' || activations.has(name) || initializers.has(name)) continue;
      const source = producer.get(name);
      if (!source || encoder.has(source) || graphInputs.has(name)) return undefined;
    }
    if (fromHidden.length === 0) continue;
    if (!POSITION_WISE.has(node.opType) || node.inputs.length > 3) return undefined;
    if (node.opType === 'MatMul' && node.inputs[1] !== undefined && activations.has(node.inputs[1])) return undefined;
    if (axesOf(model, node).some((axis) => !LAST_AXES.has(axis))) return undefined;
    if (node.opType.startsWith('Reduce') && node.inputs.length > 1) return undefined;
    for (const name of node.outputs) activations.add(name);
  }

  const prefix = 'loupe_masked/';
  const flat = `${prefix}flat_hidden`;
  const gathered = `${prefix}hidden`;
  const logProbs = `${prefix}log_probs`;
  const gatherNodes = [
    lengthField(GRAPH_NODE, nodeBytes('Flatten', `${prefix}Flatten`, [HIDDEN], [flat], { axis: 2 })),
    lengthField(GRAPH_NODE, nodeBytes('Gather', `${prefix}Gather`, [flat, MASKED_POSITIONS], [gathered], { axis: 0 })),
  ];
  const scoreNodes = [
    lengthField(GRAPH_NODE, nodeBytes('LogSoftmax', `${prefix}LogSoftmax`, [LOGITS], [logProbs], { axis: 2 })),
    lengthField(
      GRAPH_NODE,
      nodeBytes('GatherElements', `${prefix}GatherElements`, [logProbs, MASKED_TOKEN_IDS], [MASKED_LOG_PROB], { axis: 2 }),
    ),
  ];
  const headSet = new Set(head);
  const nodeOfField = new Map(nodes.map((n) => [n.field, n]));
  const lastInput = graphFields.filter((f) => f.number === GRAPH_INPUT).at(-1);
  const lastNode = graphFields.filter((f) => f.number === GRAPH_NODE).at(-1);
  const parts: Uint8Array[] = [];
  for (const f of graphFields) {
    if (f.number === GRAPH_OUTPUT) {
      if (f === outputs[0]) parts.push(lengthField(GRAPH_OUTPUT, valueInfoBytes(MASKED_LOG_PROB, FLOAT, [1, 'masked', 1])));
      continue;
    }
    // Shapes recorded for head tensors no longer hold after the gather.
    if (f.number === GRAPH_VALUE_INFO && activations.has(outputName(model, f))) continue;
    if (f.number === GRAPH_NODE) {
      const node = nodeOfField.get(f)!;
      const renamed = headSet.has(node) && node.inputs.includes(HIDDEN);
      parts.push(renamed ? renameInput(model, node, HIDDEN, gathered) : model.subarray(f.start, f.end));
      if (node === hiddenProducer) parts.push(...gatherNodes);
      if (f === lastNode) parts.push(...scoreNodes);
      continue;
    }
    parts.push(model.subarray(f.start, f.end));
    if (f === lastInput) {
      parts.push(lengthField(GRAPH_INPUT, valueInfoBytes(MASKED_POSITIONS, INT64, [1, 'masked'])));
      parts.push(lengthField(GRAPH_INPUT, valueInfoBytes(MASKED_TOKEN_IDS, INT64, [1, 'masked', 1])));
    }
  }
  const graphBody = concatBytes(parts);
  const graphField = lengthField(MODEL_GRAPH, graphBody);
  return concatBytes(top.map((f) => (f === graph ? graphField : model.subarray(f.start, f.end))));
}
