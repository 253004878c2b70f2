// Loads the handler named by _HANDLER ("file.fn", "dir/file.fn", "file.nested.fn") from the task root the way
// AWS's Node runtime does: the extensionless file, then .js as CommonJS unless the nearest package.json says
// "type": "module", then .js as an ES module (when it does), .mjs, .cjs, and last Node's own resolution.
'use strict';
const { existsSync, readFileSync } = require('node:fs');
const { basename, dirname, join, resolve } = require('node:path');
const { createRequire } = require('node:module');
const { pathToFileURL } = require('node:url');
const {
  HandlerNotFound, ImportModuleError, MalformedHandlerName, MalformedStreamingHandler, UserCodeSyntaxError,
} = require('./errors');

// User modules are required on behalf of /var/runtime/index.mjs, AWS's runtime entry point, so a missing module's
// "Require stack" ends the same way as on AWS (this runtime is CommonJS: an ES module entry costs ~5 ms per cold
// start; the file need not exist).
const userRequire = createRequire(join(__dirname, 'index.mjs'));

const HANDLER_STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const HANDLER_HIGH_WATER_MARK = Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark');
const STREAM_RESPONSE = 'response';
const HTTP_INTEGRATION_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';
const PRELUDE_DELIMITER_LENGTH = 8;

class HttpResponseStream {
  /** Prefixes the stream with the HTTP status/headers prelude a function URL reads, then 8 zero bytes. */
  static from(stream, prelude) {
    stream.setContentType(HTTP_INTEGRATION_CONTENT_TYPE);
    const metadata = JSON.stringify(prelude);
    stream._onBeforeFirstWrite = (write) => {
      write(metadata);
      write(new Uint8Array(PRELUDE_DELIMITER_LENGTH));
    };
    return stream;
  }
}

function installGlobal(env) {
  if (env.AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA === '1' || env.AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA === 'true') return;
  globalThis.awslambda = {
    streamifyResponse(handler, options) {
      handler[HANDLER_STREAMING] = STREAM_RESPONSE;
      if (typeof options?.highWaterMark === 'number') handler[HANDLER_HIGH_WATER_MARK] = parseInt(options.highWaterMark);
      return handler;
    },
    HttpResponseStream,
  };
}

function packageTypeIsModule(folder) {
  if (folder.endsWith('/node_modules')) return false;
  const manifest = join(folder, 'package.json');
  if (existsSync(manifest)) {
    try {
      const pkg = JSON.parse(readFileSync(manifest));
      if (pkg) return pkg.type === 'module';
    } catch (error) {
      console.warn(`${manifest} cannot be read, it will be ignored for ES module detection purposes.`, error);
      return false;
    }
  }
  return folder === '/' ? false : packageTypeIsModule(resolve(folder, '..'));
}

let layerResolutionRegistered = false;

// The hooks run on a thread of their own (~10 ms to start), so only for ES module handlers and only when a
// node_modules directory of NODE_PATH (a layer's) exists.
function registerLayerResolution(env) {
  if (layerResolutionRegistered) return;
  layerResolutionRegistered = true;
  const directories = (env.NODE_PATH ?? '').split(':')
    .filter((directory) => directory.startsWith('/opt/') && basename(directory) === 'node_modules' && existsSync(directory));
  if (directories.length === 0) return;
  require('node:module').register('./layer-resolution.mjs', pathToFileURL(__filename), { data: { directories } });
}

const requireIfExists = (path) => (existsSync(path) ? userRequire(path) : undefined);
const importIfExists = async (path) => {
  if (!existsSync(path)) return undefined;
  registerLayerResolution(process.env);
  return import(pathToFileURL(path).href);
};

async function loadModule(appRoot, moduleRoot, name) {
  const base = resolve(appRoot, moduleRoot, name);
  const extensionless = requireIfExists(base);
  if (extensionless) return extensionless;
  const isModule = existsSync(base + '.js') && packageTypeIsModule(dirname(base + '.js'));
  if (!isModule) {
    const commonJs = requireIfExists(base + '.js');
    if (commonJs) return commonJs;
  }
  const loaded = (isModule && await importIfExists(base + '.js'))
    || await importIfExists(base + '.mjs')
    || requireIfExists(base + '.cjs');
  if (loaded) return loaded;
  return userRequire(userRequire.resolve(name, { paths: [appRoot, moduleRoot] }));
}

/** The handler function, or throws the Runtime.* error AWS reports for a bad handler string or module. */
async function loadHandler(appRoot, handlerString, env = process.env) {
  if (handlerString.includes('..')) {
    throw new MalformedHandlerName(`'${handlerString}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`);
  }
  const moduleAndHandler = basename(handlerString);
  const moduleRoot = handlerString.substring(0, handlerString.indexOf(moduleAndHandler));
  const match = moduleAndHandler.match(/^([^.]*)\.(.*)$/);
  if (!match) throw new MalformedHandlerName('Bad handler');
  const [, moduleName, handlerPath] = match;

  installGlobal(env);
  let userModule;
  try {
    userModule = await loadModule(appRoot, moduleRoot, moduleName);
  } catch (error) {
    if (error instanceof SyntaxError) throw new UserCodeSyntaxError(error);
    if (error?.code === 'MODULE_NOT_FOUND') throw new ImportModuleError(error);
    throw error;
  }

  const handler = handlerPath.split('.').reduce((value, key) => value && value[key], userModule);
  if (!handler) throw new HandlerNotFound(`${handlerString} is undefined or not exported`);
  if (typeof handler !== 'function') throw new HandlerNotFound(`${handlerString} is not a function`);
  return handler;
}

/** {streaming, highWaterMark} from what awslambda.streamifyResponse put on the handler. */
function handlerMetadata(handler) {
  const mode = handler[HANDLER_STREAMING];
  if (mode !== undefined && mode !== null && mode !== false && mode !== STREAM_RESPONSE) {
    throw new MalformedStreamingHandler('Only response streaming is supported.');
  }
  const highWaterMark = parseInt(handler[HANDLER_HIGH_WATER_MARK]);
  return { streaming: mode === STREAM_RESPONSE, highWaterMark: Number.isNaN(highWaterMark) ? undefined : highWaterMark };
}

module.exports = { loadHandler, handlerMetadata, STREAM_RESPONSE };
