// A pre-started Node.js runtime (Kindling's pre-started sandboxes): started before any function is known, with
// the runtime client's modules loaded (loading them reads no variables). At specialization the worker writes the
// function's variables to stdin — their count, then NAME=VALUE, each followed by a NUL — and closes it; this
// replaces process.env with them, moves to /var/task (bound meanwhile) and runs the client's entry point, which
// then loads the handler exactly as in a runtime started for the function.
'use strict';
const fs = require('node:fs');
require('./log');
require('./rapid');
require('./errors');
require('./loader');
require('./context');
require('./streaming');

function readVariables() {
  const chunks = [];
  const buffer = Buffer.allocUnsafe(65536);
  for (;;) {
    let read;
    try {
      read = fs.readSync(0, buffer, 0, buffer.length, null);
    } catch (error) {
      if (error.code === 'EAGAIN') continue;
      throw error;
    }
    if (read === 0) break;
    chunks.push(Buffer.from(buffer.subarray(0, read)));
  }
  const fields = Buffer.concat(chunks).toString('utf8').split('\0');
  const count = Number(fields[0]);
  const variables = {};
  for (const field of fields.slice(1, 1 + count)) {
    const at = field.indexOf('=');
    variables[field.slice(0, at)] = field.slice(at + 1);
  }
  return variables;
}

const variables = readVariables();
for (const name of Object.keys(process.env)) delete process.env[name];
Object.assign(process.env, variables);
process.chdir('/var/task');
process.argv[1] = '/var/runtime/index.js';
require('./index.js');
