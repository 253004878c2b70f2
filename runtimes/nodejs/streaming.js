// Response streaming (awslambda.streamifyResponse): the handler gets a Writable that is the body of a chunked
// POST /invocation/{id}/response with `Lambda-Runtime-Function-Response-Mode: streaming`; a failure after the
// stream started is reported in the trailers Lambda-Runtime-Function-Error-Type and -Body (base64 JSON), as
// AWS's client does. Loaded only when the handler is a streaming one.
'use strict';
const { Writable } = require('node:stream');
const { InvalidStreamingOperation, toRapidResponse } = require('./errors');
const { structuredConsole } = require('./log');

const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
const ERROR_TYPE_TRAILER = 'Lambda-Runtime-Function-Error-Type';
const ERROR_BODY_TRAILER = 'Lambda-Runtime-Function-Error-Body';

class ResponseStream extends Writable {
  constructor(client, id, highWaterMark) {
    super(highWaterMark === undefined ? {} : { highWaterMark });
    this._client = client;
    this._id = id;
    this._contentType = DEFAULT_CONTENT_TYPE;
    this._written = false;
    this._request = null;
    this._trailers = null;
    this._onBeforeFirstWrite = undefined;
    this._settle = null;
    this.responseDone = new Promise((resolve, reject) => { this._settle = { resolve, reject }; });
    this.responseDone.catch(() => {});
  }

  setContentType(contentType) {
    if (this._written) throw new InvalidStreamingOperation('Cannot set content-type, too late.');
    this._contentType = contentType;
  }

  write(chunk, encoding, callback) {
    if (typeof chunk !== 'string' && !Buffer.isBuffer(chunk) && chunk?.constructor !== Uint8Array) {
      chunk = JSON.stringify(chunk);
    }
    if (!this._written) {
      this._written = true;
      if (typeof this._onBeforeFirstWrite === 'function') this._onBeforeFirstWrite((data) => super.write(data));
    }
    return super.write(chunk, encoding, callback);
  }

  end(chunk, encoding, callback) {
    if (typeof chunk === 'function') return super.end(chunk);
    if (chunk !== undefined && chunk !== null) this.write(chunk, typeof encoding === 'function' ? undefined : encoding);
    return super.end(typeof encoding === 'function' ? encoding : callback);
  }

  _open() {
    if (this._request) return this._request;
    this._written = true;
    this._request = this._client.openStream(this._id, {
      'Lambda-Runtime-Function-Response-Mode': 'streaming',
      'Content-Type': this._contentType,
      Trailer: `${ERROR_TYPE_TRAILER}, ${ERROR_BODY_TRAILER}`,
    });
    this._request.done.then(this._settle.resolve, this._settle.reject);
    return this._request;
  }

  _write(chunk, _encoding, callback) {
    const request = this._open();
    if (chunk.length === 0) {
      callback();
      return;
    }
    request.writeChunk(chunk, (error) => callback(error ?? null));
  }

  _final(callback) {
    this._open().finish(this._trailers, (error) => callback(error ?? null));
  }

  /** Ends the stream with the error in its trailers. */
  fail(error, then) {
    const document = toRapidResponse(error);
    this._trailers = {
      [ERROR_TYPE_TRAILER]: document.errorType,
      [ERROR_BODY_TRAILER]: Buffer.from(JSON.stringify(document)).toString('base64'),
    };
    if (this.writableEnded) {
      then?.();
      return;
    }
    super.end(() => this.responseDone.then(() => then?.(), () => then?.()));
  }
}

/**
 * One streamed invocation: `handler(event, responseStream, context)` must return a promise; the iteration ends
 * when the Runtime API has the whole body (or the error trailers).
 */
async function invokeStreaming(runtime, invocation, event, context, highWaterMark) {
  const stream = new ResponseStream(runtime.client, invocation.id, highWaterMark);
  const scheduleNext = () => {
    runtime.beforeExit.reset();
    if (!context.callbackWaitsForEmptyEventLoop) runtime.scheduleIteration();
    else runtime.beforeExit.set(() => setImmediate(() => runtime.scheduleIteration()));
  };
  const fail = (error) => {
    structuredConsole.logError('Invoke Error', error);
    stream.fail(error, scheduleNext);
  };
  runtime.beforeExit.set(() => runtime.scheduleIteration());
  try {
    const result = runtime.handler(event(), stream, context());
    if (!result || typeof result.then !== 'function') {
      fail('Streaming does not support non-async handlers.');
      return;
    }
    const value = await result;
    if (value !== undefined) console.warn('Streaming handlers ignore return values.');
    if (!stream.writableEnded) {
      // The handler may leave the stream to a pipeline still running; it fails only if the event loop empties
      // before the stream is ended.
      const ended = await new Promise((resolve) => {
        stream.once('finish', () => resolve(true));
        stream.once('error', () => resolve(true));
        runtime.beforeExit.set(() => resolve(false));
      });
      if (!ended) {
        fail('Response stream is not finished.');
        return;
      }
    }
    await stream.responseDone;
    scheduleNext();
  } catch (error) {
    fail(error);
  }
}

module.exports = { invokeStreaming };
