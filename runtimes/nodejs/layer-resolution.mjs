// Module resolution hooks (registered by loader.js with module.register): a bare specifier that ES module resolution
// cannot find from the importing file is looked up in the node_modules directories of NODE_PATH, so that ES module
// handlers can import packages from layers (/opt/nodejs/node_modules) as on AWS's Node 18+ runtimes. ES module
// resolution itself ignores NODE_PATH.
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

let parents = [];

export function initialize(data) {
  // Resolving from a file beside a node_modules directory searches that directory first.
  parents = data.directories.map((directory) => pathToFileURL(join(dirname(directory), 'index.js')).href);
}

const NOT_BARE = /^(\.{0,2}\/|[a-zA-Z][a-zA-Z0-9+.-]*:)/;

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || NOT_BARE.test(specifier)) throw error;
    for (const parentURL of parents) {
      try {
        return await nextResolve(specifier, { ...context, parentURL });
      } catch {
        // not in this directory
      }
    }
    throw error;
  }
}
