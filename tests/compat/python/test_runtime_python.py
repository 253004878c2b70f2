"""Kindling's Python runtime (runtimes/python/bootstrap.py) through the real server, sandboxes and boto3.

The shared conformance suite (conformance.py) plus what is Python's own: handler strings (dotted packages, paths),
the exact messages of AWS's runtime for init and marshalling failures, the context's client context and identity,
AWS's text and JSON log formats, sys.path and layers. Expected values are those of AWS's Python runtime
(aws-lambda-python-runtime-interface-client) on python3.11.
"""
from __future__ import annotations

import base64
import http.server
import json
import os
import queue
import re
import subprocess
import sys
import tempfile
import threading
import time
import unittest

from conformance import CLIENT_CONTEXT, ISO_MS_RE, RuntimeConformance
from harness import REPO_ROOT, ROLE, ServerTestCase, make_zip, server_bin, unique_name, wait_until

HANDLERS = os.path.join(REPO_ROOT, "runtimes", "tests", "conformance", "python")
RUNTIME = "python3.11"
NBSP = "\u00a0"


def conformance_zip(extra: dict[str, bytes | str] | None = None) -> bytes:
    files: dict[str, bytes | str] = {}
    for base, dirs, names in os.walk(HANDLERS):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in names:
            full = os.path.join(base, name)
            with open(full, "rb") as f:
                files[os.path.relpath(full, HANDLERS)] = f.read()
    files.update(extra or {})
    return make_zip(files)


def source_line(file: str, text: str) -> int:
    """The line number of `text` in a handler file (stack traces name it)."""
    with open(os.path.join(HANDLERS, file)) as f:
        for number, line in enumerate(f, 1):
            if text in line:
                return number
    raise AssertionError(f"{text!r} not in {file}")


class PythonConformance(RuntimeConformance, ServerTestCase):
    RUNTIME = RUNTIME
    UNCAUGHT_ERROR_TYPE = "KeyError"
    JSON_WARN_LEVEL = "WARNING"  # AWS's Python runtime writes the logging module's level names

    @classmethod
    def package(cls) -> bytes:
        return conformance_zip()

    def handler(self, name: str) -> str:
        return f"app.{name}"

    def check_error_document(self, document: dict, request_id: str) -> None:
        self.assertEqual(document["requestId"], request_id)
        if document["errorType"] == "CustomError":
            line = source_line("app.py", 'raise CustomError("handled failure")')
            self.assertEqual(document["stackTrace"],
                             [f'  File "/var/task/app.py", line {line}, in error\n    raise CustomError("handled failure")\n'])
        else:
            line = source_line("app.py", '{}["missing"]')
            self.assertEqual(document, {"errorMessage": "'missing'", "errorType": "KeyError", "requestId": request_id,
                                        "stackTrace": [f'  File "/var/task/app.py", line {line}, in uncaught\n'
                                                       '    return {}["missing"]\n']})

    def check_text_log(self, log: str, request_id: str) -> None:
        ts = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z"
        body = log[log.index(f"START RequestId: {request_id}"):log.index(f"END RequestId: {request_id}")]
        lines = body.split("\n")[1:-1]
        self.assertEqual(len(lines), 3, lines)
        self.assertEqual(lines[0], "print marker")
        self.assertRegex(lines[1], rf"^\[WARNING\]\t{ts}\t{request_id}\twarn marker$")
        self.assertRegex(lines[2], rf"^\[ERROR\]\t{ts}\t{request_id}\terror marker$")
        # The root logger keeps Python's default level (WARNING) in text format, as on AWS.
        self.assertNotIn("info marker", log)
        self.assertNotIn("debug marker", log)

    def check_json_log(self, records: list[dict], log: str, request_id: str) -> None:
        application = [r for r in records if r.get("requestId") == request_id]
        for record in application:
            self.assertRegex(record["timestamp"], ISO_MS_RE)
        self.assertEqual([{k: v for k, v in r.items() if k != "timestamp"} for r in application], [
            {"level": "WARNING", "message": "warn marker", "logger": "root", "requestId": request_id},
            {"level": "ERROR", "message": "error marker", "logger": "root", "requestId": request_id},
        ])
        self.assertIn("\nprint marker\n", log)


class PythonRuntimeTests(ServerTestCase):
    """What is Python's own: handler strings, AWS's exact messages, context, log formats, sys.path, layers."""

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls._zip = conformance_zip()
        cls._functions: dict[tuple, str] = {}

    def function(self, handler: str, logging: dict | None = None, layers: tuple[str, ...] = (),
                 code: bytes | None = None) -> str:
        key = (handler, json.dumps(logging, sort_keys=True), layers, code is not None)
        if key not in self._functions:
            name = unique_name("py")
            params = dict(FunctionName=name, Role=ROLE, Runtime=RUNTIME, Handler=handler, Timeout=10, MemorySize=512,
                          Code={"ZipFile": code if code is not None else self._zip})
            if logging is not None:
                params["LoggingConfig"] = logging
            if layers:
                params["Layers"] = list(layers)
            self.lam.create_function(**params)
            self.lam.get_waiter("function_active_v2").wait(FunctionName=name,
                                                            WaiterConfig={"Delay": 0.2, "MaxAttempts": 300})
            self._functions[key] = name
        return self._functions[key]

    def call(self, name: str, payload=None, raw: bool = False, **kwargs):
        body = payload if isinstance(payload, (bytes, str)) else json.dumps(payload if payload is not None else {})
        resp = self.lam.invoke(FunctionName=name, Payload=body, LogType="Tail", **kwargs)
        data = resp["Payload"].read()
        self.assertEqual(resp["StatusCode"], 200)
        log = base64.b64decode(resp["LogResult"]).decode()
        return resp, (data if raw else json.loads(data)), resp["ResponseMetadata"]["RequestId"], log

    def function_log(self, name: str, until: str) -> str:
        """The function's whole log (every stream), through `kindling logs`, once `until` is in it."""
        def read():
            out = subprocess.run([server_bin(), "logs", name, "--data-dir", self.server.data_dir],
                                 capture_output=True, timeout=60).stdout.decode()
            return out if until in out else None
        return wait_until(read, timeout=30, what=f"{until!r} in the logs of {name}")

    def events(self, name: str, until: str) -> list[str]:
        """The function's log events (messages only), once `until` is in one of them.

        Read from the stream rather than the invoke's tail: lines the runtime writes just before it posts its
        result can reach the stream after the END line (see the report on ExecutionEnvironment.Invoke)."""
        log = self.function_log(name, until)
        return [line.split(" ", 2)[2] for line in log.split("\n") if line.count(" ") >= 2]

    def assert_init_error(self, handler: str, error_type: str, message: str, stack_trace: list[str]) -> str:
        name = self.function(handler)
        for _ in range(2):  # reported at each invoke, the environment's init failing each time
            resp, document, _, _ = self.call(name)
            self.assertEqual(resp.get("FunctionError"), "Unhandled")
            self.assertEqual(document, {"errorMessage": message, "errorType": error_type, "requestId": "",
                                        "stackTrace": stack_trace})
        return name

    # handler strings --------------------------------------------------------------------------------------------
    def test_Handler_DottedPackage_Imported(self):
        for handler in ("pkg.sub.mod.handler", "pkg/sub/mod.handler"):
            with self.subTest(handler=handler):
                resp, result, _, _ = self.call(self.function(handler), {"k": 1})
                self.assertNotIn("FunctionError", resp)
                self.assertEqual(result, {"module": "pkg.sub.mod", "event": {"k": 1}})

    def test_Handler_SyntaxError_UserCodeSyntaxError(self):
        self.assert_init_error(
            "bad_syntax.handler", "Runtime.UserCodeSyntaxError",
            "Syntax error in module 'bad_syntax': expected ':' (bad_syntax.py, line 1)",
            ['  File "/var/task/bad_syntax.py" Line 1\n    def handler(event, context)\n'])

    def test_Handler_Missing_HandlerNotFound(self):
        self.assert_init_error("app.nope", "Runtime.HandlerNotFound", "Handler 'nope' missing on module 'app'", [])

    def test_Handler_ImportFails_ImportModuleErrorLoggedAsAws(self):
        name = self.assert_init_error(
            "broken_import.handler", "Runtime.ImportModuleError",
            "Unable to import module 'broken_import': No module named 'does_not_exist_module'", [])
        log = self.function_log(name, "[ERROR] Runtime.ImportModuleError")
        self.assertIn("[ERROR] Runtime.ImportModuleError: Unable to import module 'broken_import': "
                      "No module named 'does_not_exist_module'\rTraceback (most recent call last):\n", log)
        self.assertRegex(log, r"\[WARNING\]\t\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z\t\tLAMBDA_WARNING: "
                              r"Unhandled exception\. The most likely cause is an issue in the function code\.")

    def test_Result_NotSerializable_MarshalError(self):
        resp, document, request_id, log = self.call(self.function("extras.unserializable"))
        self.assertEqual(resp.get("FunctionError"), "Unhandled")
        self.assertEqual(document, {"errorMessage": "Unable to marshal response: Object of type set is not JSON serializable",
                                    "errorType": "Runtime.MarshalError", "requestId": request_id, "stackTrace": []})
        expected = ("[ERROR] Runtime.MarshalError: Unable to marshal response: Object of type set is not JSON "
                    "serializable\rTraceback (most recent call last):")
        self.assertIn(expected, self.events(self.function("extras.unserializable"), "[ERROR] Runtime.MarshalError"))

    def test_Result_Bytes_ReturnedRaw(self):
        resp, body, _, _ = self.call(self.function("extras.raw_bytes"), raw=True)
        self.assertNotIn("FunctionError", resp)
        self.assertEqual(body, b"\x00raw")

    def test_Result_Decimals_Numbers(self):
        _, result, _, _ = self.call(self.function("extras.decimals"))
        self.assertEqual(result, {"int": 42, "float": 1.5})

    def test_Error_LoggedAsAws_OneEventWithNoBreakSpaceIndent(self):
        name = self.function("app.error")
        self.call(name)
        line = source_line("app.py", 'raise CustomError("handled failure")')
        expected = ("[ERROR] CustomError: handled failure\rTraceback (most recent call last):\r"
                    f'{NBSP * 2}File "/var/task/app.py", line {line}, in error\r'
                    f'{NBSP * 4}raise CustomError("handled failure")')
        self.assertIn(expected, self.events(name, "[ERROR] CustomError"))

    def test_Error_Json_ErrorRecord(self):
        name = self.function("app.error", logging={"LogFormat": "JSON", "ApplicationLogLevel": "INFO"})
        resp, document, request_id, _ = self.call(name)
        events = self.events(name, '"errorType": "CustomError"')
        records = [json.loads(x) for x in events if x.startswith("{") and '"requestId"' in x]
        self.assertEqual(len(records), 1, events)
        record = records[0]
        self.assertRegex(record.pop("timestamp"), r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")
        self.assertEqual(record, {"level": "ERROR", **document})

    # context ----------------------------------------------------------------------------------------------------
    def test_Context_ClientContextAndIdentity_AsAws(self):
        name = self.function("extras.identity")
        encoded = base64.b64encode(json.dumps(CLIENT_CONTEXT).encode()).decode()
        _, result, _, _ = self.call(name, ClientContext=encoded)
        self.assertEqual(result, {
            "cognitoIdentityId": None, "cognitoIdentityPoolId": None,
            "client": {"installationId": "install-1", "appTitle": "Conformance", "appVersionName": "1.0",
                       "appVersionCode": "100", "appPackageName": "com.example.conformance"},
            "memoryLimitInMB": "512",
        })
        _, plain, _, _ = self.call(name)
        self.assertIsNone(plain["client"])

    # logging ----------------------------------------------------------------------------------------------------
    def test_Logging_MultiLineRecord_OneEvent(self):
        name = self.function("extras.multiline")
        _, _, request_id, _ = self.call(name)
        events = self.events(name, "second line")
        matching = [e for e in events if re.fullmatch(rf"\[WARNING\]\t[^\t]+Z\t{request_id}\tfirst line\rsecond line", e)]
        self.assertEqual(len(matching), 1, events)

    def test_Logging_Json_LevelFilteringExtraFieldsAndExceptions(self):
        name = self.function("extras.json_logging", logging={"LogFormat": "JSON", "ApplicationLogLevel": "INFO"})
        _, result, request_id, _ = self.call(name)
        self.assertEqual(result, {"logged": True})
        events = self.events(name, "json_logging done")
        log = "\n".join(events)
        records = [json.loads(x) for x in events if x.startswith("{") and '"requestId"' in x]
        for record in records:
            self.assertRegex(record.pop("timestamp"), ISO_MS_RE)
        raise_line = source_line("extras.py", '{}["missing"]')
        log_line = source_line("extras.py", 'logger.exception("caught failure")')
        self.assertEqual(records, [
            {"level": "INFO", "message": "info record", "logger": "extras", "requestId": request_id,
             "customField": "custom value"},
            {"level": "ERROR", "message": "caught failure", "logger": "extras", "requestId": request_id,
             # traceback.format_tb of python3.11, with its column markers
             "stackTrace": [f'  File "/var/task/extras.py", line {raise_line}, in json_logging\n'
                            '    {}["missing"]\n    ~~^^^^^^^^^^^\n'],
             "errorType": "KeyError", "errorMessage": "'missing'",
             "location": f"/var/task/extras.py:json_logging:{log_line}"},
        ])
        # Below the configured level nothing is written, even after the code lowers the root logger's level.
        self.assertNotIn("debug record", log)
        self.assertNotIn("debug after setLevel", log)

    def test_Logging_JsonDebugLevel_DebugRecordsKept(self):
        name = self.function("extras.json_logging", logging={"LogFormat": "JSON", "ApplicationLogLevel": "DEBUG"})
        self.call(name)
        events = self.events(name, "json_logging done")
        messages = [json.loads(x)["message"] for x in events if x.startswith("{") and '"requestId"' in x]
        self.assertEqual(messages, ["debug record", "info record", "caught failure", "debug after setLevel"])

    # environment ------------------------------------------------------------------------------------------------
    def test_SysPath_TaskThenLayersThenRuntime(self):
        _, result, _, _ = self.call(self.function("extras.sys_path"))
        self.assertEqual(result["path"][:4], ["/var/task", "/opt/python/lib/python3.11/site-packages", "/opt/python",
                                              "/var/runtime"])
        self.assertFalse([p for p in result["path"] if "dist-packages" in p], result["path"])
        # The runtime's own modules are not importable by the function's names; nothing heavy was loaded.
        self.assertEqual(result["modules"], [])

    def test_SysPath_UserModuleNamedLikeRuntime_UserWins(self):
        code = conformance_zip({"bootstrap.py": "VALUE = 'user'\n",
                                "shadow.py": "import bootstrap\n\ndef handler(event, context):\n"
                                             "    return bootstrap.VALUE\n"})
        _, result, _, _ = self.call(self.function("shadow.handler", code=code))
        self.assertEqual(result, "user")

    def test_SysPath_UserJsonOrSocketModule_StandardLibraryWinsAsOnAws(self):
        # AWS's runtime imports json and socket before /var/task joins sys.path, so a function's own json.py or
        # socket.py never stands in for them (Kindling's runtime uses their C modules, and keeps that).
        code = conformance_zip({"json.py": "VALUE = 'user json'\n", "socket.py": "VALUE = 'user socket'\n",
                                "stdlib.py": "import json\nimport socket\n\ndef handler(event, context):\n"
                                             "    return [json.dumps({'a': 1}), hasattr(socket, 'VALUE'), socket.AF_INET.name]\n"})
        _, result, _, _ = self.call(self.function("stdlib.handler", code=code))
        self.assertEqual(result, ['{"a": 1}', False, "AF_INET"])

    def test_StartUp_HandlerImportingNothing_NoJsonReOrEnumLoaded(self):
        # The runtime speaks JSON and HTTP through _json and _socket: json, re and enum cost 6-17 ms per start.
        code = conformance_zip({"bare.py": "import sys\n\ndef handler(event, context):\n"
                                           "    return sorted(m for m in ('json', 'socket', 're', 'enum', 'selectors') "
                                           "if m in sys.modules)\n"})
        _, result, _, _ = self.call(self.function("bare.handler", code=code))
        self.assertEqual(result, [])

    def test_Exit_BuiltinExit_RuntimeExitError(self):
        resp, document, request_id, _ = self.call(self.function("extras.exits"))
        self.assertEqual(resp.get("FunctionError"), "Unhandled")
        self.assertEqual(document["errorType"], "Runtime.ExitError")

    # layers -----------------------------------------------------------------------------------------------------
    def test_Layers_ModuleFromLayer_LaterLayerOverrides(self):
        first = self.lam.publish_layer_version(
            LayerName=unique_name("pylayer"), CompatibleRuntimes=[RUNTIME],
            Content={"ZipFile": make_zip({"python/mylib.py": "VALUE = 'from layer'\n",
                                          "python/shadowed.py": "VALUE = 'first'\n"})})
        second = self.lam.publish_layer_version(
            LayerName=unique_name("pylayer"), CompatibleRuntimes=[RUNTIME],
            Content={"ZipFile": make_zip({"python/shadowed.py": "VALUE = 'second'\n"})})
        name = self.function("extras.layered", layers=(first["LayerVersionArn"], second["LayerVersionArn"]))
        resp, result, _, _ = self.call(name)
        self.assertNotIn("FunctionError", resp, result)
        self.assertEqual(result, {"mylib": "from layer", "shadowed": "second", "file": "/opt/python/mylib.py"})

    def test_Layers_SitePackagesBeforePython(self):
        layer = self.lam.publish_layer_version(
            LayerName=unique_name("pylayer"), CompatibleRuntimes=[RUNTIME],
            Content={"ZipFile": make_zip({"python/lib/python3.11/site-packages/mylib.py": "VALUE = 'site'\n",
                                          "python/mylib.py": "VALUE = 'plain'\n",
                                          "python/shadowed.py": "VALUE = 'only'\n"})})
        name = self.function("extras.layered", layers=(layer["LayerVersionArn"],))
        _, result, _, _ = self.call(name)
        self.assertEqual(result, {"mylib": "site", "shadowed": "only",
                                  "file": "/opt/python/lib/python3.11/site-packages/mylib.py"})


# ---------------------------------------------------------------------------------------------------------------------
# The runtime client alone, against a fake Runtime API on loopback: the init failures the control plane already
# refuses at CreateFunction (Kindling checks that the handler's module exists), headers an Invoke cannot carry
# (Cognito identity), and the HTTP client itself (keep-alive).

BOOTSTRAP = os.path.join(REPO_ROOT, "runtimes", "python", "bootstrap.py")
INTERPRETER = "/usr/bin/python3.11" if os.path.exists("/usr/bin/python3.11") else sys.executable
RUNTIME_MANIFEST = os.path.join(REPO_ROOT, "runtimes", "python", "runtime.json")


class FakeRuntimeApi:
    """Serves queued events on ``next``; records every post (path, headers, body) and the client's ports."""

    def __init__(self, close_after_post: bool = False) -> None:
        self.events: queue.Queue = queue.Queue()
        self.posts: queue.Queue = queue.Queue()
        self.ports: set[int] = set()
        api = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                api.ports.add(self.client_address[1])
                try:
                    headers, body = api.events.get(timeout=60)
                except queue.Empty:
                    self.close_connection = True
                    return
                self.send_response(200)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:
                api.ports.add(self.client_address[1])
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                reply = b'{"status":"OK"}'
                try:
                    self.send_response(202)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(reply)))
                    self.end_headers()
                    self.wfile.write(reply)
                except OSError:
                    self.close_connection = True
                if close_after_post:
                    self.close_connection = True  # as an idle keep-alive connection closed by the server
                api.posts.put((self.path, {k.lower(): v for k, v in self.headers.items()}, body))

        class Server(http.server.ThreadingHTTPServer):
            def handle_error(self, request, client_address) -> None:
                pass  # the runtime killed at a test's end resets its connection

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.address = f"127.0.0.1:{self.server.server_address[1]}"

    def invoke(self, event: bytes, request_id: str, **headers: str) -> tuple[str, dict, bytes]:
        base = {"Lambda-Runtime-Aws-Request-Id": request_id,
                "Lambda-Runtime-Deadline-Ms": str(int(time.time() * 1000) + 5000),
                "Lambda-Runtime-Invoked-Function-Arn": "arn:aws:lambda:us-east-1:000000000000:function:unit",
                "Content-Type": "application/json"}
        base.update(headers)
        self.events.put((base, event))
        return self.posts.get(timeout=30)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class BootstrapUnitTests(unittest.TestCase):
    maxDiff = None

    def start(self, handler: str, task_root: str = HANDLERS, close_after_post: bool = False,
              **env: str) -> tuple[FakeRuntimeApi, subprocess.Popen]:
        api = FakeRuntimeApi(close_after_post)
        self.addCleanup(api.close)
        with open(RUNTIME_MANIFEST) as f:
            command = [INTERPRETER if part == "{interpreter}" else part for part in json.load(f)["command"]]
        command[-1] = BOOTSTRAP  # /var/runtime/bootstrap.py in a sandbox
        variables = {"PATH": "/usr/bin:/bin", "LANG": "en_US.UTF-8", "TZ": ":UTC", "PYTHONDONTWRITEBYTECODE": "1",
                     "AWS_LAMBDA_RUNTIME_API": api.address, "_HANDLER": handler, "LAMBDA_TASK_ROOT": task_root,
                     "AWS_LAMBDA_FUNCTION_NAME": "unit", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
                     "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST", "AWS_EXECUTION_ENV": "AWS_Lambda_python3.11"}
        variables.update(env)
        proc = subprocess.Popen(command, cwd=task_root, env=variables, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

        def stop() -> None:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            proc.stdout.close()
        self.addCleanup(stop)
        return api, proc

    def init_error(self, handler: str, task_root: str = HANDLERS) -> tuple[dict, dict, str]:
        api, proc = self.start(handler, task_root)
        path, headers, body = api.posts.get(timeout=30)
        self.assertEqual(path, "/2018-06-01/runtime/init/error")
        self.assertEqual(proc.wait(timeout=30), 1)
        return headers, json.loads(body), proc.stdout.read().decode()

    def assert_init_error(self, handler: str, error_type: str, message: str) -> str:
        headers, document, output = self.init_error(handler)
        self.assertEqual(headers["lambda-runtime-function-error-type"], error_type)
        self.assertEqual(document, {"errorMessage": message, "errorType": error_type, "requestId": "",
                                    "stackTrace": []})
        return output

    def test_Init_NoDot_MalformedHandlerName(self):
        self.assert_init_error("app", "Runtime.MalformedHandlerName",
                               "Bad handler 'app': not enough values to unpack (expected 2, got 1)")

    def test_Init_BuiltinModule_BuiltInModuleConflict(self):
        self.assert_init_error("sys.handler", "Runtime.BuiltInModuleConflict",
                               "Cannot use built-in module sys as a handler module")

    def test_Init_ModuleMissing_ImportModuleErrorLogged(self):
        output = self.assert_init_error("nomodule.handler", "Runtime.ImportModuleError",
                                        "Unable to import module 'nomodule': No module named 'nomodule'")
        lines = output.split("\n")
        self.assertRegex(lines[0], r"^\[WARNING\]\t\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z\t\tLAMBDA_WARNING: "
                                   r"Unhandled exception\. .* see https://docs\.aws\.amazon\.com/lambda/latest/dg/"
                                   r"runtimes-update\.html$")
        self.assertEqual(lines[1:], ["[ERROR] Runtime.ImportModuleError: Unable to import module 'nomodule': "
                                     "No module named 'nomodule'\rTraceback (most recent call last):", ""])

    def test_Init_ModuleRaises_ExceptionTypeAndUserFrames(self):
        with tempfile.TemporaryDirectory() as task:
            with open(os.path.join(task, "boom.py"), "w") as f:
                f.write('raise ValueError("at import")\n')
            headers, document, _ = self.init_error("boom.handler", task)
        self.assertEqual(headers["lambda-runtime-function-error-type"], "ValueError")
        self.assertEqual((document["errorType"], document["errorMessage"], document["requestId"]),
                         ("ValueError", "at import", ""))
        # From importlib's frames on (as AWS's), never the runtime's own.
        self.assertFalse([frame for frame in document["stackTrace"] if "bootstrap.py" in frame], document)
        self.assertIn("importlib", document["stackTrace"][0])
        self.assertEqual(document["stackTrace"][-1],
                         f'  File "{task}/boom.py", line 1, in <module>\n    raise ValueError("at import")\n')

    def test_Invoke_CognitoIdentityHeader_ContextIdentity(self):
        api, _ = self.start("extras.identity")
        path, _, body = api.invoke(b"{}", "req-1", **{
            "Lambda-Runtime-Cognito-Identity": json.dumps({"cognitoIdentityId": "id-1",
                                                           "cognitoIdentityPoolId": "pool-1"})})
        self.assertEqual(path, "/2018-06-01/runtime/invocation/req-1/response")
        self.assertEqual(json.loads(body), {"cognitoIdentityId": "id-1", "cognitoIdentityPoolId": "pool-1",
                                            "client": None, "memoryLimitInMB": "512"})

    def test_Invoke_Sequence_OneKeepAliveConnectionAndPerInvokeTraceId(self):
        api, _ = self.start("app.context")
        trace = "Root=1-5e1b4151-5ac6c58f3b1e8d1f2c3d4e5f;Parent=53995c3f42cd8ad8;Sampled=1"
        _, _, first = api.invoke(b"{}", "req-1", **{"Lambda-Runtime-Trace-Id": trace})
        _, _, second = api.invoke(b"{}", "req-2")
        first, second = json.loads(first), json.loads(second)
        self.assertEqual((first["awsRequestId"], first["traceId"]), ("req-1", trace))
        self.assertEqual((second["awsRequestId"], second["traceId"]), ("req-2", None))
        self.assertTrue(0 < first["remainingTimeMs"] <= 5000, first)
        self.assertEqual(len(api.ports), 1, api.ports)

    def test_Invoke_ConnectionClosedByServer_Reconnects(self):
        api, _ = self.start("app.counter", close_after_post=True)
        results = [json.loads(api.invoke(b"{}", f"req-{i}")[2]) for i in range(3)]
        self.assertEqual(results, [{"count": 1, "initCount": 1}, {"count": 2, "initCount": 1},
                                   {"count": 3, "initCount": 1}])

    def test_Invoke_HandlerError_ErrorTypeHeaderAndXrayCause(self):
        api, _ = self.start("app.error")
        path, headers, body = api.invoke(b"{}", "req-1")
        self.assertEqual(path, "/2018-06-01/runtime/invocation/req-1/error")
        self.assertEqual(headers["lambda-runtime-function-error-type"], "CustomError")
        cause = json.loads(headers["lambda-runtime-function-xray-error-cause"])
        self.assertEqual(cause["exceptions"][0]["type"], "CustomError")
        self.assertEqual(cause["exceptions"][0]["message"], "handled failure")
        self.assertEqual(json.loads(body)["requestId"], "req-1")

    def test_Invoke_NonAsciiErrorType_TypeInBodyOnly(self):
        api, _ = self.start("extras.unicode_error")
        path, headers, body = api.invoke(b"{}", "req-1")
        self.assertEqual(path, "/2018-06-01/runtime/invocation/req-1/error")
        self.assertNotIn("lambda-runtime-function-error-type", headers)
        document = json.loads(body)
        self.assertEqual((document["errorType"], document["errorMessage"]), ("ÉchecSpécial", "ünïcødé"))
        cause = json.loads(headers["lambda-runtime-function-xray-error-cause"])
        self.assertEqual(cause["exceptions"][0]["message"], "ünïcødé")

    def test_Invoke_OtherContentType_EventIsBytes(self):
        api, _ = self.start("extras.event_type")
        _, _, body = api.invoke(b"plain", "req-1", **{"Content-Type": "text/plain"})
        self.assertEqual(json.loads(body), {"type": "bytes"})
        _, _, body = api.invoke(b'{"a": 1}', "req-2")
        self.assertEqual(json.loads(body), {"type": "dict"})

    def test_Invoke_EventNotJson_UnmarshalError(self):
        api, _ = self.start("app.echo")
        path, headers, body = api.invoke(b"{not json", "req-1")
        self.assertEqual(path, "/2018-06-01/runtime/invocation/req-1/error")
        self.assertEqual(json.loads(body), {
            "errorMessage": "Unable to unmarshal input: Expecting property name enclosed in double quotes: "
                            "line 1 column 2 (char 1)",
            "errorType": "Runtime.UnmarshalError", "requestId": "req-1", "stackTrace": []})


if __name__ == "__main__":
    unittest.main()
