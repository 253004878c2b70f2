"""Function event invoke configs: Put (replace) / Update (merge) / Get / Delete / List and validation.

Messages not in lambda-api.md: LocalStack provider (AWS-snapshot-matched, TestLambdaEventInvokeConfig in
tests/aws/services/lambda_/test_lambda_api.snapshot.json). LastModified is epoch seconds (a JSON number)
per lambda-api.md, checked on the raw response.
"""

import json
import unittest

from harness import ServerTestCase, function_arn, unique_name


class EventInvokeConfigTests(ServerTestCase):

    def _fn(self):
        name = unique_name("eic")
        self.create_function(name)
        return name

    def test_PutFunctionEventInvokeConfig_ThenGet_ExactFields(self):
        name = self._fn()
        put = self.lam.put_function_event_invoke_config(FunctionName=name, MaximumRetryAttempts=1,
                                                        MaximumEventAgeInSeconds=120)
        self.assertEqual(put["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(put["FunctionArn"], function_arn(name, "$LATEST"))
        self.assertEqual(put["MaximumRetryAttempts"], 1)
        self.assertEqual(put["MaximumEventAgeInSeconds"], 120)
        got = self.lam.get_function_event_invoke_config(FunctionName=name)
        self.assertEqual(got["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(got["FunctionArn"], function_arn(name, "$LATEST"))
        self.assertEqual(got["MaximumRetryAttempts"], 1)
        self.assertEqual(got["MaximumEventAgeInSeconds"], 120)
        self.assertEqual(got["LastModified"], put["LastModified"])
        status, _, body = self.server.raw("GET", f"/2019-09-25/functions/{name}/event-invoke-config")
        self.assertEqual(status, 200)
        raw = json.loads(body)
        self.assertIsInstance(raw["LastModified"], (int, float))
        self.assertNotIsInstance(raw["LastModified"], bool)

    def test_UpdateFunctionEventInvokeConfig_MergesButPutReplaces(self):
        name = self._fn()
        self.lam.put_function_event_invoke_config(FunctionName=name, MaximumRetryAttempts=1,
                                                  MaximumEventAgeInSeconds=120)
        upd = self.lam.update_function_event_invoke_config(FunctionName=name, MaximumRetryAttempts=0)
        self.assertEqual(upd["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(upd["MaximumRetryAttempts"], 0)
        self.assertEqual(upd["MaximumEventAgeInSeconds"], 120)
        dest = f"arn:aws:sqs:us-east-1:000000000000:{name}-dlq"
        upd2 = self.lam.update_function_event_invoke_config(
            FunctionName=name, DestinationConfig={"OnFailure": {"Destination": dest}})
        self.assertEqual(upd2["DestinationConfig"]["OnFailure"], {"Destination": dest})
        self.assertEqual(upd2["MaximumRetryAttempts"], 0)
        replaced = self.lam.put_function_event_invoke_config(FunctionName=name, MaximumRetryAttempts=2)
        self.assertEqual(replaced["MaximumRetryAttempts"], 2)
        self.assertNotIn("MaximumEventAgeInSeconds", replaced)
        self.assertNotIn("Destination", replaced.get("DestinationConfig", {}).get("OnFailure", {}))
        got = self.lam.get_function_event_invoke_config(FunctionName=name)
        self.assertNotIn("MaximumEventAgeInSeconds", got)
        self.assertEqual(got["MaximumRetryAttempts"], 2)

    def test_UpdateFunctionEventInvokeConfig_NoConfig_Returns404(self):
        name = self._fn()
        self.assert_client_error(
            self.lam.update_function_event_invoke_config, 404, "ResourceNotFoundException",
            f"The function {function_arn(name, '$LATEST')} doesn't have an EventInvokeConfig",
            FunctionName=name, MaximumRetryAttempts=1)

    def test_DeleteFunctionEventInvokeConfig_Returns204ThenGet404(self):
        name = self._fn()
        self.lam.put_function_event_invoke_config(FunctionName=name, MaximumRetryAttempts=1)
        resp = self.lam.delete_function_event_invoke_config(FunctionName=name)
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assert_client_error(
            self.lam.get_function_event_invoke_config, 404, "ResourceNotFoundException",
            f"The function {function_arn(name, '$LATEST')} doesn't have an EventInvokeConfig", FunctionName=name)

    def test_ListFunctionEventInvokeConfigs_LatestAndVersion(self):
        name = self._fn()
        self.publish(name)
        self.lam.put_function_event_invoke_config(FunctionName=name, MaximumRetryAttempts=1)
        self.lam.put_function_event_invoke_config(FunctionName=name, Qualifier="1", MaximumEventAgeInSeconds=60)
        listed = self.lam.list_function_event_invoke_configs(FunctionName=name)
        self.assertEqual(listed["ResponseMetadata"]["HTTPStatusCode"], 200)
        arns = sorted(c["FunctionArn"] for c in listed["FunctionEventInvokeConfigs"])
        self.assertEqual(arns, sorted([function_arn(name, "$LATEST"), function_arn(name, "1")]))
        v1 = self.lam.get_function_event_invoke_config(FunctionName=name, Qualifier="1")
        self.assertEqual(v1["FunctionArn"], function_arn(name, "1"))
        self.assertEqual(v1["MaximumEventAgeInSeconds"], 60)

    def test_PutFunctionEventInvokeConfig_RetryAttempts3_ValidationException(self):
        name = self._fn()
        self.assert_client_error(
            self.lam_nv.put_function_event_invoke_config, 400, "ValidationException",
            "1 validation error detected: Value '3' at 'maximumRetryAttempts' failed to satisfy constraint: "
            "Member must have value less than or equal to 2", FunctionName=name, MaximumRetryAttempts=3)
        self.assert_client_error(
            self.lam_nv.put_function_event_invoke_config, 400, "ValidationException",
            "1 validation error detected: Value '-1' at 'maximumRetryAttempts' failed to satisfy constraint: "
            "Member must have value greater than or equal to 0", FunctionName=name, MaximumRetryAttempts=-1)
        self.assert_client_error(
            self.lam.get_function_event_invoke_config, 404, "ResourceNotFoundException",
            f"The function {function_arn(name, '$LATEST')} doesn't have an EventInvokeConfig", FunctionName=name)

    def test_PutFunctionEventInvokeConfig_EventAgeOutOfRange_ValidationException(self):
        name = self._fn()
        self.assert_client_error(
            self.lam_nv.put_function_event_invoke_config, 400, "ValidationException",
            "1 validation error detected: Value '59' at 'maximumEventAgeInSeconds' failed to satisfy constraint: "
            "Member must have value greater than or equal to 60", FunctionName=name, MaximumEventAgeInSeconds=59)
        self.assert_client_error(
            self.lam_nv.put_function_event_invoke_config, 400, "ValidationException",
            "1 validation error detected: Value '21601' at 'maximumEventAgeInSeconds' failed to satisfy constraint: "
            "Member must have value less than or equal to 21600", FunctionName=name, MaximumEventAgeInSeconds=21601)
        # Boundaries are accepted.
        self.assertEqual(self.lam.put_function_event_invoke_config(FunctionName=name, MaximumEventAgeInSeconds=21600)
                         ["MaximumEventAgeInSeconds"], 21600)
        self.assertEqual(self.lam.put_function_event_invoke_config(FunctionName=name, MaximumEventAgeInSeconds=60)
                         ["MaximumEventAgeInSeconds"], 60)

    def test_PutFunctionEventInvokeConfig_NothingSet_InvalidParameterValue(self):
        name = self._fn()
        self.assert_client_error(self.lam.put_function_event_invoke_config, 400, "InvalidParameterValueException",
                                 "You must specify at least one of error handling or destination setting.",
                                 FunctionName=name)

    def test_PutFunctionEventInvokeConfig_UnknownFunction_Returns404(self):
        name = unique_name("eicnone")
        self.assert_client_error(self.lam.put_function_event_invoke_config, 404, "ResourceNotFoundException",
                                 "The function doesn't exist.", FunctionName=name, MaximumRetryAttempts=1)


if __name__ == "__main__":
    unittest.main()
