"""External extensions, the Extensions API and the Telemetry API through the real server, with boto3.

A layer holds `extensions/counter` (runtimes/tests/extensions/counter.py, a stdlib-Python extension that counts
its INVOKE events and records the telemetry it receives into /tmp); the provided.al2023 function
(runtimes/tests/extensions/bootstrap, bash) answers with what the extension wrote.
"""
import glob
import json
import os
import unittest

from harness import ServerTestCase, make_zip, unique_name, wait_until

ASSETS = os.path.join(os.path.dirname(__file__), "..", "..", "..", "runtimes", "tests", "extensions")


def asset(name: str) -> str:
    with open(os.path.join(ASSETS, name)) as f:
        return f.read()


class ExtensionsTest(ServerTestCase):
    def create_with_extension(self, mode: str = "") -> str:
        layer = self.lam.publish_layer_version(
            LayerName=unique_name("counter"),
            Content={"ZipFile": make_zip({"extensions/counter": asset("counter.py")}, executable=("extensions/counter",))})
        name = unique_name("ext")
        self.create_function(
            name, make_zip({"bootstrap": asset("bootstrap")}, executable=("bootstrap",)), MemorySize=1024,
            Layers=[layer["LayerVersionArn"]], Environment={"Variables": {"COUNTER_MODE": mode}})
        return name

    def invoke(self, name: str, payload: str = "{}") -> tuple[dict, object]:
        resp = self.lam.invoke(FunctionName=name, Payload=payload.encode())
        self.assertNotIn("FunctionError", resp, resp)
        return resp, json.loads(resp["Payload"].read())

    def test_Extension_CountsInvokes_AndReceivesTelemetry(self):
        name = self.create_with_extension()
        ids = []
        for i in range(3):
            resp, body = self.invoke(name)
            seen = body["counter"]["requestIds"]
            # Every earlier invocation ended only after the extension had its INVOKE.
            self.assertEqual(seen[:len(ids)], ids)
            ids.append(resp["ResponseMetadata"]["RequestId"])
        state = self.invoke(name)[1]["counter"]
        self.assertEqual(state["requestIds"][:3], ids)
        self.assertEqual(state["register"], {"status": 200, "body": {
            "functionName": name, "functionVersion": "$LATEST", "handler": "bootstrap", "accountId": "000000000000"}})
        self.assertEqual(state["subscribe"], {"status": 200, "body": "OK"})

        events = self.invoke(name, '"telemetry"')[1]
        types = [e["type"] for e in events]
        self.assertEqual(types[0], "platform.initStart")
        for t in ("platform.initRuntimeDone", "platform.initReport", "platform.extension", "platform.telemetrySubscription"):
            self.assertIn(t, types)
        for request_id in ids:
            per_invoke = [e["type"] for e in events if e["type"].startswith("platform.")
                          and isinstance(e["record"], dict) and e["record"].get("requestId") == request_id]
            self.assertEqual(per_invoke, ["platform.start", "platform.runtimeDone", "platform.report"])
            self.assertIn({"type": "function", "record": f"function line for {request_id}"},
                          [{"type": e["type"], "record": e["record"]} for e in events])
            self.assertIn({"type": "extension", "record": f"counter INVOKE {request_id}"},
                          [{"type": e["type"], "record": e["record"]} for e in events])
        first_report = next(e["record"] for e in events if e["type"] == "platform.report" and e["record"]["requestId"] == ids[0])
        self.assertEqual(sorted(first_report["metrics"]),
                         sorted(["durationMs", "billedDurationMs", "memorySizeMB", "maxMemoryUsedMB", "initDurationMs"]))
        self.assertEqual(first_report["metrics"]["memorySizeMB"], 1024)
        self.assertEqual(first_report["status"], "success")
        later_report = next(e["record"] for e in events if e["type"] == "platform.report" and e["record"]["requestId"] == ids[1])
        self.assertNotIn("initDurationMs", later_report["metrics"])

    def test_ExtensionInitError_ReachesTheCaller(self):
        name = self.create_with_extension("init-error")
        resp = self.lam.invoke(FunctionName=name, Payload=b"{}")
        self.assertEqual(resp["FunctionError"], "Unhandled")
        body = json.loads(resp["Payload"].read())
        self.assertEqual(body, {
            "errorType": "Extension.InitError",
            "errorMessage": f"RequestId: {resp['ResponseMetadata']['RequestId']} Error: Extension counter reported an init error: Counter.NoConfig"})

    def test_Shutdown_AfterATimeout_TellsTheExtension(self):
        name = self.create_with_extension("no-telemetry")
        self.lam.update_function_configuration(FunctionName=name, Timeout=1)
        self.wait_updated(name)
        self.invoke(name)
        resp = self.lam.invoke(FunctionName=name, Payload=b'"sleep"')
        self.assertEqual(json.loads(resp["Payload"].read())["errorType"], "Sandbox.Timedout")
        # The environment is then shut down: its extension gets SHUTDOWN with reason timeout and logs it.
        lines = []

        def logged() -> bool:
            lines.clear()
            for path in glob.glob(os.path.join(self.server.data_dir, "logs", name, "**", "*"), recursive=True):
                if os.path.isfile(path):
                    with open(path, errors="replace") as f:
                        lines.extend(f)
            return any(line.rstrip("\n").endswith("\tcounter SHUTDOWN timeout after 2 invokes") for line in lines)

        try:
            wait_until(logged, timeout=10, what="the extension's SHUTDOWN line")
        except AssertionError:
            self.fail("no SHUTDOWN line in:\n" + "".join(lines) + "\nserver output:\n" + self.server.output())


if __name__ == "__main__":
    unittest.main()
