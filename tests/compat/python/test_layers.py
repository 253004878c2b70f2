"""Layers: Publish/Get/GetByArn/List/ListVersions/Delete and layer version permissions, with boto3.

Policy/statement shapes follow the AWS CLI reference examples for add-layer-version-permission and
get-layer-version-policy ({"Sid","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::<acct>:root"},
"Action":"lambda:GetLayerVersion","Resource":"<layer version arn>"}; policy Version 2012-10-17, Id default).
Not-found messages: LocalStack provider (AWS-snapshot-matched, TestLayerVersions in
tests/aws/services/lambda_/test_lambda_api.snapshot.json).
"""

import json
import unittest

from harness import (LAMBDA_DATE_RE, UUID_RE, ServerTestCase, layer_arn, make_zip, sha256_b64,
                     strip_metadata, unique_name)

NOT_EXIST = "The resource you requested does not exist."


class LayerTests(ServerTestCase):

    def _publish(self, name, marker="", **kwargs):
        content = make_zip({"python/lib.py": f"VALUE = {marker!r}\n"})
        resp = self.lam.publish_layer_version(LayerName=name, Content={"ZipFile": content}, **kwargs)
        return resp, content

    def test_PublishLayerVersion_Returns201WithExactShape(self):
        name = unique_name("layer")
        resp, content = self._publish(name, "one", Description="my layer", CompatibleRuntimes=["provided.al2023"],
                                      CompatibleArchitectures=["x86_64"], LicenseInfo="MIT")
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 201)
        self.assertEqual(resp["LayerArn"], layer_arn(name))
        self.assertEqual(resp["LayerVersionArn"], layer_arn(name, 1))
        self.assertEqual(resp["Version"], 1)
        self.assertEqual(resp["Description"], "my layer")
        self.assertEqual(resp["CompatibleRuntimes"], ["provided.al2023"])
        self.assertEqual(resp["CompatibleArchitectures"], ["x86_64"])
        self.assertEqual(resp["LicenseInfo"], "MIT")
        self.assertRegex(resp["CreatedDate"], LAMBDA_DATE_RE)
        self.assertEqual(resp["Content"]["CodeSha256"], sha256_b64(content))
        self.assertEqual(resp["Content"]["CodeSize"], len(content))
        self.assertTrue(resp["Content"]["Location"].startswith("http"))
        second, _ = self._publish(name, "two")
        self.assertEqual(second["Version"], 2)
        self.assertEqual(second["LayerVersionArn"], layer_arn(name, 2))
        self.assertEqual(second["Description"], "")

    def test_GetLayerVersion_AndByArn_MatchPublish(self):
        name = unique_name("getlayer")
        pub, _ = self._publish(name, "x", Description="d")
        got = self.lam.get_layer_version(LayerName=name, VersionNumber=1)
        self.assertEqual(got["ResponseMetadata"]["HTTPStatusCode"], 200)
        by_arn = self.lam.get_layer_version_by_arn(Arn=layer_arn(name, 1))
        expected = strip_metadata(pub)
        for resp in (got, by_arn):
            body = strip_metadata(resp)
            body["Content"].pop("Location")
            exp = dict(expected, Content={k: v for k, v in expected["Content"].items() if k != "Location"})
            self.assertEqual(body, exp)

    def test_GetLayerVersion_Missing_Returns404(self):
        name = unique_name("nolayer")
        self.assert_client_error(self.lam.get_layer_version, 404, "ResourceNotFoundException", NOT_EXIST,
                                 LayerName=name, VersionNumber=1)
        self.assert_client_error(self.lam.get_layer_version_by_arn, 404, "ResourceNotFoundException", NOT_EXIST,
                                 Arn=layer_arn(name, 1))

    def test_GetLayerVersionByArn_Unversioned_ValidationException(self):
        name = unique_name("unver")
        self.assert_client_error(
            self.lam.get_layer_version_by_arn, 400, "ValidationException",
            message_prefix=f"1 validation error detected: Value '{layer_arn(name)}' at 'arn' failed to satisfy "
                           "constraint: Member must satisfy regular expression pattern: ",
            Arn=layer_arn(name))

    def test_ListLayerVersions_NewestFirst(self):
        name = unique_name("lv")
        for marker in ("a", "b", "c"):
            self._publish(name, marker)
        resp = self.lam.list_layer_versions(LayerName=name)
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual([v["Version"] for v in resp["LayerVersions"]], [3, 2, 1])
        self.assertEqual([v["LayerVersionArn"] for v in resp["LayerVersions"]],
                         [layer_arn(name, 3), layer_arn(name, 2), layer_arn(name, 1)])
        self.assertNotIn("NextMarker", resp)
        page = self.lam.list_layer_versions(LayerName=name, MaxItems=2)
        self.assertEqual([v["Version"] for v in page["LayerVersions"]], [3, 2])
        rest = self.lam.list_layer_versions(LayerName=name, MaxItems=2, Marker=page["NextMarker"])
        self.assertEqual([v["Version"] for v in rest["LayerVersions"]], [1])
        self.assertNotIn("NextMarker", rest)

    def test_ListLayers_ShowsLatestMatchingVersion(self):
        name = unique_name("ll")
        self._publish(name, "a", CompatibleRuntimes=["provided.al2023"])
        latest, _ = self._publish(name, "b", CompatibleRuntimes=["provided.al2023"])
        layers = {item["LayerName"]: item for item in
                  (x for page in self.lam.get_paginator("list_layers").paginate() for x in page["Layers"])}
        self.assertIn(name, layers)
        self.assertEqual(layers[name]["LayerArn"], layer_arn(name))
        lmv = layers[name]["LatestMatchingVersion"]
        self.assertEqual(lmv["Version"], 2)
        self.assertEqual(lmv["LayerVersionArn"], layer_arn(name, 2))
        self.assertEqual(lmv["CreatedDate"], latest["CreatedDate"])
        self.assertEqual(lmv["CompatibleRuntimes"], ["provided.al2023"])
        filtered = self.lam.list_layers(CompatibleRuntime="nodejs20.x")
        self.assertNotIn(name, [item["LayerName"] for item in filtered["Layers"]])

    def test_DeleteLayerVersion_Returns204ThenGet404(self):
        name = unique_name("dl")
        self._publish(name, "a")
        self._publish(name, "b")
        resp = self.lam.delete_layer_version(LayerName=name, VersionNumber=1)
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assert_client_error(self.lam.get_layer_version, 404, "ResourceNotFoundException", NOT_EXIST,
                                 LayerName=name, VersionNumber=1)
        self.assertEqual([v["Version"] for v in self.lam.list_layer_versions(LayerName=name)["LayerVersions"]], [2])
        # Version numbers are never reused.
        third, _ = self._publish(name, "c")
        self.assertEqual(third["Version"], 3)

    def test_LayerVersionPermission_AddGetRemove(self):
        name = unique_name("lperm")
        self._publish(name, "a")
        version_arn = layer_arn(name, 1)
        added = self.lam.add_layer_version_permission(LayerName=name, VersionNumber=1, StatementId="xaccount",
                                                      Action="lambda:GetLayerVersion", Principal="210987654321")
        self.assertEqual(added["ResponseMetadata"]["HTTPStatusCode"], 201)
        self.assertRegex(added["RevisionId"], UUID_RE)
        statement = {"Sid": "xaccount", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::210987654321:root"},
                     "Action": "lambda:GetLayerVersion", "Resource": version_arn}
        self.assertEqual(json.loads(added["Statement"]), statement)
        policy = self.lam.get_layer_version_policy(LayerName=name, VersionNumber=1)
        self.assertEqual(policy["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(json.loads(policy["Policy"]),
                         {"Version": "2012-10-17", "Id": "default", "Statement": [statement]})
        self.assertEqual(policy["RevisionId"], added["RevisionId"])
        self.assert_client_error(
            self.lam.add_layer_version_permission, 409, "ResourceConflictException",
            "The statement id (xaccount) provided already exists. Please provide a new statement id, or remove the "
            "existing statement.", LayerName=name, VersionNumber=1, StatementId="xaccount",
            Action="lambda:GetLayerVersion", Principal="*")
        removed = self.lam.remove_layer_version_permission(LayerName=name, VersionNumber=1, StatementId="xaccount")
        self.assertEqual(removed["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assert_client_error(self.lam.remove_layer_version_permission, 404, "ResourceNotFoundException",
                                 LayerName=name, VersionNumber=1, StatementId="xaccount")

    def test_LayerVersionPermission_PublicPrincipal_KeepsStar(self):
        name = unique_name("lpub")
        self._publish(name, "a")
        added = self.lam.add_layer_version_permission(LayerName=name, VersionNumber=1, StatementId="public",
                                                      Action="lambda:GetLayerVersion", Principal="*")
        self.assertEqual(json.loads(added["Statement"]),
                         {"Sid": "public", "Effect": "Allow", "Principal": "*", "Action": "lambda:GetLayerVersion",
                          "Resource": layer_arn(name, 1)})

    def test_LayerVersionPermission_MissingLayerOrPolicy_Returns404(self):
        name = unique_name("lnone")
        self.assert_client_error(self.lam.add_layer_version_permission, 404, "ResourceNotFoundException",
                                 f"Layer version {layer_arn(name, 1)} does not exist.", LayerName=name,
                                 VersionNumber=1, StatementId="s", Action="lambda:GetLayerVersion", Principal="*")
        self._publish(name, "a")
        self.assert_client_error(self.lam.get_layer_version_policy, 404, "ResourceNotFoundException",
                                 "No policy is associated with the given resource.", LayerName=name, VersionNumber=1)

    def test_LayerVersionPermission_WrongAction_ValidationException(self):
        name = unique_name("lact")
        self._publish(name, "a")
        self.assert_client_error(
            self.lam.add_layer_version_permission, 400, "ValidationException",
            "1 validation error detected: Value 'lambda:InvokeFunction' at 'action' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: lambda:GetLayerVersion",
            LayerName=name, VersionNumber=1, StatementId="s", Action="lambda:InvokeFunction", Principal="*")

    def test_FunctionWithLayer_ConfigurationListsLayerArnAndSize(self):
        name = unique_name("lfn")
        pub, content = self._publish(name, "for-fn")
        fn = unique_name("withlayer")
        created = self.create_function(fn, Layers=[pub["LayerVersionArn"]])
        self.assertEqual(created["Layers"], [{"Arn": layer_arn(name, 1), "CodeSize": len(content)}])
        missing = layer_arn(unique_name("ghost"), 1)
        self.assert_client_error(self.lam.update_function_configuration, 400, "InvalidParameterValueException",
                                 f"Layer version {missing} does not exist.", FunctionName=fn, Layers=[missing])
        self.assertEqual(self.lam.get_function(FunctionName=fn)["Configuration"]["Layers"],
                         [{"Arn": layer_arn(name, 1), "CodeSize": len(content)}])


if __name__ == "__main__":
    unittest.main()
