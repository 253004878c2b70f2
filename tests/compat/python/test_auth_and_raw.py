"""SigV4 rejection (403 InvalidSignatureException / UnrecognizedClientException) and hand-built requests:
malformed JSON, wrong types and oversized fields are rejected with 400 and leave stored state unchanged;
the error encoding botocore relies on (x-amzn-ErrorType, x-amzn-RequestId, __type, Type, message casing);
percent-encoded ARNs in the path.

Messages: lambda-api.md §3 ("The request signature we calculated does not match the signature you
provided…", "The security token included in the request is invalid."); malformed bodies →
InvalidRequestContentException "Could not parse request body into json: …" (lambda-api.md §1 errors table / §2).
"""

import base64
import datetime
import json
import unittest
import urllib.parse

from harness import (ROLE, ServerTestCase, bootstrap_zip, function_arn, random_access_key, strip_metadata,
                     unique_name)

BAD_SIGNATURE = "The request signature we calculated does not match the signature you provided."
BAD_TOKEN = "The security token included in the request is invalid."
ZIP_B64 = base64.b64encode(bootstrap_zip("raw")).decode()


class SignatureTests(ServerTestCase):

    def test_WrongSecret_Returns403InvalidSignature(self):
        bad = self.server.client(secret_access_key="x" * 40)
        resp = self.assert_client_error(bad.list_functions, 403, "InvalidSignatureException",
                                        message_prefix=BAD_SIGNATURE)
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 403)

    def test_UnknownAccessKey_Returns403UnrecognizedClient(self):
        akid, secret = random_access_key()
        bad = self.server.client(access_key_id=akid, secret_access_key=secret)
        self.assert_client_error(bad.get_account_settings, 403, "UnrecognizedClientException", BAD_TOKEN)

    def test_WrongSecretOnCreate_DoesNotCreate(self):
        name = unique_name("unsigned")
        bad = self.server.client(secret_access_key="y" * 40)
        self.assert_client_error(bad.create_function, 403, "InvalidSignatureException", message_prefix=BAD_SIGNATURE,
                                 FunctionName=name, Role=ROLE, Runtime="provided.al2023", Handler="bootstrap",
                                 Code={"ZipFile": bootstrap_zip()})
        self.assert_client_error(self.lam.get_function, 404, "ResourceNotFoundException",
                                 f"Function not found: {function_arn(name)}", FunctionName=name)

    def test_BodyChangedAfterSigning_Returns403InvalidSignature(self):
        name = unique_name("tamper")
        signed = json.dumps({"FunctionName": name, "Role": ROLE, "Runtime": "provided.al2023", "Handler": "bootstrap",
                             "Code": {"ZipFile": ZIP_B64}})
        sent = signed.replace("bootstrap", "bootstra2")
        status, headers, body = self.server.raw("POST", "/2015-03-31/functions", signed,
                                                {"Content-Type": "application/json"}, send_body=sent.encode())
        self.assertEqual(status, 403, body)
        self.assertEqual(headers.get("x-amzn-errortype", "").split(":")[0], "InvalidSignatureException")
        payload = json.loads(body)
        message = payload.get("message", payload.get("Message", ""))
        self.assertTrue(message.startswith(BAD_SIGNATURE), message)
        self.assert_client_error(self.lam.get_function, 404, "ResourceNotFoundException",
                                 f"Function not found: {function_arn(name)}", FunctionName=name)

    def test_SignedOneHourAgo_Returns403SignatureExpired(self):
        past = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) - datetime.timedelta(hours=1)
        status, headers, body = self.server.raw("GET", "/2016-08-19/account-settings", timestamp=past)
        self.assertEqual(status, 403, body)
        self.assertEqual(headers.get("x-amzn-errortype", "").split(":")[0], "InvalidSignatureException")
        payload = json.loads(body)
        message = payload.get("message", payload.get("Message", ""))
        self.assertTrue(message.startswith("Signature expired: "), message)

    def test_SignedWithinSkew_Accepted(self):
        recent = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) - datetime.timedelta(minutes=4)
        status, _, body = self.server.raw("GET", "/2016-08-19/account-settings", timestamp=recent)
        self.assertEqual(status, 200, body)

    def test_NoAuthorization_Returns403(self):
        status, headers, body = self.server.raw("GET", "/2016-08-19/account-settings", sign=False)
        self.assertEqual(status, 403, body)
        self.assertTrue(headers.get("x-amzn-requestid"))


class RawRequestTests(ServerTestCase):

    def _assert_bad_request(self, status, headers, body, code="InvalidRequestContentException",
                            prefix="Could not parse request body into json"):
        self.assertEqual(status, 400, body)
        self.assertEqual(headers.get("x-amzn-errortype", "").split(":")[0], code)
        self.assertTrue(headers.get("x-amzn-requestid"))
        payload = json.loads(body)
        self.assertEqual(payload["__type"].split("#")[-1].split(":")[0], code)
        message = payload.get("message", payload.get("Message"))
        self.assertTrue(message.startswith(prefix), message)

    def test_CreateFunction_MalformedJson_400AndNothingCreated(self):
        name = unique_name("malformed")
        before = self.lam.get_account_settings()["AccountUsage"]
        status, headers, body = self.server.raw("POST", "/2015-03-31/functions",
                                                '{"FunctionName": "' + name + '", "Role": ',
                                                {"Content-Type": "application/json"})
        self._assert_bad_request(status, headers, body)
        self.assert_client_error(self.lam.get_function, 404, "ResourceNotFoundException",
                                 f"Function not found: {function_arn(name)}", FunctionName=name)
        self.assertEqual(self.lam.get_account_settings()["AccountUsage"], before)

    def test_CreateFunction_WrongType_400AndNothingCreated(self):
        name = unique_name("wrongtype")
        doc = {"FunctionName": name, "Role": ROLE, "Runtime": "provided.al2023", "Handler": "bootstrap",
               "Timeout": "three", "Code": {"ZipFile": ZIP_B64}}
        status, headers, body = self.server.raw("POST", "/2015-03-31/functions", json.dumps(doc),
                                                {"Content-Type": "application/json"})
        self._assert_bad_request(status, headers, body)
        self.assert_client_error(self.lam.get_function, 404, "ResourceNotFoundException",
                                 f"Function not found: {function_arn(name)}", FunctionName=name)

    def test_UpdateFunctionConfiguration_BadBodies_StateUnchanged(self):
        name = unique_name("rawupd")
        self.create_function(name, Description="original")
        before = self.lam.get_function(FunctionName=name)
        path = f"/2015-03-31/functions/{name}/configuration"
        for bad in ('{"Description": "changed", ', '{"Description": "changed", "MemorySize": "lots"}',
                    '["Description", "changed"]', '{"Description": "changed", "Environment": {"Variables": 5}}'):
            status, headers, body = self.server.raw("PUT", path, bad, {"Content-Type": "application/json"})
            self._assert_bad_request(status, headers, body)
        status, headers, body = self.server.raw("PUT", path, json.dumps({"Description": "x" * 257}),
                                                {"Content-Type": "application/json"})
        self._assert_bad_request(status, headers, body, "ValidationException",
                                 "1 validation error detected: Value '" + "x" * 257 + "' at 'description' failed "
                                 "to satisfy constraint: Member must have length less than or equal to 256")
        after = self.lam.get_function(FunctionName=name)
        self.assertEqual(after["Configuration"], before["Configuration"])
        self.assertEqual(after.get("Tags"), before.get("Tags"))

    def test_ErrorEncoding_NotFound_HasBotocoreFields(self):
        name = unique_name("enc")
        status, headers, body = self.server.raw("GET", f"/2015-03-31/functions/{name}")
        self.assertEqual(status, 404)
        self.assertEqual(headers.get("x-amzn-errortype", "").split(":")[0], "ResourceNotFoundException")
        self.assertTrue(headers.get("x-amzn-requestid"))
        self.assertEqual(headers.get("content-type", "").split(";")[0], "application/json")
        payload = json.loads(body)
        self.assertEqual(payload["Type"], "User")
        self.assertEqual(payload["Message"], f"Function not found: {function_arn(name)}")
        self.assertEqual(payload["__type"].split("#")[-1].split(":")[0], "ResourceNotFoundException")

    def test_ErrorEncoding_Conflict_UsesLowercaseMessage(self):
        name = unique_name("enc409")
        self.create_function(name)
        doc = {"FunctionName": name, "Role": ROLE, "Runtime": "provided.al2023", "Handler": "bootstrap",
               "Code": {"ZipFile": ZIP_B64}}
        status, headers, body = self.server.raw("POST", "/2015-03-31/functions", json.dumps(doc),
                                                {"Content-Type": "application/json"})
        self.assertEqual(status, 409, body)
        payload = json.loads(body)
        self.assertEqual(payload["Type"], "User")
        self.assertEqual(payload["message"], f"Function already exist: {name}")
        self.assertEqual(headers.get("x-amzn-errortype", "").split(":")[0], "ResourceConflictException")

    def test_PercentEncodedArnInPath_Resolves(self):
        name = unique_name("enc-arn")
        self.create_function(name)
        encoded = urllib.parse.quote(function_arn(name), safe="")
        status, _, body = self.server.raw("GET", f"/2015-03-31/functions/{encoded}/configuration")
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(body)["FunctionName"], name)
        status, _, body = self.server.raw("GET", f"/2015-03-31/functions/{name}/configuration/")
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(body), strip_metadata(self.lam.get_function_configuration(FunctionName=name)))


if __name__ == "__main__":
    unittest.main()
