"""The runtime conformance suite: the same handlers (runtimes/tests/conformance/README.md) and the same checks,
run against every managed runtime through the real server, sandboxes and Kindling's runtime interface clients.

A runtime's test module (``test_runtime_<family>.py``) declares::

    class PythonConformance(RuntimeConformance, ServerTestCase):
        RUNTIME = "python3.11"
        UNCAUGHT_ERROR_TYPE = "KeyError"
        ...
        @classmethod
        def package(cls) -> bytes: ...          # the zip holding the conformance handlers
        def handler(self, name) -> str: ...     # "echo" -> "app.echo"
        def check_text_log(self, log, request_id): ...
        def check_json_log(self, records, log, request_id): ...

Everything a runtime must do identically is asserted here; the hooks cover what AWS's runtimes themselves do
differently (error types of language exceptions, log line formats, extra fields of error documents).
"""
from __future__ import annotations

import base64
import json
import re

from harness import ACCOUNT, REGION, ROLE, unique_name

STREAM_RE = re.compile(r"^\d{4}/\d{2}/\d{2}/\[(\$LATEST|\d+)\][0-9a-f]{32}$")
TRACE_RE = re.compile(r"^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=[01]")
REQUEST_ID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
ISO_MS_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
CLIENT_CONTEXT = {
    "client": {"installation_id": "install-1", "app_title": "Conformance", "app_version_name": "1.0",
               "app_version_code": "100", "app_package_name": "com.example.conformance"},
    "custom": {"k": "v"},
    "env": {"e": "1"},
}


class RuntimeConformance:
    """Mixin with the shared checks; combine with ``ServerTestCase``."""

    RUNTIME: str = ""
    MEMORY_MB = 512
    TIMEOUT_S = 10
    UNCAUGHT_ERROR_TYPE: str = ""
    IMPORT_ERROR_HANDLER: str = "broken_import.handler"
    IMPORT_ERROR_TYPE = "Runtime.ImportModuleError"
    HANDLER_NOT_FOUND_HANDLER: str = "app.nope"
    HANDLER_NOT_FOUND_TYPE = "Runtime.HandlerNotFound"
    # The level name a JSON record carries for a warning (Python's logging module says WARNING).
    JSON_WARN_LEVEL = "WARN"
    JSON_ERROR_LEVEL = "ERROR"

    # hooks ------------------------------------------------------------------------------------------------------
    @classmethod
    def package(cls) -> bytes:
        raise NotImplementedError

    def handler(self, name: str) -> str:
        raise NotImplementedError

    def check_error_document(self, document: dict, request_id: str) -> None:
        """Runtime-specific fields of an error document (stackTrace, trace, requestId…)."""

    def check_text_log(self, log: str, request_id: str) -> None:
        """The ``log`` handler's lines in the default (text) format."""
        raise NotImplementedError

    def check_json_log(self, records: list[dict], log: str, request_id: str) -> None:
        """The ``log`` handler's records with LogFormat JSON and ApplicationLogLevel WARN."""
        raise NotImplementedError

    # helpers ----------------------------------------------------------------------------------------------------
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls._zip = cls.package()
        cls._functions: dict[tuple, str] = {}

    def function(self, handler: str, timeout: int | None = None, logging: dict | None = None,
                 memory: int | None = None) -> str:
        """A function running ``handler`` (created once per class and configuration)."""
        key = (handler, timeout, json.dumps(logging, sort_keys=True), memory)
        if key not in self._functions:
            name = unique_name("conf")
            params = dict(FunctionName=name, Role=ROLE, Runtime=self.RUNTIME, Handler=handler,
                          Timeout=timeout or self.TIMEOUT_S, MemorySize=memory or self.MEMORY_MB,
                          Code={"ZipFile": self._zip}, Environment={"Variables": {"CONFORMANCE_VAR": "value"}})
            if logging is not None:
                params["LoggingConfig"] = logging
            self.lam.create_function(**params)
            self.lam.get_waiter("function_active_v2").wait(FunctionName=name,
                                                            WaiterConfig={"Delay": 0.2, "MaxAttempts": 300})
            self._functions[key] = name
        return self._functions[key]

    def call(self, name: str, payload=None, **kwargs) -> tuple[dict, object, str]:
        """Invokes; returns (response, decoded JSON payload, request id)."""
        body = json.dumps(payload if payload is not None else {})
        resp = self.lam.invoke(FunctionName=name, Payload=body, **kwargs)
        raw = resp["Payload"].read()
        self.assertEqual(resp["StatusCode"], 200)
        return resp, json.loads(raw) if raw else None, resp["ResponseMetadata"]["RequestId"]

    def assert_function_error(self, resp: dict, document, error_type: str, request_id: str) -> None:
        self.assertEqual(resp.get("FunctionError"), "Unhandled", document)
        self.assertIsInstance(document, dict)
        self.assertEqual(document.get("errorType"), error_type, document)
        self.assertIsInstance(document.get("errorMessage"), str, document)

    @staticmethod
    def tail(resp: dict) -> str:
        return base64.b64decode(resp["LogResult"]).decode()

    # the suite --------------------------------------------------------------------------------------------------
    def test_Conformance_Echo_ReturnsEventUnchanged(self):
        event = {"a": 1, "nested": {"list": [1, 2.5, None, True], "text": "ünïcødé ✓"}, "empty": {}}
        resp, result, _ = self.call(self.function(self.handler("echo")), event)
        self.assertNotIn("FunctionError", resp)
        self.assertEqual(resp["ExecutedVersion"], "$LATEST")
        self.assertEqual(result, event)

    def test_Conformance_Environment_LambdaVariables(self):
        handler = self.handler("environment")
        name = self.function(handler)
        _, result, _ = self.call(name)
        env = result["env"]
        expected = {
            "AWS_EXECUTION_ENV": f"AWS_Lambda_{self.RUNTIME}",
            "_HANDLER": handler,
            "AWS_LAMBDA_FUNCTION_NAME": name,
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(self.MEMORY_MB),
            "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{name}",
            "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
            "AWS_LAMBDA_RUNTIME_API": "127.0.0.1:9001",
            "AWS_REGION": REGION,
            "AWS_DEFAULT_REGION": REGION,
            "LAMBDA_TASK_ROOT": "/var/task",
            "LAMBDA_RUNTIME_DIR": "/var/runtime",
            "TZ": ":UTC",
            "CONFORMANCE_VAR": "value",
        }
        self.assertEqual({k: env.get(k) for k in expected}, expected)
        self.assertRegex(env["AWS_LAMBDA_LOG_STREAM_NAME"], STREAM_RE)
        self.assertTrue(env["AWS_ACCESS_KEY_ID"].startswith("ASIA"), env["AWS_ACCESS_KEY_ID"])
        self.assertTrue(env.get("AWS_SECRET_ACCESS_KEY") and env.get("AWS_SESSION_TOKEN"))
        self.assertRegex(env.get("_X_AMZN_TRACE_ID", ""), TRACE_RE)
        self.assertNotIn("AWS_LAMBDA_LOG_FORMAT", env)
        self.assertEqual(result["cwd"], "/var/task")

    def test_Conformance_Context_FieldsAsLambdaSetsThem(self):
        name = self.function(self.handler("context"))
        client_context = base64.b64encode(json.dumps(CLIENT_CONTEXT).encode()).decode()
        _, result, request_id = self.call(name, ClientContext=client_context)
        self.assertEqual(result["functionName"], name)
        self.assertEqual(result["functionVersion"], "$LATEST")
        self.assertEqual(result["invokedFunctionArn"], f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}")
        self.assertEqual(result["memoryLimitInMB"], self.MEMORY_MB)
        self.assertEqual(result["awsRequestId"], request_id)
        self.assertEqual(result["logGroupName"], f"/aws/lambda/{name}")
        self.assertRegex(result["logStreamName"], STREAM_RE)
        self.assertGreater(result["remainingTimeMs"], 0)
        self.assertLessEqual(result["remainingTimeMs"], self.TIMEOUT_S * 1000)
        self.assertEqual(result["clientContext"]["custom"], CLIENT_CONTEXT["custom"])
        self.assertEqual(result["clientContext"]["env"], CLIENT_CONTEXT["env"])
        self.assertRegex(result["traceId"], TRACE_RE)

        _, plain, _ = self.call(name)
        self.assertIsNone(plain["clientContext"])

    def test_Conformance_ContextOfPublishedVersion_QualifiedArn(self):
        name = self.function(self.handler("context"))
        version = self.publish(name)["Version"]
        resp, result, _ = self.call(name, Qualifier=version)
        self.assertEqual(resp["ExecutedVersion"], version)
        self.assertEqual(result["functionVersion"], version)
        self.assertEqual(result["invokedFunctionArn"], f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}:{version}")
        self.assertRegex(result["logStreamName"], STREAM_RE)
        self.assertIn(f"[{version}]", result["logStreamName"])

    def test_Conformance_HandledError_ErrorDocument(self):
        name = self.function(self.handler("error"))
        resp, document, request_id = self.call(name, LogType="Tail")
        self.assert_function_error(resp, document, "CustomError", request_id)
        self.assertEqual(document["errorMessage"], "handled failure")
        self.check_error_document(document, request_id)
        # The environment survives a handled error: the next invoke is warm (no Init Duration).
        resp2, document2, _ = self.call(name, LogType="Tail")
        self.assertEqual(document2["errorType"], "CustomError")
        self.assertNotIn("Init Duration", self.tail(resp2))

    def test_Conformance_UncaughtException_LanguageErrorType(self):
        resp, document, request_id = self.call(self.function(self.handler("uncaught")))
        self.assert_function_error(resp, document, self.UNCAUGHT_ERROR_TYPE, request_id)
        self.check_error_document(document, request_id)

    def test_Conformance_ProcessExit_RuntimeExitError(self):
        name = self.function(self.handler("exit"))
        resp, document, request_id = self.call(name)
        self.assert_function_error(resp, document, "Runtime.ExitError", request_id)
        self.assertEqual(document["errorMessage"], f"RequestId: {request_id} Error: Runtime exited with error: exit status 3")
        # A fresh environment answers the next invoke the same way.
        resp, document, request_id = self.call(name)
        self.assertEqual(document["errorType"], "Runtime.ExitError")

    def test_Conformance_Timeout_SandboxTimedoutThenRecovers(self):
        name = self.function(self.handler("sleep"), timeout=1)
        resp, document, request_id = self.call(name, {"seconds": 3})
        self.assertEqual(resp.get("FunctionError"), "Unhandled")
        self.assertEqual(document, {"errorType": "Sandbox.Timedout",
                                    "errorMessage": f"RequestId: {request_id} Error: Task timed out after 1.00 seconds"})
        _, result, _ = self.call(name, {"seconds": 0})
        self.assertEqual(result, {"slept": 0})

    def test_Conformance_LargeResponse_UpToSixMegabytes(self):
        name = self.function(self.handler("large"))
        size = 5 * 1024 * 1024
        resp, result, _ = self.call(name, {"size": size})
        self.assertNotIn("FunctionError", resp)
        self.assertEqual(result, "x" * size)
        resp, document, request_id = self.call(name, {"size": 6 * 1024 * 1024 + 100})
        self.assertEqual(resp.get("FunctionError"), "Unhandled")
        self.assertEqual(document["errorType"], "Function.ResponseSizeTooLarge")

    def test_Conformance_ModuleState_KeptAcrossWarmInvokes(self):
        name = self.function(self.handler("counter"))
        first = self.call(name, LogType="Tail")
        second = self.call(name, LogType="Tail")
        third = self.call(name)
        self.assertEqual([first[1], second[1], third[1]],
                         [{"count": 1, "initCount": 1}, {"count": 2, "initCount": 1}, {"count": 3, "initCount": 1}])
        self.assertIn("Init Duration", self.tail(first[0]))
        self.assertNotIn("Init Duration", self.tail(second[0]))

    def test_Conformance_TextLogging_AwsFormat(self):
        resp, result, request_id = self.call(self.function(self.handler("log")), LogType="Tail")
        self.assertEqual(result, {"logged": True})
        log = self.tail(resp)
        self.assertIn(f"START RequestId: {request_id} Version: $LATEST\n", log)
        self.assertIn(f"END RequestId: {request_id}\n", log)
        self.assertIn("print marker", log)
        self.assertIn("warn marker", log)
        self.assertIn("error marker", log)
        # Everything the handler wrote is inside its START…END frame.
        body = log[log.index(f"START RequestId: {request_id}"):log.index(f"END RequestId: {request_id}")]
        for marker in ("print marker", "warn marker", "error marker"):
            self.assertIn(marker, body)
        self.check_text_log(log, request_id)

    def test_Conformance_JsonLogging_StructuredAndFiltered(self):
        name = self.function(self.handler("log"), logging={"LogFormat": "JSON", "ApplicationLogLevel": "WARN",
                                                          "SystemLogLevel": "INFO"})
        resp, result, request_id = self.call(name, LogType="Tail")
        self.assertEqual(result, {"logged": True})
        log = self.tail(resp)
        records = []
        for line in log.splitlines():
            if line.startswith("{"):
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError:
                    pass
        application = [r for r in records if r.get("requestId") == request_id and "message" in r]
        messages = {r["level"]: r["message"] for r in application}
        self.assertEqual(messages.get(self.JSON_WARN_LEVEL), "warn marker", records)
        self.assertEqual(messages.get(self.JSON_ERROR_LEVEL), "error marker", records)
        self.assertNotIn("info marker", log)
        self.assertNotIn("debug marker", log)
        for record in application:
            self.assertRegex(record["timestamp"], r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
        _, env, _ = self.call(self.function(self.handler("environment"), logging={"LogFormat": "JSON",
                                                                                   "ApplicationLogLevel": "WARN"}))
        self.assertEqual(env["env"].get("AWS_LAMBDA_LOG_FORMAT"), "JSON")
        self.assertEqual(env["env"].get("AWS_LAMBDA_LOG_LEVEL"), "WARN")
        self.check_json_log(records, log, request_id)

    def test_Conformance_ImportError_ReportedAtInvoke(self):
        name = self.function(self.IMPORT_ERROR_HANDLER)
        resp, document, request_id = self.call(name)
        self.assert_function_error(resp, document, self.IMPORT_ERROR_TYPE, request_id)

    def test_Conformance_HandlerNotFound_ReportedAtInvoke(self):
        resp, document, request_id = self.call(self.function(self.HANDLER_NOT_FOUND_HANDLER))
        self.assert_function_error(resp, document, self.HANDLER_NOT_FOUND_TYPE, request_id)
