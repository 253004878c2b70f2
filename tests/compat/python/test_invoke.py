"""Invoke through the real server, real sandboxes and real runtimes, driven by boto3 and AWS CLI v2.

The bootstraps under runtimes/tests are the custom runtimes issue 3 names: AWS's shell-and-curl tutorial
runtime, a C# NativeAOT runtime, and the official Node `aws-lambda-ric`. `./kindling test` builds the last two
into artifacts/test-bootstraps before the suites run.
"""
import base64
import json
import os
import re
import subprocess
import unittest

from harness import ROLE, ServerTestCase, make_zip, unique_name

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
TUTORIAL = os.path.join(ROOT, "runtimes", "tests", "tutorial")
ARTIFACTS = os.path.join(ROOT, "artifacts", "test-bootstraps")

# A bootstrap that answers with what the Runtime API told it (headers and event), for contract checks.
INTROSPECT = r"""#!/bin/bash
set -eu
API="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
while true; do
  H="$(mktemp)"
  EVENT=$(curl -sS -D "$H" "$API/invocation/next")
  ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id "$H" | tr -d '[:space:]' | cut -d: -f2)
  header() { grep -Fi "$1:" "$H" | head -1 | cut -d: -f2- | sed 's/^ *//' | tr -d '\r\n'; }
  CC=$(header Lambda-Runtime-Client-Context)
  if [ -z "$CC" ]; then CC=null; fi
  TMPCOUNT=$(($(cat /tmp/count 2>/dev/null || echo 0) + 1)); echo $TMPCOUNT > /tmp/count
  echo "handling $ID"
  case "$EVENT" in
    *sleep*) sleep 5 ;;
    *exit*) exit 3 ;;
  esac
  BODY=$(printf '{"requestId":"%s","arn":"%s","trace":"%s","clientContext":%s,"count":%s,"event":%s,"fn":"%s","version":"%s","mem":"%s"}' \
    "$ID" "$(header Lambda-Runtime-Invoked-Function-Arn)" "$(header Lambda-Runtime-Trace-Id)" "$CC" "$TMPCOUNT" "$EVENT" \
    "$AWS_LAMBDA_FUNCTION_NAME" "$AWS_LAMBDA_FUNCTION_VERSION" "$AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
  curl -sS -o /dev/null -X POST "$API/invocation/$ID/response" -d "$BODY"
done
"""

NODE_HANDLER = """exports.handler = async (event, context) => {
  return { node: process.version, echo: event, requestId: context.awsRequestId, fn: context.functionName };
};
"""

NODE_BOOTSTRAP = """#!/bin/sh
cd "$LAMBDA_TASK_ROOT"
exec /usr/bin/node "$LAMBDA_TASK_ROOT/node_modules/aws-lambda-ric/bin/index.mjs" "$_HANDLER"
"""


def tutorial_zip() -> bytes:
    with open(os.path.join(TUTORIAL, "bootstrap"), "rb") as f:
        bootstrap = f.read()
    with open(os.path.join(TUTORIAL, "function.sh"), "rb") as f:
        function = f.read()
    return make_zip({"bootstrap": bootstrap, "function.sh": function}, executable=("bootstrap",))


def zip_directory(path: str, executable: tuple[str, ...]) -> bytes:
    files = {}
    for base, _, names in os.walk(path):
        for name in names:
            full = os.path.join(base, name)
            with open(full, "rb") as f:
                files[os.path.relpath(full, path)] = f.read()
    return make_zip(files, executable=executable)


def decode_log(resp) -> str:
    return base64.b64decode(resp["LogResult"]).decode()


class InvokeTests(ServerTestCase):

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.tutorial = unique_name("tutorial")
        cls._create(cls.tutorial, tutorial_zip(), handler="function.handler")
        # 512 MB (0.29 vCPU) and 10 s keep the bash+curl runtime well inside its timeout on a loaded machine;
        # the timeout test has its own function with a 1 s timeout.
        cls.introspect = unique_name("introspect")
        cls._create(cls.introspect, make_zip({"bootstrap": INTROSPECT}, executable=("bootstrap",)), timeout=10, memory=512)
        cls.sleepy = unique_name("sleepy")
        cls._create(cls.sleepy, make_zip({"bootstrap": INTROSPECT}, executable=("bootstrap",)), timeout=1, memory=512)

    @classmethod
    def _create(cls, name: str, code: bytes, handler: str = "bootstrap", timeout: int = 3, runtime: str = "provided.al2023",
                memory: int = 128) -> None:
        cls.lam.create_function(FunctionName=name, Role=ROLE, Runtime=runtime, Handler=handler, Timeout=timeout,
                                MemorySize=memory, Code={"ZipFile": code})
        cls.lam.get_waiter("function_active_v2").wait(FunctionName=name, WaiterConfig={"Delay": 0.2, "MaxAttempts": 300})

    def invoke(self, name: str, payload: dict | str = None, **kwargs) -> tuple[dict, bytes]:
        body = payload if isinstance(payload, str) else json.dumps(payload if payload is not None else {})
        resp = self.lam.invoke(FunctionName=name, Payload=body, **kwargs)
        return resp, resp["Payload"].read()

    def test_Invoke_TutorialBootstrap_ReturnsHandlerResponse(self):
        resp, body = self.invoke(self.tutorial, {"key": "value"})
        self.assertEqual(resp["StatusCode"], 200)
        self.assertEqual(resp["ExecutedVersion"], "$LATEST")
        self.assertNotIn("FunctionError", resp)
        self.assertEqual(json.loads(body), {"statusCode": 200, "body": "Hello from Lambda!"})

    def test_Invoke_TailLog_StartEndReportFramed(self):
        resp, _ = self.invoke(self.tutorial, {"a": 1}, LogType="Tail")
        request_id = resp["ResponseMetadata"]["RequestId"]
        log = decode_log(resp)
        self.assertIn(f"START RequestId: {request_id} Version: $LATEST\n", log)
        self.assertIn(f"END RequestId: {request_id}\n", log)
        report = re.search(rf"REPORT RequestId: {request_id}\tDuration: (\d+\.\d\d) ms\tBilled Duration: (\d+) ms\t"
                           rf"Memory Size: 128 MB\tMax Memory Used: (\d+) MB\t(Init Duration: \d+\.\d\d ms\t)?\n", log)
        self.assertIsNotNone(report, log)
        self.assertGreaterEqual(int(report.group(2)), float(report.group(1)))
        self.assertGreater(int(report.group(3)), 0)

    def test_Invoke_RuntimeApiHeadersAndEnvironment_ReachTheFunction(self):
        context = {"custom": {"k": "v"}, "env": {"e": "1"}}
        resp, body = self.invoke(self.introspect, {"x": [1, 2]},
                                 ClientContext=base64.b64encode(json.dumps(context).encode()).decode())
        result = json.loads(body)
        self.assertEqual(result["requestId"], resp["ResponseMetadata"]["RequestId"])
        self.assertEqual(result["event"], {"x": [1, 2]})
        self.assertEqual(result["arn"], f"arn:aws:lambda:us-east-1:000000000000:function:{self.introspect}")
        self.assertEqual(result["clientContext"], context)
        self.assertRegex(result["trace"], r"^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$")
        self.assertEqual((result["fn"], result["version"], result["mem"]), (self.introspect, "$LATEST", "512"))

    def test_Invoke_WarmEnvironment_KeepsTmp(self):
        resp, first = self.invoke(self.introspect, {})
        self.assertNotIn("FunctionError", resp, first)
        resp, second = self.invoke(self.introspect, {})
        self.assertNotIn("FunctionError", resp, second)
        self.assertEqual(json.loads(second)["count"], json.loads(first)["count"] + 1)

    def test_Invoke_Timeout_SandboxTimedoutAndEnvironmentReset(self):
        self.invoke(self.sleepy, {})
        resp, body = self.invoke(self.sleepy, {"sleep": True})
        request_id = resp["ResponseMetadata"]["RequestId"]
        self.assertEqual(resp["FunctionError"], "Unhandled")
        self.assertEqual(json.loads(body), {"errorType": "Sandbox.Timedout",
                                            "errorMessage": f"RequestId: {request_id} Error: Task timed out after 1.00 seconds"})
        _, after = self.invoke(self.sleepy, {})
        self.assertEqual(json.loads(after)["count"], 1, "a timed-out environment is reset: /tmp starts empty")

    def test_Invoke_RuntimeExits_RuntimeExitError(self):
        resp, body = self.invoke(self.introspect, {"exit": True})
        request_id = resp["ResponseMetadata"]["RequestId"]
        self.assertEqual(resp["FunctionError"], "Unhandled")
        error = json.loads(body)
        self.assertEqual(error["errorType"], "Runtime.ExitError")
        self.assertTrue(error["errorMessage"].startswith(f"RequestId: {request_id} Error: Runtime exited"), error)

    def test_Invoke_Qualifiers_ExecutedVersionReported(self):
        name = unique_name("qual")
        self._create(name, make_zip({"bootstrap": INTROSPECT}, executable=("bootstrap",)))
        version = self.lam.publish_version(FunctionName=name)["Version"]
        self.lam.create_alias(FunctionName=name, Name="live", FunctionVersion=version)
        resp, body = self.invoke(name, {}, Qualifier="live")
        self.assertEqual(resp["ExecutedVersion"], version)
        self.assertEqual(json.loads(body)["version"], version)
        self.assertEqual(json.loads(body)["arn"], f"arn:aws:lambda:us-east-1:000000000000:function:{name}:live")
        resp, _ = self.invoke(f"{name}:{version}", {})
        self.assertEqual(resp["ExecutedVersion"], version)

    def test_Invoke_DryRun_Returns204(self):
        resp, body = self.invoke(self.tutorial, {}, InvocationType="DryRun")
        self.assertEqual(resp["StatusCode"], 204)
        self.assertEqual(body, b"")

    def test_Invoke_NotJson_InvalidRequestContent(self):
        resp = self.assert_client_error(self.lam.invoke, 400, "InvalidRequestContentException", FunctionName=self.tutorial,
                                        Payload=b"not json")
        self.assertTrue(resp["Error"]["Message"].startswith("Could not parse request body into json: "))

    def test_Invoke_PayloadOver6MB_RequestTooLarge(self):
        payload = json.dumps({"x": "a" * (6 * 1024 * 1024)})
        self.assert_client_error(self.lam.invoke, 413, "RequestTooLargeException",
                                 "Request must be smaller than 6291456 bytes for the InvokeFunction operation",
                                 FunctionName=self.tutorial, Payload=payload)

    def test_Invoke_UnknownFunction_NotFound(self):
        name = unique_name("missing")
        self.assert_client_error(self.lam.invoke, 404, "ResourceNotFoundException",
                                 f"Function not found: arn:aws:lambda:us-east-1:000000000000:function:{name}",
                                 FunctionName=name, Payload=b"{}")

    def test_Invoke_FailedFunction_Conflict(self):
        name = unique_name("failed")
        self.lam.create_function(FunctionName=name, Role=ROLE, Runtime="provided.al2023", Handler="x",
                                 Code={"ZipFile": make_zip({"other.txt": "no bootstrap"})})
        with self.assertRaises(Exception):
            self.lam.get_waiter("function_active_v2").wait(FunctionName=name, WaiterConfig={"Delay": 0.2, "MaxAttempts": 50})
        self.assert_client_error(self.lam.invoke, 409, "ResourceConflictException",
                                 "The operation cannot be performed at this time. The function is currently in the following state: Failed",
                                 FunctionName=name, Payload=b"{}")

    def test_Invoke_AotBootstrap_EchoAndFunctionError(self):
        path = os.path.join(ARTIFACTS, "aot", "bootstrap")
        self.assertTrue(os.path.exists(path), f"{path} is built by ./kindling test")
        with open(path, "rb") as f:
            code = make_zip({"bootstrap": f.read()}, executable=("bootstrap",))
        name = unique_name("aot")
        self._create(name, code)
        resp, body = self.invoke(name, {"hello": "aot"})
        result = json.loads(body)
        self.assertEqual(result["echo"], {"hello": "aot"})
        self.assertEqual(result["requestId"], resp["ResponseMetadata"]["RequestId"])
        self.assertEqual(result["function"], name)
        resp, body = self.invoke(name, {"fail": True})
        self.assertEqual(resp["FunctionError"], "Unhandled")
        self.assertEqual(json.loads(body), {"errorMessage": "asked to fail", "errorType": "TestError", "stackTrace": []})

    def test_Invoke_NodeRuntimeInterfaceClient_UnmodifiedHandler(self):
        modules = os.path.join(ARTIFACTS, "node-ric", "node_modules")
        self.assertTrue(os.path.isdir(os.path.join(modules, "aws-lambda-ric")), f"{modules} is built by ./kindling test")
        files = {"index.js": NODE_HANDLER, "bootstrap": NODE_BOOTSTRAP}
        for base, _, names in os.walk(modules):
            for file in names:
                full = os.path.join(base, file)
                if os.path.islink(full):
                    continue
                with open(full, "rb") as f:
                    files[os.path.relpath(full, os.path.dirname(modules))] = f.read()
        executables = tuple(n for n in files if n == "bootstrap" or n.endswith(".mjs") or n.endswith(".node"))
        name = unique_name("ric")
        self._create(name, make_zip(files, executable=executables), handler="index.handler", memory=256)
        resp, body = self.invoke(name, {"from": "ric"})
        result = json.loads(body)
        self.assertEqual(result["echo"], {"from": "ric"})
        self.assertEqual(result["requestId"], resp["ResponseMetadata"]["RequestId"])
        self.assertEqual(result["fn"], name)


PROBE = r"""#!/bin/bash
API="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
while true; do
  H="$(mktemp)"
  EVENT=$(curl -sS -D "$H" "$API/invocation/next")
  ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id "$H" | tr -d '[:space:]' | cut -d: -f2)
  PORT=$(echo "$EVENT" | sed 's/[^0-9]//g')
  if curl -s -m 2 -o /dev/null "http://127.0.0.1:$PORT/kindling/health"; then API_REACHED=true; else API_REACHED=false; fi
  if [ -e /root ] || [ -e /work ] || [ -e /home ]; then HOST_FILES=true; else HOST_FILES=false; fi
  if touch /var/task/x 2>/dev/null; then TASK_WRITABLE=true; else TASK_WRITABLE=false; fi
  curl -sS -o /dev/null -X POST "$API/invocation/$ID/response" \
    -d "{\"apiReached\":$API_REACHED,\"hostFiles\":$HOST_FILES,\"taskWritable\":$TASK_WRITABLE,\"uid\":$(id -u)}"
done
"""


class IsolationTests(ServerTestCase):

    def test_Invoke_FunctionProbesHost_CannotReachApiPortOrHostFiles(self):
        name = unique_name("probe")
        self.lam.create_function(FunctionName=name, Role=ROLE, Runtime="provided.al2023", Handler="bootstrap", Timeout=10,
                                 Code={"ZipFile": make_zip({"bootstrap": PROBE}, executable=("bootstrap",))})
        self.lam.get_waiter("function_active_v2").wait(FunctionName=name, WaiterConfig={"Delay": 0.2, "MaxAttempts": 300})
        port = int(self.server.endpoint.rsplit(":", 1)[1])
        body = json.loads(self.lam.invoke(FunctionName=name, Payload=json.dumps({"port": port}))["Payload"].read())
        self.assertEqual(body, {"apiReached": False, "hostFiles": False, "taskWritable": False, "uid": 993})


CREDENTIALS = r"""#!/bin/bash
API="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
while true; do
  H="$(mktemp)"
  curl -sS -D "$H" -o /dev/null "$API/invocation/next"
  ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id "$H" | tr -d '[:space:]' | cut -d: -f2)
  curl -sS -o /dev/null -X POST "$API/invocation/$ID/response" \
    -d "{\"id\":\"$AWS_ACCESS_KEY_ID\",\"secret\":\"$AWS_SECRET_ACCESS_KEY\",\"token\":\"$AWS_SESSION_TOKEN\"}"
done
"""


class ExecutionRoleCredentialTests(ServerTestCase):

    def test_Invoke_EnvironmentCredentials_AreTemporaryKeysTheApiAccepts(self):
        name = unique_name("creds")
        self.lam.create_function(FunctionName=name, Role=ROLE, Runtime="provided.al2023", Handler="bootstrap",
                                 Code={"ZipFile": make_zip({"bootstrap": CREDENTIALS}, executable=("bootstrap",))})
        self.lam.get_waiter("function_active_v2").wait(FunctionName=name, WaiterConfig={"Delay": 0.2, "MaxAttempts": 300})
        creds = json.loads(self.lam.invoke(FunctionName=name, Payload=b"{}")["Payload"].read())
        self.assertRegex(creds["id"], r"^ASIA[A-Z2-7]{16}$")
        self.assertNotEqual(creds["id"], self.server.access_key_id)

        import boto3
        from botocore.config import Config
        session = boto3.session.Session(aws_access_key_id=creds["id"], aws_secret_access_key=creds["secret"],
                                        aws_session_token=creds["token"], region_name="us-east-1")
        as_role = session.client("lambda", endpoint_url=self.server.endpoint, config=Config(retries={"max_attempts": 1}))
        self.assertEqual(as_role.get_function(FunctionName=name)["Configuration"]["FunctionName"], name)

        no_token = boto3.session.Session(aws_access_key_id=creds["id"], aws_secret_access_key=creds["secret"],
                                         region_name="us-east-1").client("lambda", endpoint_url=self.server.endpoint,
                                                                         config=Config(retries={"max_attempts": 1}))
        with self.assertRaises(Exception) as error:
            no_token.get_function(FunctionName=name)
        self.assertEqual(error.exception.response["Error"]["Code"], "UnrecognizedClientException")


class AwsCliInvokeTests(ServerTestCase):

    def test_CliInvoke_TutorialBootstrap_WritesResponse(self):
        name = unique_name("cli")
        self.lam.create_function(FunctionName=name, Role=ROLE, Runtime="provided.al2023", Handler="function.handler",
                                 Code={"ZipFile": tutorial_zip()})
        self.lam.get_waiter("function_active_v2").wait(FunctionName=name, WaiterConfig={"Delay": 0.2, "MaxAttempts": 300})
        out = os.path.join(self.server.data_dir, "cli-out.json")
        env = dict(os.environ, AWS_ACCESS_KEY_ID=self.server.access_key_id, AWS_SECRET_ACCESS_KEY=self.server.secret_access_key,
                   AWS_DEFAULT_REGION="us-east-1", AWS_MAX_ATTEMPTS="1")
        result = subprocess.run(["/usr/bin/aws", "--endpoint-url", self.server.endpoint, "--output", "json", "lambda", "invoke",
                                 "--function-name", name, "--cli-binary-format", "raw-in-base64-out",
                                 "--payload", '{"k":"v"}', out], capture_output=True, text=True, env=env, timeout=120)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(json.loads(result.stdout), {"StatusCode": 200, "ExecutedVersion": "$LATEST"})
        with open(out) as f:
            self.assertEqual(json.load(f), {"statusCode": 200, "body": "Hello from Lambda!"})


if __name__ == "__main__":
    unittest.main()
