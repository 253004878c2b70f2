"""Pre-started sandboxes and runtimes (`--prestarted`, default 2) through the real server and boto3.

After a runtime's first cold start, the server keeps sandboxes of that shape started ahead of need; the next cold
starts are specialized ones (for Python and Node the runtime itself waited, interpreter up: its command line says
prestart). What a handler sees must not tell: its own code and nobody else's, its variables exactly (quotes,
newlines, dollars), /var/task as working directory and read-only, LAMBDA_TASK_ROOT on sys.path / NODE_PATH, the
time zone, stdin empty, and a provided bootstrap's variables. A function that sets a variable read at an
interpreter's start (PYTHONDONTWRITEBYTECODE, NODE_OPTIONS) still gets it applied. `--prestarted 0` turns it off.
"""
from __future__ import annotations

import json
import time
import unittest

from harness import KindlingServer, ServerTestCase, make_zip, unique_name

TRICKY = "it's \"quoted\" $HOME `x`\nline two\\"

PYTHON_PROBE = """
import os, sys, time
def handler(event, context):
    try:
        open('/var/task/new', 'w')
        writable = 'yes'
    except OSError as e:
        writable = e.strerror
    return {
        'cmdline': open('/proc/self/cmdline', 'rb').read().decode().split('\\0'),
        'env': dict(os.environ),
        'cwd': os.getcwd(),
        'files': sorted(os.listdir('/var/task')),
        'opt': sorted(os.listdir('/opt')),
        'path0': sys.path[0],
        'tz': time.tzname[0],
        'stdin': sys.stdin.read() if sys.stdin else None,
        'writable': writable,
        'dont_write_bytecode': sys.flags.dont_write_bytecode,
        'marker': open('marker.txt').read(),
    }
"""

NODE_PROBE = """
const fs = require('node:fs');
exports.handler = async () => {
  let writable = 'yes';
  try { fs.writeFileSync('/var/task/new', 'x'); } catch (e) { writable = e.code; }
  return {
    cmdline: fs.readFileSync('/proc/self/cmdline', 'utf8').split('\\0'),
    env: { ...process.env },
    cwd: process.cwd(),
    files: fs.readdirSync('/var/task').sort(),
    marker: fs.readFileSync('marker.txt', 'utf8'),
    tzOffset: new Date(0).getTimezoneOffset(),
    writable,
    execArgv: process.execArgv,
    stackTraceLimit: Error.stackTraceLimit,
  };
};
"""

ENV_BOOTSTRAP = """#!/bin/sh
set -eu
while true; do
  HEADERS="$(mktemp)"
  curl -sS -o /dev/null -D "$HEADERS" "http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/next"
  REQUEST_ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)
  { pwd | tr -d '\\n'; printf '\\036'; cat marker.txt; printf '\\036'; env -0 | sort -z | tr '\\0' '\\036'; } > /tmp/out
  curl -sS -X POST "http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/$REQUEST_ID/response" --data-binary @/tmp/out
done
"""


class PrestartedTests(ServerTestCase):

    def invoke_json(self, name: str) -> dict:
        resp = self.lam.invoke(FunctionName=name, Payload=b"{}")
        self.assertEqual(resp["StatusCode"], 200)
        body = json.loads(resp["Payload"].read())
        self.assertNotIn("FunctionError", resp, body)
        return body

    def create(self, runtime: str, handler: str, files: dict, variables: dict | None = None, executable=()) -> str:
        name = unique_name("pre")
        kwargs = dict(Runtime=runtime, Handler=handler, MemorySize=256)
        if variables:
            kwargs["Environment"] = {"Variables": variables}
        self.create_function(name, make_zip(files, executable=executable), **kwargs)
        return name

    def cold_prestarted(self, runtime: str, handler: str, files: dict, variables: dict | None = None,
                        prestarted_marker: str | None = "prestart", executable=()) -> dict:
        """A first function of the shape (launched as usual), then cold starts of a second one until one is served
        by a pre-started sandbox (the stock fills in the background after the first)."""
        first = self.create(runtime, handler, {**files, "marker.txt": "first"}, variables, executable)
        self.invoke_json(first)
        second = self.create(runtime, handler, {**files, "marker.txt": "second"}, variables, executable)
        deadline = time.monotonic() + 30
        attempt = 0
        while True:
            attempt += 1
            body = self.invoke_json(second)
            self.assertEqual(body["marker"], "second")
            if prestarted_marker is None or any(prestarted_marker in part for part in body.get("cmdline", [])):
                return body
            self.assertLess(time.monotonic(), deadline, f"no pre-started cold start after {attempt} tries: {body.get('cmdline')}")
            time.sleep(0.3)
            # A new configuration retires the environment: the next invoke is a cold start again.
            self.lam.update_function_configuration(
                FunctionName=second, Environment={"Variables": {**(variables or {}), "ATTEMPT": str(attempt)}})
            self.wait_updated(second)

    def test_python_prestarted_runtime_sees_exactly_its_function(self):
        body = self.cold_prestarted("python3.11", "app.handler", {"app.py": PYTHON_PROBE}, {"TRICKY": TRICKY, "TZ": "America/New_York"})

        self.assertIn("/var/runtime/prestart.py", body["cmdline"])
        env = body["env"]
        self.assertEqual(env["TRICKY"], TRICKY)
        self.assertEqual(env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"], "256")
        self.assertEqual(env["LAMBDA_TASK_ROOT"], "/var/task")
        self.assertEqual(env["_HANDLER"], "app.handler")
        self.assertEqual(env["AWS_EXECUTION_ENV"], "AWS_Lambda_python3.11")
        self.assertNotIn("OLDPWD", env)
        self.assertEqual(body["cwd"], "/var/task")
        self.assertEqual(body["files"], ["app.py", "marker.txt"])
        self.assertEqual(body["opt"], [])
        self.assertEqual(body["path0"], "/var/task")
        self.assertEqual(body["tz"], "EST")
        self.assertEqual(body["stdin"], "")
        self.assertEqual(body["writable"], "Read-only file system")

    def test_python_startup_variable_still_applies(self):
        body = self.cold_prestarted("python3.11", "app.handler", {"app.py": PYTHON_PROBE}, {"PYTHONDONTWRITEBYTECODE": "1"})

        self.assertEqual(body["dont_write_bytecode"], 1)
        self.assertEqual(body["env"]["PYTHONDONTWRITEBYTECODE"], "1")

    def test_node_prestarted_runtime_sees_exactly_its_function(self):
        body = self.cold_prestarted("nodejs20.x", "index.handler", {"index.js": NODE_PROBE}, {"TRICKY": TRICKY, "TZ": "Asia/Tokyo"})

        self.assertIn("/var/runtime/prestart.js", body["cmdline"])
        self.assertEqual(body["env"]["TRICKY"], TRICKY)
        self.assertEqual(body["env"]["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"], "256")
        self.assertEqual(body["cwd"], "/var/task")
        self.assertEqual(body["files"], ["index.js", "marker.txt"])
        self.assertEqual(body["tzOffset"], -540)
        self.assertEqual(body["writable"], "EROFS")
        self.assertIn("--max-old-space-size=230", body["execArgv"])

    def test_node_options_still_apply(self):
        body = self.cold_prestarted("nodejs20.x", "index.handler", {"index.js": NODE_PROBE}, {"NODE_OPTIONS": "--stack-trace-limit=7"})

        self.assertEqual(body["env"]["NODE_OPTIONS"], "--stack-trace-limit=7")
        self.assertEqual(body["stackTraceLimit"], 7)

    def test_provided_bootstrap_gets_exactly_its_variables(self):
        # A provided bootstrap is started by the waiting shell: nothing in its command line tells, so the test
        # compares a pre-started cold start (the second function's later ones) with the first function's.
        files = {"bootstrap": ENV_BOOTSTRAP}
        first = self.create("provided.al2023", "bootstrap", {**files, "marker.txt": "first"}, {"TRICKY": TRICKY}, ("bootstrap",))
        launched = self.invoke_raw(first)
        second = self.create("provided.al2023", "bootstrap", {**files, "marker.txt": "second"}, {"TRICKY": TRICKY}, ("bootstrap",))
        time.sleep(1)
        stocked = self.invoke_raw(second)

        def comparable(fields: list[str], name: str) -> list[str]:
            return sorted(v.replace(name, "NAME") for v in fields[2:]
                          if v and not v.startswith(("AWS_LAMBDA_LOG_STREAM_NAME=", "AWS_ACCESS_KEY_ID=", "AWS_SECRET_ACCESS_KEY=", "AWS_SESSION_TOKEN=")))

        self.assertEqual(stocked[:2], ["/var/task", "second"])
        self.assertEqual(comparable(stocked, second), comparable(launched, first))
        self.assertIn("TRICKY=" + TRICKY, stocked)
        self.assertIn("PWD=/var/task", stocked)

    def invoke_raw(self, name: str) -> list[str]:
        resp = self.lam.invoke(FunctionName=name, Payload=b"{}")
        self.assertEqual(resp["StatusCode"], 200)
        return resp["Payload"].read().decode().split("\x1e")


class PrestartedOffTests(unittest.TestCase):

    def test_prestarted_zero_starts_every_runtime_at_its_cold_start(self):
        server = KindlingServer(("--prestarted", "0")).start()
        self.addCleanup(server.cleanup)
        lam = server.client()
        for i in range(2):
            name = unique_name("off")
            lam.create_function(FunctionName=name, Role="arn:aws:iam::000000000000:role/x", Runtime="python3.11",
                                Handler="app.handler", MemorySize=256,
                                Code={"ZipFile": make_zip({"app.py": PYTHON_PROBE, "marker.txt": str(i)})})
            lam.get_waiter("function_active_v2").wait(FunctionName=name, WaiterConfig={"Delay": 0.2, "MaxAttempts": 300})
            if i == 1:
                time.sleep(1)
            body = json.loads(lam.invoke(FunctionName=name, Payload=b"{}")["Payload"].read())
            self.assertIn("/var/runtime/bootstrap.py", body["cmdline"])


if __name__ == "__main__":
    unittest.main()
