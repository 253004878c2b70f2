"""Kindling's .NET runtime (runtimes/dotnet, docs/runtime-dotnet.md) through the real server and sandboxes: the
shared conformance suite plus what is particular to .NET (handler shapes, serializers, executable assemblies, AWS's
handler-loading errors, log formats).

The functions are runtimes/tests/conformance/dotnet (class library `Conformance`) and dotnet-exe (executable
assembly `ConformanceExe`), published by `./kindling test` into artifacts/test-bootstraps/conformance-dotnet[-exe].
"""
import base64
import json
import os
import re
import unittest

from conformance import ISO_MS_RE, REQUEST_ID_RE, RuntimeConformance
from harness import ROLE, ServerTestCase, make_zip, unique_name

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
ARTIFACTS = os.path.join(ROOT, "artifacts", "test-bootstraps")
ISO = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z"


def zip_directory(path: str) -> bytes:
    files = {}
    for base, _, names in os.walk(path):
        for name in names:
            if name == ".built":
                continue
            full = os.path.join(base, name)
            with open(full, "rb") as f:
                files[os.path.relpath(full, path)] = f.read()
    return make_zip(files)


def specific(name: str) -> str:
    return f"Conformance::Conformance.DotnetFunctions::{name}"


class DotnetConformance(RuntimeConformance, ServerTestCase):
    RUNTIME = "dotnet10"
    UNCAUGHT_ERROR_TYPE = "NullReferenceException"
    # AWS's .NET runtime reports handler-loading failures as LambdaValidationException (tested word for word below).
    # The control plane already refuses a package without the handler's assembly (the function becomes Failed), so
    # the assembly that cannot be found is the classic mistake of naming its file: "Conformance.dll::…".
    IMPORT_ERROR_HANDLER = "Conformance.dll::Conformance.Functions::Echo"
    IMPORT_ERROR_TYPE = "LambdaValidationException"
    HANDLER_NOT_FOUND_HANDLER = "Conformance::Conformance.Functions::Nope"
    HANDLER_NOT_FOUND_TYPE = "LambdaValidationException"
    JSON_WARN_LEVEL = "Warning"
    JSON_ERROR_LEVEL = "Error"

    @classmethod
    def package(cls) -> bytes:
        return zip_directory(os.path.join(ARTIFACTS, "conformance-dotnet"))

    def handler(self, name: str) -> str:
        return f"Conformance::Conformance.Functions::{name[0].upper()}{name[1:]}"

    def check_error_document(self, document: dict, request_id: str) -> None:
        self.assertEqual(list(document)[:2], ["errorType", "errorMessage"])
        frames = document["stackTrace"]
        self.assertTrue(frames and all(isinstance(f, str) and f.startswith("at ") for f in frames), frames)
        self.assertTrue(frames[0].startswith("at Conformance.Functions."), frames)

    def check_text_log(self, log: str, request_id: str) -> None:
        lines = log.splitlines()
        for label, message in (("info", "print marker"), ("info", "info marker"), ("warn", "warn marker"),
                               ("fail", "error marker")):
            pattern = re.compile(f"^{ISO}\t{re.escape(request_id)}\t{label}\t{re.escape(message)}$")
            self.assertTrue(any(pattern.match(line) for line in lines), f"{label} {message!r} in:\n{log}")
        # The default minimum level is Information.
        self.assertNotIn("debug marker", log)

    def check_json_log(self, records: list[dict], log: str, request_id: str) -> None:
        # AWS's .NET runtime names levels in full ("Warning", "Error") and adds the trace id.
        application = [r for r in records if r.get("requestId") == request_id and "message" in r]
        self.assertEqual([(r["level"], r["message"]) for r in application],
                         [("Warning", "warn marker"), ("Error", "error marker")], log)
        for record in application:
            self.assertEqual(list(record), ["timestamp", "level", "requestId", "traceId", "message"])
            self.assertRegex(record["timestamp"], ISO_MS_RE)
            self.assertTrue(record["traceId"].startswith("Root=1-"), record)
        self.assertNotIn("print marker", log)

    # .NET specifics ----------------------------------------------------------------------------------------------
    def invoke_raw(self, name: str, payload: bytes, **kwargs) -> tuple[dict, bytes]:
        resp = self.lam.invoke(FunctionName=name, Payload=payload, **kwargs)
        return resp, resp["Payload"].read()

    def test_Dotnet_StreamHandler_BytesInAndOutWithoutSerializer(self):
        resp, raw = self.invoke_raw(self.function(specific("Reverse")), b'{"abc": 1}')
        self.assertNotIn("FunctionError", resp)
        self.assertEqual(raw, b'}1 :"cba"{')

    def test_Dotnet_PocoHandler_AssemblySerializerAndContext(self):
        _, result, request_id = self.call(self.function(specific("Order")), {"item": "apple", "quantity": 2})
        self.assertEqual(result, {"Summary": "2 x apple", "Total": 6, "RequestId": request_id})

    def test_Dotnet_MethodSerializerAttribute_WinsOverAssemblyOne(self):
        _, result, _ = self.call(self.function(specific("Shout")), {"Item": "apple", "Quantity": 2})
        self.assertEqual(result, {"SUMMARY": "APPLE", "TOTAL": 2, "REQUESTID": ""})

    def test_Dotnet_AsyncTaskOfT_ResultSerialized(self):
        _, result, _ = self.call(self.function(specific("GreetAsync")), {"name": "kindling"})
        self.assertEqual(result, {"greeting": "hello kindling"})

    def test_Dotnet_AsyncTaskThatThrows_ErrorOfTheException(self):
        resp, document, request_id = self.call(self.function(specific("FailAsync")))
        self.assert_function_error(resp, document, "InvalidOperationException", request_id)
        self.assertEqual(document["errorMessage"], "async failure")

    def test_Dotnet_VoidHandler_EmptyResponse(self):
        resp, raw = self.invoke_raw(self.function(specific("Nothing")), b"{}")
        self.assertNotIn("FunctionError", resp)
        self.assertEqual(raw, b"")

    def test_Dotnet_InnerException_ReportedAsCause(self):
        resp, document, request_id = self.call(self.function(specific("Wrapped")))
        self.assert_function_error(resp, document, "InvalidOperationException", request_id)
        self.assertEqual(document["errorMessage"], "outer problem")
        self.assertEqual(document["cause"]["errorType"], "FormatException")
        self.assertEqual(document["cause"]["errorMessage"], "inner problem")
        self.assertTrue(document["cause"]["stackTrace"][0].startswith("at Conformance.DotnetFunctions.Wrapped()"))

    def test_Dotnet_InstanceHandler_ConstructedOncePerEnvironment(self):
        name = self.function("Conformance::Conformance.InstanceFunction::Handle")
        results = [self.call(name)[1] for _ in range(3)]
        self.assertEqual(results, [{"constructed": 1, "calls": 1}, {"constructed": 1, "calls": 2},
                                   {"constructed": 1, "calls": 3}])

    def test_Dotnet_ConstructorThrows_InitErrorWithTheExceptionAsCause(self):
        # As on AWS: the handler type is built with Activator, which wraps the constructor's exception.
        resp, document, request_id = self.call(self.function("Conformance::Conformance.FailingConstructor::Handle"))
        self.assert_function_error(resp, document, "TargetInvocationException", request_id)
        self.assertEqual(document["errorMessage"], "Exception has been thrown by the target of an invocation.")
        self.assertEqual(document["cause"]["errorType"], "InvalidOperationException")
        self.assertEqual(document["cause"]["errorMessage"], "no configuration")

    def test_Dotnet_ExecutableAssembly_RunsItsOwnLoop(self):
        name = unique_name("exe")
        self.create_function(name, Runtime=self.RUNTIME, Handler="ConformanceExe", MemorySize=self.MEMORY_MB,
                             zip_bytes=zip_directory(os.path.join(ARTIFACTS, "conformance-dotnet-exe")))
        _, first, request_id = self.call(name, {"n": 1})
        _, second, _ = self.call(name, {"n": 2})
        # Built for .NET 8, it rolls forward to the host's .NET; its cultures come from the host's ICU.
        self.assertRegex(first.pop("runtime"), r"^10\.0\.\d+$")
        self.assertEqual(first, {"exe": True, "event": {"n": 1}, "requestId": request_id, "count": 1,
                                 "decimalSeparator": ","})
        self.assertEqual(second["count"], 2)

    def test_Dotnet_PackageWithoutDepsOrRuntimeConfig_AssembliesFromTaskRoot(self):
        directory = os.path.join(ARTIFACTS, "conformance-dotnet")
        files = {}
        for file in ("Conformance.dll", "Amazon.Lambda.Core.dll"):
            with open(os.path.join(directory, file), "rb") as f:
                files[file] = f.read()
        name = unique_name("nodeps")
        self.create_function(name, Runtime=self.RUNTIME, Handler=specific("GreetAsync"), MemorySize=self.MEMORY_MB,
                             zip_bytes=make_zip(files))
        _, result, _ = self.call(name, {"name": "bare"})
        self.assertEqual(result, {"greeting": "hello bare"})

    def assert_load_error(self, handler: str, message: str) -> None:
        resp, document, request_id = self.call(self.function(handler))
        self.assert_function_error(resp, document, "LambdaValidationException", request_id)
        self.assertEqual(document["errorMessage"], message)

    def test_Dotnet_MissingAssembly_AwsMessage(self):
        self.assert_load_error("Conformance.dll::Conformance.Functions::Echo",
                               "Could not find the specified handler assembly with the file name "
                               "'Conformance.dll, Culture=neutral, PublicKeyToken=null'. The assembly should be located in the "
                               "root of your uploaded .zip file.")

    def test_Dotnet_MissingType_AwsMessage(self):
        self.assert_load_error("Conformance::Conformance.Nope::Handler",
                               "Unable to load type 'Conformance.Nope' from assembly 'Conformance'.")

    def test_Dotnet_MissingMethod_AwsMessage(self):
        self.assert_load_error("Conformance::Conformance.Functions::Nope",
                               "Unable to find method 'Nope' in type 'Conformance.Functions' from assembly "
                               "'Conformance': Found no methods matching method name 'Nope'.")

    def test_Dotnet_MalformedHandler_AwsMessage(self):
        self.assert_load_error("Conformance::Conformance.Functions",
                               "Invalid lambda function handler: 'Conformance::Conformance.Functions'. "
                               "The valid format is 'ASSEMBLY::TYPE::METHOD'.")

    def test_Dotnet_SecondParameterNotContext_AwsMessage(self):
        self.assert_load_error(specific("TwoStrings"),
                               "Method 'TwoStrings' of type 'Conformance.DotnetFunctions' is not supported: the method "
                               "has 2 parameters, but the second parameter is not of type "
                               "'Amazon.Lambda.Core.ILambdaContext'.")

    def test_Dotnet_OverloadedMethod_AwsMessage(self):
        self.assert_load_error(specific("Overloaded"),
                               "The method 'Overloaded' in type 'Conformance.DotnetFunctions' appears to have a number "
                               "of overloads. To call this method please specify a complete method signature. Possible "
                               "candidates are:\nSystem.String Overloaded(System.IO.Stream)\n"
                               "System.String Overloaded(System.IO.Stream, Amazon.Lambda.Core.ILambdaContext).")

    def test_Dotnet_TextLogging_LevelsStderrAndStaticLogger(self):
        resp, result, request_id = self.call(self.function(specific("Logs")), LogType="Tail")
        self.assertEqual(result, "ok")
        log = self.tail(resp)
        prefix = f"{ISO}\t{re.escape(request_id)}\t"
        for expected in (prefix + "info\tbought 3 of apples",
                         prefix + "warn\tcareful",
                         prefix + "fail\tfailed checkout\nSystem.InvalidOperationException: bad thing",
                         prefix + "info\tplain line",
                         prefix + "fail\tto stderr",
                         prefix + "static logger"):
            self.assertRegex(log, re.compile("^" + expected + "$", re.M))
        self.assertNotIn("debug detail", log)

    def test_Dotnet_JsonLogging_TemplatePropertiesAndException(self):
        name = self.function(specific("Logs"), logging={"LogFormat": "JSON", "ApplicationLogLevel": "DEBUG"})
        resp, result, request_id = self.call(name, LogType="Tail")
        self.assertEqual(result, "ok")
        records = [json.loads(line) for line in self.tail(resp).splitlines() if line.startswith("{")]
        mine = [r for r in records if r.get("requestId") == request_id and "message" in r]
        for record in mine:
            self.assertRegex(record.pop("timestamp"), ISO_MS_RE)
            self.assertTrue(record.pop("traceId").startswith("Root=1-"))
            record.pop("requestId")
        error = mine[3]
        self.assertTrue(error.pop("stackTrace")[0].startswith("System.InvalidOperationException: bad thing"))
        self.assertEqual(mine, [
            {"level": "Information", "message": "bought 3 of apples", "count": 3, "item": "apples"},
            {"level": "Debug", "message": "debug detail"},
            {"level": "Warning", "message": "careful"},
            {"level": "Error", "message": "failed checkout", "step": "checkout",
             "errorType": "System.InvalidOperationException", "errorMessage": "bad thing"},
            {"level": "Information", "message": "plain line"},
            {"level": "Error", "message": "to stderr"},
            {"level": "Information", "message": "static logger"},
        ])


if __name__ == "__main__":
    unittest.main()
