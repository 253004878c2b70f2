'use strict';
// The handler's context object: fields from the environment and the /next headers, getRemainingTimeInMillis, and
// the callback-style completion (callback, context.done/succeed/fail, callbackWaitsForEmptyEventLoop) with AWS's
// semantics: a callback result waits for an empty event loop unless callbackWaitsForEmptyEventLoop is false,
// done/succeed/fail and promises complete at once, and only the first completion counts.

/** An event-loop-empty hook: the runtime's single 'beforeExit' listener calls whatever is set here. */
const beforeExit = {
  listener: () => {},
  set(listener) { this.listener = listener; },
  reset() { this.listener = () => {}; },
};

/**
 * [callback, context, markCompleted] for one invocation. `runtime` provides postResponse(id, result, then) and
 * postError(id, error, then); `scheduleNext` starts the next iteration.
 */
function buildCallbackContext(runtime, id, scheduleNext) {
  let completed = false;
  let waitForEmptyEventLoop = true;

  const postError = (error, then) => runtime.postError(id, error, then);
  const complete = (result, then) => {
    if (completed) {
      console.error('Invocation has already been reported as done. Cannot call complete more than once per invocation.');
      return;
    }
    completed = true;
    runtime.postResponse(id, result, then);
  };

  const callback = (error, result) => {
    beforeExit.reset();
    if (error !== undefined && error !== null) {
      postError(error, scheduleNext);
    } else if (!waitForEmptyEventLoop) {
      complete(result, scheduleNext);
    } else {
      beforeExit.set(() => setImmediate(() => complete(result, scheduleNext)));
    }
  };
  const done = (error, result) => {
    beforeExit.reset();
    if (error !== undefined && error !== null) postError(error, scheduleNext);
    else complete(result, scheduleNext);
  };

  // Only the first of callback/done/succeed/fail counts; a throwing completion (an unserializable result) does
  // not count, so the failure that follows is reported.
  let finished = false;
  const once = (fn) => function () {
    if (!finished) {
      fn.apply(null, arguments);
      finished = true;
    }
  };

  const context = {
    get callbackWaitsForEmptyEventLoop() { return waitForEmptyEventLoop; },
    set callbackWaitsForEmptyEventLoop(value) { waitForEmptyEventLoop = value; },
    succeed: once((result) => done(null, result)),
    fail: once((error) => (error === undefined || error === null ? done('handled') : done(error, null))),
    done: once(done),
  };
  return [once(callback), context, () => { completed = true; }];
}

/** Streaming handlers get the wait flag only; the stream itself carries the result. */
function buildStreamingContext() {
  let waitForEmptyEventLoop = true;
  return {
    get callbackWaitsForEmptyEventLoop() { return waitForEmptyEventLoop; },
    set callbackWaitsForEmptyEventLoop(value) { waitForEmptyEventLoop = value; },
  };
}

function parseJson(text, name) {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`Cannot parse ${name} as json: ${error.toString()}`);
  }
}

/** Adds the environment and invocation fields to `context` and forwards the trace id to _X_AMZN_TRACE_ID. */
function attachInvocationData(context, headers, env = process.env) {
  const trace = headers['lambda-runtime-trace-id'];
  if (trace) env._X_AMZN_TRACE_ID = trace;
  else delete env._X_AMZN_TRACE_ID;
  const deadline = Number(headers['lambda-runtime-deadline-ms']);
  return Object.assign(context, {
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
  }, {
    clientContext: parseJson(headers['lambda-runtime-client-context'], 'ClientContext'),
    identity: parseJson(headers['lambda-runtime-cognito-identity'], 'CognitoIdentity'),
    invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
    awsRequestId: headers['lambda-runtime-aws-request-id'],
    tenantId: headers['lambda-runtime-aws-tenant-id'],
    getRemainingTimeInMillis: () => deadline - Date.now(),
  });
}

module.exports = { beforeExit, buildCallbackContext, buildStreamingContext, attachInvocationData };
