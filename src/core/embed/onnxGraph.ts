/**
 * Drops outputs of an ONNX model, with every node only they needed, by editing the protobuf bytes.
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

interface Field {
  number: number;
  /** The whole field, tag included. */
  start: number;
  end: number;
  /** Payload of a length-delimited field. */
  bodyStart: number;
}

const LENGTH_DELIMITED = 2;
const MODEL_GRAPH = 7;
const GRAPH_NODE = 1;
const GRAPH_OUTPUT = 12;
const NODE_INPUT = 1;
const NODE_OUTPUT = 2;
const NODE_OP_TYPE = 4;
const VALUE_INFO_NAME = 1;
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

function concat(parts: Array<Uint8Array | number[]>): Uint8Array {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
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
  const skip = new Set<Field>([...nodes.filter((n) => !needed.has(n)).map((n) => n.field), ...outputs.filter((o) => dropped.has(o.name)).map((o) => o.field)]);

  const graphBody = concat(graphFields.filter((f) => !skip.has(f)).map((f) => model.subarray(f.start, f.end)));
  const graphField = concat([writeVarint(MODEL_GRAPH * 8 + LENGTH_DELIMITED), writeVarint(graphBody.length), graphBody]);
  return concat(top.map((f) => (f === graph ? graphField : model.subarray(f.start, f.end))));
}
