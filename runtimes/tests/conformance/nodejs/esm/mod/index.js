// A .js file under a package.json with "type": "module" is an ES module.
export const handler = async () => ({ kind: 'module-js', isEsm: typeof require === 'undefined' });
