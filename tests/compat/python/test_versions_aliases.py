"""PublishVersion, ListVersionsByFunction, aliases (CRUD, RoutingConfig validation), with boto3.

Messages not in lambda-api.md come from LocalStack's provider, whose Lambda API tests are validated
against AWS-recorded snapshots (tests/aws/services/lambda_/test_lambda_api.snapshot.json,
TestLambdaVersions / TestLambdaAlias): "Alias already exists: <arn>", "Cannot find alias arn: <arn>",
the routingConfig ValidationException wording and the RevisionId 412 text.
"""

import unittest

from harness import (LAMBDA_DATE_RE, UUID_RE, ServerTestCase, bootstrap_zip, function_arn, sha256_b64,
                     unique_name)

PRECONDITION = ("The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API "
                "to retrieve the latest Revision Id")


class VersionTests(ServerTestCase):

    def test_PublishVersion_First_Returns201Version1WithQualifiedArn(self):
        name = unique_name("pub")
        code = bootstrap_zip(name)
        self.create_function(name, zip_bytes=code, Description="fn description")
        resp = self.lam.publish_version(FunctionName=name, Description="first")
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 201)
        self.assertEqual(resp["Version"], "1")
        self.assertEqual(resp["FunctionArn"], function_arn(name, "1"))
        self.assertEqual(resp["FunctionName"], name)
        self.assertEqual(resp["Description"], "first")
        self.assertEqual(resp["CodeSha256"], sha256_b64(code))
        self.assertEqual(resp["CodeSize"], len(code))
        self.assertRegex(resp["LastModified"], LAMBDA_DATE_RE)
        self.assertRegex(resp["RevisionId"], UUID_RE)
        self.lam.get_waiter("published_version_active").wait(FunctionName=name, Qualifier="1",
                                                             WaiterConfig={"Delay": 0.2, "MaxAttempts": 300})
        got = self.lam.get_function(FunctionName=name, Qualifier="1")["Configuration"]
        self.assertEqual(got["State"], "Active")
        self.assertEqual(got["Version"], "1")
        self.assertEqual(got["FunctionArn"], function_arn(name, "1"))
        self.assertEqual(got["Description"], "first")
        by_colon = self.lam.get_function_configuration(FunctionName=f"{name}:1")
        self.assertEqual(by_colon["FunctionArn"], function_arn(name, "1"))

    def test_PublishVersion_UnchangedCode_ReturnsSameVersion(self):
        name = unique_name("pubsame")
        self.create_function(name)
        first = self.publish(name)
        again = self.lam.publish_version(FunctionName=name)
        self.assertEqual(again["ResponseMetadata"]["HTTPStatusCode"], 201)
        self.assertEqual(again["Version"], first["Version"])
        self.assertEqual(again["FunctionArn"], function_arn(name, "1"))
        # A change to $LATEST makes the next publish a new version.
        self.lam.update_function_code(FunctionName=name, ZipFile=bootstrap_zip(name + "-v2"))
        self.wait_updated(name)
        second = self.publish(name)
        self.assertEqual(second["Version"], "2")
        self.assertEqual(second["FunctionArn"], function_arn(name, "2"))

    def test_PublishVersion_WrongCodeSha_InvalidParameterValue(self):
        name = unique_name("pubsha")
        code = bootstrap_zip(name)
        self.create_function(name, zip_bytes=code)
        current = sha256_b64(code)
        self.assert_client_error(
            self.lam.publish_version, 400, "InvalidParameterValueException",
            f"CodeSHA256 (wrong) is different from current CodeSHA256 in $LATEST ({current}). "
            "Please try again with the CodeSHA256 in $LATEST.", FunctionName=name, CodeSha256="wrong")

    def test_PublishVersion_StaleRevisionId_Returns412(self):
        name = unique_name("pubrev")
        self.create_function(name)
        self.assert_client_error(self.lam.publish_version, 412, "PreconditionFailedException", PRECONDITION,
                                 FunctionName=name, RevisionId="00000000-0000-0000-0000-000000000000")
        self.assertEqual([v["Version"] for v in self.lam.list_versions_by_function(FunctionName=name)["Versions"]],
                         ["$LATEST"])

    def test_PublishVersion_UnknownFunction_Returns404(self):
        name = unique_name("pubnone")
        self.assert_client_error(self.lam.publish_version, 404, "ResourceNotFoundException",
                                 f"Function not found: {function_arn(name)}", FunctionName=name)

    def test_ListVersionsByFunction_TwoVersions_QualifiedArnsInOrder(self):
        name = unique_name("listver")
        self.create_function(name)
        self.publish(name)
        self.lam.update_function_configuration(FunctionName=name, Description="v2")
        self.wait_updated(name)
        self.publish(name)
        resp = self.lam.list_versions_by_function(FunctionName=name)
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual([v["Version"] for v in resp["Versions"]], ["$LATEST", "1", "2"])
        self.assertEqual([v["FunctionArn"] for v in resp["Versions"]],
                         [function_arn(name, "$LATEST"), function_arn(name, "1"), function_arn(name, "2")])
        self.assertNotIn("NextMarker", resp)
        page1 = self.lam.list_versions_by_function(FunctionName=name, MaxItems=2)
        self.assertEqual([v["Version"] for v in page1["Versions"]], ["$LATEST", "1"])
        page2 = self.lam.list_versions_by_function(FunctionName=name, MaxItems=2, Marker=page1["NextMarker"])
        self.assertEqual([v["Version"] for v in page2["Versions"]], ["2"])
        self.assertNotIn("NextMarker", page2)

    def test_ListVersionsByFunction_UnknownFunction_Returns404(self):
        name = unique_name("lvnone")
        self.assert_client_error(self.lam.list_versions_by_function, 404, "ResourceNotFoundException",
                                 f"Function not found: {function_arn(name)}", FunctionName=name)

    def test_CreateFunction_PublishTrue_CreatesVersion1(self):
        name = unique_name("createpub")
        resp = self.create_function(name, wait=False, Publish=True)
        self.assertEqual(resp["Version"], "1")
        self.assertEqual(resp["FunctionArn"], function_arn(name, "1"))
        self.lam.get_waiter("published_version_active").wait(FunctionName=name, Qualifier="1",
                                                             WaiterConfig={"Delay": 0.2, "MaxAttempts": 300})
        self.assertEqual([v["Version"] for v in self.lam.list_versions_by_function(FunctionName=name)["Versions"]],
                         ["$LATEST", "1"])


class AliasTests(ServerTestCase):

    def _function_with_versions(self, count: int) -> str:
        name = unique_name("alias")
        self.create_function(name)
        for i in range(count):
            if i:
                self.lam.update_function_configuration(FunctionName=name, Description=f"v{i + 1}")
                self.wait_updated(name)
            self.assertEqual(self.publish(name)["Version"], str(i + 1))
        return name

    def test_CreateAlias_Returns201AndGetAliasMatches(self):
        name = self._function_with_versions(1)
        resp = self.lam.create_alias(FunctionName=name, Name="live", FunctionVersion="1")
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 201)
        self.assertEqual(resp["AliasArn"], function_arn(name, "live"))
        self.assertEqual(resp["Name"], "live")
        self.assertEqual(resp["FunctionVersion"], "1")
        self.assertEqual(resp["Description"], "")
        self.assertRegex(resp["RevisionId"], UUID_RE)
        self.assertNotIn("RoutingConfig", resp)
        got = self.lam.get_alias(FunctionName=name, Name="live")
        self.assertEqual(got["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual({k: v for k, v in got.items() if k != "ResponseMetadata"},
                         {k: v for k, v in resp.items() if k != "ResponseMetadata"})
        cfg = self.lam.get_function(FunctionName=name, Qualifier="live")["Configuration"]
        self.assertEqual(cfg["Version"], "1")
        self.assertEqual(cfg["FunctionArn"], function_arn(name, "live"))

    def test_CreateAlias_WithRoutingConfig_RoundTrips(self):
        name = self._function_with_versions(2)
        resp = self.lam.create_alias(FunctionName=name, Name="canary", FunctionVersion="1", Description="canary",
                                     RoutingConfig={"AdditionalVersionWeights": {"2": 0.25}})
        self.assertEqual(resp["RoutingConfig"], {"AdditionalVersionWeights": {"2": 0.25}})
        self.assertEqual(resp["Description"], "canary")
        got = self.lam.get_alias(FunctionName=name, Name="canary")
        self.assertEqual(got["RoutingConfig"], {"AdditionalVersionWeights": {"2": 0.25}})

    def test_CreateAlias_Duplicate_Returns409(self):
        name = self._function_with_versions(1)
        self.lam.create_alias(FunctionName=name, Name="dup", FunctionVersion="1")
        self.assert_client_error(self.lam.create_alias, 409, "ResourceConflictException",
                                 f"Alias already exists: {function_arn(name, 'dup')}",
                                 FunctionName=name, Name="dup", FunctionVersion="1")

    def test_CreateAlias_WeightAboveOne_ValidationException(self):
        name = self._function_with_versions(2)
        self.assert_client_error(
            self.lam.create_alias, 400, "ValidationException",
            "1 validation error detected: Value '{2=1.5}' at 'routingConfig.additionalVersionWeights' failed to "
            "satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to "
            "1.0, Member must have value greater than or equal to 0.0, Member must not be null]",
            FunctionName=name, Name="heavy", FunctionVersion="1",
            RoutingConfig={"AdditionalVersionWeights": {"2": 1.5}})
        self.assert_client_error(self.lam.get_alias, 404, "ResourceNotFoundException",
                                 f"Cannot find alias arn: {function_arn(name, 'heavy')}", FunctionName=name,
                                 Name="heavy")

    def test_CreateAlias_TwoAdditionalWeights_InvalidParameterValue(self):
        name = self._function_with_versions(3)
        self.assert_client_error(self.lam.create_alias, 400, "InvalidParameterValueException",
                                 "Number of items in AdditionalVersionWeights cannot be greater than 1",
                                 FunctionName=name, Name="two", FunctionVersion="1",
                                 RoutingConfig={"AdditionalVersionWeights": {"2": 0.1, "3": 0.1}})

    def test_CreateAlias_WeightOnOwnVersion_InvalidParameterValue(self):
        name = self._function_with_versions(1)
        self.assert_client_error(self.lam.create_alias, 400, "InvalidParameterValueException",
                                 "Invalid function version 1. Function version 1 is already included in routing "
                                 "configuration.", FunctionName=name, Name="self", FunctionVersion="1",
                                 RoutingConfig={"AdditionalVersionWeights": {"1": 0.5}})

    def test_CreateAlias_NumericName_ValidationException(self):
        name = self._function_with_versions(1)
        self.assert_client_error(self.lam.create_alias, 400, "ValidationException",
                                 "1 validation error detected: Value '123' at 'name' failed to satisfy constraint: "
                                 "Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)",
                                 FunctionName=name, Name="123", FunctionVersion="1")

    def test_CreateAlias_UnknownVersion_Returns404(self):
        name = self._function_with_versions(1)
        self.assert_client_error(self.lam.create_alias, 404, "ResourceNotFoundException",
                                 f"Function not found: {function_arn(name, '9')}", FunctionName=name,
                                 Name="ghost", FunctionVersion="9")

    def test_UpdateAlias_ChangesVersionAndRevision_StaleRevision412(self):
        name = self._function_with_versions(2)
        created = self.lam.create_alias(FunctionName=name, Name="upd", FunctionVersion="1")
        updated = self.lam.update_alias(FunctionName=name, Name="upd", FunctionVersion="2", Description="moved",
                                        RevisionId=created["RevisionId"])
        self.assertEqual(updated["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(updated["FunctionVersion"], "2")
        self.assertEqual(updated["Description"], "moved")
        self.assertNotEqual(updated["RevisionId"], created["RevisionId"])
        self.assert_client_error(self.lam.update_alias, 412, "PreconditionFailedException", PRECONDITION,
                                 FunctionName=name, Name="upd", FunctionVersion="1",
                                 RevisionId=created["RevisionId"])
        self.assertEqual(self.lam.get_alias(FunctionName=name, Name="upd")["FunctionVersion"], "2")
        # Routing added by update, then removed with an empty map.
        routed = self.lam.update_alias(FunctionName=name, Name="upd", FunctionVersion="2",
                                       RoutingConfig={"AdditionalVersionWeights": {"1": 0.5}})
        self.assertEqual(routed["RoutingConfig"], {"AdditionalVersionWeights": {"1": 0.5}})
        cleared = self.lam.update_alias(FunctionName=name, Name="upd", RoutingConfig={"AdditionalVersionWeights": {}})
        self.assertNotIn("RoutingConfig", cleared)

    def test_ListAliases_FilterAndPagination(self):
        name = self._function_with_versions(2)
        for alias, version in (("a1", "1"), ("a2", "2"), ("a3", "1")):
            self.lam.create_alias(FunctionName=name, Name=alias, FunctionVersion=version)
        resp = self.lam.list_aliases(FunctionName=name)
        self.assertEqual(sorted(a["Name"] for a in resp["Aliases"]), ["a1", "a2", "a3"])
        self.assertNotIn("NextMarker", resp)
        only_v1 = self.lam.list_aliases(FunctionName=name, FunctionVersion="1")
        self.assertEqual(sorted(a["Name"] for a in only_v1["Aliases"]), ["a1", "a3"])
        pages = list(self.lam.get_paginator("list_aliases").paginate(FunctionName=name,
                                                                     PaginationConfig={"PageSize": 2}))
        self.assertEqual([len(p["Aliases"]) for p in pages], [2, 1])
        self.assertEqual(sorted(a["Name"] for p in pages for a in p["Aliases"]), ["a1", "a2", "a3"])

    def test_DeleteAlias_Returns204ThenGet404(self):
        name = self._function_with_versions(1)
        self.lam.create_alias(FunctionName=name, Name="gone", FunctionVersion="1")
        resp = self.lam.delete_alias(FunctionName=name, Name="gone")
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assert_client_error(self.lam.get_alias, 404, "ResourceNotFoundException",
                                 f"Cannot find alias arn: {function_arn(name, 'gone')}", FunctionName=name,
                                 Name="gone")
        self.assert_client_error(self.lam.get_function, 404, "ResourceNotFoundException",
                                 f"Function not found: {function_arn(name, 'gone')}", FunctionName=name,
                                 Qualifier="gone")


if __name__ == "__main__":
    unittest.main()
