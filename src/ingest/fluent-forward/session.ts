// One forward-protocol connection (Fluentd Forward Protocol Specification v1): msgpack messages in,
// batches with their {"ack": chunk} answers out.
//   Message                  [tag, time, record, option?]
//   Forward                  [tag, [[time, record], ...], option?]
//   PackedForward            [tag, bin|str of concatenated [time, record] entries, option?]
//   CompressedPackedForward  the same entries gzipped (option compressed: "gzip"; members may be concatenated)
// An entry may also be Fluent Bit's [[time, metadata], record]. `size` is checked against the entries
// found; a `chunk` option is answered with {"ack": chunk} once the entries are durable (the server adds
// the wait). A nil is a heartbeat. Anything else (JSON, a bare scalar, a malformed entry) breaks the
// protocol and closes the connection: fluentd's JSON convenience form is not accepted.
import { hostname } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { Decoder, ExtensionCodec, encode } from '@msgpack/msgpack';
import { ProtocolError, type Batch, type Session } from '../tcp-shipper/server.js';
import { MessageSplitter } from './msgpack-frame.js';
import { checkPing, helo, newHandshake, type Handshake } from './handshake.js';
import { EventTime, eventRecord } from './record.js';
import type { IngestRecord } from '../records.js';

export interface ForwardSessionOptions {
  /** Largest message on the wire; the entries of a compressed one may inflate to 4x this. */
  maxMessageBytes: number;
  /** Longest single record queued (a longer one is cut and flagged). */
  maxRecordBytes: number;
  /** When set, the handshake is required before any event. */
  sharedKey?: string;
  /** The server_hostname sent in PONG. */
  hostname?: string;
  /** Called for a message of metrics or traces (fluent_signal 1 or 2): acknowledged, not stored. */
  onIgnored?: (what: string, count: number) => void;
}

const codec = new ExtensionCodec();
codec.register({
  type: 0,
  encode: () => null, // decode only: Vigil never sends event times
  decode: (data: Uint8Array) => {
    if (data.length !== 8) throw new ProtocolError('malformed', `an EventTime has ${data.length} bytes, not 8`);
    const b = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    return new EventTime(b.readUInt32BE(0), b.readUInt32BE(4));
  },
});

const decoder = new Decoder({ extensionCodec: codec });
const rawDecoder = new Decoder({ extensionCodec: codec, rawStrings: true });

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
const bad = (message: string) => new ProtocolError('malformed', message);

export class ForwardSession implements Session {
  private readonly splitter: MessageSplitter;
  private handshake: Handshake | null;

  constructor(
    private readonly o: ForwardSessionOptions,
    private readonly write: (b: Buffer) => void,
  ) {
    this.splitter = new MessageSplitter(o.maxMessageBytes);
    this.handshake = o.sharedKey ? newHandshake(o.sharedKey, o.hostname ?? hostname()) : null;
    if (this.handshake) write(helo(this.handshake));
  }

  push(chunk: Buffer, emit: (batch: Batch) => void): void {
    this.splitter.push(chunk, (bytes) => {
      if (this.handshake) this.ping(bytes);
      else {
        const batch = this.message(bytes);
        if (batch) emit(batch);
      }
    });
  }

  private ping(bytes: Buffer): void {
    const r = checkPing(this.handshake!, rawDecoder.decode(bytes));
    this.write(r.pong);
    if (!r.ok) throw new ProtocolError('handshake', `handshake refused: ${r.reason}`);
    this.handshake = null;
  }

  private message(bytes: Buffer): Batch | null {
    const msg = decoder.decode(bytes);
    if (msg === null) return null; // heartbeat
    if (!Array.isArray(msg)) throw bad(`a forward message is an array, not ${typeof msg === 'number' ? 'a number' : typeof msg}`);
    const [tag, second] = msg;
    if (typeof tag !== 'string') throw bad('a forward message starts with its tag, a string');
    const many = Array.isArray(second) || second instanceof Uint8Array || typeof second === 'string';
    // Forward and PackedForward: [tag, entries, option?]; Message: [tag, time, record, option?].
    if (many ? msg.length > 3 : msg.length < 3 || msg.length > 4) throw bad(`a forward message of ${msg.length} elements`);
    const option = many ? msg[2] : msg[3];
    if (option !== undefined && option !== null && !isMap(option)) throw bad('the option element is not a map');
    const opt = (option ?? {}) as Record<string, unknown>;

    const signal = opt.fluent_signal;
    if (signal !== undefined && signal !== 0) {
      // Fluent Bit's metrics (1) and traces (2) ride the same protocol (their payload is not entries).
      const what = signal === 1 ? 'metrics' : signal === 2 ? 'traces' : `signal ${String(signal)}`;
      this.o.onIgnored?.(what, typeof opt.size === 'number' ? opt.size : 1);
      return { records: [], ack: this.ack(opt) };
    }
    let entries: unknown[];
    if (Array.isArray(second)) entries = second;
    else if (many) entries = this.packed(bytes, second as Uint8Array | string, opt);
    else entries = [[second, msg[2]]];
    if (typeof opt.size === 'number' && opt.size !== entries.length) throw bad(`option size says ${opt.size} entries, the message has ${entries.length}`);
    const metadata = isMap(opt.metadata) ? opt.metadata : undefined;
    const records: IngestRecord[] = entries.map((e) => this.entry(tag, e, metadata));
    return { records, ack: this.ack(opt) };
  }

  private entry(tag: string, e: unknown, optMetadata: unknown): IngestRecord {
    if (!Array.isArray(e) || e.length !== 2 || !isMap(e[1])) throw bad('an entry is [time, record] with a map record');
    let [time, metadata] = [e[0], optMetadata];
    if (Array.isArray(time)) [time, metadata] = time; // Fluent Bit: [[time, metadata], record]
    return eventRecord(tag, time, e[1], metadata, this.o.maxRecordBytes);
  }

  /** The entries of a PackedForward message, inflated first when compressed. */
  private packed(bytes: Buffer, second: Uint8Array | string, opt: Record<string, unknown>): unknown[] {
    let stream: Buffer;
    if (typeof second === 'string') {
      // A str is raw msgpack bytes (out_forward's compatibility form): decode the message again as bytes.
      const raw = rawDecoder.decode(bytes) as unknown[];
      stream = Buffer.from(raw[1] as Uint8Array);
    } else stream = Buffer.from(second.buffer, second.byteOffset, second.byteLength);
    if (opt.compressed === 'gzip') {
      try {
        stream = gunzipSync(stream, { maxOutputLength: 4 * this.o.maxMessageBytes });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new ProtocolError(code === 'ERR_BUFFER_TOO_LARGE' ? 'too_large' : 'malformed', `compressed entries: ${(err as Error).message}`);
      }
    } else if (opt.compressed !== undefined && opt.compressed !== 'text') {
      throw new ProtocolError('unsupported', `compressed: ${String(opt.compressed)} is not supported (gzip is)`);
    }
    return [...decoder.decodeMulti(stream)];
  }

  private ack(opt: Record<string, unknown>): Buffer | null {
    const chunk = opt.chunk;
    if (chunk === undefined || chunk === null) return null;
    return Buffer.from(encode({ ack: chunk }));
  }
}
