"""Resource policies (AddPermission/GetPolicy/RemovePermission), function URL configs, tags — with boto3.

Statement shape: AWS CLI reference example for add-permission
({"Sid","Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},"Action":"lambda:InvokeFunction",
"Resource":"<function arn>","Condition":{"ArnLike":{"AWS:SourceArn":"…"}}}), account principals become
{"AWS":"arn:aws:iam::<acct>:root"}. Messages for duplicates/not-found, URL configs and tags: LocalStack
provider (AWS-snapshot-matched, TestLambdaPermissions / TestLambdaUrl / TestLambdaTag in
tests/aws/services/lambda_/test_lambda_api.snapshot.json).
"""

import json
import unittest

from harness import ServerTestCase, function_arn, strip_metadata, unique_name

NOT_EXIST = "The resource you requested does not exist."


class PermissionTests(ServerTestCase):

    def test_AddPermission_Returns201StatementAndGetPolicyHasIt(self):
        name = unique_name("perm")
        self.create_function(name)
        resp = self.lam.add_permission(FunctionName=name, StatementId="sns-invoke", Action="lambda:InvokeFunction",
                                       Principal="sns.amazonaws.com",
                                       SourceArn="arn:aws:sns:us-east-1:000000000000:topic")
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 201)
        statement = {"Sid": "sns-invoke", "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
                     "Action": "lambda:InvokeFunction", "Resource": function_arn(name),
                     "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:sns:us-east-1:000000000000:topic"}}}
        self.assertIsInstance(resp["Statement"], str)
        self.assertEqual(json.loads(resp["Statement"]), statement)
        policy = self.lam.get_policy(FunctionName=name)
        self.assertEqual(policy["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertIsInstance(policy["Policy"], str)
        self.assertEqual(json.loads(policy["Policy"]),
                         {"Version": "2012-10-17", "Id": "default", "Statement": [statement]})
        self.assertEqual(policy["RevisionId"], self.lam.get_function(FunctionName=name)["Configuration"]["RevisionId"])

    def test_AddPermission_AccountPrincipal_BecomesRootArn(self):
        name = unique_name("permacct")
        self.create_function(name)
        resp = self.lam.add_permission(FunctionName=name, StatementId="acct", Action="lambda:GetFunction",
                                       Principal="123456789012")
        self.assertEqual(json.loads(resp["Statement"]),
                         {"Sid": "acct", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                          "Action": "lambda:GetFunction", "Resource": function_arn(name)})

    def test_AddPermission_TwoStatements_BothInPolicyInOrder(self):
        name = unique_name("permtwo")
        self.create_function(name)
        self.lam.add_permission(FunctionName=name, StatementId="one", Action="lambda:InvokeFunction",
                                Principal="s3.amazonaws.com")
        self.lam.add_permission(FunctionName=name, StatementId="two", Action="lambda:InvokeFunction",
                                Principal="events.amazonaws.com")
        stmts = json.loads(self.lam.get_policy(FunctionName=name)["Policy"])["Statement"]
        self.assertEqual([s["Sid"] for s in stmts], ["one", "two"])
        self.assertEqual([s["Principal"] for s in stmts],
                         [{"Service": "s3.amazonaws.com"}, {"Service": "events.amazonaws.com"}])

    def test_AddPermission_DuplicateSid_Returns409(self):
        name = unique_name("permdup")
        self.create_function(name)
        self.lam.add_permission(FunctionName=name, StatementId="dup", Action="lambda:InvokeFunction",
                                Principal="s3.amazonaws.com")
        self.assert_client_error(
            self.lam.add_permission, 409, "ResourceConflictException",
            "The statement id (dup) provided already exists. Please provide a new statement id, or remove the "
            "existing statement.", FunctionName=name, StatementId="dup", Action="lambda:InvokeFunction",
            Principal="s3.amazonaws.com")
        self.assertEqual(len(json.loads(self.lam.get_policy(FunctionName=name)["Policy"])["Statement"]), 1)

    def test_GetPolicy_NoPolicy_Returns404(self):
        name = unique_name("nopolicy")
        self.create_function(name)
        self.assert_client_error(self.lam.get_policy, 404, "ResourceNotFoundException", NOT_EXIST,
                                 FunctionName=name)

    def test_GetPolicy_UnknownFunction_Returns404(self):
        name = unique_name("nofnpolicy")
        self.assert_client_error(self.lam.get_policy, 404, "ResourceNotFoundException",
                                 f"Function not found: {function_arn(name)}", FunctionName=name)

    def test_RemovePermission_Returns204ThenPolicyGone(self):
        name = unique_name("permrm")
        self.create_function(name)
        self.lam.add_permission(FunctionName=name, StatementId="rm", Action="lambda:InvokeFunction",
                                Principal="s3.amazonaws.com")
        resp = self.lam.remove_permission(FunctionName=name, StatementId="rm")
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assert_client_error(self.lam.get_policy, 404, "ResourceNotFoundException", NOT_EXIST,
                                 FunctionName=name)
        self.assert_client_error(self.lam.remove_permission, 404, "ResourceNotFoundException",
                                 "No policy is associated with the given resource.", FunctionName=name,
                                 StatementId="rm")

    def test_RemovePermission_UnknownSid_Returns404(self):
        name = unique_name("permsid")
        self.create_function(name)
        self.lam.add_permission(FunctionName=name, StatementId="keep", Action="lambda:InvokeFunction",
                                Principal="s3.amazonaws.com")
        self.assert_client_error(self.lam.remove_permission, 404, "ResourceNotFoundException",
                                 "Statement other is not found in resource policy.", FunctionName=name,
                                 StatementId="other")

    def test_AddPermission_OnAlias_ResourceIsAliasArnAndSeparatePolicy(self):
        name = unique_name("permalias")
        self.create_function(name)
        self.publish(name)
        self.lam.create_alias(FunctionName=name, Name="live", FunctionVersion="1")
        resp = self.lam.add_permission(FunctionName=name, Qualifier="live", StatementId="a",
                                       Action="lambda:InvokeFunction", Principal="s3.amazonaws.com")
        self.assertEqual(json.loads(resp["Statement"])["Resource"], function_arn(name, "live"))
        alias_policy = json.loads(self.lam.get_policy(FunctionName=name, Qualifier="live")["Policy"])
        self.assertEqual([s["Sid"] for s in alias_policy["Statement"]], ["a"])
        self.assert_client_error(self.lam.get_policy, 404, "ResourceNotFoundException", NOT_EXIST,
                                 FunctionName=name)

    def test_AddPermission_StaleRevisionId_Returns412(self):
        name = unique_name("permrev")
        self.create_function(name)
        self.assert_client_error(
            self.lam.add_permission, 412, "PreconditionFailedException",
            "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to "
            "retrieve the latest Revision Id", FunctionName=name, StatementId="r", Action="lambda:InvokeFunction",
            Principal="s3.amazonaws.com", RevisionId="00000000-0000-0000-0000-000000000000")
        self.assert_client_error(self.lam.get_policy, 404, "ResourceNotFoundException", NOT_EXIST,
                                 FunctionName=name)


class FunctionUrlTests(ServerTestCase):

    def test_CreateFunctionUrlConfig_Returns201ThenGet(self):
        name = unique_name("url")
        self.create_function(name)
        resp = self.lam.create_function_url_config(FunctionName=name, AuthType="NONE")
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 201)
        self.assertEqual(resp["FunctionArn"], function_arn(name))
        self.assertEqual(resp["AuthType"], "NONE")
        self.assertEqual(resp["InvokeMode"], "BUFFERED")
        self.assertTrue(resp["FunctionUrl"].startswith("http"), resp["FunctionUrl"])
        self.assertTrue(resp["FunctionUrl"].endswith("/"), resp["FunctionUrl"])
        self.assertIsInstance(resp["CreationTime"], str)
        got = self.lam.get_function_url_config(FunctionName=name)
        self.assertEqual(got["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(got["FunctionUrl"], resp["FunctionUrl"])
        self.assertEqual(got["FunctionArn"], function_arn(name))
        self.assertEqual(got["AuthType"], "NONE")
        self.assertEqual(got["CreationTime"], resp["CreationTime"])
        self.assertIsInstance(got["LastModifiedTime"], str)

    def test_CreateFunctionUrlConfig_Duplicate_Returns409(self):
        name = unique_name("urldup")
        self.create_function(name)
        self.lam.create_function_url_config(FunctionName=name, AuthType="NONE")
        self.assert_client_error(
            self.lam.create_function_url_config, 409, "ResourceConflictException",
            f"Failed to create function url config for [functionArn = {function_arn(name)}]. Error message:  "
            "FunctionUrlConfig exists for this Lambda function", FunctionName=name, AuthType="NONE")

    def test_UpdateFunctionUrlConfig_AuthAndCors(self):
        name = unique_name("urlupd")
        self.create_function(name)
        created = self.lam.create_function_url_config(FunctionName=name, AuthType="NONE")
        cors = {"AllowOrigins": ["https://example.com"], "AllowMethods": ["GET"], "MaxAge": 60}
        upd = self.lam.update_function_url_config(FunctionName=name, AuthType="AWS_IAM", Cors=cors)
        self.assertEqual(upd["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(upd["AuthType"], "AWS_IAM")
        self.assertEqual(upd["Cors"], cors)
        self.assertEqual(upd["FunctionUrl"], created["FunctionUrl"])
        self.assertEqual(upd["CreationTime"], created["CreationTime"])
        got = self.lam.get_function_url_config(FunctionName=name)
        self.assertEqual(got["AuthType"], "AWS_IAM")
        self.assertEqual(got["Cors"], cors)

    def test_ListFunctionUrlConfigs_LatestAndAlias(self):
        name = unique_name("urllist")
        self.create_function(name)
        self.publish(name)
        self.lam.create_alias(FunctionName=name, Name="live", FunctionVersion="1")
        self.lam.create_function_url_config(FunctionName=name, AuthType="NONE")
        alias_url = self.lam.create_function_url_config(FunctionName=name, Qualifier="live", AuthType="AWS_IAM")
        self.assertEqual(alias_url["FunctionArn"], function_arn(name, "live"))
        listed = self.lam.list_function_url_configs(FunctionName=name)
        self.assertEqual(listed["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(sorted(c["FunctionArn"] for c in listed["FunctionUrlConfigs"]),
                         sorted([function_arn(name), function_arn(name, "live")]))
        self.assertEqual(len({c["FunctionUrl"] for c in listed["FunctionUrlConfigs"]}), 2)

    def test_CreateFunctionUrlConfig_VersionQualifier_ValidationException(self):
        name = unique_name("urlver")
        self.create_function(name)
        self.publish(name)
        self.assert_client_error(
            self.lam.create_function_url_config, 400, "ValidationException",
            "1 validation error detected: Value '1' at 'qualifier' failed to satisfy constraint: Member must satisfy "
            "regular expression pattern: ((?!^\\d+$)^[0-9a-zA-Z-_]+$)", FunctionName=name, Qualifier="1",
            AuthType="NONE")

    def test_DeleteFunctionUrlConfig_Returns204ThenGet404(self):
        name = unique_name("urldel")
        self.create_function(name)
        self.lam.create_function_url_config(FunctionName=name, AuthType="NONE")
        resp = self.lam.delete_function_url_config(FunctionName=name)
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assert_client_error(self.lam.get_function_url_config, 404, "ResourceNotFoundException", NOT_EXIST,
                                 FunctionName=name)
        self.assert_client_error(self.lam.delete_function_url_config, 404, "ResourceNotFoundException", NOT_EXIST,
                                 FunctionName=name)

    def test_CreateFunctionUrlConfig_UnknownFunction_Returns404(self):
        self.assert_client_error(self.lam.create_function_url_config, 404, "ResourceNotFoundException",
                                 "Function does not exist", FunctionName=unique_name("urlnone"), AuthType="NONE")


class TagTests(ServerTestCase):

    def test_TagResource_ListTags_UntagResource(self):
        name = unique_name("tags")
        self.create_function(name, Tags={"a": "1"})
        arn = function_arn(name)
        self.assertEqual(strip_metadata(self.lam.list_tags(Resource=arn)), {"Tags": {"a": "1"}})
        resp = self.lam.tag_resource(Resource=arn, Tags={"b": "2", "c": "3"})
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 204)
        listed = self.lam.list_tags(Resource=arn)
        self.assertEqual(listed["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(listed["Tags"], {"a": "1", "b": "2", "c": "3"})
        self.assertEqual(self.lam.get_function(FunctionName=name)["Tags"], {"a": "1", "b": "2", "c": "3"})
        self.lam.tag_resource(Resource=arn, Tags={"a": "changed"})
        self.assertEqual(self.lam.list_tags(Resource=arn)["Tags"], {"a": "changed", "b": "2", "c": "3"})
        untag = self.lam.untag_resource(Resource=arn, TagKeys=["a", "c", "not-there"])
        self.assertEqual(untag["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertEqual(self.lam.list_tags(Resource=arn)["Tags"], {"b": "2"})
        self.lam.untag_resource(Resource=arn, TagKeys=["b"])
        self.assertEqual(self.lam.list_tags(Resource=arn)["Tags"], {})
        self.assertNotIn("Tags", self.lam.get_function(FunctionName=name))

    def test_ListTags_UnknownFunction_Returns404(self):
        name = unique_name("tagnone")
        self.assert_client_error(self.lam.list_tags, 404, "ResourceNotFoundException",
                                 f"Function not found: {function_arn(name)}", Resource=function_arn(name))
        self.assert_client_error(self.lam.tag_resource, 404, "ResourceNotFoundException",
                                 f"Function not found: {function_arn(name)}", Resource=function_arn(name),
                                 Tags={"x": "y"})

    def test_TagResource_QualifiedArn_InvalidParameterValue(self):
        name = unique_name("tagq")
        self.create_function(name)
        self.publish(name)
        self.assert_client_error(self.lam.tag_resource, 400, "InvalidParameterValueException",
                                 "Tags on function aliases and versions are not supported. Please specify a "
                                 "function ARN.", Resource=function_arn(name, "1"), Tags={"x": "y"})
        self.assertEqual(self.lam.list_tags(Resource=function_arn(name))["Tags"], {})

    def test_TagResource_NotAnArn_ValidationException(self):
        self.assert_client_error(
            self.lam.tag_resource, 400, "ValidationException",
            message_prefix="1 validation error detected: Value 'just-a-name' at 'resource' failed to satisfy "
                           "constraint: Member must satisfy regular expression pattern: ",
            Resource="just-a-name", Tags={"x": "y"})


if __name__ == "__main__":
    unittest.main()
