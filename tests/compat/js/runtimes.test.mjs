// @aws-sdk/client-lambda (JS SDK v3) invoking managed-runtime functions on a real Kindling server: Invoke of a
// Node.js function, and InvokeWithResponseStream of a function using awslambda.streamifyResponse.
// Run: node --test tests/compat/js/

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateFunctionCommand, InvokeCommand, InvokeWithResponseStreamCommand, waitUntilFunctionActiveV2,
} from '@aws-sdk/client-lambda';
import { KindlingServer, ROLE, makeZip, uniqueName, waiterConfig } from './harness.mjs';

const HANDLERS = `
exports.echo = async (event, context) => ({ event, requestId: context.awsRequestId });
exports.stream = awslambda.streamifyResponse(async (event, responseStream) => {
  for (const part of event.parts) responseStream.write(part);
  responseStream.end();
});
exports.fails = awslambda.streamifyResponse(async () => { throw new TypeError('no stream today'); });
`;

const server = new KindlingServer();
let lambda;
let name;

before(async () => {
  await server.start();
  lambda = server.client();
  name = uniqueName('jsnode');
});

after(async () => {
  lambda?.destroy();
  await server.cleanup();
});

async function create(handler) {
  const fn = `${name}-${handler}`;
  await lambda.send(new CreateFunctionCommand({
    FunctionName: fn, Role: ROLE, Runtime: 'nodejs20.x', Handler: `index.${handler}`, MemorySize: 512,
    Code: { ZipFile: makeZip({ 'index.js': HANDLERS }) },
  }));
  assert.equal((await waitUntilFunctionActiveV2(waiterConfig(lambda), { FunctionName: fn })).state, 'SUCCESS');
  return fn;
}

async function collect(output) {
  const chunks = [];
  const completes = [];
  for await (const event of output.EventStream) {
    if (event.PayloadChunk) chunks.push(Buffer.from(event.PayloadChunk.Payload));
    if (event.InvokeComplete) completes.push(event.InvokeComplete);
  }
  return { body: Buffer.concat(chunks).toString(), completes };
}

describe('managed runtimes', () => {
  test('Invoke_Nodejs_HandlerResult', async () => {
    const fn = await create('echo');
    const out = await lambda.send(new InvokeCommand({ FunctionName: fn, Payload: Buffer.from('{"k":"v"}') }));
    assert.equal(out.StatusCode, 200);
    assert.equal(out.FunctionError, undefined);
    const result = JSON.parse(Buffer.from(out.Payload).toString());
    assert.deepEqual(result.event, { k: 'v' });
    assert.equal(result.requestId, out.$metadata.requestId);
  });

  test('InvokeWithResponseStream_StreamedParts_ChunksAndComplete', async () => {
    const fn = await create('stream');
    const out = await lambda.send(new InvokeWithResponseStreamCommand({
      FunctionName: fn, Payload: Buffer.from(JSON.stringify({ parts: ['one ', 'two ', 'three'] })),
    }));
    assert.equal(out.StatusCode, 200);
    assert.equal(out.ExecutedVersion, '$LATEST');
    const { body, completes } = await collect(out);
    assert.equal(body, 'one two three');
    assert.equal(completes.length, 1);
    assert.equal(completes[0].ErrorCode, undefined);
  });

  test('InvokeWithResponseStream_HandlerThrows_ErrorInInvokeComplete', async () => {
    const fn = await create('fails');
    const out = await lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: fn, Payload: Buffer.from('{}') }));
    const { body, completes } = await collect(out);
    assert.equal(body, '');
    assert.deepEqual([completes[0].ErrorCode, completes[0].ErrorDetails], ['TypeError', 'no stream today']);
  });
});
