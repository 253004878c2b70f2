"""Reserved concurrency (Put/Get/Delete, unreserved minimum) and provisioned concurrency configs, with boto3.

The unreserved-minimum message is the one in lambda-api.md; provisioned-concurrency messages come from
LocalStack's provider (AWS-snapshot-matched, TestProvisionedConcurrency in
tests/aws/services/lambda_/test_lambda_api.snapshot.json).
"""

import unittest

from harness import LAMBDA_DATE_RE, ServerTestCase, function_arn, unique_name

BELOW_MINIMUM = ("Specified ReservedConcurrentExecutions for function decreases account's "
                 "UnreservedConcurrentExecution below its minimum value of [100].")


class ReservedConcurrencyTests(ServerTestCase):

    def test_PutFunctionConcurrency_GetAndDelete_RoundTrip(self):
        name = unique_name("rc")
        self.create_function(name)
        self.assertNotIn("ReservedConcurrentExecutions", self.lam.get_function_concurrency(FunctionName=name))
        put = self.lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=10)
        self.assertEqual(put["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(put["ReservedConcurrentExecutions"], 10)
        got = self.lam.get_function_concurrency(FunctionName=name)
        self.assertEqual(got["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(got["ReservedConcurrentExecutions"], 10)
        self.assertEqual(self.lam.get_function(FunctionName=name)["Concurrency"], {"ReservedConcurrentExecutions": 10})
        self.assertEqual(self.lam.get_account_settings()["AccountLimit"]["UnreservedConcurrentExecutions"], 990)
        deleted = self.lam.delete_function_concurrency(FunctionName=name)
        self.assertEqual(deleted["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertNotIn("ReservedConcurrentExecutions", self.lam.get_function_concurrency(FunctionName=name))
        self.assertNotIn("Concurrency", self.lam.get_function(FunctionName=name))
        self.assertEqual(self.lam.get_account_settings()["AccountLimit"]["UnreservedConcurrentExecutions"], 1000)

    def test_PutFunctionConcurrency_AtAndBelowUnreservedMinimum(self):
        name = unique_name("rcmin")
        self.create_function(name)
        self.assert_client_error(self.lam.put_function_concurrency, 400, "InvalidParameterValueException",
                                 BELOW_MINIMUM, FunctionName=name, ReservedConcurrentExecutions=901)
        self.assertNotIn("ReservedConcurrentExecutions", self.lam.get_function_concurrency(FunctionName=name))
        # Exactly 100 left unreserved is allowed; replacing a reservation does not double-count it.
        self.assertEqual(self.lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=900)
                         ["ReservedConcurrentExecutions"], 900)
        self.assertEqual(self.lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=900)
                         ["ReservedConcurrentExecutions"], 900)
        other = unique_name("rcother")
        self.create_function(other)
        self.assert_client_error(self.lam.put_function_concurrency, 400, "InvalidParameterValueException",
                                 BELOW_MINIMUM, FunctionName=other, ReservedConcurrentExecutions=1)
        self.lam.delete_function_concurrency(FunctionName=name)
        self.assertEqual(self.lam.put_function_concurrency(FunctionName=other, ReservedConcurrentExecutions=0)
                         ["ReservedConcurrentExecutions"], 0)
        self.lam.delete_function_concurrency(FunctionName=other)

    def test_PutFunctionConcurrency_UnknownFunction_Returns404(self):
        name = unique_name("rcnone")
        resp = self.assert_client_error(self.lam.put_function_concurrency, 404, "ResourceNotFoundException",
                                        FunctionName=name, ReservedConcurrentExecutions=5)
        self.assertTrue(resp["Error"]["Message"].startswith(f"Function not found: {function_arn(name)}"))

    def test_PutFunctionConcurrency_Negative_ValidationException(self):
        name = unique_name("rcneg")
        self.create_function(name)
        self.assert_client_error(
            self.lam_nv.put_function_concurrency, 400, "ValidationException",
            "1 validation error detected: Value '-1' at 'reservedConcurrentExecutions' failed to satisfy constraint: "
            "Member must have value greater than or equal to 0", FunctionName=name, ReservedConcurrentExecutions=-1)


class ProvisionedConcurrencyTests(ServerTestCase):

    def _function_with_version(self):
        name = unique_name("pc")
        self.create_function(name)
        self.publish(name)
        return name

    def test_PutProvisionedConcurrencyConfig_Returns202ThenGetListDelete(self):
        name = self._function_with_version()
        put = self.lam.put_provisioned_concurrency_config(FunctionName=name, Qualifier="1",
                                                          ProvisionedConcurrentExecutions=2)
        self.assertEqual(put["ResponseMetadata"]["HTTPStatusCode"], 202)
        self.assertEqual(put["RequestedProvisionedConcurrentExecutions"], 2)
        self.assertEqual(put["AllocatedProvisionedConcurrentExecutions"], 0)
        self.assertEqual(put["AvailableProvisionedConcurrentExecutions"], 0)
        self.assertEqual(put["Status"], "IN_PROGRESS")
        self.assertRegex(put["LastModified"], LAMBDA_DATE_RE)
        got = self.lam.get_provisioned_concurrency_config(FunctionName=name, Qualifier="1")
        self.assertEqual(got["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(got["RequestedProvisionedConcurrentExecutions"], 2)
        self.assertIn(got["Status"], ("IN_PROGRESS", "READY", "FAILED"))
        self.assertEqual(got["LastModified"], put["LastModified"])
        listed = self.lam.list_provisioned_concurrency_configs(FunctionName=name)
        self.assertEqual(listed["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(len(listed["ProvisionedConcurrencyConfigs"]), 1)
        item = listed["ProvisionedConcurrencyConfigs"][0]
        self.assertEqual(item["FunctionArn"], function_arn(name, "1"))
        self.assertEqual(item["RequestedProvisionedConcurrentExecutions"], 2)
        deleted = self.lam.delete_provisioned_concurrency_config(FunctionName=name, Qualifier="1")
        self.assertEqual(deleted["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assert_client_error(self.lam.get_provisioned_concurrency_config, 404,
                                 "ProvisionedConcurrencyConfigNotFoundException",
                                 "No Provisioned Concurrency Config found for this function",
                                 FunctionName=name, Qualifier="1")
        self.assertEqual(self.lam.list_provisioned_concurrency_configs(FunctionName=name)
                         ["ProvisionedConcurrencyConfigs"], [])

    def test_PutProvisionedConcurrencyConfig_OnAlias_ListedUnderAliasArn(self):
        name = self._function_with_version()
        self.lam.create_alias(FunctionName=name, Name="live", FunctionVersion="1")
        put = self.lam.put_provisioned_concurrency_config(FunctionName=name, Qualifier="live",
                                                          ProvisionedConcurrentExecutions=1)
        self.assertEqual(put["ResponseMetadata"]["HTTPStatusCode"], 202)
        items = self.lam.list_provisioned_concurrency_configs(FunctionName=name)["ProvisionedConcurrencyConfigs"]
        self.assertEqual([i["FunctionArn"] for i in items], [function_arn(name, "live")])
        self.lam.delete_provisioned_concurrency_config(FunctionName=name, Qualifier="live")

    def test_GetProvisionedConcurrencyConfig_None_Returns404NotFoundException(self):
        name = self._function_with_version()
        self.assert_client_error(self.lam.get_provisioned_concurrency_config, 404,
                                 "ProvisionedConcurrencyConfigNotFoundException",
                                 "No Provisioned Concurrency Config found for this function",
                                 FunctionName=name, Qualifier="1")

    def test_PutProvisionedConcurrencyConfig_Latest_InvalidParameterValue(self):
        name = self._function_with_version()
        self.assert_client_error(self.lam.put_provisioned_concurrency_config, 400, "InvalidParameterValueException",
                                 "Provisioned Concurrency Configs cannot be applied to unpublished function versions.",
                                 FunctionName=name, Qualifier="$LATEST", ProvisionedConcurrentExecutions=1)

    def test_PutProvisionedConcurrencyConfig_UnknownVersion_Returns404(self):
        name = self._function_with_version()
        self.assert_client_error(self.lam.put_provisioned_concurrency_config, 404, "ResourceNotFoundException",
                                 f"Function not found: {function_arn(name, '5')}", FunctionName=name,
                                 Qualifier="5", ProvisionedConcurrentExecutions=1)

    def test_PutProvisionedConcurrencyConfig_AboveReserved_InvalidParameterValue(self):
        name = self._function_with_version()
        self.lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=2)
        self.assert_client_error(self.lam.put_provisioned_concurrency_config, 400, "InvalidParameterValueException",
                                 "Requested Provisioned Concurrency should not be greater than the "
                                 "reservedConcurrentExecution for function",
                                 FunctionName=name, Qualifier="1", ProvisionedConcurrentExecutions=3)
        self.lam.delete_function_concurrency(FunctionName=name)


if __name__ == "__main__":
    unittest.main()
