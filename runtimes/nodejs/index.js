// Kindling's runtime interface client for nodejs*.x: loads the handler named by _HANDLER from /var/task, then
// loops on the Runtime API (next, invoke, response/error) with the behaviour of AWS's Node runtime (errors, log
// lines, callback and event-loop semantics, response streaming, exit codes 129/128 after an uncaught exception or
// an unhandled rejection). Nothing but the Runtime API client and the loader is loaded before the first `next`.
'use strict';
const Module = require('node:module');
const { patchConsole, setCurrentRequest, structuredConsole } = require('./log');
const { RapidClient } = require('./rapid');
const { toRapidResponse, UnhandledPromiseRejection } = require('./errors');
const { loadHandler, handlerMetadata } = require('./loader');
const { attachInvocationData, beforeExit, buildCallbackContext, buildStreamingContext } = require('./context');

const EXIT_UNCAUGHT_EXCEPTION = 129;
const EXIT_UNHANDLED_REJECTION = 128;

// AWS's bootstrap sets NODE_PATH unless the function did; the node<major> layer directory follows the interpreter.
if (!process.env.NODE_PATH) {
  const major = process.versions.node.split('.')[0];
  process.env.NODE_PATH = `/opt/nodejs/node${major}/node_modules:/opt/nodejs/node_modules:/var/runtime/node_modules:/var/runtime:/var/task`;
  Module._initPaths();
}
patchConsole();
const client = new RapidClient(process.env.AWS_LAMBDA_RUNTIME_API);

// A Runtime API that went away leaves nothing to report to: the environment is being torn down.
function lostRuntimeApi(error) {
  process.stderr.write(`Runtime API request failed: ${error?.stack ?? error}\n`);
  process.exit(1);
}

function serialize(result) {
  try {
    return JSON.stringify(result === undefined ? null : result);
  } catch {
    throw new Error('Unable to stringify response body');
  }
}

const runtime = {
  client,
  beforeExit,
  handler: null,
  streaming: null,
  // Until the first invocation, fatal errors are init errors.
  onUncaughtException: (error) => {
    client.postInitError(toRapidResponse(error)).then(() => process.exit(EXIT_UNCAUGHT_EXCEPTION), lostRuntimeApi);
  },
  onUnhandledRejection: (error) => {
    client.postInitError(toRapidResponse(error)).then(() => process.exit(EXIT_UNHANDLED_REJECTION), lostRuntimeApi);
  },

  postResponse(id, result, then) {
    const body = serialize(result);
    client.postResponse(id, body).then(() => then(), lostRuntimeApi);
  },

  postError(id, error, then) {
    structuredConsole.logError('Invoke Error', error);
    client.postError(id, toRapidResponse(error)).then(() => then(), lostRuntimeApi);
  },

  scheduleIteration() {
    setImmediate(() => {
      const once = runtime.streaming ? invokeStreamingOnce() : invokeOnce();
      once.catch((error) => {
        console.log(`Unexpected Top Level Error: ${error.toString()}`);
        runtime.onUncaughtException(error);
      });
    });
  },
};

function failInvocationsOf(id) {
  runtime.onUncaughtException = (error) => {
    client.postError(id, toRapidResponse(error)).then(() => process.exit(EXIT_UNCAUGHT_EXCEPTION), lostRuntimeApi);
  };
  runtime.onUnhandledRejection = (error) => {
    client.postError(id, toRapidResponse(error)).then(() => process.exit(EXIT_UNHANDLED_REJECTION), lostRuntimeApi);
  };
}

async function nextInvocation() {
  const { headers, body } = await client.next();
  const id = headers['lambda-runtime-aws-request-id'];
  if (!id) throw new Error('invocation id is missing or invalid');
  setCurrentRequest(id, headers['lambda-runtime-aws-tenant-id']);
  return { id, headers, body };
}

async function invokeOnce() {
  const invocation = await nextInvocation();
  const { id } = invocation;
  const scheduleNext = () => runtime.scheduleIteration();
  const [callback, context, markCompleted] = buildCallbackContext(runtime, id, scheduleNext);
  try {
    failInvocationsOf(id);
    // A handler that neither returns a promise nor calls back answers null once the event loop is empty.
    beforeExit.set(() => {
      markCompleted();
      runtime.postResponse(id, null, scheduleNext);
    });
    const result = runtime.handler(JSON.parse(invocation.body.toString()),
      attachInvocationData(context, invocation.headers), callback);
    if (result && typeof result.then === 'function') {
      result.then(context.succeed, context.fail).catch(context.fail);
    }
  } catch (error) {
    callback(error);
  }
}

async function invokeStreamingOnce() {
  const invocation = await nextInvocation();
  failInvocationsOf(invocation.id);
  const context = buildStreamingContext();
  await runtime.streaming.invokeStreaming(runtime, invocation,
    () => JSON.parse(invocation.body.toString()),
    () => attachInvocationData(context, invocation.headers),
    runtime.streamingHighWaterMark);
}

process.on('uncaughtException', (error) => {
  structuredConsole.logError('Uncaught Exception', error);
  runtime.onUncaughtException(error);
});
process.on('unhandledRejection', (reason, promise) => {
  const error = new UnhandledPromiseRejection(reason, promise);
  structuredConsole.logError('Unhandled Promise Rejection', error);
  runtime.onUnhandledRejection(error);
});
process.on('beforeExit', () => beforeExit.listener());

loadHandler(process.cwd(), process.env._HANDLER ?? '').then((handler) => {
  runtime.handler = handler;
  const metadata = handlerMetadata(handler);
  if (metadata.streaming) {
    runtime.streaming = require('./streaming');
    runtime.streamingHighWaterMark = metadata.highWaterMark;
  }
  runtime.scheduleIteration();
}).catch((error) => {
  structuredConsole.logError('Uncaught Exception', error);
  runtime.onUncaughtException(error);
});
