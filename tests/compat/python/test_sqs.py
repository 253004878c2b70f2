"""SQS-compatible queues through the real server: boto3 (AWS JSON 1.0, X-Amz-Target: AmazonSQS.*) and the Debian
AWS CLI v2 (query protocol: form-encoded Action=...&Version=2012-11-05, XML responses). The CLI checks the MD5
digests of bodies and message attributes itself, so every send and receive through it also proves them.
"""

import base64
import hashlib
import json
import os
import re
import subprocess
import tempfile
import threading
import time
import unittest

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from harness import ACCOUNT, REGION, KindlingServer, ServerTestCase, unique_name

AWS = "/usr/bin/aws"


def sqs_client(server):
    return boto3.session.Session().client(
        "sqs", endpoint_url=server.endpoint, region_name=REGION,
        aws_access_key_id=server.access_key_id, aws_secret_access_key=server.secret_access_key,
        config=Config(retries={"max_attempts": 1, "mode": "standard"}, read_timeout=60))


class SqsTestCase(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sqs = sqs_client(cls.server)

    def url(self, name):
        return f"{self.server.endpoint}/{ACCOUNT}/{name}"

    def assert_sqs_error(self, call, status, code, message=None, query_code=None, **kwargs):
        with self.assertRaises(ClientError) as cm:
            call(**kwargs)
        resp = cm.exception.response
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], status, resp)
        self.assertEqual(resp["Error"]["Code"], code, resp)
        self.assertEqual(resp["Error"]["Type"], "Sender", resp)
        if query_code is not None:
            self.assertEqual(resp["Error"]["QueryErrorCode"], query_code, resp)
        if message is not None:
            self.assertEqual(resp["Error"]["Message"], message, resp)
        return resp


class Boto3SqsTests(SqsTestCase):
    """boto3 speaks the JSON protocol."""

    def test_create_queue_idempotent_and_conflicting(self):
        name = unique_name("q")
        url = self.sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "40"})["QueueUrl"]
        self.assertEqual(url, self.url(name))
        self.assertEqual(self.sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "40"})["QueueUrl"], url)
        self.assert_sqs_error(self.sqs.create_queue, 400, "QueueAlreadyExists",
                              f"A queue already exists with the same name and a different value for attribute VisibilityTimeout",
                              query_code="QueueNameExists", QueueName=name, Attributes={"VisibilityTimeout": "41"})
        with self.assertRaises(self.sqs.exceptions.QueueNameExists):
            self.sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "41"})

    def test_create_queue_invalid_name_and_attributes(self):
        self.assert_sqs_error(self.sqs.create_queue, 400, "InvalidParameterValue",
                              "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length",
                              QueueName="bad name")
        self.assert_sqs_error(self.sqs.create_queue, 400, "InvalidAttributeValue",
                              "Invalid value for the parameter DelaySeconds.",
                              QueueName=unique_name("q"), Attributes={"DelaySeconds": "901"})
        self.assert_sqs_error(self.sqs.create_queue, 400, "InvalidAttributeName", "Unknown Attribute Colour.",
                              QueueName=unique_name("q"), Attributes={"Colour": "blue"})

    def test_get_queue_url_and_missing_queue(self):
        name = unique_name("q")
        url = self.sqs.create_queue(QueueName=name)["QueueUrl"]
        self.assertEqual(self.sqs.get_queue_url(QueueName=name)["QueueUrl"], url)
        resp = self.assert_sqs_error(self.sqs.get_queue_url, 400, "AWS.SimpleQueueService.NonExistentQueue",
                                     "The specified queue does not exist.", query_code="QueueDoesNotExist",
                                     QueueName="no-such-queue")
        self.assertEqual(resp["ResponseMetadata"]["HTTPHeaders"]["x-amzn-query-error"],
                         "AWS.SimpleQueueService.NonExistentQueue;Sender")
        with self.assertRaises(self.sqs.exceptions.QueueDoesNotExist):
            self.sqs.send_message(QueueUrl=self.url("no-such-queue"), MessageBody="x")

    def test_list_queues_prefix_and_pages(self):
        prefix = unique_name("lst")
        names = sorted(f"{prefix}-{i}" for i in range(3))
        for n in names:
            self.sqs.create_queue(QueueName=n)
        everything = self.sqs.list_queues(QueueNamePrefix=prefix)
        self.assertEqual(everything["QueueUrls"], [self.url(n) for n in names])
        self.assertNotIn("NextToken", everything)
        first = self.sqs.list_queues(QueueNamePrefix=prefix, MaxResults=2)
        self.assertEqual(first["QueueUrls"], [self.url(n) for n in names[:2]])
        second = self.sqs.list_queues(QueueNamePrefix=prefix, MaxResults=2, NextToken=first["NextToken"])
        self.assertEqual(second["QueueUrls"], [self.url(names[2])])
        self.assertNotIn("NextToken", second)
        self.assertNotIn("QueueUrls", self.sqs.list_queues(QueueNamePrefix="nothing-starts-like-this"))

    def test_attributes_all_named_and_set(self):
        name = unique_name("q")
        url = self.sqs.create_queue(QueueName=name)["QueueUrl"]
        attrs = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        created = attrs.pop("CreatedTimestamp")
        self.assertRegex(created, r"^\d{10}$")
        self.assertEqual(attrs.pop("LastModifiedTimestamp"), created)
        self.assertEqual(attrs, {
            "QueueArn": f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}",
            "ApproximateNumberOfMessages": "0",
            "ApproximateNumberOfMessagesNotVisible": "0",
            "ApproximateNumberOfMessagesDelayed": "0",
            "VisibilityTimeout": "30",
            "MaximumMessageSize": "1048576",
            "MessageRetentionPeriod": "345600",
            "DelaySeconds": "0",
            "ReceiveMessageWaitTimeSeconds": "0",
            "SqsManagedSseEnabled": "true",
        })
        self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "5", "DelaySeconds": "1"})
        got = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["VisibilityTimeout", "DelaySeconds"])
        self.assertEqual(got["Attributes"], {"VisibilityTimeout": "5", "DelaySeconds": "1"})
        self.assert_sqs_error(self.sqs.get_queue_attributes, 400, "InvalidAttributeName", "Unknown Attribute Nope.",
                              QueueUrl=url, AttributeNames=["Nope"])

    def test_send_receive_delete_with_attributes_and_md5(self):
        url = self.sqs.create_queue(QueueName=unique_name("q"))["QueueUrl"]
        attributes = {"s": {"DataType": "String", "StringValue": "héllo"},
                      "n": {"DataType": "Number", "StringValue": "42"},
                      "b": {"DataType": "Binary", "BinaryValue": b"\x00\xff"}}
        sent = self.sqs.send_message(QueueUrl=url, MessageBody="body ✓", MessageAttributes=attributes)
        self.assertEqual(sent["MD5OfMessageBody"], hashlib.md5("body ✓".encode()).hexdigest())
        self.assertEqual(sent["MD5OfMessageAttributes"], md5_of_attributes(attributes))
        got = self.sqs.receive_message(QueueUrl=url, MessageSystemAttributeNames=["All"], MessageAttributeNames=["All"])
        msg = got["Messages"][0]
        self.assertEqual(msg["MessageId"], sent["MessageId"])
        self.assertEqual(msg["Body"], "body ✓")
        self.assertEqual(msg["MD5OfBody"], sent["MD5OfMessageBody"])
        self.assertEqual(msg["MD5OfMessageAttributes"], sent["MD5OfMessageAttributes"])
        self.assertEqual(msg["MessageAttributes"], attributes)
        self.assertEqual(sorted(msg["Attributes"]), ["ApproximateFirstReceiveTimestamp", "ApproximateReceiveCount",
                                                     "SenderId", "SentTimestamp"])
        self.assertEqual(msg["Attributes"]["ApproximateReceiveCount"], "1")
        self.assertEqual(msg["Attributes"]["SenderId"], self.server.access_key_id)
        self.assertRegex(msg["Attributes"]["SentTimestamp"], r"^\d{13}$")
        only_n = self.sqs.receive_message(QueueUrl=url, VisibilityTimeout=0)
        self.assertNotIn("Messages", only_n)  # still in flight
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=msg["ReceiptHandle"])
        attrs = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages",
                                                                            "ApproximateNumberOfMessagesNotVisible"])
        self.assertEqual(attrs["Attributes"], {"ApproximateNumberOfMessages": "0", "ApproximateNumberOfMessagesNotVisible": "0"})
        self.assert_sqs_error(self.sqs.delete_message, 400, "ReceiptHandleIsInvalid",
                              'The input receipt handle "nonsense" is not a valid receipt handle.',
                              QueueUrl=url, ReceiptHandle="nonsense")

    def test_receive_selects_message_attributes_by_name_and_prefix(self):
        url = self.sqs.create_queue(QueueName=unique_name("q"))["QueueUrl"]
        attributes = {"app.a": {"DataType": "String", "StringValue": "1"}, "other": {"DataType": "String", "StringValue": "2"}}
        self.sqs.send_message(QueueUrl=url, MessageBody="m", MessageAttributes=attributes)
        msg = self.sqs.receive_message(QueueUrl=url, MessageAttributeNames=["app.*"], VisibilityTimeout=0)["Messages"][0]
        self.assertEqual(msg["MessageAttributes"], {"app.a": attributes["app.a"]})
        self.assertEqual(msg["MD5OfMessageAttributes"], md5_of_attributes({"app.a": attributes["app.a"]}))
        bare = self.sqs.receive_message(QueueUrl=url)["Messages"][0]
        self.assertNotIn("MessageAttributes", bare)
        self.assertNotIn("Attributes", bare)

    def test_receive_parameter_errors(self):
        url = self.sqs.create_queue(QueueName=unique_name("q"))["QueueUrl"]
        self.assert_sqs_error(self.sqs.receive_message, 400, "InvalidParameterValue",
                              "Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.",
                              QueueUrl=url, MaxNumberOfMessages=11)
        self.assert_sqs_error(self.sqs.receive_message, 400, "InvalidParameterValue",
                              "Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.",
                              QueueUrl=url, WaitTimeSeconds=21)

    def test_send_message_errors(self):
        url = self.sqs.create_queue(QueueName=unique_name("q"), Attributes={"MaximumMessageSize": "1024"})["QueueUrl"]
        self.assert_sqs_error(self.sqs.send_message, 400, "InvalidParameterValue",
                              "One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.",
                              QueueUrl=url, MessageBody="x" * 1025)
        self.assert_sqs_error(self.sqs.send_message, 400, "InvalidMessageContents", QueueUrl=url, MessageBody="bad \x01")
        self.assert_sqs_error(self.sqs.send_message, 400, "InvalidParameterValue",
                              "Number of message attributes [11] exceeds the allowed maximum [10].", QueueUrl=url, MessageBody="x",
                              MessageAttributes={f"a{i}": {"DataType": "String", "StringValue": "v"} for i in range(11)})
        self.assert_sqs_error(self.sqs.send_message, 400, "InvalidParameterValue",
                              "Value 901 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.",
                              QueueUrl=url, MessageBody="x", DelaySeconds=901)

    def test_delay_hides_message_until_due(self):
        url = self.sqs.create_queue(QueueName=unique_name("q"))["QueueUrl"]
        self.sqs.send_message(QueueUrl=url, MessageBody="later", DelaySeconds=1)
        attrs = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessagesDelayed"])
        self.assertEqual(attrs["Attributes"]["ApproximateNumberOfMessagesDelayed"], "1")
        self.assertNotIn("Messages", self.sqs.receive_message(QueueUrl=url))
        started = time.monotonic()
        got = self.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=5)
        self.assertEqual(got["Messages"][0]["Body"], "later")
        self.assertLess(time.monotonic() - started, 3)

    def test_long_poll_woken_by_send(self):
        url = self.sqs.create_queue(QueueName=unique_name("q"))["QueueUrl"]
        result = {}

        def poll():
            client = sqs_client(self.server)
            started = time.monotonic()
            result["resp"] = client.receive_message(QueueUrl=url, WaitTimeSeconds=20)
            result["elapsed"] = time.monotonic() - started

        poller = threading.Thread(target=poll)
        poller.start()
        threading.Event().wait(0.5)  # let the poll reach the server
        self.sqs.send_message(QueueUrl=url, MessageBody="wake")
        poller.join(25)
        self.assertEqual(result["resp"]["Messages"][0]["Body"], "wake")
        self.assertLess(result["elapsed"], 5)

    def test_long_poll_returns_empty_at_wait_time(self):
        url = self.sqs.create_queue(QueueName=unique_name("q"))["QueueUrl"]
        started = time.monotonic()
        self.assertNotIn("Messages", self.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1))
        self.assertGreaterEqual(time.monotonic() - started, 0.9)

    def test_change_visibility_and_batch(self):
        url = self.sqs.create_queue(QueueName=unique_name("q"))["QueueUrl"]
        self.sqs.send_message(QueueUrl=url, MessageBody="m")
        msg = self.sqs.receive_message(QueueUrl=url)["Messages"][0]
        self.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=msg["ReceiptHandle"], VisibilityTimeout=0)
        again = self.sqs.receive_message(QueueUrl=url)["Messages"][0]
        self.assertEqual(again["MessageId"], msg["MessageId"])
        self.assert_sqs_error(self.sqs.change_message_visibility, 400, "InvalidParameterValue",
                              "Value 43201 for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and 43200, if provided.",
                              QueueUrl=url, ReceiptHandle=again["ReceiptHandle"], VisibilityTimeout=43201)
        resp = self.sqs.change_message_visibility_batch(QueueUrl=url, Entries=[
            {"Id": "ok", "ReceiptHandle": again["ReceiptHandle"], "VisibilityTimeout": 0},
            {"Id": "bad", "ReceiptHandle": "nonsense", "VisibilityTimeout": 0}])
        self.assertEqual(resp["Successful"], [{"Id": "ok"}])
        self.assertEqual(resp["Failed"], [{"Id": "bad", "SenderFault": True, "Code": "ReceiptHandleIsInvalid",
                                           "Message": 'The input receipt handle "nonsense" is not a valid receipt handle.'}])

    def test_batches(self):
        url = self.sqs.create_queue(QueueName=unique_name("q"))["QueueUrl"]
        resp = self.sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": f"m{i}", "MessageBody": f"body {i}"} for i in range(10)])
        self.assertEqual([e["Id"] for e in resp["Successful"]], [f"m{i}" for i in range(10)])
        self.assertEqual(resp["Successful"][3]["MD5OfMessageBody"], hashlib.md5(b"body 3").hexdigest())
        self.assertNotIn("Failed", resp)
        got = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
        self.assertEqual(sorted(m["Body"] for m in got), sorted(f"body {i}" for i in range(10)))
        deleted = self.sqs.delete_message_batch(QueueUrl=url, Entries=[
            {"Id": f"d{i}", "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got)])
        self.assertEqual(len(deleted["Successful"]), 10)
        mixed = self.sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": "good", "MessageBody": "fine"}, {"Id": "late", "MessageBody": "x", "DelaySeconds": 901}])
        self.assertEqual([e["Id"] for e in mixed["Successful"]], ["good"])
        self.assertEqual(mixed["Failed"], [{"Id": "late", "SenderFault": True, "Code": "InvalidParameterValue",
                                            "Message": "Value 901 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900."}])
        self.assert_sqs_error(self.sqs.send_message_batch, 400, "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
                              "Maximum number of entries per request are 10. You have sent 11.",
                              QueueUrl=url, Entries=[{"Id": f"m{i}", "MessageBody": "x"} for i in range(11)])
        self.assert_sqs_error(self.sqs.send_message_batch, 400, "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
                              "Id a repeated.", QueueUrl=url,
                              Entries=[{"Id": "a", "MessageBody": "x"}, {"Id": "a", "MessageBody": "y"}])
        self.assert_sqs_error(self.sqs.send_message_batch, 400, "AWS.SimpleQueueService.EmptyBatchRequest",
                              "There should be at least one SendMessageBatchRequestEntry in the request.",
                              QueueUrl=url, Entries=[])
        self.assert_sqs_error(self.sqs.send_message_batch, 400, "AWS.SimpleQueueService.InvalidBatchEntryId",
                              QueueUrl=url, Entries=[{"Id": "no spaces", "MessageBody": "x"}])

    def test_redrive_to_dead_letter_queue(self):
        dlq = self.sqs.create_queue(QueueName=unique_name("dlq"))["QueueUrl"]
        dlq_arn = self.sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        policy = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "2"})
        src = self.sqs.create_queue(QueueName=unique_name("src"), Attributes={"RedrivePolicy": policy})["QueueUrl"]
        got = self.sqs.get_queue_attributes(QueueUrl=src, AttributeNames=["RedrivePolicy"])["Attributes"]["RedrivePolicy"]
        self.assertEqual(got, json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 2}, separators=(",", ":")))
        sent = self.sqs.send_message(QueueUrl=src, MessageBody="poison")
        for _ in range(2):
            self.assertEqual(len(self.sqs.receive_message(QueueUrl=src, VisibilityTimeout=0)["Messages"]), 1)
        self.assertNotIn("Messages", self.sqs.receive_message(QueueUrl=src, VisibilityTimeout=0))
        dead = self.sqs.receive_message(QueueUrl=dlq)["Messages"][0]
        self.assertEqual(dead["MessageId"], sent["MessageId"])
        self.assertEqual(self.sqs.list_dead_letter_source_queues(QueueUrl=dlq)["queueUrls"], [src])
        self.assert_sqs_error(self.sqs.create_queue, 400, "InvalidParameterValue",
                              f"Value {json.dumps({'deadLetterTargetArn': 'arn:aws:sqs:us-east-1:000000000000:none', 'maxReceiveCount': 1})} "
                              "for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.",
                              QueueName=unique_name("src"),
                              Attributes={"RedrivePolicy": json.dumps({"deadLetterTargetArn": "arn:aws:sqs:us-east-1:000000000000:none", "maxReceiveCount": 1})})

    def test_fifo_order_groups_and_deduplication(self):
        name = unique_name("f") + ".fifo"
        url = self.sqs.create_queue(QueueName=name, Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true"})["QueueUrl"]
        attrs = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        self.assertEqual((attrs["FifoQueue"], attrs["ContentBasedDeduplication"], attrs["DeduplicationScope"], attrs["FifoThroughputLimit"]),
                         ("true", "true", "queue", "perQueue"))
        first = self.sqs.send_message(QueueUrl=url, MessageBody="a1", MessageGroupId="a")
        dup = self.sqs.send_message(QueueUrl=url, MessageBody="a1", MessageGroupId="a")
        self.assertEqual(dup["MessageId"], first["MessageId"])
        self.assertRegex(first["SequenceNumber"], r"^\d{20}$")
        self.sqs.send_message(QueueUrl=url, MessageBody="a2", MessageGroupId="a")
        self.sqs.send_message(QueueUrl=url, MessageBody="b1", MessageGroupId="b", MessageDeduplicationId="explicit")
        got = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1, AttributeNames=["All"])["Messages"][0]
        self.assertEqual(got["Body"], "a1")
        self.assertEqual(got["Attributes"]["MessageGroupId"], "a")
        self.assertEqual(got["Attributes"]["SequenceNumber"], first["SequenceNumber"])
        self.assertEqual(got["Attributes"]["MessageDeduplicationId"], hashlib.sha256(b"a1").hexdigest())
        rest = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
        self.assertEqual([m["Body"] for m in rest], ["b1"])
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=got["ReceiptHandle"])
        self.assertEqual(self.sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"], "a2")
        self.assert_sqs_error(self.sqs.send_message, 400, "MissingParameter",
                              "The request must contain the parameter MessageGroupId.", QueueUrl=url, MessageBody="x")
        self.assert_sqs_error(self.sqs.create_queue, 400, "InvalidParameterValue",
                              "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, "
                              "must end with .fifo suffix and be 1 to 80 in length.",
                              QueueName="nofifo", Attributes={"FifoQueue": "true"})

    def test_purge_tags_and_delete(self):
        url = self.sqs.create_queue(QueueName=unique_name("q"), tags={"team": "a"})["QueueUrl"]
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url)["Tags"], {"team": "a"})
        self.sqs.tag_queue(QueueUrl=url, Tags={"env": "test", "team": "b"})
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url)["Tags"], {"team": "b", "env": "test"})
        self.sqs.untag_queue(QueueUrl=url, TagKeys=["team", "env"])
        self.assertNotIn("Tags", self.sqs.list_queue_tags(QueueUrl=url))
        self.sqs.send_message(QueueUrl=url, MessageBody="m")
        self.sqs.purge_queue(QueueUrl=url)
        self.assertNotIn("Messages", self.sqs.receive_message(QueueUrl=url))
        self.assert_sqs_error(self.sqs.purge_queue, 403, "AWS.SimpleQueueService.PurgeQueueInProgress", QueueUrl=url)
        self.sqs.delete_queue(QueueUrl=url)
        self.assert_sqs_error(self.sqs.get_queue_attributes, 400, "AWS.SimpleQueueService.NonExistentQueue",
                              QueueUrl=url, AttributeNames=["All"])

    def test_bad_signature_is_an_sqs_error(self):
        bad = boto3.session.Session().client(
            "sqs", endpoint_url=self.server.endpoint, region_name=REGION,
            aws_access_key_id=self.server.access_key_id, aws_secret_access_key="wrong" * 8,
            config=Config(retries={"max_attempts": 1, "mode": "standard"}))
        with self.assertRaises(ClientError) as cm:
            bad.list_queues()
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], 403)
        self.assertEqual(cm.exception.response["Error"]["Code"], "SignatureDoesNotMatch")


class AwsCliSqsTests(SqsTestCase):
    """The Debian AWS CLI v2 speaks the query protocol."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = tempfile.mkdtemp(prefix="kindling-cli-sqs-")
        cls.env = {
            "PATH": "/usr/bin:/bin", "HOME": cls.tmp,
            "AWS_ACCESS_KEY_ID": cls.server.access_key_id, "AWS_SECRET_ACCESS_KEY": cls.server.secret_access_key,
            "AWS_DEFAULT_REGION": REGION, "AWS_REGION": REGION, "AWS_MAX_ATTEMPTS": "1", "AWS_PAGER": "",
            "AWS_CONFIG_FILE": os.path.join(cls.tmp, "config"),
            "AWS_SHARED_CREDENTIALS_FILE": os.path.join(cls.tmp, "credentials"),
        }

    def aws(self, *args, expect_rc=0):
        proc = subprocess.run([AWS, "--endpoint-url", self.server.endpoint, "--output", "json", "sqs", *args],
                              env=self.env, capture_output=True, text=True, timeout=120)
        self.assertEqual(proc.returncode, expect_rc, f"aws sqs {' '.join(args)}: {proc.stdout} {proc.stderr}")
        if expect_rc == 0:
            return json.loads(proc.stdout) if proc.stdout.strip() else None
        return proc

    def assert_cli_error(self, proc, code, operation, message):
        head = rf"An error occurred \({re.escape(code)}\) when calling the {operation} operation( \(reached max retries: 0\))?: "
        self.assertRegex(proc.stderr.strip(), re.compile("^" + head + re.escape(message) + "$"))

    def test_queue_lifecycle(self):
        name = unique_name("cli")
        url = self.aws("create-queue", "--queue-name", name, "--attributes", "VisibilityTimeout=45",
                       "--tags", "team=core")["QueueUrl"]
        self.assertEqual(url, self.url(name))
        self.assertEqual(self.aws("get-queue-url", "--queue-name", name), {"QueueUrl": url})
        self.assertIn(url, self.aws("list-queues", "--queue-name-prefix", name)["QueueUrls"])
        attrs = self.aws("get-queue-attributes", "--queue-url", url, "--attribute-names", "All")["Attributes"]
        self.assertEqual(attrs["VisibilityTimeout"], "45")
        self.assertEqual(attrs["QueueArn"], f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}")
        self.aws("set-queue-attributes", "--queue-url", url, "--attributes", "DelaySeconds=2")
        self.assertEqual(self.aws("get-queue-attributes", "--queue-url", url, "--attribute-names", "DelaySeconds"),
                         {"Attributes": {"DelaySeconds": "2"}})
        self.assertEqual(self.aws("list-queue-tags", "--queue-url", url), {"Tags": {"team": "core"}})
        self.aws("tag-queue", "--queue-url", url, "--tags", "env=dev")
        self.aws("untag-queue", "--queue-url", url, "--tag-keys", "team")
        self.assertEqual(self.aws("list-queue-tags", "--queue-url", url), {"Tags": {"env": "dev"}})
        proc = self.aws("create-queue", "--queue-name", name, "--attributes", "VisibilityTimeout=46", expect_rc=254)
        self.assert_cli_error(proc, "QueueAlreadyExists", "CreateQueue",
                              "A queue already exists with the same name and a different value for attribute VisibilityTimeout")
        self.aws("purge-queue", "--queue-url", url)
        self.aws("delete-queue", "--queue-url", url)
        proc = self.aws("get-queue-url", "--queue-name", name, expect_rc=254)
        self.assert_cli_error(proc, "AWS.SimpleQueueService.NonExistentQueue", "GetQueueUrl", "The specified queue does not exist.")

    def test_messages(self):
        url = self.aws("create-queue", "--queue-name", unique_name("cli"))["QueueUrl"]
        sent = self.aws("send-message", "--queue-url", url, "--message-body", "héllo",
                        "--message-attributes", json.dumps({"k": {"DataType": "String", "StringValue": "v"},
                                                            "b": {"DataType": "Binary", "BinaryValue": base64.b64encode(b"\x01\x02").decode()}}))
        self.assertEqual(sent["MD5OfMessageBody"], hashlib.md5("héllo".encode()).hexdigest())
        got = self.aws("receive-message", "--queue-url", url, "--attribute-names", "All",
                       "--message-attribute-names", "All", "--wait-time-seconds", "1")["Messages"][0]
        self.assertEqual(got["MessageId"], sent["MessageId"])
        self.assertEqual(got["Body"], "héllo")
        self.assertEqual(got["MessageAttributes"]["k"], {"StringValue": "v", "DataType": "String"})
        self.assertEqual(got["MessageAttributes"]["b"], {"BinaryValue": base64.b64encode(b"\x01\x02").decode(), "DataType": "Binary"})
        self.assertEqual(got["Attributes"]["ApproximateReceiveCount"], "1")
        self.aws("change-message-visibility", "--queue-url", url, "--receipt-handle", got["ReceiptHandle"], "--visibility-timeout", "0")
        again = self.aws("receive-message", "--queue-url", url, "--attribute-names", "ApproximateReceiveCount")["Messages"][0]
        self.assertEqual(again["Attributes"], {"ApproximateReceiveCount": "2"})
        self.aws("delete-message", "--queue-url", url, "--receipt-handle", again["ReceiptHandle"])
        self.assertIsNone(self.aws("receive-message", "--queue-url", url))
        proc = self.aws("delete-message", "--queue-url", url, "--receipt-handle", "nonsense", expect_rc=254)
        self.assert_cli_error(proc, "ReceiptHandleIsInvalid", "DeleteMessage",
                              'The input receipt handle "nonsense" is not a valid receipt handle.')
        proc = self.aws("receive-message", "--queue-url", url, "--max-number-of-messages", "11", expect_rc=254)
        self.assert_cli_error(proc, "InvalidParameterValue", "ReceiveMessage",
                              "Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.")

    def test_batches(self):
        url = self.aws("create-queue", "--queue-name", unique_name("cli"))["QueueUrl"]
        entries = [{"Id": f"e{i}", "MessageBody": f"b{i}", "MessageAttributes": {"i": {"DataType": "Number", "StringValue": str(i)}}}
                   for i in range(3)]
        sent = self.aws("send-message-batch", "--queue-url", url, "--entries", json.dumps(entries))
        self.assertEqual([e["Id"] for e in sent["Successful"]], ["e0", "e1", "e2"])
        got = self.aws("receive-message", "--queue-url", url, "--max-number-of-messages", "10",
                       "--message-attribute-names", "All")["Messages"]
        self.assertEqual(sorted(m["Body"] for m in got), ["b0", "b1", "b2"])
        vis = self.aws("change-message-visibility-batch", "--queue-url", url, "--entries",
                       json.dumps([{"Id": "v0", "ReceiptHandle": got[0]["ReceiptHandle"], "VisibilityTimeout": 60},
                                   {"Id": "bad", "ReceiptHandle": "nonsense", "VisibilityTimeout": 1}]))
        self.assertEqual(vis["Successful"], [{"Id": "v0"}])
        self.assertEqual(vis["Failed"][0]["Code"], "ReceiptHandleIsInvalid")
        deleted = self.aws("delete-message-batch", "--queue-url", url, "--entries",
                           json.dumps([{"Id": f"d{i}", "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got)]))
        self.assertEqual(sorted(e["Id"] for e in deleted["Successful"]), ["d0", "d1", "d2"])
        proc = self.aws("send-message-batch", "--queue-url", url, "--entries",
                        json.dumps([{"Id": "a", "MessageBody": "x"}, {"Id": "a", "MessageBody": "y"}]), expect_rc=254)
        self.assert_cli_error(proc, "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", "SendMessageBatch", "Id a repeated.")

    def test_fifo(self):
        name = unique_name("cli") + ".fifo"
        url = self.aws("create-queue", "--queue-name", name, "--attributes", "FifoQueue=true")["QueueUrl"]
        first = self.aws("send-message", "--queue-url", url, "--message-body", "1", "--message-group-id", "g",
                         "--message-deduplication-id", "d1")
        self.assertRegex(first["SequenceNumber"], r"^\d{20}$")
        dup = self.aws("send-message", "--queue-url", url, "--message-body", "1", "--message-group-id", "g",
                       "--message-deduplication-id", "d1")
        self.assertEqual(dup["MessageId"], first["MessageId"])
        got = self.aws("receive-message", "--queue-url", url, "--attribute-names", "All")["Messages"][0]
        self.assertEqual(got["Attributes"]["MessageGroupId"], "g")
        self.assertEqual(got["Attributes"]["MessageDeduplicationId"], "d1")


class SqsWireTests(SqsTestCase):
    """Exact wire shapes, with requests signed by hand for the service sqs."""

    def send(self, path, body, headers):
        import botocore.auth, botocore.awsrequest, botocore.credentials, urllib.request, urllib.error
        req = botocore.awsrequest.AWSRequest(method="POST", url=self.server.endpoint + path, data=body.encode(), headers=headers)
        botocore.auth.SigV4Auth(botocore.credentials.Credentials(self.server.access_key_id, self.server.secret_access_key),
                                "sqs", REGION).add_auth(req)
        prepared = req.prepare()
        ureq = urllib.request.Request(prepared.url, data=body.encode(), method="POST", headers=dict(prepared.headers.items()))
        try:
            with urllib.request.urlopen(ureq, timeout=30) as resp:
                return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read().decode()

    def query(self, path, body):
        return self.send(path, body, {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})

    def test_query_error_document(self):
        status, headers, body = self.query("/", "Action=GetQueueUrl&Version=2012-11-05&QueueName=missing")
        self.assertEqual(status, 400)
        self.assertEqual(headers["content-type"], "text/xml")
        request_id = headers["x-amzn-requestid"]
        self.assertEqual(body, '<?xml version="1.0"?><ErrorResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/">'
                               '<Error><Type>Sender</Type><Code>AWS.SimpleQueueService.NonExistentQueue</Code>'
                               '<Message>The specified queue does not exist.</Message><Detail/></Error>'
                               f'<RequestId>{request_id}</RequestId></ErrorResponse>')

    def test_query_to_queue_url_path_and_response_document(self):
        name = unique_name("wire")
        self.sqs.create_queue(QueueName=name)
        status, headers, body = self.query(f"/{ACCOUNT}/{name}", "Action=SendMessage&Version=2012-11-05&MessageBody=hi")
        self.assertEqual(status, 200, body)
        message_id = re.search(r"<MessageId>([^<]+)</MessageId>", body).group(1)
        self.assertEqual(body, '<?xml version="1.0"?><SendMessageResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/">'
                               f'<SendMessageResult><MessageId>{message_id}</MessageId>'
                               f'<MD5OfMessageBody>{hashlib.md5(b"hi").hexdigest()}</MD5OfMessageBody></SendMessageResult>'
                               f'<ResponseMetadata><RequestId>{headers["x-amzn-requestid"]}</RequestId></ResponseMetadata>'
                               '</SendMessageResponse>')

    def test_query_unknown_action(self):
        status, _, body = self.query("/", "Action=Frobnicate&Version=2012-11-05")
        self.assertEqual(status, 400)
        self.assertIn("<Code>InvalidAction</Code><Message>The action Frobnicate is not valid for this endpoint.</Message>", body)

    def test_json_error_document(self):
        status, headers, body = self.send("/", json.dumps({"QueueName": "missing"}),
                                          {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AmazonSQS.GetQueueUrl"})
        self.assertEqual(status, 400)
        self.assertEqual(headers["x-amzn-query-error"], "AWS.SimpleQueueService.NonExistentQueue;Sender")
        self.assertEqual(json.loads(body), {"__type": "com.amazonaws.sqs#QueueDoesNotExist",
                                            "message": "The specified queue does not exist."})

    def test_lambda_api_unaffected(self):
        self.assertIn("Functions", self.lam.list_functions())


class SqsDurabilityTests(unittest.TestCase):
    """A message whose send was answered survives SIGKILL; in-flight messages come back after their timeout."""

    def test_kill9_keeps_every_acknowledged_message(self):
        server = KindlingServer().start()
        self.addCleanup(server.cleanup)
        sqs = sqs_client(server)
        url = sqs.create_queue(QueueName="durable", Attributes={"VisibilityTimeout": "1"})["QueueUrl"]
        ids = {sqs.send_message(QueueUrl=url, MessageBody=f"m{i}")["MessageId"] for i in range(50)}
        in_flight = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=5)["Messages"]
        self.assertEqual(len(in_flight), 5)
        server.kill9()
        server.start()
        sqs = sqs_client(server)
        seen = set()
        deadline = time.monotonic() + 30
        while seen != ids and time.monotonic() < deadline:
            for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=2).get("Messages", []):
                seen.add(m["MessageId"])
                sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        self.assertEqual(seen, ids)


def md5_of_attributes(attributes):
    """SQS's digest of message attributes: sorted names, length-prefixed fields, transport byte 1 string / 2 binary."""
    out = bytearray()
    for name in sorted(attributes):
        value = attributes[name]
        for part in (name.encode(), value["DataType"].encode()):
            out += len(part).to_bytes(4, "big") + part
        if "BinaryValue" in value:
            out += b"\x02" + len(value["BinaryValue"]).to_bytes(4, "big") + value["BinaryValue"]
        else:
            data = value["StringValue"].encode()
            out += b"\x01" + len(data).to_bytes(4, "big") + data
    return hashlib.md5(bytes(out)).hexdigest()


if __name__ == "__main__":
    unittest.main()
