"""Functions: Create/Get/GetConfiguration/UpdateCode/UpdateConfiguration/Delete, the state machine,
RevisionId, name forms, validation and size limits, driven with boto3.

Evidence for shapes not spelled out in lambda-api.md: LocalStack's AWS-recorded snapshot
tests/aws/services/lambda_/test_lambda_api.snapshot.json
(TestLambdaFunction::test_function_lifecycle and ::test_redundant_updates): Create returns
State Pending / "The function is being created." / Creating and no LastUpdateStatus; Get after
activation has State Active, LastUpdateStatus Successful and no StateReason; Update* returns
LastUpdateStatus InProgress with LastUpdateStatusReason "The function is being created." and
LastUpdateStatusReasonCode "Creating"; Delete → 204, then 404 with Type User.
"""

import base64
import json
import os
import threading
import unittest
import zipfile
import io

from botocore.exceptions import WaiterError

from harness import (ACCOUNT, LAMBDA_DATE_RE, REGION, ROLE, UUID_RE, ServerTestCase, bootstrap_zip,
                     function_arn, make_zip, sha256_b64, strip_metadata, unique_name)


class CreateAndGetFunctionTests(ServerTestCase):

    def test_CreateFunction_Defaults_ReturnsPendingWithExactDefaults(self):
        name = unique_name("create")
        code = bootstrap_zip(name)
        resp = self.lam.create_function(FunctionName=name, Role=ROLE, Runtime="provided.al2023",
                                        Handler="bootstrap", Code={"ZipFile": code})
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 201)
        self.assertEqual(resp["FunctionName"], name)
        self.assertEqual(resp["FunctionArn"], function_arn(name))
        self.assertEqual(resp["Runtime"], "provided.al2023")
        self.assertEqual(resp["Role"], ROLE)
        self.assertEqual(resp["Handler"], "bootstrap")
        self.assertEqual(resp["CodeSize"], len(code))
        self.assertEqual(resp["CodeSha256"], sha256_b64(code))
        self.assertEqual(resp["Description"], "")
        self.assertEqual(resp["Timeout"], 3)
        self.assertEqual(resp["MemorySize"], 128)
        self.assertEqual(resp["Version"], "$LATEST")
        self.assertEqual(resp["PackageType"], "Zip")
        self.assertEqual(resp["Architectures"], ["x86_64"])
        self.assertEqual(resp["EphemeralStorage"], {"Size": 512})
        self.assertEqual(resp["TracingConfig"], {"Mode": "PassThrough"})
        self.assertEqual(resp["SnapStart"], {"ApplyOn": "None", "OptimizationStatus": "Off"})
        self.assertEqual(resp["LoggingConfig"], {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{name}"})
        self.assertRegex(resp["LastModified"], LAMBDA_DATE_RE)
        self.assertRegex(resp["RevisionId"], UUID_RE)
        self.assertEqual(resp["State"], "Pending")
        self.assertEqual(resp["StateReason"], "The function is being created.")
        self.assertEqual(resp["StateReasonCode"], "Creating")
        self.assertNotIn("LastUpdateStatus", resp)

    def test_CreateFunction_ThenWaiterActive_GetShowsActiveSuccessfulAndNewRevision(self):
        name = unique_name("active")
        created = self.create_function(name, wait=False)
        self.lam.get_waiter("function_active_v2").wait(FunctionName=name,
                                                       WaiterConfig={"Delay": 0.2, "MaxAttempts": 300})
        got = self.lam.get_function(FunctionName=name)
        cfg = got["Configuration"]
        self.assertEqual(got["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(cfg["State"], "Active")
        self.assertEqual(cfg["LastUpdateStatus"], "Successful")
        self.assertNotIn("StateReason", cfg)
        self.assertNotIn("StateReasonCode", cfg)
        self.assertRegex(cfg["RevisionId"], UUID_RE)
        self.assertNotEqual(cfg["RevisionId"], created["RevisionId"])
        # Everything else is what Create returned.
        for key in ("FunctionName", "FunctionArn", "Runtime", "Role", "Handler", "CodeSize", "CodeSha256",
                    "Description", "Timeout", "MemorySize", "Version", "PackageType", "Architectures",
                    "EphemeralStorage", "TracingConfig", "LoggingConfig", "LastModified"):
            self.assertEqual(cfg[key], created[key], key)
        self.assertEqual(got["Code"]["RepositoryType"], "S3")
        self.assertTrue(got["Code"]["Location"].startswith("http"), got["Code"]["Location"])
        self.assertNotIn("Tags", got)
        self.assertNotIn("Concurrency", got)

    def test_GetFunctionConfiguration_ActiveFunction_EqualsGetFunctionConfiguration(self):
        name = unique_name("getcfg")
        self.create_function(name)
        cfg = self.lam.get_function_configuration(FunctionName=name)
        self.assertEqual(cfg["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(strip_metadata(cfg), self.lam.get_function(FunctionName=name)["Configuration"])

    def test_CreateFunction_AllOptionalFields_AreEchoed(self):
        name = unique_name("full")
        resp = self.create_function(
            name, wait=False, Description="a description", Timeout=30, MemorySize=512,
            Environment={"Variables": {"KEY_ONE": "v1", "KEY2": "v2"}}, TracingConfig={"Mode": "Active"},
            Architectures=["arm64"], EphemeralStorage={"Size": 1024},
            LoggingConfig={"LogFormat": "JSON", "ApplicationLogLevel": "DEBUG", "SystemLogLevel": "WARN"},
            Tags={"team": "compat"})
        self.assertEqual(resp["Description"], "a description")
        self.assertEqual(resp["Timeout"], 30)
        self.assertEqual(resp["MemorySize"], 512)
        self.assertEqual(resp["Environment"], {"Variables": {"KEY_ONE": "v1", "KEY2": "v2"}})
        self.assertEqual(resp["TracingConfig"], {"Mode": "Active"})
        self.assertEqual(resp["Architectures"], ["arm64"])
        self.assertEqual(resp["EphemeralStorage"], {"Size": 1024})
        self.assertEqual(resp["LoggingConfig"], {"LogFormat": "JSON", "ApplicationLogLevel": "DEBUG",
                                                 "SystemLogLevel": "WARN", "LogGroup": f"/aws/lambda/{name}"})
        self.lam.get_waiter("function_active_v2").wait(FunctionName=name,
                                                       WaiterConfig={"Delay": 0.2, "MaxAttempts": 300})
        got = self.lam.get_function(FunctionName=name)
        self.assertEqual(got["Tags"], {"team": "compat"})
        self.assertEqual(got["Configuration"]["Environment"], {"Variables": {"KEY_ONE": "v1", "KEY2": "v2"}})

    def test_CreateFunction_Duplicate_Returns409FunctionAlreadyExist(self):
        name = unique_name("dup")
        self.create_function(name)
        self.assert_client_error(self.lam.create_function, 409, "ResourceConflictException",
                                 f"Function already exist: {name}",
                                 FunctionName=name, Role=ROLE, Runtime="provided.al2023", Handler="bootstrap",
                                 Code={"ZipFile": bootstrap_zip()})

    def test_GetFunction_NameForms_NamePartialArnFullArnAllResolve(self):
        name = unique_name("forms")
        self.create_function(name)
        by_name = self.lam.get_function(FunctionName=name)["Configuration"]
        by_partial = self.lam.get_function(FunctionName=f"{ACCOUNT}:function:{name}")["Configuration"]
        by_arn = self.lam.get_function(FunctionName=function_arn(name))["Configuration"]
        self.assertEqual(by_partial, by_name)
        self.assertEqual(by_arn, by_name)
        cfg_by_arn = strip_metadata(self.lam.get_function_configuration(FunctionName=function_arn(name)))
        self.assertEqual(cfg_by_arn, by_name)

    def test_GetFunction_LatestQualifier_ReturnsQualifiedArn(self):
        name = unique_name("latestq")
        self.create_function(name)
        cfg = self.lam.get_function(FunctionName=name, Qualifier="$LATEST")["Configuration"]
        self.assertEqual(cfg["FunctionArn"], function_arn(name, "$LATEST"))
        cfg2 = self.lam.get_function(FunctionName=f"{name}:$LATEST")["Configuration"]
        self.assertEqual(cfg2["FunctionArn"], function_arn(name, "$LATEST"))

    def test_GetFunction_Unknown_Returns404WithArn(self):
        name = unique_name("missing")
        resp = self.assert_client_error(self.lam.get_function, 404, "ResourceNotFoundException",
                                        f"Function not found: {function_arn(name)}", FunctionName=name)
        self.assertEqual(resp["Type"], "User")
        self.assertEqual(resp["ResponseMetadata"]["HTTPHeaders"].get("x-amzn-errortype", "").split(":")[0],
                         "ResourceNotFoundException")

    def test_GetFunctionConfiguration_UnknownVersion_Returns404WithQualifiedArn(self):
        name = unique_name("nover")
        self.create_function(name)
        self.assert_client_error(self.lam.get_function_configuration, 404, "ResourceNotFoundException",
                                 f"Function not found: {function_arn(name, '7')}", FunctionName=name, Qualifier="7")

    def test_CreateFunction_UnknownRuntime_InvalidParameterValue(self):
        # Runtime outside the service model's enum → AWS answers InvalidParameterValueException (not
        # ValidationException) "Value <rt> at 'runtime' failed to satisfy constraint: Member must satisfy enum
        # value set: [...] or be a valid ARN" — recorded from AWS in CloudFormation/serverless errors, e.g.
        # "(Service: AWSLambdaInternal; Status Code: 400; Error Code: InvalidParameterValueException)".
        name = unique_name("badrt")
        resp = self.assert_client_error(
            self.lam_nv.create_function, 400, "InvalidParameterValueException",
            message_prefix="Value python0.1 at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [",
            FunctionName=name, Role=ROLE, Runtime="python0.1", Handler="h.handler", Code={"ZipFile": bootstrap_zip()})
        self.assertTrue(resp["Error"]["Message"].endswith("] or be a valid ARN"), resp["Error"]["Message"])
        self.assert_client_error(self.lam.get_function, 404, "ResourceNotFoundException",
                                 f"Function not found: {function_arn(name)}", FunctionName=name)


class StateMachineTests(ServerTestCase):

    def test_UpdateFunctionConfiguration_ReturnsInProgressThenWaiterSucceeds(self):
        name = unique_name("updcfg")
        self.create_function(name)
        before = self.lam.get_function(FunctionName=name)["Configuration"]
        upd = self.lam.update_function_configuration(FunctionName=name, Description="changed", Timeout=10,
                                                     MemorySize=256, Environment={"Variables": {"AB": "b"}})
        self.assertEqual(upd["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(upd["LastUpdateStatus"], "InProgress")
        self.assertEqual(upd["LastUpdateStatusReason"], "The function is being created.")
        self.assertEqual(upd["LastUpdateStatusReasonCode"], "Creating")
        self.assertEqual(upd["State"], "Active")
        self.assertEqual(upd["Description"], "changed")
        self.assertEqual(upd["Timeout"], 10)
        self.assertEqual(upd["MemorySize"], 256)
        self.assertEqual(upd["Environment"], {"Variables": {"AB": "b"}})
        self.assertEqual(upd["CodeSha256"], before["CodeSha256"])
        self.assertNotEqual(upd["RevisionId"], before["RevisionId"])
        self.assertRegex(upd["LastModified"], LAMBDA_DATE_RE)
        self.wait_updated(name)
        after = self.lam.get_function(FunctionName=name)["Configuration"]
        self.assertEqual(after["LastUpdateStatus"], "Successful")
        self.assertNotIn("LastUpdateStatusReason", after)
        self.assertNotIn("LastUpdateStatusReasonCode", after)
        self.assertEqual(after["Description"], "changed")
        self.assertEqual(after["Timeout"], 10)
        self.assertEqual(after["MemorySize"], 256)
        self.assertNotEqual(after["RevisionId"], upd["RevisionId"])

    def test_UpdateFunctionCode_NewZip_ChangesShaAndSizeAfterWaiter(self):
        name = unique_name("updcode")
        self.create_function(name)
        new_code = bootstrap_zip(name + "-v2" + "x" * 100)
        upd = self.lam.update_function_code(FunctionName=name, ZipFile=new_code)
        self.assertEqual(upd["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(upd["LastUpdateStatus"], "InProgress")
        self.assertEqual(upd["LastUpdateStatusReasonCode"], "Creating")
        self.assertEqual(upd["CodeSha256"], sha256_b64(new_code))
        self.assertEqual(upd["CodeSize"], len(new_code))
        self.assertEqual(upd["FunctionArn"], function_arn(name))
        self.wait_updated(name)
        cfg = self.lam.get_function_configuration(FunctionName=name)
        self.assertEqual(cfg["LastUpdateStatus"], "Successful")
        self.assertEqual(cfg["CodeSha256"], sha256_b64(new_code))
        self.assertEqual(cfg["CodeSize"], len(new_code))

    def test_UpdateFunctionCode_WithPublish_ReturnsQualifiedVersion(self):
        name = unique_name("updpub")
        self.create_function(name)
        new_code = bootstrap_zip(name + "-published")
        upd = self.lam.update_function_code(FunctionName=name, ZipFile=new_code, Publish=True)
        self.assertEqual(upd["Version"], "1")
        self.assertEqual(upd["FunctionArn"], function_arn(name, "1"))
        self.assertEqual(upd["CodeSha256"], sha256_b64(new_code))

    def test_UpdateDuringUpdate_SecondUpdateReturns409(self):
        # A large (stored, incompressible) package keeps the first update InProgress long enough
        # (AWS takes seconds); the second update is sent immediately after the first returns.
        name = unique_name("conflict")
        self.create_function(name)
        big = make_zip({"bootstrap": b"#!/bin/sh\n", "blob.bin": os.urandom(30 * 1024 * 1024)},
                       executable=("bootstrap",))
        first = self.lam.update_function_code(FunctionName=name, ZipFile=big)
        self.assertEqual(first["LastUpdateStatus"], "InProgress")
        self.assert_client_error(
            self.lam.update_function_configuration, 409, "ResourceConflictException",
            "The operation cannot be performed at this time. An update is in progress for resource: "
            f"{function_arn(name)}",
            FunctionName=name, Description="second")
        self.wait_updated(name)
        cfg = self.lam.get_function_configuration(FunctionName=name)
        self.assertEqual(cfg["Description"], "")
        self.assertEqual(cfg["CodeSha256"], sha256_b64(big))

    def test_UpdateFunctionConfiguration_StaleRevisionId_Returns412AndKeepsState(self):
        name = unique_name("rev")
        self.create_function(name)
        current = self.lam.get_function(FunctionName=name)["Configuration"]
        self.assert_client_error(
            self.lam.update_function_configuration, 412, "PreconditionFailedException",
            "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API "
            "to retrieve the latest Revision Id",
            FunctionName=name, Description="nope", RevisionId="00000000-0000-0000-0000-000000000000")
        self.assert_client_error(
            self.lam.update_function_code, 412, "PreconditionFailedException",
            "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API "
            "to retrieve the latest Revision Id",
            FunctionName=name, ZipFile=bootstrap_zip("other"), RevisionId="00000000-0000-0000-0000-000000000000")
        self.assertEqual(self.lam.get_function(FunctionName=name)["Configuration"], current)
        ok = self.lam.update_function_configuration(FunctionName=name, Description="yes",
                                                    RevisionId=current["RevisionId"])
        self.assertEqual(ok["Description"], "yes")
        self.wait_updated(name)

    def test_UpdateFunctionConfiguration_Unknown_Returns404(self):
        name = unique_name("nofn")
        self.assert_client_error(self.lam.update_function_configuration, 404, "ResourceNotFoundException",
                                 f"Function not found: {function_arn(name)}", FunctionName=name, Timeout=5)
        self.assert_client_error(self.lam.update_function_code, 404, "ResourceNotFoundException",
                                 f"Function not found: {function_arn(name)}", FunctionName=name,
                                 ZipFile=bootstrap_zip())

    def test_CreateFunction_NotAZip_Returns400CouldNotUnzip(self):
        # Real AWS rejects a non-zip synchronously (the message is the one every AWS user has seen from
        # CreateFunction, e.g. Terraform's "InvalidParameterValueException: Could not unzip uploaded file");
        # LocalStack (localstack/services/lambda_/provider store_lambda_archive) reproduces it.
        name = unique_name("notzip")
        self.assert_client_error(
            self.lam.create_function, 400, "InvalidParameterValueException",
            "Could not unzip uploaded file. Please check your file, then try to upload again.",
            FunctionName=name, Role=ROLE, Runtime="provided.al2023", Handler="bootstrap",
            Code={"ZipFile": b"this is definitely not a zip archive"})
        self.assert_client_error(self.lam.get_function, 404, "ResourceNotFoundException",
                                 f"Function not found: {function_arn(name)}", FunctionName=name)

    def test_UpdateFunctionCode_NotAZip_Returns400AndKeepsCode(self):
        name = unique_name("updnotzip")
        self.create_function(name)
        before = self.lam.get_function(FunctionName=name)["Configuration"]
        self.assert_client_error(
            self.lam.update_function_code, 400, "InvalidParameterValueException",
            "Could not unzip uploaded file. Please check your file, then try to upload again.",
            FunctionName=name, ZipFile=b"PK\x03\x04 truncated garbage")
        self.assertEqual(self.lam.get_function(FunctionName=name)["Configuration"], before)

    def _assert_goes_failed(self, name, codes, reason_contains):
        with self.assertRaises(WaiterError) as cm:
            self.lam.get_waiter("function_active_v2").wait(FunctionName=name,
                                                           WaiterConfig={"Delay": 0.2, "MaxAttempts": 300})
        self.assertIn("terminal failure state", str(cm.exception))
        cfg = self.lam.get_function(FunctionName=name)["Configuration"]
        self.assertEqual(cfg["State"], "Failed")
        self.assertEqual(cfg["LastUpdateStatus"], "Failed")
        self.assertIn(cfg["StateReasonCode"], codes)
        self.assertIn(reason_contains, cfg["StateReason"])
        return cfg

    def test_CreateFunction_ProvidedRuntimeWithoutBootstrap_GoesFailed(self):
        # Issue 2 (not an AWS behaviour: AWS leaves such a function Active and fails its invokes with
        # Runtime.InvalidEntrypoint "Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]"):
        # the archive is validated in the background and a package without the runtime's entry point leaves
        # the function Failed, so the function_active_v2 waiter fails. Any model StateReasonCode that names
        # the cause is accepted; the reason must name the missing bootstrap.
        name = unique_name("noboot")
        resp = self.lam.create_function(FunctionName=name, Role=ROLE, Runtime="provided.al2023",
                                        Handler="bootstrap",
                                        Code={"ZipFile": make_zip({"README.txt": "no bootstrap here"})})
        self.assertEqual(resp["State"], "Pending")
        self._assert_goes_failed(name, ("InvalidConfiguration", "FunctionError.InvalidEntryPoint",
                                        "InvalidZipFileException"), "bootstrap")

    def test_CreateFunction_CorruptZipData_GoesFailedInvalidZipFileException(self):
        # The central directory is intact (so the synchronous check passes) but the entry's deflate stream is
        # garbage: the background check fails the function with StateReasonCode InvalidZipFileException.
        name = unique_name("corrupt")
        good = make_zip({"bootstrap": "#!/bin/sh\n" + "echo hello\n" * 200}, executable=("bootstrap",))
        start = 30 + len("bootstrap")
        length = int.from_bytes(good[18:22], "little")
        bad = good[:start] + b"\xff" * length + good[start + length:]
        with zipfile.ZipFile(io.BytesIO(bad)) as zf:
            self.assertEqual(zf.namelist(), ["bootstrap"])
        resp = self.lam.create_function(FunctionName=name, Role=ROLE, Runtime="provided.al2023",
                                        Handler="bootstrap", Code={"ZipFile": bad})
        self.assertEqual(resp["State"], "Pending")
        self.assertEqual(resp["CodeSha256"], sha256_b64(bad))
        self._assert_goes_failed(name, ("InvalidZipFileException",), "")

    def test_CreateFunction_Python312HandlerPresentOrMissing_ActiveOrFailed(self):
        name = unique_name("py")
        code = make_zip({"app.py": "def handler(event, context):\n    return event\n"})
        try:
            self.lam.create_function(FunctionName=name, Role=ROLE, Runtime="python3.12", Handler="app.handler",
                                     Code={"ZipFile": code})
        except self.lam.exceptions.InvalidParameterValueException as e:
            self.skipTest(f"python3.12 is not installed on this host: {e}")
        self.lam.get_waiter("function_active_v2").wait(FunctionName=name,
                                                       WaiterConfig={"Delay": 0.2, "MaxAttempts": 300})
        cfg = self.lam.get_function_configuration(FunctionName=name)
        self.assertEqual((cfg["State"], cfg["Runtime"], cfg["Handler"]), ("Active", "python3.12", "app.handler"))
        missing = unique_name("pymissing")
        self.lam.create_function(FunctionName=missing, Role=ROLE, Runtime="python3.12", Handler="nothere.handler",
                                 Code={"ZipFile": code})
        self._assert_goes_failed(missing, ("InvalidConfiguration", "FunctionError.InvalidEntryPoint"), "nothere")


class ValidationTests(ServerTestCase):
    """ValidationException messages as AWS words them ("1 validation error detected: Value 'x' at 'field'
    failed to satisfy constraint: …"); e.g. AWS's own CloudFormation/serverless errors quote
    "Value '1200' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900"
    with Error Code ValidationException. boto3 checks minimums client-side, so these use a client with
    parameter_validation disabled."""

    def _create_kwargs(self, name, **overrides):
        kw = dict(FunctionName=name, Role=ROLE, Runtime="provided.al2023", Handler="bootstrap",
                  Code={"ZipFile": bootstrap_zip(name)})
        kw.update(overrides)
        return kw

    def _assert_not_created(self, name):
        self.assert_client_error(self.lam.get_function, 404, "ResourceNotFoundException",
                                 f"Function not found: {function_arn(name)}", FunctionName=name)

    def test_CreateFunction_TimeoutZero_ValidationException(self):
        name = unique_name("t0")
        self.assert_client_error(
            self.lam_nv.create_function, 400, "ValidationException",
            "1 validation error detected: Value '0' at 'timeout' failed to satisfy constraint: "
            "Member must have value greater than or equal to 1", **self._create_kwargs(name, Timeout=0))
        self._assert_not_created(name)

    def test_CreateFunction_Timeout901_ValidationException(self):
        name = unique_name("t901")
        self.assert_client_error(
            self.lam_nv.create_function, 400, "ValidationException",
            "1 validation error detected: Value '901' at 'timeout' failed to satisfy constraint: "
            "Member must have value less than or equal to 900", **self._create_kwargs(name, Timeout=901))
        self._assert_not_created(name)

    def test_CreateFunction_Memory64_ValidationException(self):
        name = unique_name("m64")
        self.assert_client_error(
            self.lam_nv.create_function, 400, "ValidationException",
            "1 validation error detected: Value '64' at 'memorySize' failed to satisfy constraint: "
            "Member must have value greater than or equal to 128", **self._create_kwargs(name, MemorySize=64))
        self._assert_not_created(name)

    def test_CreateFunction_BadFunctionName_ValidationException(self):
        self.assert_client_error(
            self.lam_nv.create_function, 400, "ValidationException",
            message_prefix="1 validation error detected: Value 'bad name!' at 'functionName' failed to satisfy "
                           "constraint: Member must satisfy regular expression pattern: ",
            **self._create_kwargs("bad name!"))

    def test_CreateFunction_BadRole_ValidationException(self):
        name = unique_name("role")
        self.assert_client_error(
            self.lam_nv.create_function, 400, "ValidationException",
            "1 validation error detected: Value 'not-a-role' at 'role' failed to satisfy constraint: Member must "
            "satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+",
            **self._create_kwargs(name, Role="not-a-role"))
        self._assert_not_created(name)

    def test_CreateFunction_DescriptionTooLong_ValidationException(self):
        name = unique_name("desc")
        desc = "d" * 257
        self.assert_client_error(
            self.lam_nv.create_function, 400, "ValidationException",
            f"1 validation error detected: Value '{desc}' at 'description' failed to satisfy constraint: "
            "Member must have length less than or equal to 256", **self._create_kwargs(name, Description=desc))
        self._assert_not_created(name)

    def test_CreateFunction_TwoArchitectures_ValidationException(self):
        name = unique_name("arch")
        # LocalStack provider (AWS-snapshot-matched, test_create_lambda_exceptions).
        self.assert_client_error(
            self.lam_nv.create_function, 400, "ValidationException",
            "1 validation error detected: Value '[x86_64, arm64]' at 'architectures' failed to satisfy "
            "constraint: Member must have length less than or equal to 1",
            **self._create_kwargs(name, Architectures=["x86_64", "arm64"]))
        self._assert_not_created(name)

    def test_UpdateFunctionConfiguration_Memory64_ValidationExceptionAndUnchanged(self):
        name = unique_name("updval")
        self.create_function(name)
        before = self.lam.get_function(FunctionName=name)["Configuration"]
        self.assert_client_error(
            self.lam_nv.update_function_configuration, 400, "ValidationException",
            "1 validation error detected: Value '64' at 'memorySize' failed to satisfy constraint: "
            "Member must have value greater than or equal to 128", FunctionName=name, MemorySize=64,
            Description="must-not-stick")
        self.assertEqual(self.lam.get_function(FunctionName=name)["Configuration"], before)

    def test_CreateFunction_EnvironmentOver4KB_InvalidParameterValue(self):
        # Message: LocalStack provider _verify_env_variables (AWS-snapshot-matched); measured as compact JSON.
        name = unique_name("env")
        variables = {"BIG": "x" * 4100}
        measured = json.dumps(variables, separators=(",", ":"))
        self.assert_client_error(
            self.lam.create_function, 400, "InvalidParameterValueException",
            "Lambda was unable to configure your environment variables because the environment variables you "
            f"have provided exceeded the 4KB limit. String measured: {measured}",
            **self._create_kwargs(name, Environment={"Variables": variables}))
        self._assert_not_created(name)

    def test_UpdateFunctionConfiguration_EnvironmentOver4KB_InvalidParameterValueAndUnchanged(self):
        name = unique_name("envupd")
        self.create_function(name, Environment={"Variables": {"SMALL": "1"}})
        before = self.lam.get_function(FunctionName=name)["Configuration"]
        variables = {f"K{i}": "v" * 100 for i in range(40)}
        measured = json.dumps(variables, separators=(",", ":"))
        self.assertGreater(len(measured), 4096)
        self.assert_client_error(
            self.lam.update_function_configuration, 400, "InvalidParameterValueException",
            "Lambda was unable to configure your environment variables because the environment variables you "
            f"have provided exceeded the 4KB limit. String measured: {measured}",
            FunctionName=name, Environment={"Variables": variables})
        self.assertEqual(self.lam.get_function(FunctionName=name)["Configuration"], before)

    def test_CreateFunction_ZipOver50MB_Returns413(self):
        # AWS checks the whole request (base64 zip inside JSON). Users have recorded both limits from real AWS:
        # "Request must be smaller than 70167211 bytes for the CreateFunction operation" (recent, e.g. Terraform
        # AWS SDK v2 error "StatusCode: 413 … RequestEntityTooLargeException") and 69905067 (older reports).
        name = unique_name("big")
        big = make_zip({"bootstrap": b"#!/bin/sh\n", "blob.bin": os.urandom(52 * 1024 * 1024 + 1024)},
                       executable=("bootstrap",))
        self.assertGreater(len(big), 52428800)
        resp = self.assert_client_error(self.lam.create_function, 413, "RequestEntityTooLargeException",
                                        **self._create_kwargs(name, Code={"ZipFile": big}))
        self.assertIn(resp["Error"]["Message"], (
            "Request must be smaller than 70167211 bytes for the CreateFunction operation",
            "Request must be smaller than 69905067 bytes for the CreateFunction operation"))
        self._assert_not_created(name)

    def test_CreateFunction_SixLayers_InvalidParameterValue(self):
        # Six versions of one layer would trip the duplicate-layer rule; use six distinct layers.
        arns = []
        for i in range(6):
            arns.append(self.lam.publish_layer_version(
                LayerName=unique_name(f"lay{i}"), Content={"ZipFile": make_zip({f"f{i}.txt": str(i)})})
                ["LayerVersionArn"])
        name = unique_name("sixlayers")
        self.assert_client_error(self.lam.create_function, 400, "InvalidParameterValueException",
                                 "Cannot reference more than 5 layers.", **self._create_kwargs(name, Layers=arns))
        self._assert_not_created(name)
        # Five are fine, and GetFunction lists them with their sizes.
        self.create_function(name, Layers=arns[:5])
        layers = self.lam.get_function(FunctionName=name)["Configuration"]["Layers"]
        self.assertEqual([entry["Arn"] for entry in layers], arns[:5])
        for entry in layers:
            self.assertGreater(entry["CodeSize"], 0)
        self.assert_client_error(self.lam.update_function_configuration, 400, "InvalidParameterValueException",
                                 "Cannot reference more than 5 layers.", FunctionName=name, Layers=arns)


class DeleteAndAccountTests(ServerTestCase):

    def test_DeleteFunction_Then404WithArn(self):
        name = unique_name("del")
        self.create_function(name)
        resp = self.lam.delete_function(FunctionName=name)
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assert_client_error(self.lam.get_function, 404, "ResourceNotFoundException",
                                 f"Function not found: arn:aws:lambda:us-east-1:000000000000:function:{name}",
                                 FunctionName=name)
        self.assert_client_error(self.lam.delete_function, 404, "ResourceNotFoundException",
                                 f"Function not found: {function_arn(name)}", FunctionName=name)

    def test_DeleteFunction_ByFullArn_Deletes(self):
        name = unique_name("delarn")
        self.create_function(name)
        self.assertEqual(self.lam.delete_function(FunctionName=function_arn(name))
                         ["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assert_client_error(self.lam.get_function_configuration, 404, "ResourceNotFoundException",
                                 f"Function not found: {function_arn(name)}", FunctionName=name)

    def test_DeleteFunction_WithVersionQualifier_DeletesOnlyThatVersion(self):
        name = unique_name("delq")
        self.create_function(name)
        self.publish(name)
        self.assertEqual(self.lam.delete_function(FunctionName=name, Qualifier="1")
                         ["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assert_client_error(self.lam.get_function, 404, "ResourceNotFoundException",
                                 f"Function not found: {function_arn(name, '1')}", FunctionName=name, Qualifier="1")
        self.assertEqual(self.lam.get_function(FunctionName=name)["Configuration"]["Version"], "$LATEST")
        versions = [v["Version"] for v in self.lam.list_versions_by_function(FunctionName=name)["Versions"]]
        self.assertEqual(versions, ["$LATEST"])

    def test_DeleteFunction_LatestQualifier_InvalidParameterValue(self):
        name = unique_name("dellatest")
        self.create_function(name)
        self.assert_client_error(self.lam.delete_function, 400, "InvalidParameterValueException",
                                 "$LATEST version cannot be deleted without deleting the function.",
                                 FunctionName=name, Qualifier="$LATEST")
        self.assertEqual(self.lam.get_function(FunctionName=name)["Configuration"]["FunctionName"], name)

    def test_GetAccountSettings_CreateAndDelete_UsageMovesExactly(self):
        before = self.lam.get_account_settings()
        self.assertEqual(before["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(before["AccountLimit"], {
            "CodeSizeUnzipped": 262144000, "CodeSizeZipped": 52428800, "ConcurrentExecutions": 1000,
            "TotalCodeSize": 80530636800, "UnreservedConcurrentExecutions": 1000})
        name = unique_name("acct")
        code = bootstrap_zip(name)
        self.create_function(name, zip_bytes=code)
        during = self.lam.get_account_settings()
        self.assertEqual(during["AccountUsage"]["FunctionCount"], before["AccountUsage"]["FunctionCount"] + 1)
        self.assertEqual(during["AccountUsage"]["TotalCodeSize"],
                         before["AccountUsage"]["TotalCodeSize"] + len(code))
        self.lam.delete_function(FunctionName=name)
        after = self.lam.get_account_settings()
        self.assertEqual(after["AccountUsage"], before["AccountUsage"])


if __name__ == "__main__":
    unittest.main()
