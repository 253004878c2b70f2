// Starts a real Kindling server on a loopback port and hands out @aws-sdk/client-lambda clients for it.
// The binary is artifacts/server/kindling unless KINDLING_SERVER_BIN names another one. Readiness is the
// printed endpoint line plus an open TCP port, awaited with a deadline; nothing sleeps for a fixed time.

import { spawn } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { LambdaClient } from '@aws-sdk/client-lambda';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '..', '..', '..');
export const REGION = 'us-east-1';
export const ACCOUNT = '000000000000';
export const ROLE = `arn:aws:iam::${ACCOUNT}:role/kindling-compat-role`;
export const LAMBDA_DATE_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/;
const START_DEADLINE_MS = 30_000;
const STOP_DEADLINE_MS = 20_000;

export const functionArn = (name, qualifier) =>
  `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}${qualifier ? `:${qualifier}` : ''}`;
export const layerArn = (name, version) =>
  `arn:aws:lambda:${REGION}:${ACCOUNT}:layer:${name}${version !== undefined ? `:${version}` : ''}`;
export const uniqueName = (prefix) => `${prefix}-${randomUUID().replaceAll('-', '').slice(0, 10)}`;
export const sha256b64 = (buf) => createHash('sha256').update(buf).digest('base64');

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function portOpen(port) {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    sock.once('connect', () => { sock.destroy(); resolve(true); });
    sock.once('error', () => resolve(false));
  });
}

function randomKeyPair() {
  const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const bytes = randomBytes(16);
  const akid = 'AKIA' + Array.from(bytes, (b) => alnum[b % alnum.length]).join('');
  const secret = randomBytes(30).toString('base64').slice(0, 40);
  return { akid, secret };
}

export class KindlingServer {
  constructor() {
    this.binary = process.env.KINDLING_SERVER_BIN || path.join(REPO_ROOT, 'artifacts', 'server', 'kindling');
    this.dataDir = mkdtempSync(path.join(os.tmpdir(), 'kindling-compat-js-'));
    const { akid, secret } = randomKeyPair();
    this.accessKeyId = akid;
    this.secretAccessKey = secret;
    this.proc = null;
    this.output = '';
  }

  async start() {
    if (!existsSync(this.binary)) throw new Error(`Kindling server binary not found at ${this.binary}`);
    this.port ??= await freePort();
    this.endpoint = `http://127.0.0.1:${this.port}`;
    this.output = '';
    const proc = spawn(this.binary, [
      'server', '--listen', `127.0.0.1:${this.port}`, '--data-dir', this.dataDir,
      '--access-key-id', this.accessKeyId, '--secret-access-key', this.secretAccessKey,
      '--region', REGION, '--account-id', ACCOUNT,
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    let announced = false;
    const onData = (d) => {
      this.output += d.toString();
      if (this.output.includes(this.endpoint)) announced = true;
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    const deadline = Date.now() + START_DEADLINE_MS;
    while (Date.now() < deadline) {
      if (proc.exitCode !== null) throw new Error(`kindling exited with ${proc.exitCode}:\n${this.output}`);
      if (announced && await portOpen(this.port)) return this;
      await new Promise((r) => setTimeout(r, 50));
    }
    await this.stop();
    throw new Error(`kindling not ready within ${START_DEADLINE_MS} ms:\n${this.output}`);
  }

  async stop() {
    const proc = this.proc;
    this.proc = null;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGTERM');
    const timer = new Promise((resolve) => setTimeout(() => resolve('timeout'), STOP_DEADLINE_MS));
    if ((await Promise.race([exited, timer])) === 'timeout') {
      proc.kill('SIGKILL');
      await exited;
      throw new Error('kindling did not stop within the deadline after SIGTERM');
    }
  }

  async restart() {
    await this.stop();
    await this.start();
  }

  async cleanup() {
    try { await this.stop(); } finally { rmSync(this.dataDir, { recursive: true, force: true }); }
  }

  client({ retries = false, accessKeyId, secretAccessKey } = {}) {
    return new LambdaClient({
      endpoint: this.endpoint,
      region: REGION,
      credentials: {
        accessKeyId: accessKeyId ?? this.accessKeyId,
        secretAccessKey: secretAccessKey ?? this.secretAccessKey,
      },
      maxAttempts: retries ? 3 : 1,
    });
  }
}

// ---------------------------------------------------------------- zips (no dependencies)

export function makeZip(files, executable = []) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content);
    const deflated = zlib.deflateRawSync(data);
    const nameBuf = Buffer.from(name);
    const crc = zlib.crc32(data) >>> 0;
    const dosTime = 0, dosDate = ((2024 - 1980) << 9) | (1 << 5) | 1;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(0, 6);
    local.writeUInt16LE(8, 8); local.writeUInt16LE(dosTime, 10); local.writeUInt16LE(dosDate, 12);
    local.writeUInt32LE(crc, 14); local.writeUInt32LE(deflated.length, 18); local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26); local.writeUInt16LE(0, 28);
    const mode = executable.includes(name) ? 0o100755 : 0o100644;
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE((3 << 8) | 20, 4); central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0, 8); central.writeUInt16LE(8, 10); central.writeUInt16LE(dosTime, 12);
    central.writeUInt16LE(dosDate, 14); central.writeUInt32LE(crc, 16); central.writeUInt32LE(deflated.length, 20);
    central.writeUInt32LE(data.length, 24); central.writeUInt16LE(nameBuf.length, 28); central.writeUInt16LE(0, 30);
    central.writeUInt16LE(0, 32); central.writeUInt16LE(0, 34); central.writeUInt16LE(0, 36);
    central.writeUInt32LE((mode << 16) >>> 0, 38); central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, deflated);
    centrals.push(central, nameBuf);
    offset += local.length + nameBuf.length + deflated.length;
  }
  const centralBuf = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  const count = Object.keys(files).length;
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(count, 8); end.writeUInt16LE(count, 10);
  end.writeUInt32LE(centralBuf.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, centralBuf, end]);
}

const BOOTSTRAP = `#!/bin/sh
set -eu
while true; do
  HEADERS="$(mktemp)"
  EVENT_DATA=$(curl -sS -LD "$HEADERS" "http://\${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/next")
  REQUEST_ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)
  curl -sS -X POST "http://\${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/$REQUEST_ID/response" -d "$EVENT_DATA"
done
`;

export const bootstrapZip = (marker = '') => makeZip({ bootstrap: `${BOOTSTRAP}# ${marker}\n` }, ['bootstrap']);

// ---------------------------------------------------------------- helpers

/** Runs `fn`, expects it to throw a service error, and checks name, HTTP status and message. */
export async function expectServiceError(assert, fn, { name, status, message, messagePrefix }) {
  let err;
  try {
    await fn();
  } catch (e) {
    err = e;
  }
  assert.ok(err, `expected ${name} but the call succeeded`);
  assert.equal(err.name, name, `error name (message: ${err.message})`);
  assert.equal(err.$metadata?.httpStatusCode, status, `HTTP status for ${name}`);
  if (message !== undefined) assert.equal(err.message, message);
  if (messagePrefix !== undefined) {
    assert.ok(err.message.startsWith(messagePrefix), `message ${JSON.stringify(err.message)} should start with ${messagePrefix}`);
  }
  assert.ok(err.$metadata?.requestId, 'x-amzn-RequestId must be set on errors');
  return err;
}

export const waiterConfig = (client) => ({ client, maxWaitTime: 300, minDelay: 1, maxDelay: 2 });
