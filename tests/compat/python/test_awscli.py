"""AWS CLI v2 (Debian package, /usr/bin/aws) against a real Kindling server.

The CLI runs with a clean config (no profile files), the server's credentials in the environment and
AWS_MAX_ATTEMPTS=1; every call uses --endpoint-url and --output json. CLI v2 exits 254 when the service
returns an error and prints "An error occurred (<Code>) when calling the <Operation> operation: <message>".
"""

import json
import os
import re
import subprocess
import tempfile
import unittest

from harness import (ACCOUNT, LAMBDA_DATE_RE, REGION, ROLE, ServerTestCase, bootstrap_zip, function_arn, layer_arn,
                     make_zip, sha256_b64, unique_name)

AWS = "/usr/bin/aws"


class AwsCliTests(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = tempfile.mkdtemp(prefix="kindling-cli-")
        cls.env = {
            "PATH": "/usr/bin:/bin",
            "HOME": cls.tmp,
            "AWS_ACCESS_KEY_ID": cls.server.access_key_id,
            "AWS_SECRET_ACCESS_KEY": cls.server.secret_access_key,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
            "AWS_MAX_ATTEMPTS": "1",
            "AWS_RETRY_MODE": "standard",
            "AWS_PAGER": "",
            "AWS_CLI_AUTO_PROMPT": "off",
            "AWS_CONFIG_FILE": os.path.join(cls.tmp, "config"),
            "AWS_SHARED_CREDENTIALS_FILE": os.path.join(cls.tmp, "credentials"),
        }

    def aws(self, *args, expect_rc=0):
        proc = subprocess.run([AWS, "--endpoint-url", self.server.endpoint, "--output", "json", "lambda", *args],
                              env=self.env, capture_output=True, text=True, timeout=300)
        self.assertEqual(proc.returncode, expect_rc,
                         f"aws lambda {' '.join(args)} -> rc {proc.returncode}\nstdout: {proc.stdout}\n"
                         f"stderr: {proc.stderr}")
        if expect_rc == 0:
            return json.loads(proc.stdout) if proc.stdout.strip() else None
        return proc

    def assert_cli_error(self, proc, code: str, operation: str, message: str | None = None,
                         message_prefix: str | None = None):
        """stderr is exactly CLI v2's one-line service error. With AWS_MAX_ATTEMPTS set, botocore's standard
        retry mode inserts " (reached max retries: 0)" after the operation name."""
        head = (rf"An error occurred \({re.escape(code)}\) when calling the {re.escape(operation)} operation"
                r"( \(reached max retries: 0\))?: ")
        body = re.escape(message) if message is not None else re.escape(message_prefix) + ".*"
        self.assertRegex(proc.stderr.strip(), re.compile("^" + head + body + "$", re.S))
        self.assertEqual(proc.stdout, "")

    def zip_file(self, data: bytes) -> str:
        fd, path = tempfile.mkstemp(suffix=".zip", dir=self.tmp)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        return path

    def cli_create(self, name: str, code: bytes | None = None, *extra):
        path = self.zip_file(code if code is not None else bootstrap_zip(name))
        return self.aws("create-function", "--function-name", name, "--runtime", "provided.al2023",
                        "--handler", "bootstrap", "--role", ROLE, "--zip-file", f"fileb://{path}", *extra)

    def test_Cli_CreateFunction_WaitActive_GetFunction(self):
        name = unique_name("cli")
        code = bootstrap_zip(name)
        created = self.cli_create(name, code, "--description", "from the cli", "--timeout", "9",
                                  "--tags", "team=cli,env=test")
        self.assertEqual(created["FunctionName"], name)
        self.assertEqual(created["FunctionArn"], function_arn(name))
        self.assertEqual(created["State"], "Pending")
        self.assertEqual(created["StateReasonCode"], "Creating")
        self.assertEqual(created["CodeSha256"], sha256_b64(code))
        self.assertEqual(created["CodeSize"], len(code))
        self.assertEqual(created["Timeout"], 9)
        self.assertEqual(created["MemorySize"], 128)
        self.assertRegex(created["LastModified"], LAMBDA_DATE_RE)
        self.assertIsNone(self.aws("wait", "function-active-v2", "--function-name", name))
        got = self.aws("get-function", "--function-name", name)
        self.assertEqual(got["Configuration"]["State"], "Active")
        self.assertEqual(got["Configuration"]["LastUpdateStatus"], "Successful")
        self.assertEqual(got["Configuration"]["Description"], "from the cli")
        self.assertNotEqual(got["Configuration"]["RevisionId"], created["RevisionId"])
        self.assertEqual(got["Code"]["RepositoryType"], "S3")
        self.assertEqual(got["Tags"], {"team": "cli", "env": "test"})

    def test_Cli_ListFunctions_ContainsCreated(self):
        name = unique_name("clilist")
        self.cli_create(name)
        listed = self.aws("list-functions")
        self.assertIn(name, [f["FunctionName"] for f in listed["Functions"]])
        item = next(f for f in listed["Functions"] if f["FunctionName"] == name)
        self.assertEqual(item["FunctionArn"], function_arn(name))
        limited = self.aws("list-functions", "--max-items", "1")
        self.assertEqual(len(limited["Functions"]), 1)

    def test_Cli_UpdateFunctionConfiguration_WaitUpdated(self):
        name = unique_name("cliupd")
        self.cli_create(name)
        self.aws("wait", "function-active-v2", "--function-name", name)
        upd = self.aws("update-function-configuration", "--function-name", name, "--memory-size", "512",
                       "--environment", "Variables={MODE=cli}")
        self.assertEqual(upd["LastUpdateStatus"], "InProgress")
        self.assertEqual(upd["MemorySize"], 512)
        self.assertIsNone(self.aws("wait", "function-updated-v2", "--function-name", name))
        cfg = self.aws("get-function-configuration", "--function-name", name)
        self.assertEqual(cfg["LastUpdateStatus"], "Successful")
        self.assertEqual(cfg["MemorySize"], 512)
        self.assertEqual(cfg["Environment"], {"Variables": {"MODE": "cli"}})

    def test_Cli_PublishVersion_CreateAlias(self):
        name = unique_name("clipub")
        self.cli_create(name)
        self.aws("wait", "function-active-v2", "--function-name", name)
        pub = self.aws("publish-version", "--function-name", name, "--description", "v1")
        self.assertEqual(pub["Version"], "1")
        self.assertEqual(pub["FunctionArn"], function_arn(name, "1"))
        self.aws("wait", "published-version-active", "--function-name", name, "--qualifier", "1")
        alias = self.aws("create-alias", "--function-name", name, "--name", "prod", "--function-version", "1")
        self.assertEqual(alias["AliasArn"], function_arn(name, "prod"))
        self.assertEqual(alias["FunctionVersion"], "1")
        self.assertEqual(alias["Description"], "")
        versions = self.aws("list-versions-by-function", "--function-name", name)
        self.assertEqual([v["Version"] for v in versions["Versions"]], ["$LATEST", "1"])

    def test_Cli_PublishLayerVersion(self):
        name = unique_name("clilayer")
        content = make_zip({"bin/tool": "#!/bin/sh\n"})
        path = self.zip_file(content)
        layer = self.aws("publish-layer-version", "--layer-name", name, "--zip-file", f"fileb://{path}",
                         "--compatible-runtimes", "provided.al2023", "--description", "cli layer")
        self.assertEqual(layer["LayerArn"], layer_arn(name))
        self.assertEqual(layer["LayerVersionArn"], layer_arn(name, 1))
        self.assertEqual(layer["Version"], 1)
        self.assertEqual(layer["Content"]["CodeSha256"], sha256_b64(content))
        self.assertEqual(layer["Content"]["CodeSize"], len(content))
        got = self.aws("get-layer-version-by-arn", "--arn", layer_arn(name, 1))
        self.assertEqual(got["Description"], "cli layer")

    def test_Cli_PutFunctionConcurrency(self):
        name = unique_name("cliconc")
        self.cli_create(name)
        put = self.aws("put-function-concurrency", "--function-name", name, "--reserved-concurrent-executions", "7")
        self.assertEqual(put, {"ReservedConcurrentExecutions": 7})
        self.assertEqual(self.aws("get-function-concurrency", "--function-name", name),
                         {"ReservedConcurrentExecutions": 7})
        self.assertIsNone(self.aws("delete-function-concurrency", "--function-name", name))
        proc = self.aws("put-function-concurrency", "--function-name", name, "--reserved-concurrent-executions",
                        "950", expect_rc=254)
        self.assert_cli_error(proc, "InvalidParameterValueException", "PutFunctionConcurrency",
                              "Specified ReservedConcurrentExecutions for function decreases account's "
                              "UnreservedConcurrentExecution below its minimum value of [100].")

    def test_Cli_AddPermission_GetPolicy(self):
        name = unique_name("cliperm")
        self.cli_create(name)
        added = self.aws("add-permission", "--function-name", name, "--statement-id", "sns",
                         "--action", "lambda:InvokeFunction", "--principal", "sns.amazonaws.com",
                         "--source-arn", f"arn:aws:sns:{REGION}:{ACCOUNT}:topic")
        statement = {"Sid": "sns", "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
                     "Action": "lambda:InvokeFunction", "Resource": function_arn(name),
                     "Condition": {"ArnLike": {"AWS:SourceArn": f"arn:aws:sns:{REGION}:{ACCOUNT}:topic"}}}
        self.assertEqual(json.loads(added["Statement"]), statement)
        policy = self.aws("get-policy", "--function-name", name)
        self.assertEqual(json.loads(policy["Policy"]),
                         {"Version": "2012-10-17", "Id": "default", "Statement": [statement]})
        proc = self.aws("add-permission", "--function-name", name, "--statement-id", "sns",
                        "--action", "lambda:InvokeFunction", "--principal", "sns.amazonaws.com", expect_rc=254)
        self.assert_cli_error(proc, "ResourceConflictException", "AddPermission",
                              "The statement id (sns) provided already exists. Please provide a new statement id, or "
                              "remove the existing statement.")

    def test_Cli_TagResource_ListTags(self):
        name = unique_name("clitag")
        self.cli_create(name)
        self.assertIsNone(self.aws("tag-resource", "--resource", function_arn(name), "--tags", "a=1,b=2"))
        self.assertEqual(self.aws("list-tags", "--resource", function_arn(name)), {"Tags": {"a": "1", "b": "2"}})
        self.assertIsNone(self.aws("untag-resource", "--resource", function_arn(name), "--tag-keys", "a"))
        self.assertEqual(self.aws("list-tags", "--resource", function_arn(name)), {"Tags": {"b": "2"}})

    def test_Cli_GetAccountSettings_CountsFunctions(self):
        before = self.aws("get-account-settings")
        self.assertEqual(before["AccountLimit"]["CodeSizeZipped"], 52428800)
        self.assertEqual(before["AccountLimit"]["ConcurrentExecutions"], 1000)
        name = unique_name("cliacct")
        code = bootstrap_zip(name)
        self.cli_create(name, code)
        after = self.aws("get-account-settings")
        self.assertEqual(after["AccountUsage"]["FunctionCount"], before["AccountUsage"]["FunctionCount"] + 1)
        self.assertEqual(after["AccountUsage"]["TotalCodeSize"], before["AccountUsage"]["TotalCodeSize"] + len(code))

    def test_Cli_DeleteFunction_ThenGetFails254WithMessage(self):
        name = unique_name("clidel")
        self.cli_create(name)
        self.assertIsNone(self.aws("delete-function", "--function-name", name))
        proc = self.aws("get-function", "--function-name", name, expect_rc=254)
        self.assert_cli_error(proc, "ResourceNotFoundException", "GetFunction",
                              f"Function not found: arn:aws:lambda:us-east-1:000000000000:function:{name}")

    def test_Cli_ValidationError_Exit254(self):
        name = unique_name("clival")
        path = self.zip_file(bootstrap_zip(name))
        proc = self.aws("create-function", "--function-name", name, "--runtime", "provided.al2023", "--handler",
                        "bootstrap", "--role", ROLE, "--zip-file", f"fileb://{path}", "--timeout", "901",
                        expect_rc=254)
        self.assert_cli_error(proc, "ValidationException", "CreateFunction",
                              "1 validation error detected: Value '901' at 'timeout' failed to satisfy constraint: "
                              "Member must have value less than or equal to 900")

    def test_Cli_WrongSecret_Exit254InvalidSignature(self):
        env = dict(self.env, AWS_SECRET_ACCESS_KEY="z" * 40)
        proc = subprocess.run([AWS, "--endpoint-url", self.server.endpoint, "--output", "json", "lambda",
                               "list-functions"], env=env, capture_output=True, text=True, timeout=120)
        self.assertEqual(proc.returncode, 254, proc.stderr)
        self.assert_cli_error(proc, "InvalidSignatureException", "ListFunctions",
                              message_prefix="The request signature we calculated does not match the signature you "
                                             "provided.")


if __name__ == "__main__":
    unittest.main()
