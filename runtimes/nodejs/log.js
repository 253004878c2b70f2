// console.* patched to AWS's line formats. Text: `<ISO time>\t<request id>\t<LEVEL>\t<util.format(...)>` with the
// message's newlines turned into \r so one call is one log line. JSON (AWS_LAMBDA_LOG_FORMAT=JSON):
// {"timestamp","level","requestId","message"} plus errorType/errorMessage/stackTrace for errors, filtered by
// AWS_LAMBDA_LOG_LEVEL. stdout writes to pipes and files are synchronous on Linux, so every line is out before
// the runtime posts the response that ends the invocation.
'use strict';
const { format } = require('node:util');
const { intoError, toFormatted } = require('./errors');

// Shared through globals under the same symbols as AWS's client, which libraries (Powertools) read.
const REQUEST_ID = Symbol.for('aws.lambda.runtime.requestId');
const TENANT_ID = Symbol.for('aws.lambda.runtime.tenantId');

function setCurrentRequest(requestId, tenantId) {
  globalThis[REQUEST_ID] = requestId;
  globalThis[TENANT_ID] = tenantId;
}

const LEVELS = {
  TRACE: { name: 'TRACE', priority: 1 },
  DEBUG: { name: 'DEBUG', priority: 2 },
  INFO: { name: 'INFO', priority: 3 },
  WARN: { name: 'WARN', priority: 4 },
  ERROR: { name: 'ERROR', priority: 5 },
  FATAL: { name: 'FATAL', priority: 6 },
};

function errorType(error) {
  return error?.constructor?.name ?? 'UnknownError';
}

function jsonErrorReplacer(_key, value) {
  if (value instanceof Error) {
    return Object.assign({
      errorType: errorType(value),
      errorMessage: value.message,
      stackTrace: typeof value.stack === 'string' ? value.stack.split('\n') : value.stack,
    }, value);
  }
  return value;
}

function jsonLine(level, params) {
  const record = { timestamp: new Date().toISOString(), level: level.name, requestId: globalThis[REQUEST_ID] };
  const tenantId = globalThis[TENANT_ID];
  if (tenantId != null) record.tenantId = tenantId;
  if (params.length === 1) {
    record.message = params[0];
    try {
      return JSON.stringify(record, jsonErrorReplacer);
    } catch {
      record.message = format(record.message);
      return JSON.stringify(record);
    }
  }
  record.message = format(...params);
  for (const param of params) {
    if (param instanceof Error) {
      record.errorType = errorType(param);
      record.errorMessage = param.message;
      record.stackTrace = typeof param.stack === 'string' ? param.stack.split('\n') : [];
      break;
    }
  }
  return JSON.stringify(record);
}

function textLine(level, params) {
  return `${new Date().toISOString()}\t${globalThis[REQUEST_ID]}\t${level.name}\t${format(...params)}`;
}

/** How the runtime logs an error it reports (`Invoke Error`, `Uncaught Exception`, ...); set by patchConsole. */
const structuredConsole = {
  logError: (label, error) => console.error(label, toFormatted(intoError(error))),
};

function patchConsole(env = process.env) {
  const json = env.AWS_LAMBDA_LOG_FORMAT?.toUpperCase() === 'JSON';
  const render = json ? jsonLine : textLine;
  const write = (level, params) => {
    process.stdout.write(render(level, params).replace(/\n/g, '\r') + '\n');
  };
  const minimum = LEVELS[env.AWS_LAMBDA_LOG_LEVEL?.toUpperCase()] ?? LEVELS.TRACE;
  const noop = () => {};
  // Like AWS's client, a call always has a first argument: console.log() logs `undefined`.
  const logger = (level) => (level.priority >= minimum.priority ? (message, ...params) => write(level, [message, ...params]) : noop);
  console.trace = logger(LEVELS.TRACE);
  console.debug = logger(LEVELS.DEBUG);
  console.info = logger(LEVELS.INFO);
  console.log = console.info;
  console.warn = logger(LEVELS.WARN);
  console.error = logger(LEVELS.ERROR);
  console.fatal = (message, ...params) => write(LEVELS.FATAL, [message, ...params]);
  structuredConsole.logError = json
    ? (_label, error) => console.error(intoError(error))
    : (label, error) => console.error(label, toFormatted(intoError(error)));
}

module.exports = { setCurrentRequest, patchConsole, structuredConsole };
