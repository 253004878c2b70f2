// A .cjs handler (CommonJS whatever the package type).
exports.handler = async () => ({ kind: 'cjs', isCjs: typeof require === 'function' });
