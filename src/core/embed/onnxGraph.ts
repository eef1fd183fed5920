/**
 * Edits an ONNX model's protobuf bytes: drops outputs with every node only they needed; and the
 * graph reading that edit shares with the masked-head rewrite (maskedHead.ts): the model's graph,
 * its nodes, which node makes each value, what a value is computed from, and the model put back
 * together around a new graph body.
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
import { fields, lengthField, readVarint, text, type Field } from './onnxProtobuf';

export const MODEL_GRAPH = 7;
export const GRAPH_NODE = 1;
export const GRAPH_INITIALIZER = 5;
export const GRAPH_INPUT = 11;
export const GRAPH_OUTPUT = 12;
export const NODE_INPUT = 1;
export const NODE_OUTPUT = 2;
export const NODE_OP_TYPE = 4;
export const VALUE_INFO_NAME = 1;
const MODEL_OPSET_IMPORT = 8;
const OPSET_DOMAIN = 1;
const OPSET_VERSION = 2;
/** Ops whose subgraphs may read outer values implicitly: pruning around them is not attempted. */
const CONTROL_FLOW = new Set(['If', 'Loop', 'Scan']);

export interface NodeInfo {
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

/** The name of a ValueInfoProto (a graph input or output). */
export function outputName(bytes: Uint8Array, field: Field): string {
  const name = fields(bytes, field.bodyStart, field.end).find((f) => f.number === VALUE_INFO_NAME);
  return name ? text(bytes, name) : '';
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

/** A model's graph as the edits read it. */
export interface ModelGraph {
  /** The model's top-level fields. */
  top: Field[];
  graph: Field;
  /** The graph's fields, in order. */
  graphFields: Field[];
  nodes: NodeInfo[];
}

/**
 * The model's graph, or undefined when it has none, its default opset is below `minOpset` (when
 * given), or it has control flow. Throws on bytes that are not a protobuf message.
 */
export function readGraph(model: Uint8Array, minOpset?: number): ModelGraph | undefined {
  const top = fields(model, 0, model.length);
  const graph = top.find((f) => f.number === MODEL_GRAPH);
  if (!graph || (minOpset !== undefined && defaultOpset(model, top) < minOpset)) return undefined;
  const graphFields = fields(model, graph.bodyStart, graph.end);
  const nodes = graphFields.filter((f) => f.number === GRAPH_NODE).map((f) => nodeInfo(model, f));
  if (nodes.some((n) => CONTROL_FLOW.has(n.opType))) return undefined;
  return { top, graph, graphFields, nodes };
}

/** The node that computes each value. */
export function producers(nodes: readonly NodeInfo[]): Map<string, NodeInfo> {
  const producer = new Map<string, NodeInfo>();
  for (const node of nodes) for (const name of node.outputs) producer.set(name, node);
  return producer;
}

/** Every node the values `roots` are computed from. */
export function ancestors(producer: Map<string, NodeInfo>, roots: readonly string[]): Set<NodeInfo> {
  const found = new Set<NodeInfo>();
  const pending = roots.slice();
  while (pending.length > 0) {
    const node = producer.get(pending.pop()!);
    if (!node || found.has(node)) continue;
    found.add(node);
    pending.push(...node.inputs);
  }
  return found;
}

/** The model's bytes with its graph's body replaced; every other field copied as it was. */
export function withGraphBody(model: Uint8Array, { top, graph }: ModelGraph, graphBody: Uint8Array): Uint8Array {
  const graphField = lengthField(MODEL_GRAPH, graphBody);
  return concatBytes(top.map((f) => (f === graph ? graphField : model.subarray(f.start, f.end))));
}

/**
 * The model without the outputs in `drop` and the nodes only they needed; undefined when there is
 * nothing to drop or the graph has control flow. Throws on bytes that are not a protobuf message.
 */
export function withoutOutputs(model: Uint8Array, drop: readonly string[]): Uint8Array | undefined {
  const read = readGraph(model);
  if (!read) return undefined;
  const { graphFields, nodes } = read;
  const outputs = graphFields.filter((f) => f.number === GRAPH_OUTPUT).map((f) => ({ field: f, name: outputName(model, f) }));
  const dropped = new Set(drop);
  const kept = outputs.filter((o) => !dropped.has(o.name));
  if (kept.length === outputs.length || kept.length === 0) return undefined;

  const needed = ancestors(
    producers(nodes),
    kept.map((o) => o.name),
  );
  const skip = new Set<Field>([
    ...nodes.filter((n) => !needed.has(n)).map((n) => n.field),
    ...outputs.filter((o) => dropped.has(o.name)).map((o) => o.field),
  ]);

  const graphBody = concatBytes(graphFields.filter((f) => !skip.has(f)).map((f) => model.subarray(f.start, f.end)));
  return withGraphBody(model, read, graphBody);
}
