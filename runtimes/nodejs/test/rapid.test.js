// Unit tests of the Runtime API client against an in-process TCP stub: the wire format Kindling's tests cannot see.
// Run: node --test runtimes/nodejs/test/ (test_runtime_nodejs.py runs them too).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const net = require('node:net');
const { RapidClient } = require('../rapid');

/** A stub server: `respond(requestText, socket)` answers each complete request; returns {client, requests, close}. */
async function stub(respond) {
  const requests = [];
  const sockets = new Set();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    let buffer = '';
    socket.setEncoding('latin1');
    socket.on('data', (data) => {
      buffer += data;
      for (;;) {
        const end = requestEnd(buffer);
        if (end < 0) return;
        const request = buffer.slice(0, end);
        buffer = buffer.slice(end);
        requests.push(request);
        respond(request, socket, requests.length);
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new RapidClient(`127.0.0.1:${server.address().port}`);
  return {
    client,
    requests,
    connections: () => sockets.size,
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
      client.socket?.destroy();
    },
  };
}

function requestEnd(text) {
  const head = text.indexOf('\r\n\r\n');
  if (head < 0) return -1;
  const length = /\r\ncontent-length: (\d+)/i.exec(text.slice(0, head));
  if (length) return text.length >= head + 4 + Number(length[1]) ? head + 4 + Number(length[1]) : -1;
  if (/\r\ntransfer-encoding: chunked/i.test(text.slice(0, head))) {
    const last = text.indexOf('\r\n0\r\n', head);
    if (last < 0) return -1;
    const done = text.indexOf('\r\n\r\n', last + 3);
    return done < 0 ? -1 : done + 4;
  }
  return head + 4;
}

function reply(socket, status, headers, body) {
  let text = `HTTP/1.1 ${status} X\r\n`;
  for (const [name, value] of Object.entries(headers)) text += `${name}: ${value}\r\n`;
  socket.write(`${text}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

const accepted = (socket) => reply(socket, 202, { 'Content-Type': 'application/json' }, '{"status":"OK"}');

test('next: lower-case headers and the raw body, one kept-alive connection', async () => {
  const api = await stub((request, socket) => {
    if (request.startsWith('GET')) reply(socket, 200, { 'Lambda-Runtime-Aws-Request-Id': 'id-1', 'Lambda-Runtime-Deadline-Ms': '42' }, '{"a":"ü"}');
    else accepted(socket);
  });
  try {
    const first = await api.client.next();
    assert.equal(first.headers['lambda-runtime-aws-request-id'], 'id-1');
    assert.equal(first.headers['lambda-runtime-deadline-ms'], '42');
    assert.deepEqual(JSON.parse(first.body.toString()), { a: 'ü' });
    const posted = await api.client.postResponse('id-1', '{"ok":true}');
    assert.equal(posted.status, 202);
    await api.client.next();
    assert.equal(api.connections(), 1);
    assert.match(api.requests[0], /^GET \/2018-06-01\/runtime\/invocation\/next HTTP\/1\.1\r\nHost: 127\.0\.0\.1:\d+\r\n\r\n$/);
    assert.match(api.requests[1], /^POST \/2018-06-01\/runtime\/invocation\/id-1\/response HTTP\/1\.1\r\n/);
    assert.ok(api.requests[1].endsWith('Content-Type: application/json\r\nContent-Length: 11\r\n\r\n{"ok":true}'));
  } finally {
    api.close();
  }
});

test('next: a body arriving in many reads is returned whole', async () => {
  const body = 'x'.repeat(3 * 1024 * 1024);
  const api = await stub((request, socket) => {
    const head = `HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: big\r\nContent-Length: ${body.length}\r\n\r\n`;
    socket.write(head);
    for (let offset = 0; offset < body.length; offset += 65536) socket.write(body.slice(offset, offset + 65536));
  });
  try {
    const response = await api.client.next();
    assert.equal(response.body.length, body.length);
    assert.equal(response.body.toString(), body);
  } finally {
    api.close();
  }
});

test('next: a chunked response is decoded', async () => {
  const api = await stub((request, socket) => {
    socket.write('HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: c\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n{"a\r\n');
    socket.write('4\r\n":1}\r\n0\r\n\r\n');
  });
  try {
    assert.equal((await api.client.next()).body.toString(), '{"a":1}');
  } finally {
    api.close();
  }
});

test('next: sent again on a new connection when the kept-alive one was closed by the server', async () => {
  const api = await stub((request, socket, count) => {
    if (count === 1) socket.destroy();
    else reply(socket, 200, { 'Lambda-Runtime-Aws-Request-Id': 'again' }, '{}');
  });
  try {
    assert.equal((await api.client.next()).headers['lambda-runtime-aws-request-id'], 'again');
    assert.equal(api.requests.length, 2);
  } finally {
    api.close();
  }
});

test('postError: error type header and the document as body', async () => {
  const api = await stub((request, socket) => accepted(socket));
  try {
    await api.client.postError('a b', { errorType: 'Runtime.HandlerNotFound', errorMessage: 'line\nbreak', trace: [] });
    assert.match(api.requests[0], /^POST \/2018-06-01\/runtime\/invocation\/a%20b\/error HTTP\/1\.1\r\n/);
    assert.match(api.requests[0], /\r\nLambda-Runtime-Function-Error-Type: Runtime\.HandlerNotFound\r\n/);
    assert.ok(api.requests[0].endsWith('{"errorType":"Runtime.HandlerNotFound","errorMessage":"line\\nbreak","trace":[]}'));
  } finally {
    api.close();
  }
});

test('openStream: chunked body, streaming mode header and error trailers', async () => {
  const api = await stub((request, socket) => accepted(socket));
  try {
    const stream = api.client.openStream('s-1', { 'Lambda-Runtime-Function-Response-Mode': 'streaming', 'Content-Type': 'text/plain' });
    await new Promise((resolve) => stream.writeChunk(Buffer.from('hello'), resolve));
    await new Promise((resolve) => stream.finish({ 'Lambda-Runtime-Function-Error-Type': 'Error' }, resolve));
    assert.equal((await stream.done).status, 202);
    const request = api.requests[0];
    assert.match(request, /^POST \/2018-06-01\/runtime\/invocation\/s-1\/response HTTP\/1\.1\r\n/);
    assert.match(request, /\r\nLambda-Runtime-Function-Response-Mode: streaming\r\n/);
    assert.match(request, /\r\nTransfer-Encoding: chunked\r\n\r\n/);
    assert.ok(request.endsWith('\r\n\r\n5\r\nhello\r\n0\r\nLambda-Runtime-Function-Error-Type: Error\r\n\r\n'), JSON.stringify(request));
  } finally {
    api.close();
  }
});

test('a request made while another is in flight goes on its own connection', async () => {
  const api = await stub((request, socket) => {
    if (request.startsWith('POST /2018-06-01/runtime/invocation/e/error')) accepted(socket);
  });
  try {
    const stream = api.client.openStream('s', { 'Content-Type': 'text/plain' });
    stream.writeChunk(Buffer.from('partial'), () => {});
    const posted = await api.client.postError('e', { errorType: 'Error', errorMessage: 'boom', trace: [] });
    assert.equal(posted.status, 202);
    assert.equal(api.connections(), 2);
    stream.done.catch(() => {});
  } finally {
    api.close();
  }
});
