// What the Loki push and OTLP protobuf codecs share: protobufjs decoding that keeps the fields it does
// not know, the refusal of a known field sent with the wrong wire type (protobufjs would set it aside
// silently; Loki's and the Collector's decoders refuse such a message), and the refusal that names the
// element of a request it is about.
import protobuf from 'protobufjs';
import { VigilError } from '../core/errors.js';

/** Go's int64: Loki's nanosecond timestamps and OTLP's intValue. */
export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

/** A refusal that names the element of the request it is about (streams[2].labels, resourceLogs[0]…). */
export function malformed(where: string, what: string): VigilError {
  return new VigilError('bad_request', `${where}: ${what}`, { at: where });
}

/** A decoded message: protobufjs puts the fields that do not fit the schema in $unknowns. */
export interface Msg {
  $unknowns?: Uint8Array[];
}

/** Decodes `bytes` as `type`, keeping unknown fields (protobufjs discards them by default) for checkWireTypes. */
export function decodeKeepingUnknowns<M extends Msg>(type: protobuf.Type, bytes: Uint8Array): M {
  const reader = protobuf.Reader.create(bytes);
  reader.discardUnknown = false;
  return type.decode(reader) as unknown as M;
}

/** Refuses a known field that arrived with the wrong wire type (kept aside by protobufjs as unknown). */
export function checkWireTypes(msg: Msg, type: protobuf.Type, where: string): void {
  for (const raw of msg.$unknowns ?? []) {
    const tag = protobuf.Reader.create(raw).uint32();
    const field = type.fieldsById[tag >>> 3];
    if (field) throw malformed(where, `field ${field.name} (${field.id}) has wire type ${tag & 7}, which does not fit its type ${field.type}`);
  }
}
