// Error documents and the runtime's own error classes, shaped like AWS's Node runtime: the Runtime API gets
// {errorType, errorMessage, trace}, the log gets every enumerable property with the stack split into lines.
'use strict';
const { types } = require('node:util');

function looksLikeError(value) {
  return value && typeof value.name === 'string' && typeof value.message === 'string'
    && typeof value.stack === 'string' && value.name && value.message && value.stack;
}

// DEL is escaped because the document travels in HTTP headers and trailers, where it is not allowed.
const escapeDel = (text) => text?.replace(/\x7F/g, '%7F');

/** The body posted to /invocation/{id}/error, /init/error and the streaming error trailer. */
function toRapidResponse(error) {
  try {
    if (types.isNativeError(error) || looksLikeError(error)) {
      return { errorType: escapeDel(error.name), errorMessage: escapeDel(error.message), trace: escapeDel(error.stack).split('\n') };
    }
    return { errorType: typeof error, errorMessage: error.toString(), trace: [] };
  } catch {
    return {
      errorType: 'handled',
      errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
    };
  }
}

function withEnumerableProperties(value) {
  if (!(value instanceof Error)) return value;
  const formatted = Object.assign({ errorType: value.name, errorMessage: value.message, code: value.code }, value);
  if (typeof value.stack === 'string') formatted.stack = value.stack.split('\n');
  return formatted;
}

/** The text-format log rendering of an error: a tab, then JSON (the `Invoke Error \t{...}` lines). */
function toFormatted(error) {
  try {
    return '\t' + JSON.stringify(error, (_key, value) => withEnumerableProperties(value));
  } catch {
    return '\t' + JSON.stringify(toRapidResponse(error));
  }
}

const intoError = (value) => (value instanceof Error ? value : new Error(value));

class ImportModuleError extends Error {}
class HandlerNotFound extends Error {}
class MalformedHandlerName extends Error {}
class UserCodeSyntaxError extends Error {}
class MalformedStreamingHandler extends Error {}
class InvalidStreamingOperation extends Error {}
class UnhandledPromiseRejection extends Error {
  constructor(reason, promise) {
    super(reason);
    this.reason = reason;
    this.promise = promise;
  }
}

for (const type of [ImportModuleError, HandlerNotFound, MalformedHandlerName, UserCodeSyntaxError,
  MalformedStreamingHandler, InvalidStreamingOperation, UnhandledPromiseRejection]) {
  type.prototype.name = `Runtime.${type.name}`;
}

module.exports = {
  toRapidResponse, toFormatted, intoError, ImportModuleError, HandlerNotFound, MalformedHandlerName, UserCodeSyntaxError,
  MalformedStreamingHandler, InvalidStreamingOperation, UnhandledPromiseRejection,
};
