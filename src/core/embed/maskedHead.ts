/**
 * The masked-LM model rewired for surprise scoring: the vocabulary head behind a gather of the
 * masked positions, returning log p(true token) there. Apart from onnxGraph.ts because it is one
 * edit with its own checks (which head it can move, which ops act per position) and its own node
 * and value-info writers, while the graph reading and the protobuf primitives are shared.
 */
import { concatBytes } from '../bytes';
import {
  ancestors,
  GRAPH_INITIALIZER,
  GRAPH_INPUT,
  GRAPH_NODE,
  GRAPH_OUTPUT,
  NODE_INPUT,
  NODE_OP_TYPE,
  NODE_OUTPUT,
  outputName,
  producers,
  readGraph,
  withGraphBody,
  VALUE_INFO_NAME,
  type NodeInfo,
} from './onnxGraph';
import { fields, LENGTH_DELIMITED, lengthField, readSignedVarint, readVarint, stringField, text, varintField } from './onnxProtobuf';

/** The surprise graph's extra inputs and its output (see `withMaskedHead`). */
export const MASKED_POSITIONS = 'masked_positions';
export const MASKED_TOKEN_IDS = 'masked_token_ids';
export const MASKED_LOG_PROB = 'masked_log_prob';

const NODE_NAME = 3;
const NODE_ATTRIBUTE = 5;
const ATTRIBUTE_NAME = 1;
const ATTRIBUTE_INT = 3;
const ATTRIBUTE_INTS = 8;
const ATTRIBUTE_TYPE = 20;
const ATTRIBUTE_TYPE_INT = 2;
const TENSOR_NAME = 8;
const GRAPH_VALUE_INFO = 13;
const VALUE_INFO_TYPE = 2;
const TYPE_TENSOR = 1;
const TENSOR_TYPE_ELEM = 1;
const TENSOR_TYPE_SHAPE = 2;
const SHAPE_DIM = 1;
const DIM_VALUE = 1;
const DIM_PARAM = 2;
const FLOAT = 1;
const INT64 = 7;
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

/** The node's bytes with each input named in `renames` renamed. */
function renameInputs(bytes: Uint8Array, node: NodeInfo, renames: ReadonlyMap<string, string>): Uint8Array {
  const body = concatBytes(
    fields(bytes, node.field.bodyStart, node.field.end).map((f) => {
      const to = f.number === NODE_INPUT ? renames.get(text(bytes, f)) : undefined;
      return to === undefined ? bytes.subarray(f.start, f.end) : stringField(NODE_INPUT, to);
    }),
  );
  return lengthField(GRAPH_NODE, body);
}

/** The `keepdims` attribute of a reduction (1 when absent, as ONNX says). */
function keepsDims(bytes: Uint8Array, node: NodeInfo): boolean {
  for (const attribute of fields(bytes, node.field.bodyStart, node.field.end).filter((f) => f.number === NODE_ATTRIBUTE)) {
    const parts = fields(bytes, attribute.bodyStart, attribute.end);
    const name = parts.find((f) => f.number === ATTRIBUTE_NAME);
    const value = parts.find((f) => f.number === ATTRIBUTE_INT);
    if (name && text(bytes, name) === 'keepdims' && value) return readVarint(bytes, value.bodyStart)[0] !== 0;
  }
  return true;
}

/**
 * Whether `node` transforms each position's vector on its own, so it may run on gathered rows:
 * a POSITION_WISE op whose axes are the last one, a MatMul by weights only, a reduction keeping
 * its dims (the rank, hence the last axis, stays that of the hidden states).
 */
function positionWise(bytes: Uint8Array, node: NodeInfo, isActivation: (name: string) => boolean): boolean {
  if (!POSITION_WISE.has(node.opType) || node.inputs.length > 3) return false;
  if (node.opType === 'MatMul' && node.inputs[1] !== undefined && isActivation(node.inputs[1])) return false;
  if (axesOf(bytes, node).some((axis) => !LAST_AXES.has(axis))) return false;
  if (node.opType.startsWith('Reduce') && (node.inputs.length > 1 || !keepsDims(bytes, node))) return false;
  return true;
}

/**
 * The masked-LM model rewired for surprise: the vocabulary head, and as much of the last encoder
 * layer as acts on each position alone, run only at the masked positions; the graph returns
 * log p(true token) there, instead of `[batch, sequence, vocab]` logits.
 *
 * Why: the head's 6000-wide projection was computed for every token of every masked pass, and the
 * logits then copied out and soft-maxed in JavaScript; with a stride of 4 only a quarter of the
 * positions are ever read, and of each row only one log-probability. The same holds for the last
 * layer's attention output projection and feed-forward block (in BERT, everything after the last
 * attention's weighted sum): no later layer reads the other positions, so they are computed only
 * where a token is masked (13% less work per pass on loupe-log-bert, same values).
 *
 * Inputs: the model's own, plus `masked_positions` (int64 [1, masked], flat indices row × width +
 * position into the batch) and `masked_token_ids` (int64 [1, masked, 1], the true token at each).
 * Output: `masked_log_prob` (float [1, masked, 1]), ln softmax(logits)[true token].
 *
 * The head (nodes that `logits` needs and `last_hidden_state` does not) must read the encoder
 * only through `last_hidden_state` and act on each position alone (POSITION_WISE ops, reductions
 * over the last axis); otherwise, or without `logits` / `last_hidden_state`, or below opset 11,
 * this returns undefined and the encoder keeps the full graph. From there the gather moves up
 * through every encoder node that is position-wise and whose results only such nodes read; the
 * values it then reads (in BERT the last attention's context and the previous layer's output) are
 * each gathered at the masked positions.
 */
export function withMaskedHead(model: Uint8Array): Uint8Array | undefined {
  const read = readGraph(model, 11);
  if (!read) return undefined;
  const { graphFields, nodes } = read;
  const outputs = graphFields.filter((f) => f.number === GRAPH_OUTPUT);
  const outputNames = outputs.map((f) => outputName(model, f));
  if (!outputNames.includes(HIDDEN) || !outputNames.includes(LOGITS)) return undefined;
  const graphInputs = new Set(graphFields.filter((f) => f.number === GRAPH_INPUT).map((f) => outputName(model, f)));
  const initializers = new Set<string>();
  for (const f of graphFields.filter((x) => x.number === GRAPH_INITIALIZER)) {
    const name = fields(model, f.bodyStart, f.end).find((x) => x.number === TENSOR_NAME);
    if (name) initializers.add(text(model, name));
  }

  const producer = producers(nodes);
  const encoder = ancestors(producer, [HIDDEN]);
  const head = [...ancestors(producer, [LOGITS])].filter((n) => !encoder.has(n));
  const hiddenProducer = producer.get(HIDDEN);
  if (!hiddenProducer || head.length === 0) return undefined;

  // Head tensors computed from the hidden states (the rest is weight preparation, e.g. a Transpose).
  const activations = new Set<string>([HIDDEN]);
  const region = new Set<NodeInfo>();
  const headOrder = nodes.filter((n) => head.includes(n));
  for (const node of headOrder) {
    const fromHidden = node.inputs.filter((name) => activations.has(name));
    for (const name of node.inputs) {
      if (name === '' || activations.has(name) || initializers.has(name)) continue;
      const source = producer.get(name);
      if (!source || encoder.has(source) || graphInputs.has(name)) return undefined;
    }
    if (fromHidden.length === 0) continue;
    if (!positionWise(model, node, (name) => activations.has(name))) return undefined;
    region.add(node);
    for (const name of node.outputs) activations.add(name);
  }

  // Up from the hidden states: values computed from weights and constants alone are not activations.
  const constant = new Set(initializers);
  for (const node of nodes)
    if (node.inputs.every((name) => name === '' || constant.has(name))) for (const o of node.outputs) constant.add(o);
  const consumers = new Map<string, NodeInfo[]>();
  for (const node of nodes) for (const name of node.inputs) consumers.set(name, [...(consumers.get(name) ?? []), node]);
  const isActivation = (name: string) => name !== '' && !constant.has(name);
  for (const node of [...nodes].reverse()) {
    if (!encoder.has(node) || region.has(node) || node.inputs.every((name) => !isActivation(name))) continue;
    // Every result read only by rows already gathered (last_hidden_state stops being an output).
    const readOnlyThere = node.outputs.every((name) => {
      const readers = consumers.get(name) ?? [];
      return readers.length > 0 && readers.every((r) => region.has(r)) && (name === HIDDEN || !outputNames.includes(name));
    });
    if (!readOnlyThere || !positionWise(model, node, isActivation)) continue;
    if (node.inputs.some((name) => isActivation(name) && graphInputs.has(name))) continue;
    region.add(node);
  }
  const computedThere = new Set([...region].flatMap((n) => n.outputs));
  const cuts = [...new Set([...region].flatMap((n) => n.inputs.filter((name) => isActivation(name) && !computedThere.has(name))))];

  const prefix = 'loupe_masked/';
  const renames = new Map(cuts.map((name, i) => [name, `${prefix}rows_${i}`]));
  const gathersAfter = new Map<NodeInfo, Uint8Array[]>();
  cuts.forEach((name, i) => {
    const flat = `${prefix}flat_${i}`;
    const after = producer.get(name)!;
    gathersAfter.set(after, [
      ...(gathersAfter.get(after) ?? []),
      lengthField(GRAPH_NODE, nodeBytes('Flatten', `${prefix}Flatten_${i}`, [name], [flat], { axis: 2 })),
      lengthField(GRAPH_NODE, nodeBytes('Gather', `${prefix}Gather_${i}`, [flat, MASKED_POSITIONS], [renames.get(name)!], { axis: 0 })),
    ]);
  });
  const logProbs = `${prefix}log_probs`;
  const scoreNodes = [
    lengthField(GRAPH_NODE, nodeBytes('LogSoftmax', `${prefix}LogSoftmax`, [LOGITS], [logProbs], { axis: 2 })),
    lengthField(
      GRAPH_NODE,
      nodeBytes('GatherElements', `${prefix}GatherElements`, [logProbs, MASKED_TOKEN_IDS], [MASKED_LOG_PROB], { axis: 2 }),
    ),
  ];
  const nodeOfField = new Map(nodes.map((n) => [n.field, n]));
  const lastInput = graphFields.filter((f) => f.number === GRAPH_INPUT).at(-1);
  const lastNode = graphFields.filter((f) => f.number === GRAPH_NODE).at(-1);
  const parts: Uint8Array[] = [];
  for (const f of graphFields) {
    if (f.number === GRAPH_OUTPUT) {
      if (f === outputs[0]) parts.push(lengthField(GRAPH_OUTPUT, valueInfoBytes(MASKED_LOG_PROB, FLOAT, [1, 'masked', 1])));
      continue;
    }
    // Shapes recorded for values computed on gathered rows no longer hold.
    if (f.number === GRAPH_VALUE_INFO && computedThere.has(outputName(model, f))) continue;
    if (f.number === GRAPH_NODE) {
      const node = nodeOfField.get(f)!;
      const renamed = region.has(node) && node.inputs.some((name) => renames.has(name));
      parts.push(renamed ? renameInputs(model, node, renames) : model.subarray(f.start, f.end));
      parts.push(...(gathersAfter.get(node) ?? []));
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
  return withGraphBody(model, read, graphBody);
}
