// The Runtime API client: HTTP/1.1 over one kept-alive socket, written by hand. `node:http` costs ~1.5 ms more to
// load at every cold start and more per request; the runtime's conversation is strictly sequential (next,
// response, next...), so one socket and one pending request are all it needs. The socket is unref'd while no
// request is in flight so that an empty event loop ('beforeExit', callbackWaitsForEmptyEventLoop) is seen.
'use strict';
const { connect } = require('node:net');

const PREFIX = '/2018-06-01/runtime';
const CRLF = '\r\n';
const HEAD_END = Buffer.from('\r\n\r\n');

class RapidClient {
  constructor(address) {
    const colon = address.lastIndexOf(':');
    this.host = address.slice(0, colon);
    this.port = Number(address.slice(colon + 1));
    this.address = address;
    this.socket = null;
    this.pending = null;
    this._resetBuffer();
  }

  _resetBuffer() {
    this.chunks = [];
    this.length = 0;
    this.expected = 0;
  }

  /** GET /invocation/next: {headers (lower-case names), body (Buffer)}. */
  async next() {
    const response = await this._request('GET', `${PREFIX}/invocation/next`, null, null, true);
    if (response.status !== 200) {
      throw new Error(`Failed to get the next invocation: ${response.status} ${response.body}`);
    }
    return response;
  }

  postResponse(id, body) {
    return this._request('POST', `${PREFIX}/invocation/${encodeURIComponent(id)}/response`,
      { 'Content-Type': 'application/json' }, body);
  }

  postError(id, document) {
    return this._request('POST', `${PREFIX}/invocation/${encodeURIComponent(id)}/error`,
      { 'Content-Type': 'application/json', 'Lambda-Runtime-Function-Error-Type': headerValue(document.errorType) },
      JSON.stringify(document));
  }

  postInitError(document) {
    return this._request('POST', `${PREFIX}/init/error`,
      { 'Content-Type': 'application/json', 'Lambda-Runtime-Function-Error-Type': headerValue(document.errorType) },
      JSON.stringify(document));
  }

  /**
   * Starts a chunked POST of a streamed response. Returns {writeChunk(buf, cb), finish(trailers, cb), done}
   * where done resolves with the Runtime API's answer once the body is complete.
   */
  openStream(id, headers) {
    const socket = this._connect();
    let head = `POST ${PREFIX}/invocation/${encodeURIComponent(id)}/response HTTP/1.1${CRLF}Host: ${this.address}${CRLF}`;
    for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}${CRLF}`;
    head += `Transfer-Encoding: chunked${CRLF}${CRLF}`;
    const done = this._expectResponse(false);
    socket.write(head);
    return {
      done,
      writeChunk(chunk, callback) {
        socket.cork();
        socket.write(chunk.length.toString(16) + CRLF);
        socket.write(chunk);
        const flushed = socket.write(CRLF, callback);
        socket.uncork();
        return flushed;
      },
      finish(trailers, callback) {
        let tail = `0${CRLF}`;
        for (const [name, value] of Object.entries(trailers ?? {})) tail += `${name}: ${headerValue(value)}${CRLF}`;
        socket.write(tail + CRLF, callback);
      },
    };
  }

  _connect() {
    if (this.socket) return this.socket;
    const socket = connect({ host: this.host, port: this.port, noDelay: true });
    socket.on('data', (data) => this._onData(data));
    socket.on('error', (error) => this._onClose(socket, error));
    socket.on('close', () => this._onClose(socket, null));
    this.socket = socket;
    this._resetBuffer();
    return socket;
  }

  _request(method, path, headers, body, retry = false) {
    // Requests never overlap in the normal flow; one that would (an uncaught exception reported while a streamed
    // response is still being posted) gets a connection of its own rather than landing inside the other's body.
    if (this.pending) return new RapidClient(this.address)._request(method, path, headers, body, retry);
    const socket = this._connect();
    const payload = body == null ? null : (typeof body === 'string' ? Buffer.from(body) : body);
    let head = `${method} ${path} HTTP/1.1${CRLF}Host: ${this.address}${CRLF}`;
    if (headers) for (const name in headers) head += `${name}: ${headers[name]}${CRLF}`;
    if (payload) head += `Content-Length: ${payload.length}${CRLF}`;
    head += CRLF;
    const response = this._expectResponse(retry);
    socket.cork();
    socket.write(head);
    if (payload) socket.write(payload);
    socket.uncork();
    if (!retry) return response;
    // A kept-alive connection the server has just closed fails before any byte of the answer: GET next is safe
    // to send again on a new connection.
    return response.catch((error) => {
      if (!error.retryable) throw error;
      return this._request(method, path, headers, body, false);
    });
  }

  _expectResponse(retryable) {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject, retryable, received: false };
      this.socket.ref();
    });
  }

  _onClose(socket, error) {
    socket.destroy();
    if (socket !== this.socket) return;
    const pending = this.pending;
    this.socket = null;
    this._resetBuffer();
    if (!pending) return;
    this.pending = null;
    const failure = error ?? new Error('Runtime API connection closed');
    failure.retryable = pending.retryable && !pending.received;
    pending.reject(failure);
  }

  _onData(data) {
    const pending = this.pending;
    if (pending) pending.received = true;
    this.chunks.push(data);
    this.length += data.length;
    // A large event arrives in many reads: they are joined once, when the whole body is there.
    if (this.length < this.expected) return;
    const buffer = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.length);
    const response = parseResponse(buffer);
    if (!response || !pending) {
      this.chunks = [buffer];
      this.expected = response ? 0 : expectedLength(buffer);
      return;
    }
    this.chunks = response.rest.length ? [response.rest] : [];
    this.length = response.rest.length;
    this.expected = 0;
    this.pending = null;
    this.socket.unref();
    pending.resolve(response);
  }
}

function headerValue(value) {
  // Header values cannot carry line breaks; AWS's client would fail the request instead.
  return String(value).replace(/[\r\n]/g, ' ');
}

/** The size of a Content-Length response whose head is in `buffer`, else 0 (not known yet). */
function expectedLength(buffer) {
  const headEnd = buffer.indexOf(HEAD_END);
  if (headEnd < 0) return 0;
  const match = /\r\ncontent-length:\s*(\d+)/i.exec(buffer.toString('latin1', 0, headEnd));
  return match ? headEnd + 4 + Number(match[1]) : 0;
}

/** One complete response at the start of `buffer`, or null when more bytes are needed. */
function parseResponse(buffer) {
  const headEnd = buffer.indexOf(HEAD_END);
  if (headEnd < 0) return null;
  const lines = buffer.toString('latin1', 0, headEnd).split(CRLF);
  const status = Number(lines[0].split(' ')[1]);
  const headers = {};
  for (let i = 1; i < lines.length; i++) {
    const colon = lines[i].indexOf(':');
    if (colon > 0) headers[lines[i].slice(0, colon).trim().toLowerCase()] = lines[i].slice(colon + 1).trim();
  }
  const start = headEnd + 4;
  if (headers['transfer-encoding']?.toLowerCase() === 'chunked') {
    const chunks = [];
    let offset = start;
    for (;;) {
      const lineEnd = buffer.indexOf(CRLF, offset);
      if (lineEnd < 0) return null;
      const size = parseInt(buffer.toString('latin1', offset, lineEnd), 16);
      if (size === 0) {
        const end = buffer.indexOf(HEAD_END, lineEnd);
        if (end < 0) return null;
        return { status, headers, body: Buffer.concat(chunks), rest: buffer.subarray(end + 4) };
      }
      if (buffer.length < lineEnd + 2 + size + 2) return null;
      chunks.push(buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
      offset = lineEnd + 2 + size + 2;
    }
  }
  const length = Number(headers['content-length'] ?? 0);
  if (buffer.length < start + length) return null;
  return { status, headers, body: buffer.subarray(start, start + length), rest: buffer.subarray(start + length) };
}

module.exports = { RapidClient };
