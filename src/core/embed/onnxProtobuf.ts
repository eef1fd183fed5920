/**
 * The few protobuf primitives the ONNX graph edits need: varints (plain and signed), a message's
 * top-level fields without descending into them, strings, and the writers for new fields. Apart
 * from the edits (onnxGraph.ts, maskedHead.ts) because it knows nothing of ONNX: a field is a
 * number and a byte range, and every byte not rewritten is copied as it was.
 */
import { concatBytes } from '../bytes';

export interface Field {
  number: number;
  /** The whole field, tag included. */
  start: number;
  end: number;
  /** Payload of a length-delimited field. */
  bodyStart: number;
}

export const VARINT = 0;
export const LENGTH_DELIMITED = 2;

export function readVarint(bytes: Uint8Array, at: number): [value: number, next: number] {
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
export function fields(bytes: Uint8Array, start: number, end: number): Field[] {
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

export function text(bytes: Uint8Array, field: Field): string {
  return utf8.decode(bytes.subarray(field.bodyStart, field.end));
}

/** Signed varint (int64 attributes such as axis -1 take ten bytes). */
export function readSignedVarint(bytes: Uint8Array, at: number): [value: bigint, next: number] {
  let value = 0n;
  let shift = 0n;
  for (let i = at; i < bytes.length && i < at + 10; i++) {
    value |= BigInt(bytes[i] & 0x7f) << shift;
    if (bytes[i] < 0x80) return [BigInt.asIntN(64, value), i + 1];
    shift += 7n;
  }
  throw new Error('malformed ONNX protobuf (varint)');
}

const utf8Encoder = new TextEncoder();

export function lengthField(number: number, body: Uint8Array | number[]): Uint8Array {
  return concatBytes([writeVarint(number * 8 + LENGTH_DELIMITED), writeVarint(body.length), body]);
}

export function stringField(number: number, value: string): Uint8Array {
  return lengthField(number, utf8Encoder.encode(value));
}

export function varintField(number: number, value: number): number[] {
  return [...writeVarint(number * 8 + VARINT), ...writeVarint(value)];
}
