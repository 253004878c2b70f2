"""Asynchronous (Event) invocation against the real server: 202 once durable, the poller pool, retries,
maximum event age, throttles, destinations (OnSuccess / OnFailure to an SQS queue of the server), dead-letter
queues, the deprecated InvokeAsync API, and at-least-once delivery across a SIGKILL.

Servers run with --async-retry-scale so that AWS's 1 min / 2 min retry delays take about a second (the maximum
event age test runs at scale 1). Success and failure are observed through destination records in SQS queues:
they are durable, so they also prove which events ran across a crash."""

import json
import threading
import time
import unittest
import uuid

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from harness import ACCOUNT, REGION, ROLE, KindlingServer, make_zip, unique_name, wait_until

RUNTIME = "python3.11"
SCALE = "0.02"

HANDLER = """
import time

def handler(event, context):
    if event.get("sleep"):
        time.sleep(event["sleep"])
    if event.get("fail"):
        raise Exception("boom " + str(event.get("id")))
    return {"id": event.get("id"), "requestId": context.aws_request_id}
"""


def sqs_client(server):
    return boto3.session.Session().client(
        "sqs", endpoint_url=server.endpoint, region_name=REGION,
        aws_access_key_id=server.access_key_id, aws_secret_access_key=server.secret_access_key,
        config=Config(retries={"max_attempts": 1, "mode": "standard"}, read_timeout=60))


def queue_arn(name):
    return f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"


def fn_arn(name, qualifier=None):
    return f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}" + (f":{qualifier}" if qualifier else "")


class AsyncCase(unittest.TestCase):
    maxDiff = None
    extra_args: tuple = ("--async-retry-scale", SCALE)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = KindlingServer(extra_args=cls.extra_args).start()
        cls.addClassCleanup(cls.server.cleanup)
        cls.connect()

    @classmethod
    def connect(cls):
        cls.lam = cls.server.client()
        cls.sqs = sqs_client(cls.server)

    # helpers ------------------------------------------------------------
    def make_queue(self, prefix="dest"):
        name = unique_name(prefix)
        url = self.sqs.create_queue(QueueName=name)["QueueUrl"]
        return name, url

    def make_function(self, **kwargs):
        name = unique_name("async")
        params = dict(FunctionName=name, Role=ROLE, Runtime=RUNTIME, Handler="app.handler",
                      Code={"ZipFile": make_zip({"app.py": HANDLER})}, Timeout=3)
        params.update(kwargs)
        self.lam.create_function(**params)
        self.lam.get_waiter("function_active_v2").wait(FunctionName=name, WaiterConfig={"Delay": 0.2, "MaxAttempts": 300})
        return name

    def send_event(self, name, payload, **kwargs):
        resp = self.lam.invoke(FunctionName=name, InvocationType="Event", Payload=json.dumps(payload).encode(), **kwargs)
        self.assertEqual(resp["StatusCode"], 202)
        self.assertEqual(resp["Payload"].read(), b"")
        return resp["ResponseMetadata"]["RequestId"]

    def receive(self, url, count, timeout=60.0, attributes=False):
        got = []
        deadline = time.monotonic() + timeout
        while len(got) < count and time.monotonic() < deadline:
            resp = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                                            MessageAttributeNames=["All"] if attributes else [])
            for m in resp.get("Messages", []):
                got.append(m)
                self.sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        self.assertEqual(len(got), count, f"messages in {url}: {got}")
        return got

    def assert_empty(self, url, seconds=2):
        resp = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=seconds)
        self.assertEqual(resp.get("Messages", []), [])


class EventInvokeTests(AsyncCase):
    def test_event_is_accepted_with_202_and_runs_once(self):
        queue, url = self.make_queue()
        name = self.make_function()
        self.lam.put_function_event_invoke_config(
            FunctionName=name, DestinationConfig={"OnSuccess": {"Destination": queue_arn(queue)}})
        request_id = self.send_event(name, {"id": "one"})
        [message] = self.receive(url, 1)
        record = json.loads(message["Body"])
        self.assertRegex(record.pop("timestamp"), r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        self.assertEqual(record, {
            "version": "1.0",
            "requestContext": {"requestId": request_id, "functionArn": fn_arn(name, "$LATEST"),
                               "condition": "Success", "approximateInvokeCount": 1},
            "requestPayload": {"id": "one"},
            "responseContext": {"statusCode": 200, "executedVersion": "$LATEST"},
            "responsePayload": {"id": "one", "requestId": request_id},
        })
        self.assert_empty(url)

    def test_event_payload_over_1mb_is_413(self):
        name = self.make_function()
        payload = b'"' + b"a" * 1_048_575 + b'"'
        with self.assertRaises(ClientError) as cm:
            self.lam.invoke(FunctionName=name, InvocationType="Event", Payload=payload)
        error = cm.exception.response
        self.assertEqual(error["ResponseMetadata"]["HTTPStatusCode"], 413)
        self.assertEqual(error["Error"]["Code"], "RequestEntityTooLargeException")
        self.assertEqual(error["Error"]["Message"],
                         "1048577 byte payload is too large for the Event invocation type (limit 1048576 bytes)")

    def test_event_validation_as_synchronous(self):
        with self.assertRaises(self.lam.exceptions.ResourceNotFoundException) as cm:
            self.lam.invoke(FunctionName="no-such-function-async", InvocationType="Event", Payload=b"{}")
        self.assertEqual(cm.exception.response["Error"]["Message"],
                         f"Function not found: {fn_arn('no-such-function-async')}")
        name = self.make_function()
        with self.assertRaises(self.lam.exceptions.InvalidRequestContentException):
            self.lam.invoke(FunctionName=name, InvocationType="Event", Payload=b"{not json")

    def test_invoke_async_deprecated_api(self):
        queue, url = self.make_queue()
        name = self.make_function()
        self.lam.put_function_event_invoke_config(
            FunctionName=name, DestinationConfig={"OnSuccess": {"Destination": queue_arn(queue)}})
        resp = self.lam.invoke_async(FunctionName=name, InvokeArgs=json.dumps({"id": "legacy"}).encode())
        self.assertEqual(resp["Status"], 202)
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 202)
        [message] = self.receive(url, 1)
        self.assertEqual(json.loads(message["Body"])["requestPayload"], {"id": "legacy"})

    def test_failing_function_is_retried_as_configured_then_sent_to_on_failure(self):
        queue, url = self.make_queue("fail")
        name = self.make_function()
        self.lam.put_function_event_invoke_config(
            FunctionName=name, MaximumRetryAttempts=1,
            DestinationConfig={"OnFailure": {"Destination": queue_arn(queue)}})
        request_id = self.send_event(name, {"id": "bad", "fail": True})
        [message] = self.receive(url, 1)
        record = json.loads(message["Body"])
        record.pop("timestamp")
        payload = record.pop("responsePayload")
        self.assertEqual(record, {
            "version": "1.0",
            "requestContext": {"requestId": request_id, "functionArn": fn_arn(name, "$LATEST"),
                               "condition": "RetriesExhausted", "approximateInvokeCount": 2},
            "requestPayload": {"id": "bad", "fail": True},
            "responseContext": {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"},
        })
        self.assertEqual((payload["errorType"], payload["errorMessage"], payload["requestId"]),
                         ("Exception", "boom bad", request_id))
        self.assert_empty(url)

    def test_default_retries_are_two(self):
        queue, url = self.make_queue("fail")
        name = self.make_function()
        self.lam.put_function_event_invoke_config(
            FunctionName=name, DestinationConfig={"OnFailure": {"Destination": queue_arn(queue)}})
        self.send_event(name, {"id": "bad", "fail": True})
        [message] = self.receive(url, 1)
        self.assertEqual(json.loads(message["Body"])["requestContext"]["approximateInvokeCount"], 3)

    def test_dead_letter_queue_gets_the_event_with_attributes(self):
        queue, url = self.make_queue("dlq")
        name = self.make_function(DeadLetterConfig={"TargetArn": queue_arn(queue)})
        self.lam.put_function_event_invoke_config(FunctionName=name, MaximumRetryAttempts=0)
        request_id = self.send_event(name, {"id": "dead", "fail": True})
        [message] = self.receive(url, 1, attributes=True)
        self.assertEqual(json.loads(message["Body"]), {"id": "dead", "fail": True})
        self.assertEqual(message["MessageAttributes"], {
            "RequestID": {"StringValue": request_id, "DataType": "String"},
            "ErrorCode": {"StringValue": "200", "DataType": "Number"},
            "ErrorMessage": {"StringValue": "boom dead", "DataType": "String"},
        })

    def test_destination_function_is_invoked_asynchronously(self):
        queue, url = self.make_queue()
        target = self.make_function()
        self.lam.put_function_event_invoke_config(
            FunctionName=target, DestinationConfig={"OnSuccess": {"Destination": queue_arn(queue)}})
        source = self.make_function()
        self.lam.put_function_event_invoke_config(
            FunctionName=source, DestinationConfig={"OnSuccess": {"Destination": fn_arn(target)}})
        request_id = self.send_event(source, {"id": "chain"})
        [message] = self.receive(url, 1)
        record = json.loads(message["Body"])
        # The target's event is the source's success record.
        self.assertEqual(record["requestPayload"]["requestContext"]["requestId"], request_id)
        self.assertEqual(record["requestPayload"]["responsePayload"]["id"], "chain")

    def test_missing_destination_queue_is_retried_until_it_exists(self):
        queue = unique_name("late")
        name = self.make_function()
        self.lam.put_function_event_invoke_config(
            FunctionName=name, DestinationConfig={"OnSuccess": {"Destination": queue_arn(queue)}})
        request_id = self.send_event(name, {"id": "late"})
        wait_until(lambda: "Delivery of OnSuccess" in self.server.output(), timeout=30, what="a logged delivery failure")
        url = self.sqs.create_queue(QueueName=queue)["QueueUrl"]
        [message] = self.receive(url, 1)
        self.assertEqual(json.loads(message["Body"])["requestContext"]["requestId"], request_id)

    def test_throttled_events_wait_for_concurrency_and_run_later(self):
        queue, url = self.make_queue()
        name = self.make_function()
        self.lam.put_function_event_invoke_config(
            FunctionName=name, DestinationConfig={"OnSuccess": {"Destination": queue_arn(queue)}})
        self.lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=0)
        ids = {self.send_event(name, {"id": i}) for i in range(3)}
        self.assert_empty(url, seconds=3)
        self.lam.delete_function_concurrency(FunctionName=name)
        records = [json.loads(m["Body"]) for m in self.receive(url, 3, timeout=60)]
        self.assertEqual({r["requestContext"]["requestId"] for r in records}, ids)
        self.assertEqual({r["requestContext"]["approximateInvokeCount"] for r in records}, {1})

    def test_reserved_concurrency_zero_sends_events_to_the_failure_target(self):
        queue, url = self.make_queue("fail")
        name = self.make_function()
        self.lam.put_function_event_invoke_config(
            FunctionName=name, DestinationConfig={"OnFailure": {"Destination": queue_arn(queue)}})
        self.lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=0)
        request_id = self.send_event(name, {"id": "zero"})
        [message] = self.receive(url, 1)
        record = json.loads(message["Body"])
        self.assertEqual(record["requestContext"]["requestId"], request_id)
        self.assertEqual(record["requestContext"]["condition"], "RetriesExhausted")
        self.assertEqual(record["requestContext"]["approximateInvokeCount"], 0)
        self.assertEqual(record["requestPayload"], {"id": "zero"})


class MaximumEventAgeTests(AsyncCase):
    # AWS's delays unscaled: the first retry comes 60 s after the first attempt, past a 60 s maximum age.
    extra_args = ()

    def test_event_older_than_maximum_age_goes_to_on_failure(self):
        queue, url = self.make_queue("aged")
        name = self.make_function()
        self.lam.put_function_event_invoke_config(
            FunctionName=name, MaximumEventAgeInSeconds=60, MaximumRetryAttempts=2,
            DestinationConfig={"OnFailure": {"Destination": queue_arn(queue)}})
        request_id = self.send_event(name, {"id": "old", "fail": True})
        [message] = self.receive(url, 1, timeout=90)
        record = json.loads(message["Body"])
        self.assertEqual(record["requestContext"], {
            "requestId": request_id, "functionArn": fn_arn(name, "$LATEST"),
            "condition": "EventAgeExceeded", "approximateInvokeCount": 1})


class CrashTests(AsyncCase):
    def test_every_accepted_event_runs_at_least_once_across_sigkill(self):
        queue, url = self.make_queue("crash")
        name = self.make_function()
        self.lam.put_function_event_invoke_config(
            FunctionName=name, DestinationConfig={"OnSuccess": {"Destination": queue_arn(queue)}})
        accepted = set()
        stop = threading.Event()

        def send():
            client = self.server.client()
            while not stop.is_set() and len(accepted) < 200:
                event_id = str(uuid.uuid4())
                try:
                    client.invoke(FunctionName=name, InvocationType="Event",
                                  Payload=json.dumps({"id": event_id, "sleep": 1}).encode())
                except Exception:  # the server is gone: this event's fate is unknown, it was not accepted
                    return
                accepted.add(event_id)

        # Each event sleeps 1 s: when the server is killed, some are running, the rest wait in the queue.
        sender = threading.Thread(target=send)
        sender.start()
        wait_until(lambda: len(accepted) >= 30, timeout=60, what="30 accepted events")
        self.server.kill9()
        stop.set()
        sender.join()
        self.assertGreaterEqual(len(accepted), 30)
        self.server.start()
        self.connect()
        seen = set()
        deadline = time.monotonic() + 120
        while not accepted <= seen and time.monotonic() < deadline:
            resp = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=2)
            for m in resp.get("Messages", []):
                seen.add(json.loads(m["Body"])["requestPayload"]["id"])
                self.sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        self.assertEqual(accepted - seen, set(), "accepted events that never ran")


if __name__ == "__main__":
    unittest.main()
