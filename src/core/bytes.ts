/** Byte helpers shared by the stages that assemble binary data (ingest, the ONNX graph editor, bundles). */

/** The parts joined into one new buffer (a single part is returned as it is when `reuseSingle`). */
export function concatBytes(parts: ReadonlyArray<Uint8Array | readonly number[]>, reuseSingle = false): Uint8Array<ArrayBuffer> {
  if (reuseSingle && parts.length === 1 && parts[0] instanceof Uint8Array && parts[0].buffer instanceof ArrayBuffer) {
    return parts[0] as Uint8Array<ArrayBuffer>;
  }
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
