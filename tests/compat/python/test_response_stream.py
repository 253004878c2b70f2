"""InvokeWithResponseStream through boto3 (AWS's event stream framing, PayloadChunk and InvokeComplete events) with
Node functions using awslambda.streamifyResponse, and a plain function."""
import base64
import json

from harness import ROLE, ServerTestCase, make_zip, unique_name
from test_runtime_nodejs import RUNTIME, handlers_zip


class ResponseStreamTests(ServerTestCase):

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls._zip = handlers_zip()
        cls._functions: dict[str, str] = {}

    def function(self, handler: str) -> str:
        if handler not in self._functions:
            name = unique_name("stream")
            self.lam.create_function(FunctionName=name, Role=ROLE, Runtime=RUNTIME, Handler=handler, MemorySize=512,
                                     Timeout=10, Code={"ZipFile": self._zip})
            self.lam.get_waiter("function_active_v2").wait(FunctionName=name, WaiterConfig={"Delay": 0.2, "MaxAttempts": 300})
            self._functions[handler] = name
        return self._functions[handler]

    def stream(self, name: str, payload: bytes = b"{}", **kwargs) -> tuple[dict, bytes, list[dict]]:
        resp = self.lam.invoke_with_response_stream(FunctionName=name, Payload=payload, **kwargs)
        body, completes = b"", []
        for event in resp["EventStream"]:
            if "PayloadChunk" in event:
                self.assertEqual(completes, [], "no chunk after InvokeComplete")
                body += event["PayloadChunk"]["Payload"]
            elif "InvokeComplete" in event:
                completes.append(event["InvokeComplete"])
        self.assertEqual(len(completes), 1, "exactly one InvokeComplete ends the stream")
        return resp, body, completes

    def test_InvokeWithResponseStream_StreamingHandler_ChunksThenComplete(self):
        resp, body, [complete] = self.stream(self.function("stream.chunks"), b'{"parts": ["hello ", "streaming ", "world"]}')
        self.assertEqual(resp["StatusCode"], 200)
        self.assertEqual(resp["ExecutedVersion"], "$LATEST")
        # botocore reads ResponseStreamContentType from Content-Type: the event stream framing.
        self.assertEqual(resp["ResponseStreamContentType"], "application/vnd.amazon.eventstream")
        self.assertEqual(body, b"hello streaming world")
        self.assertEqual(complete, {})

    def test_InvokeWithResponseStream_LargeBody_SplitIntoChunksInOrder(self):
        parts = [f"{i:06d}" + "x" * 994 for i in range(300)]

        _, body, _ = self.stream(self.function("stream.chunks"), json.dumps({"parts": parts}).encode())
        self.assertEqual(body, "".join(parts).encode())

    def test_InvokeWithResponseStream_PlainHandler_WholeResponse(self):
        _, body, [complete] = self.stream(self.function("app.echo"), b'{"a": [1, 2]}')
        self.assertEqual(body, b'{"a":[1,2]}')
        self.assertEqual(complete, {})

    def test_InvokeWithResponseStream_FunctionError_InInvokeComplete(self):
        # What was streamed before the failure has reached the caller; the error ends the stream.
        _, body, [complete] = self.stream(self.function("stream.failsMidway"))
        self.assertEqual(body, b"partial")
        self.assertEqual(complete.get("ErrorCode"), "Error")
        self.assertEqual(complete.get("ErrorDetails"), "stream failure")

    def test_InvokeWithResponseStream_TailLog_LogResultInInvokeComplete(self):
        resp, _, [complete] = self.stream(self.function("app.echo"), LogType="Tail")
        log = base64.b64decode(complete["LogResult"]).decode()
        self.assertIn(f"START RequestId: {resp['ResponseMetadata']['RequestId']} Version: $LATEST", log)

    def test_InvokeWithResponseStream_EventType_ValidationException(self):
        self.assert_client_error(
            self.lam.invoke_with_response_stream, 400, "ValidationException",
            message="1 validation error detected: Value 'Event' at 'invocationType' failed to satisfy constraint: "
                    "Member must satisfy enum value set: [RequestResponse, DryRun]",
            FunctionName=self.function("app.echo"), InvocationType="Event", Payload=b"{}")

    def test_InvokeWithResponseStream_UnknownFunction_ResourceNotFound(self):
        self.assert_client_error(self.lam.invoke_with_response_stream, 404, "ResourceNotFoundException",
                                 FunctionName=unique_name("missing"), Payload=b"{}")

    def test_InvokeWithResponseStream_DryRun_204WithoutStream(self):
        resp = self.lam.invoke_with_response_stream(FunctionName=self.function("app.echo"), InvocationType="DryRun",
                                                    Payload=b"{}")
        self.assertEqual(resp["StatusCode"], 204)

    def test_InvokeWithResponseStream_ChunksGoOutAsWritten_BeforeTheFunctionEnds(self):
        # The function writes a chunk and never finishes: the chunk reaches the caller anyway (it was forwarded as
        # the runtime posted it), then the timeout ends the stream.
        name = unique_name("stream")
        code = make_zip({"index.js": "exports.handler = awslambda.streamifyResponse(async (event, stream) => {\n"
                                     "  stream.write('first chunk');\n"
                                     "  await new Promise(() => {});\n"
                                     "});\n"})
        self.lam.create_function(FunctionName=name, Role=ROLE, Runtime=RUNTIME, Handler="index.handler", MemorySize=512,
                                 Timeout=2, Code={"ZipFile": code})
        self.lam.get_waiter("function_active_v2").wait(FunctionName=name, WaiterConfig={"Delay": 0.2, "MaxAttempts": 300})
        _, body, [complete] = self.stream(name)
        self.assertEqual(body, b"first chunk")
        self.assertEqual(complete.get("ErrorCode"), "Sandbox.Timedout")
        self.assertRegex(complete.get("ErrorDetails", ""), r"^RequestId: \S+ Error: Task timed out after 2\.00 seconds$")

    def test_InvokeWithResponseStream_SynchronousInvokeOfStreamingHandler_WholeBody(self):
        resp = self.lam.invoke(FunctionName=self.function("stream.chunks"), Payload=b'{"parts": ["a", "b"]}')
        self.assertEqual(resp["Payload"].read(), b"ab")

