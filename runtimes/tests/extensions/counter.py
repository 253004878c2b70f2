#!/usr/bin/python3
"""A Lambda extension for Kindling's tests (standard library only).

Registers for INVOKE and SHUTDOWN, subscribes to the Telemetry API (or the Logs API), counts the events it gets
and writes what it saw to /tmp/<name>.json (the function reads it back) and the telemetry it received to
/tmp/<name>-telemetry.jsonl. Behaviour is chosen with COUNTER_MODE in the function's environment:
  ""            normal
  init-error    calls /extension/init/error during Init
  exit-error    calls /extension/exit/error at its first INVOKE
  crash         exits with status 3 at its first INVOKE
  slow          spends COUNTER_SLOW_MS (default 300) after each INVOKE before calling next again
  logs-api      subscribes with the Logs API instead of the Telemetry API
  no-telemetry  does not subscribe
"""
import http.client
import http.server
import json
import os
import sys
import threading
import time

API = os.environ["AWS_LAMBDA_RUNTIME_API"]
NAME = os.path.basename(sys.argv[0])
MODE = os.environ.get("COUNTER_MODE", "")
PORT = int(os.environ.get("COUNTER_PORT", "4243"))
STATE = "/tmp/%s.json" % NAME
TELEMETRY = "/tmp/%s-telemetry.jsonl" % NAME
state = {"name": NAME, "invokes": 0, "requestIds": [], "batches": 0, "events": 0}
lock = threading.Lock()


def call(method, path, body=None, headers=None):
    connection = http.client.HTTPConnection(API)
    connection.request(method, path, body, headers or {})
    response = connection.getresponse()
    return response, response.read()


def save():
    # The whole write under the lock: the telemetry listener's thread and the event loop both save, and two writers
    # of the one temporary file interleaved (the function then read truncated JSON).
    with lock:
        with open(STATE + ".tmp", "w") as f:
            f.write(json.dumps(state))
        os.replace(STATE + ".tmp", STATE)


class Listener(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        events = json.loads(body)
        with open(TELEMETRY, "a") as f:
            for event in events:
                f.write(json.dumps(event) + "\n")
        with lock:
            state["batches"] += 1
            state["events"] += len(events)
            state["largestBatch"] = max(state.get("largestBatch", 0), len(events))
        save()
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


response, body = call("POST", "/2020-01-01/extension/register", json.dumps({"events": ["INVOKE", "SHUTDOWN"]}),
                      {"Lambda-Extension-Name": NAME, "Lambda-Extension-Accept-Feature": "accountId"})
ID = response.getheader("Lambda-Extension-Identifier")
state["register"] = {"status": response.status, "body": json.loads(body)}
print("%s registered" % NAME, flush=True)

if MODE == "init-error":
    response, _ = call("POST", "/2020-01-01/extension/init/error", json.dumps({"errorMessage": "no config", "errorType": "Counter.NoConfig"}),
                       {"Lambda-Extension-Identifier": ID, "Lambda-Extension-Function-Error-Type": "Counter.NoConfig"})
    print("init/error answered %d" % response.status, flush=True)
    sys.exit(1)

if MODE != "no-telemetry":
    server = http.server.ThreadingHTTPServer(("sandbox.localdomain", PORT), Listener)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    buffering = json.loads(os.environ.get("COUNTER_BUFFERING", '{"timeoutMs": 25}'))
    destination = {"protocol": "HTTP", "URI": "http://sandbox.localdomain:%d" % PORT}
    if MODE == "logs-api":
        path, subscription = "/2020-08-15/logs", {"types": ["platform", "function", "extension"], "buffering": buffering, "destination": destination}
    else:
        path, subscription = "/2022-07-01/telemetry", {"schemaVersion": "2022-12-13", "types": ["platform", "function", "extension"],
                                                       "buffering": buffering, "destination": destination}
    response, body = call("PUT", path, json.dumps(subscription), {"Lambda-Extension-Identifier": ID})
    state["subscribe"] = {"status": response.status, "body": body.decode()}
save()

while True:
    response, body = call("GET", "/2020-01-01/extension/event/next", None, {"Lambda-Extension-Identifier": ID})
    event = json.loads(body)
    if event["eventType"] == "SHUTDOWN":
        print("%s SHUTDOWN %s after %d invokes" % (NAME, event["shutdownReason"], state["invokes"]), flush=True)
        sys.exit(0)
    with lock:
        state["invokes"] += 1
        state["requestIds"].append(event["requestId"])
        state["lastEvent"] = event
        state["eventIdentifier"] = response.getheader("Lambda-Extension-Event-Identifier")
    save()
    print("%s INVOKE %s" % (NAME, event["requestId"]), flush=True)
    if MODE == "exit-error":
        response, _ = call("POST", "/2020-01-01/extension/exit/error", "{}",
                           {"Lambda-Extension-Identifier": ID, "Lambda-Extension-Function-Error-Type": "Counter.Broken"})
        sys.exit(1)
    if MODE == "crash":
        sys.exit(3)
    if MODE == "slow":
        time.sleep(int(os.environ.get("COUNTER_SLOW_MS", "300")) / 1000)
        with lock:
            state["slowDone"] = state.get("slowDone", 0) + 1
        save()
