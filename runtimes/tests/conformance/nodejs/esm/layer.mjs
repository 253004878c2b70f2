// An ES module importing a package from a layer (/opt/nodejs/node_modules).
import mylib from 'mylib';

export const handler = async () => mylib.value;

// A callback handler answers once the event loop is empty: the resolution hooks' thread must not keep it busy.
export const callbackHandler = (event, context, callback) => callback(null, mylib.value);
