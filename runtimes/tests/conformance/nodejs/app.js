// The runtime conformance handlers (runtimes/tests/conformance/README.md), CommonJS.
'use strict';

let initCount = 0;
initCount += 1;
let count = 0;

class CustomError extends Error {
  constructor(message) {
    super(message);
    this.name = 'CustomError';
  }
}

exports.echo = async (event) => event;

exports.environment = async () => ({ env: { ...process.env }, cwd: process.cwd() });

exports.context = async (event, context) => ({
  functionName: context.functionName,
  functionVersion: context.functionVersion,
  invokedFunctionArn: context.invokedFunctionArn,
  memoryLimitInMB: parseInt(context.memoryLimitInMB, 10),
  awsRequestId: context.awsRequestId,
  logGroupName: context.logGroupName,
  logStreamName: context.logStreamName,
  remainingTimeMs: context.getRemainingTimeInMillis(),
  clientContext: context.clientContext ?? null,
  identity: context.identity ?? null,
  traceId: process.env._X_AMZN_TRACE_ID,
});

exports.error = async () => {
  throw new CustomError('handled failure');
};

exports.uncaught = async (event) => {
  const missing = null;
  return missing.x;
};

exports.exit = async () => {
  process.exit(3);
};

exports.sleep = async (event) => {
  await new Promise((resolve) => setTimeout(resolve, event.seconds * 1000));
  return { slept: event.seconds };
};

exports.large = async (event) => 'x'.repeat(event.size);

exports.log = async () => {
  console.log('print marker');
  console.debug('debug marker');
  console.info('info marker');
  console.warn('warn marker');
  console.error('error marker');
  return { logged: true };
};

exports.counter = async () => {
  count += 1;
  return { count, initCount };
};
