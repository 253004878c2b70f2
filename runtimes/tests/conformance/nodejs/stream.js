// Response streaming handlers (awslambda.streamifyResponse is a global of the runtime).
'use strict';
const { pipeline } = require('node:stream/promises');
const { Readable } = require('node:stream');

exports.chunks = awslambda.streamifyResponse(async (event, responseStream, context) => {
  responseStream.setContentType('text/plain');
  for (const part of event.parts) responseStream.write(part);
  responseStream.end();
});

exports.piped = awslambda.streamifyResponse(async (event, responseStream) => {
  await pipeline(Readable.from(['a', 'b', 'c']), responseStream);
});

exports.failsMidway = awslambda.streamifyResponse(async (event, responseStream) => {
  responseStream.write('partial');
  throw new Error('stream failure');
});

exports.notAsync = awslambda.streamifyResponse((event, responseStream) => {
  responseStream.end('x');
});

exports.http = awslambda.streamifyResponse(async (event, responseStream) => {
  const stream = awslambda.HttpResponseStream.from(responseStream, { statusCode: 201, headers: { 'x-a': 'b' } });
  stream.write('body');
  stream.end();
});

// An uncaught exception while the stream is open: reported as the invoke's error, then the process exits.
exports.uncaughtWhileStreaming = awslambda.streamifyResponse(async (event, responseStream) => {
  responseStream.write('partial');
  await new Promise(() => setTimeout(() => { throw new Error('thrown while streaming'); }, 10));
});
