// Node-specific behaviour: callback handlers, the event loop, context completion methods, unhandled
// rejections, formatting of log lines.
'use strict';

let pending = 0;

exports.callback = (event, context, callback) => {
  callback(null, { style: 'callback', waits: context.callbackWaitsForEmptyEventLoop, memory: context.memoryLimitInMB });
};

// The callback's result waits for the timer: the response says the timer ran.
exports.waitsForEventLoop = (event, context, callback) => {
  const state = { timerRan: false };
  setTimeout(() => { state.timerRan = true; }, 200);
  callback(null, state);
};

// callbackWaitsForEmptyEventLoop = false: answered at once, before the timer; the timer still runs later in the
// same process, which a later invoke (event.settleMs later) sees.
exports.doesNotWait = (event, context, callback) => {
  context.callbackWaitsForEmptyEventLoop = false;
  setTimeout(() => {
    const state = { timerRan: false, earlierTimersRan: pending };
    setTimeout(() => { state.timerRan = true; pending += 1; }, 200);
    callback(null, state);
  }, event.settleMs ?? 0);
};

exports.callbackError = (event, context, callback) => {
  callback(new TypeError('callback failure'));
};

exports.callbackString = (event, context, callback) => {
  callback('plain string failure');
};

exports.succeed = (event, context) => { context.succeed({ via: 'succeed' }); };
exports.fail = (event, context) => { context.fail(new RangeError('failed via context')); };
exports.done = (event, context) => { context.done(null, { via: 'done' }); };

// Neither a promise nor a callback: null once the event loop is empty.
exports.noResult = () => {};

exports.firstCompletionWins = (event, context, callback) => {
  callback(null, 'first');
  callback(null, 'second');
  context.succeed('third');
};

exports.unhandledRejection = async () => {
  Promise.reject(new Error('rejected in the background'));
  await new Promise((resolve) => setTimeout(resolve, 1000));
  return 'unreachable';
};

exports.uncaughtInTimer = (event, context, callback) => {
  setTimeout(() => { throw new Error('thrown from a timer'); }, 10);
};

exports.circular = async () => {
  const value = {};
  value.self = value;
  return value;
};

exports.formats = async (event) => {
  console.log('%s is %d years', 'Bob', 42);
  console.log('multi\nline');
  console.log({ nested: { a: [1, 2] } });
  console.trace('trace marker');
  console.error('failed:', new Error('logged error'));
  return 'ok';
};

exports.nested = { deeper: { handler: async () => 'nested handler' } };
exports.notAFunction = 42;

exports.traceId = async () => process.env._X_AMZN_TRACE_ID ?? null;

exports.nodePath = async () => ({ nodePath: process.env.NODE_PATH, execArgv: process.execArgv, argv: process.argv });

exports.layerLib = async () => require('mylib').value;
