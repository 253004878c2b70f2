"""The nodejs20.x managed runtime (Kindling's runtime interface client, runtimes/nodejs/), through the real server.

The shared conformance checks (conformance.py) plus what is Node's own: ES modules and .cjs, the handler
resolution order, callback handlers and callbackWaitsForEmptyEventLoop, context.succeed/fail/done, unhandled
rejections and uncaught exceptions (process exit), response streaming, error messages of bad handlers, the
text and JSON log formats, NODE_PATH and layers, the interpreter flags.

Expected values are those of AWS's Node runtime (aws-lambda-nodejs-runtime-interface-client v3: Errors.js,
UserFunction.js, LogPatch.js, CallbackContext.js, ResponseStream.js; the nodejs20.x bootstrap's flags and
NODE_PATH). InvokeWithResponseStream is not served by Kindling: streamed responses are checked through Invoke,
which returns the whole body (as AWS does for a streaming function invoked synchronously).
"""

import json
import os
import re
import subprocess
import unittest

from conformance import ISO_MS_RE, RuntimeConformance
from harness import REPO_ROOT, ROLE, ServerTestCase, make_zip, unique_name, wait_until

HANDLERS_DIR = os.path.join(REPO_ROOT, "runtimes", "tests", "conformance", "nodejs")
RUNTIME_TESTS_DIR = os.path.join(REPO_ROOT, "runtimes", "nodejs", "test")
RUNTIME = "nodejs20.x"
TEXT_LINE_RE = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z"


def handlers_zip() -> bytes:
    files = {}
    for base, _, names in os.walk(HANDLERS_DIR):
        for name in names:
            full = os.path.join(base, name)
            with open(full, "rb") as f:
                files[os.path.relpath(full, HANDLERS_DIR)] = f.read()
    return make_zip(files)


def app_lines(log: str, request_id: str) -> list[tuple[str, str]]:
    """(level, message) of the text-format application lines of one request."""
    pattern = re.compile(rf"^{TEXT_LINE_RE}\t{re.escape(request_id)}\t([A-Z]+)\t(.*)$")
    return [(m.group(1), m.group(2)) for m in map(pattern.match, log.split("\n")) if m]


class NodejsConformance(RuntimeConformance, ServerTestCase):
    RUNTIME = RUNTIME
    UNCAUGHT_ERROR_TYPE = "TypeError"

    @classmethod
    def package(cls) -> bytes:
        return handlers_zip()

    def handler(self, name: str) -> str:
        return f"app.{name}"

    def publish(self, name: str) -> dict:
        return self.lam.publish_version(FunctionName=name)

    def check_error_document(self, document: dict, request_id: str) -> None:
        self.assertEqual(sorted(document), ["errorMessage", "errorType", "trace"])
        self.assertEqual(document["trace"][0], f"{document['errorType']}: {document['errorMessage']}")
        self.assertTrue(document["trace"][1].startswith("    at "), document["trace"])

    def check_text_log(self, log: str, request_id: str) -> None:
        self.assertEqual(app_lines(log, request_id), [
            ("INFO", "print marker"), ("DEBUG", "debug marker"), ("INFO", "info marker"),
            ("WARN", "warn marker"), ("ERROR", "error marker")])

    def check_json_log(self, records: list[dict], log: str, request_id: str) -> None:
        application = [r for r in records if r.get("requestId") == request_id]
        self.assertEqual([sorted(r) for r in application], [["level", "message", "requestId", "timestamp"]] * 2)
        self.assertEqual([(r["level"], r["message"]) for r in application],
                         [("WARN", "warn marker"), ("ERROR", "error marker")])
        for record in application:
            self.assertRegex(record["timestamp"], ISO_MS_RE)

    # Node-specific ----------------------------------------------------------------------------------------------
    def invoke_error(self, handler: str, payload=None, **kwargs) -> tuple[dict, dict, str]:
        resp, document, request_id = self.call(self.function(handler), payload, **kwargs)
        self.assertEqual(resp.get("FunctionError"), "Unhandled", document)
        return resp, document, request_id

    def assert_error(self, handler: str, error_type: str, message: str, **kwargs) -> dict:
        _, document, _ = self.invoke_error(handler, **kwargs)
        self.assertEqual((document["errorType"], document["errorMessage"]), (error_type, message), document)
        self.assertEqual(sorted(document), ["errorMessage", "errorType", "trace"])
        return document

    def next_cold_start(self, name: str) -> tuple[dict, dict]:
        """The first later invoke answered by a new process (Init Duration in its REPORT line).

        The runtime exits right after posting the error, as AWS's does; an invoke that reaches the environment
        before the worker has seen the exit is answered Runtime.ExitError by the platform (a Kindling race, not
        the runtime's), so this invokes until a fresh environment answers."""
        def fresh():
            resp, document, _ = self.call(name, LogType="Tail")
            return (resp, document) if "Init Duration" in self.tail(resp) else None
        return wait_until(fresh, timeout=30, what="an invoke answered by a new environment")

    def test_Handler_EsModuleMjs_TopLevelAwait(self):
        _, result, request_id = self.call(self.function("esm/app.handler"))
        self.assertEqual(result, {"kind": "mjs", "file": "app.mjs", "loadedAt": "top-level await",
                                  "requestId": request_id})

    def test_Handler_JsUnderPackageTypeModule_LoadedAsEsModule(self):
        _, result, _ = self.call(self.function("esm/mod/index.handler"))
        self.assertEqual(result, {"kind": "module-js", "isEsm": True})

    def test_Handler_Cjs_LoadedAsCommonJs(self):
        _, result, _ = self.call(self.function("lib/common.handler"))
        self.assertEqual(result, {"kind": "cjs", "isCjs": True})

    def test_Handler_ResolutionOrder_JsBeforeMjsBeforeCjs(self):
        _, result, _ = self.call(self.function("lib/order.handler"))
        self.assertEqual(result, "js wins")

    def test_Handler_NestedProperty_Resolved(self):
        _, result, _ = self.call(self.function("node.nested.deeper.handler"))
        self.assertEqual(result, "nested handler")

    def test_Callback_ResultAndContextDefaults(self):
        _, result, _ = self.call(self.function("node.callback"))
        # memoryLimitInMB is a string in AWS's Node context.
        self.assertEqual(result, {"style": "callback", "waits": True, "memory": "512"})

    def test_Callback_WaitsForEmptyEventLoop_TimerRunsFirst(self):
        _, result, _ = self.call(self.function("node.waitsForEventLoop"))
        self.assertEqual(result, {"timerRan": True})

    def test_Callback_DoesNotWaitForEmptyEventLoop_AnswersBeforeTimer(self):
        name = self.function("node.doesNotWait")
        _, first, _ = self.call(name, {"settleMs": 0})
        self.assertEqual(first, {"timerRan": False, "earlierTimersRan": 0})
        # The first invoke's timer stayed in the (warm) process and ran later.
        resp, second, _ = self.call(name, {"settleMs": 300}, LogType="Tail")
        self.assertEqual(second, {"timerRan": False, "earlierTimersRan": 1})
        self.assertNotIn("Init Duration", self.tail(resp))

    def test_Callback_Error_ReportedWithItsType(self):
        self.assert_error("node.callbackError", "TypeError", "callback failure")

    def test_Callback_StringError_TypeOfValue(self):
        _, document, _ = self.invoke_error("node.callbackString")
        self.assertEqual(document, {"errorType": "string", "errorMessage": "plain string failure", "trace": []})

    def test_Context_SucceedFailDone(self):
        self.assertEqual(self.call(self.function("node.succeed"))[1], {"via": "succeed"})
        self.assertEqual(self.call(self.function("node.done"))[1], {"via": "done"})
        self.assert_error("node.fail", "RangeError", "failed via context")

    def test_Callback_OnlyFirstCompletionCounts(self):
        name = self.function("node.firstCompletionWins")
        self.assertEqual(self.call(name)[1], "first")
        # The ignored completions posted nothing: the environment takes the next invoke normally.
        resp, result, _ = self.call(name, LogType="Tail")
        self.assertEqual(result, "first")
        self.assertNotIn("Init Duration", self.tail(resp))

    def test_NoCallbackNoPromise_NullWhenEventLoopEmpty(self):
        resp = self.lam.invoke(FunctionName=self.function("node.noResult"), Payload=b"{}")
        self.assertNotIn("FunctionError", resp)
        self.assertEqual(resp["Payload"].read(), b"null")

    def test_UnserializableResult_Error(self):
        self.assert_error("node.circular", "Error", "Unable to stringify response body")

    def test_UnhandledRejection_ReportedThenProcessExits(self):
        name = self.function("node.unhandledRejection")
        resp, document, request_id = self.invoke_error("node.unhandledRejection", LogType="Tail")
        self.assertEqual((document["errorType"], document["errorMessage"]),
                         ("Runtime.UnhandledPromiseRejection", "Error: rejected in the background"))
        self.assertEqual(document["trace"][0], "Runtime.UnhandledPromiseRejection: Error: rejected in the background")
        [(level, message)] = app_lines(self.tail(resp), request_id)
        self.assertEqual(level, "ERROR")
        self.assertTrue(message.startswith('Unhandled Promise Rejection \t{"errorType":"Runtime.UnhandledPromiseRejection",'
                                           '"errorMessage":"Error: rejected in the background","reason":{"errorType":"Error",'
                                           '"errorMessage":"rejected in the background","stack":["Error: rejected in the background",'),
                        message)
        # The process exited (status 128): a later invoke starts a new one.
        resp, document = self.next_cold_start(name)
        self.assertEqual(document["errorType"], "Runtime.UnhandledPromiseRejection")

    def test_UncaughtException_ReportedThenProcessExits(self):
        name = self.function("node.uncaughtInTimer")
        resp, document, request_id = self.invoke_error("node.uncaughtInTimer", LogType="Tail")
        self.assertEqual((document["errorType"], document["errorMessage"]), ("Error", "thrown from a timer"))
        [(level, message)] = app_lines(self.tail(resp), request_id)
        self.assertEqual(level, "ERROR")
        self.assertTrue(message.startswith('Uncaught Exception \t{"errorType":"Error","errorMessage":"thrown from a timer",'
                                           '"stack":["Error: thrown from a timer",'), message)
        resp, document = self.next_cold_start(name)
        self.assertEqual(document["errorMessage"], "thrown from a timer")

    def test_HandledError_InvokeErrorLogLine(self):
        resp, document, request_id = self.invoke_error("app.error", LogType="Tail")
        [(level, message)] = app_lines(self.tail(resp), request_id)
        self.assertEqual(level, "ERROR")
        # The log line carries the error's own enumerable properties (here `name`) and its stack as lines.
        self.assertTrue(message.startswith('Invoke Error \t{"errorType":"CustomError","errorMessage":"handled failure",'
                                           '"name":"CustomError","stack":["CustomError: handled failure","    at '),
                        message)

    def test_HandlerNotFound_AwsMessages(self):
        document = self.assert_error("app.nope", "Runtime.HandlerNotFound", "app.nope is undefined or not exported")
        self.assertEqual(document["trace"][0], "Runtime.HandlerNotFound: app.nope is undefined or not exported")
        self.assert_error("node.notAFunction", "Runtime.HandlerNotFound", "node.notAFunction is not a function")

    def test_ImportError_RequireStackMessage(self):
        _, document, _ = self.invoke_error("broken_import.handler")
        message = ("Error: Cannot find module 'does-not-exist-module'\nRequire stack:\n- /var/task/broken_import.js\n"
                   "- /var/runtime/index.mjs")
        self.assertEqual((document["errorType"], document["errorMessage"]), ("Runtime.ImportModuleError", message))
        self.assertEqual(document["trace"][:4], ["Runtime.ImportModuleError: Error: Cannot find module 'does-not-exist-module'",
                                                 "Require stack:", "- /var/task/broken_import.js", "- /var/runtime/index.mjs"])

    # A missing handler file is caught at creation (State Failed, docs/control-plane.md); AWS would create the
    # function and the runtime would report it at invoke.
    def test_MissingHandlerFile_FunctionFailedAtCreation(self):
        name = unique_name("nomod")
        self.lam.create_function(FunctionName=name, Role=ROLE, Runtime=RUNTIME, Handler="missing.handler",
                                 Code={"ZipFile": self._zip})
        config = wait_until(lambda: (c := self.lam.get_function_configuration(FunctionName=name))["State"] != "Pending" and c,
                            what="the state check")
        self.assertEqual((config["State"], config["StateReasonCode"], config["StateReason"]),
                         ("Failed", "InvalidConfiguration", "Cannot find module 'missing'"))

    def test_EsModuleImportError_NodeError(self):
        self.assert_error("esm/mod/broken.handler", "Error",
                          "Cannot find package 'not-a-package' imported from /var/task/esm/mod/broken.js")

    def test_SyntaxError_UserCodeSyntaxError(self):
        self.assert_error("lib/syntax.handler", "Runtime.UserCodeSyntaxError", "SyntaxError: Unexpected token ';'")

    def test_InitThrows_ErrorOfTheCode(self):
        self.assert_error("lib/throws.handler", "Error", "init failure")

    def test_MalformedHandlerName_NoDot(self):
        self.assert_error("nodot", "Runtime.MalformedHandlerName", "Bad handler")

    def test_MalformedHandlerName_RelativePath(self):
        self.assert_error("../app.echo", "Runtime.MalformedHandlerName",
                          "'../app.echo' is not a valid handler name. Use absolute paths when specifying root "
                          "directories in handler names.")

    def test_TextLog_UtilFormatAndNewlines(self):
        resp, result, request_id = self.call(self.function("node.formats"), LogType="Tail")
        self.assertEqual(result, "ok")
        lines = app_lines(self.tail(resp), request_id)
        self.assertEqual(lines[:4], [("INFO", "Bob is 42 years"), ("INFO", "multi\rline"),
                                     ("INFO", "{ nested: { a: [ 1, 2 ] } }"), ("TRACE", "trace marker")])
        self.assertEqual(lines[4][0], "ERROR")
        self.assertTrue(lines[4][1].startswith("failed: Error: logged error\r    at "), lines[4])
        self.assertEqual(len(lines), 5)

    def test_JsonLog_ObjectsAndErrors(self):
        name = self.function("node.formats", logging={"LogFormat": "JSON", "ApplicationLogLevel": "TRACE"})
        resp, _, request_id = self.call(name, LogType="Tail")
        records = [json.loads(line) for line in self.tail(resp).split("\n") if line.startswith('{"timestamp"')]
        self.assertEqual([(r["level"], r["message"]) for r in records[:4]], [
            ("INFO", "Bob is 42 years"), ("INFO", "multi\nline"), ("INFO", {"nested": {"a": [1, 2]}}),
            ("TRACE", "trace marker")])
        self.assertEqual({r["requestId"] for r in records}, {request_id})
        error = records[4]
        self.assertEqual(sorted(error), ["errorMessage", "errorType", "level", "message", "requestId", "stackTrace",
                                         "timestamp"])
        self.assertEqual((error["level"], error["errorType"], error["errorMessage"]), ("ERROR", "Error", "logged error"))
        self.assertTrue(error["message"].startswith("failed: Error: logged error\n    at "), error)
        self.assertEqual(error["stackTrace"][0], "Error: logged error")

    def test_JsonLog_LevelFiltersConsoleMethods(self):
        name = self.function("node.formats", logging={"LogFormat": "JSON", "ApplicationLogLevel": "ERROR"})
        resp, _, request_id = self.call(name, LogType="Tail")
        records = [json.loads(line) for line in self.tail(resp).split("\n") if line.startswith('{"timestamp"')]
        self.assertEqual([r["level"] for r in records], ["ERROR"])

    def test_Streaming_ChunksThroughInvoke(self):
        resp = self.lam.invoke(FunctionName=self.function("stream.chunks"),
                               Payload=json.dumps({"parts": ["hello ", "streamed ", "world"]}))
        self.assertNotIn("FunctionError", resp)
        self.assertEqual(resp["Payload"].read(), b"hello streamed world")

    def test_Streaming_Pipeline(self):
        resp = self.lam.invoke(FunctionName=self.function("stream.piped"), Payload=b"{}")
        self.assertEqual(resp["Payload"].read(), b"abc")

    def test_Streaming_HttpResponseStreamPrelude(self):
        resp = self.lam.invoke(FunctionName=self.function("stream.http"), Payload=b"{}")
        self.assertEqual(resp["Payload"].read(), b'{"statusCode":201,"headers":{"x-a":"b"}}' + b"\0" * 8 + b"body")

    def test_Streaming_FailureMidway_ErrorFromTrailers(self):
        resp, document, request_id = self.invoke_error("stream.failsMidway", LogType="Tail")
        self.assertEqual((document["errorType"], document["errorMessage"]), ("Error", "stream failure"))
        self.assertEqual(document["trace"][0], "Error: stream failure")
        [(level, message)] = app_lines(self.tail(resp), request_id)
        self.assertTrue(message.startswith('Invoke Error \t{"errorType":"Error","errorMessage":"stream failure"'), message)

    def test_Streaming_UncaughtExceptionWhileOpen_ErrorThenExit(self):
        name = self.function("stream.uncaughtWhileStreaming")
        _, document, _ = self.invoke_error("stream.uncaughtWhileStreaming")
        self.assertEqual((document["errorType"], document["errorMessage"]), ("Error", "thrown while streaming"))
        _, document = self.next_cold_start(name)
        self.assertEqual(document["errorMessage"], "thrown while streaming")

    def test_Streaming_NonAsyncHandler_Rejected(self):
        _, document, _ = self.invoke_error("stream.notAsync")
        self.assertEqual(document, {"errorType": "string", "errorMessage": "Streaming does not support non-async handlers.",
                                    "trace": []})

    def test_Interpreter_NodePathAndHeapFlags(self):
        _, result, _ = self.call(self.function("node.nodePath"))
        self.assertEqual(result["nodePath"], "/opt/nodejs/node20/node_modules:/opt/nodejs/node_modules:"
                                             "/var/runtime/node_modules:/var/runtime:/var/task")
        # 90 % of 512 MB for the old space, like AWS's bootstrap (memory - memory/10).
        self.assertEqual(result["execArgv"], ["--expose-gc", "--max-http-header-size", "81920", "--max-old-space-size=460"])
        self.assertEqual(result["argv"][1:], ["/var/runtime/index.js"])

    def test_Layers_PackageFromLayer_LaterLayerOverrides(self):
        arns = []
        for value in ("from layer one", "from layer two"):
            content = make_zip({"nodejs/node_modules/mylib/index.js": f"module.exports = {{ value: {value!r} }};\n"})
            arns.append(self.lam.publish_layer_version(LayerName=unique_name("nodelib"), Content={"ZipFile": content},
                                                       CompatibleRuntimes=[RUNTIME])["LayerVersionArn"])
        # ES module resolution ignores NODE_PATH; the runtime resolves bare specifiers in the layers' node_modules
        # as AWS's Node 18+ runtimes do.
        cases = (([arns[0]], "node.layerLib", "from layer one"), (arns, "node.layerLib", "from layer two"),
                 (arns, "esm/layer.handler", "from layer two"), (arns, "esm/layer.callbackHandler", "from layer two"))
        for layers, handler, expected in cases:
            name = unique_name("nodelayer")
            self.lam.create_function(FunctionName=name, Role=ROLE, Runtime=RUNTIME, Handler=handler,
                                     MemorySize=512, Timeout=10, Code={"ZipFile": self._zip}, Layers=layers)
            self.lam.get_waiter("function_active_v2").wait(FunctionName=name, WaiterConfig={"Delay": 0.2, "MaxAttempts": 300})
            _, result, _ = self.call(name)
            self.assertEqual(result, expected, handler)

    def test_Layers_NoLayer_ModuleNotFound(self):
        self.assert_error("node.layerLib", "Error",
                          "Cannot find module 'mylib'\nRequire stack:\n- /var/task/node.js\n- /var/runtime/index.mjs")
        self.assert_error("esm/layer.handler", "Error", "Cannot find package 'mylib' imported from /var/task/esm/layer.mjs")


class NodejsRuntimeClientUnitTests(unittest.TestCase):
    """The client's wire format against a stub Runtime API (runtimes/nodejs/test/, node:test)."""

    def test_RuntimeClient_NodeUnitTests_Pass(self):
        result = subprocess.run(["node", "--test", RUNTIME_TESTS_DIR], capture_output=True, text=True, timeout=120)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("# pass 7\n", result.stdout)
        self.assertIn("# fail 0\n", result.stdout)


if __name__ == "__main__":
    unittest.main()
