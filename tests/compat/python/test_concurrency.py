"""Concurrency, throttling, weighted routing and placement against the real server, with boto3.

Each class runs its own server with the settings it needs (--concurrency-limit, --memory-budget,
--routing-seed, --async-retry-scale). Throttles are TooManyRequestsException (429) with Lambda's Reason and a
Retry-After header; the clients here do not retry, so every 429 is seen."""

import base64
import collections
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

HANDLER = """
import os
import time

def handler(event, context):
    if event.get("sleep"):
        time.sleep(event["sleep"])
    return {"version": os.environ["AWS_LAMBDA_FUNCTION_VERSION"], "id": event.get("id")}
"""


class ConcurrencyCase(unittest.TestCase):
    maxDiff = None
    extra_args: tuple = ()

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = KindlingServer(extra_args=cls.extra_args).start()
        cls.addClassCleanup(cls.server.cleanup)
        cls.lam = cls.server.client()
        # Many invokes at once from one client: one pooled connection each.
        cls.parallel = boto3.session.Session().client(
            "lambda", endpoint_url=cls.server.endpoint, region_name=REGION,
            aws_access_key_id=cls.server.access_key_id, aws_secret_access_key=cls.server.secret_access_key,
            config=Config(retries={"max_attempts": 1, "mode": "standard"}, max_pool_connections=80,
                          connect_timeout=10, read_timeout=120))

    def make_function(self, memory=128, code=HANDLER, **kwargs):
        name = unique_name("conc")
        self.lam.create_function(FunctionName=name, Role=ROLE, Runtime=RUNTIME, Handler="app.handler",
                                 Code={"ZipFile": make_zip({"app.py": code})}, MemorySize=memory, Timeout=30, **kwargs)
        self.lam.get_waiter("function_active_v2").wait(FunctionName=name, WaiterConfig={"Delay": 0.2, "MaxAttempts": 300})
        return name

    def invoke_parallel(self, name, count, sleep):
        """Starts `count` invokes together; returns (successes, throttle errors) once all have answered."""
        start = threading.Barrier(count)
        results = [None] * count

        def one(i):
            start.wait()
            try:
                resp = self.parallel.invoke(FunctionName=name, Payload=json.dumps({"sleep": sleep, "id": i}).encode())
                results[i] = ("ok", json.loads(resp["Payload"].read()))
            except ClientError as e:
                results[i] = ("error", e.response)

        threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        ok = [r[1] for r in results if r and r[0] == "ok"]
        errors = [r[1] for r in results if r and r[0] == "error"]
        self.assertEqual(len(ok) + len(errors), count, f"every invoke answers: {results}")
        return ok, errors

    def assert_throttled(self, error, reason):
        self.assertEqual(error["ResponseMetadata"]["HTTPStatusCode"], 429, error)
        self.assertEqual(error["Error"]["Code"], "TooManyRequestsException")
        self.assertEqual(error["Error"]["Message"], "Rate Exceeded.")
        self.assertEqual(error["Reason"], reason)
        self.assertEqual(error["Type"], "User")
        self.assertTrue(error["ResponseMetadata"]["HTTPHeaders"].get("retry-after"), error["ResponseMetadata"])


class ReservedConcurrencyTests(ConcurrencyCase):
    def test_fifty_parallel_invokes_against_reserved_five_run_exactly_five(self):
        name = self.make_function()
        self.lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=5)

        ok, errors = self.invoke_parallel(name, 50, sleep=4)

        self.assertEqual(len(ok), 5, errors[:3])
        self.assertEqual(len(errors), 45)
        for error in errors:
            self.assert_throttled(error, "ReservedFunctionConcurrentInvocationLimitExceeded")
        # The places are given back: the next five run (warm, on the same environments).
        ok, errors = self.invoke_parallel(name, 5, sleep=0.5)
        self.assertEqual((len(ok), len(errors)), (5, 0), errors)

    def test_reserved_zero_throttles_every_synchronous_invoke_and_changes_apply_at_once(self):
        name = self.make_function()
        self.lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=0)
        with self.assertRaises(ClientError) as cm:
            self.lam.invoke(FunctionName=name, Payload=b"{}")
        self.assert_throttled(cm.exception.response, "ReservedFunctionConcurrentInvocationLimitExceeded")

        self.lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=1)
        self.assertEqual(self.lam.invoke(FunctionName=name, Payload=b"{}")["StatusCode"], 200)
        self.lam.delete_function_concurrency(FunctionName=name)
        ok, errors = self.invoke_parallel(name, 4, sleep=1)
        self.assertEqual((len(ok), len(errors)), (4, 0), errors)

    def test_dry_run_is_not_throttled(self):
        name = self.make_function()
        self.lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=0)
        self.assertEqual(self.lam.invoke(FunctionName=name, InvocationType="DryRun")["StatusCode"], 204)


class AccountLimitTests(ConcurrencyCase):
    extra_args = ("--concurrency-limit", "8")

    def test_account_limit_is_reported_and_enforced_over_every_function(self):
        settings = self.lam.get_account_settings()["AccountLimit"]
        self.assertEqual(settings["ConcurrentExecutions"], 8)
        self.assertEqual(settings["UnreservedConcurrentExecutions"], 8)
        first, second = self.make_function(), self.make_function()
        results = {}

        def run(name, count):
            results[name] = self.invoke_parallel(name, count, sleep=4)

        threads = [threading.Thread(target=run, args=(first, 6)), threading.Thread(target=run, args=(second, 6))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)

        ok = len(results[first][0]) + len(results[second][0])
        errors = results[first][1] + results[second][1]
        self.assertEqual(ok, 8, errors[:2])
        self.assertEqual(len(errors), 4)
        for error in errors:
            self.assert_throttled(error, "ConcurrentInvocationLimitExceeded")

    def test_nothing_can_be_reserved_below_the_minimum_unreserved_pool(self):
        name = self.make_function()
        with self.assertRaises(ClientError) as cm:
            self.lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=1)
        self.assertEqual(cm.exception.response["Error"]["Code"], "InvalidParameterValueException")


class ScalingRateTests(ConcurrencyCase):
    extra_args = ("--scaling-rate", "3")

    def test_new_environments_beyond_the_scaling_rate_are_throttled(self):
        unreserved, reserved = self.make_function(), self.make_function()
        self.lam.put_function_concurrency(FunctionName=reserved, ReservedConcurrentExecutions=10)
        for name, reason in ((unreserved, "FunctionInvocationRateLimitExceeded"),
                             (reserved, "ReservedFunctionInvocationRateLimitExceeded")):
            with self.subTest(name=name):
                ok, errors = self.invoke_parallel(name, 6, sleep=4)
                # Three environments per 10 s: the other three invocations would each need a fourth.
                self.assertEqual(len(ok), 3, errors[:2])
                self.assertEqual(len(errors), 3)
                for error in errors:
                    self.assert_throttled(error, reason)
                # Warm environments are not limited by the rate.
                ok, errors = self.invoke_parallel(name, 3, sleep=0.2)
                self.assertEqual((len(ok), len(errors)), (3, 0), errors)


class AsyncHeldBackTests(ConcurrencyCase):
    extra_args = ("--async-retry-scale", "0.01")

    def test_events_held_by_reserved_zero_run_once_it_is_raised(self):
        sqs = boto3.session.Session().client(
            "sqs", endpoint_url=self.server.endpoint, region_name=REGION,
            aws_access_key_id=self.server.access_key_id, aws_secret_access_key=self.server.secret_access_key,
            config=Config(retries={"max_attempts": 1, "mode": "standard"}))
        queue = unique_name("held")
        url = sqs.create_queue(QueueName=queue)["QueueUrl"]
        name = self.make_function()
        self.lam.put_function_event_invoke_config(
            FunctionName=name, DestinationConfig={"OnSuccess": {"Destination": f"arn:aws:sqs:{REGION}:{ACCOUNT}:{queue}"}})
        self.lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=0)
        ids = [str(uuid.uuid4()) for _ in range(3)]
        for i in ids:
            self.assertEqual(self.lam.invoke(FunctionName=name, InvocationType="Event",
                                             Payload=json.dumps({"id": i}).encode())["StatusCode"], 202)
        # Held: nothing runs while the function takes no invocations.
        self.assertEqual(sqs.receive_message(QueueUrl=url, WaitTimeSeconds=2).get("Messages", []), [])

        self.lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=2)
        got = []
        deadline = time.monotonic() + 60
        while len(got) < 3 and time.monotonic() < deadline:
            for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", []):
                got.append(json.loads(m["Body"]))
                sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        self.assertEqual(sorted(r["responsePayload"]["id"] for r in got), sorted(ids))
        # Each ran once, as its first attempt: the throttles consumed no retry.
        self.assertEqual([r["requestContext"]["approximateInvokeCount"] for r in got], [1, 1, 1])
        self.assertEqual(sqs.receive_message(QueueUrl=url, WaitTimeSeconds=2).get("Messages", []), [])


class WeightedRoutingTests(ConcurrencyCase):
    extra_args = ("--routing-seed", "20261122")

    def test_weighted_alias_splits_traffic_and_reports_the_executed_version(self):
        name = self.make_function(memory=1024)
        v1 = self.lam.publish_version(FunctionName=name)["Version"]
        self.lam.update_function_configuration(FunctionName=name, Description="second")
        self.lam.get_waiter("function_updated_v2").wait(FunctionName=name, WaiterConfig={"Delay": 0.2, "MaxAttempts": 300})
        v2 = self.lam.publish_version(FunctionName=name)["Version"]
        self.lam.create_alias(FunctionName=name, Name="live", FunctionVersion=v1,
                              RoutingConfig={"AdditionalVersionWeights": {v2: 0.3}})
        counts = collections.Counter()
        total = 400
        for _ in range(total):
            resp = self.lam.invoke(FunctionName=name, Qualifier="live", Payload=b"{}")
            executed = resp["ExecutedVersion"]
            self.assertEqual(json.loads(resp["Payload"].read())["version"], executed)
            counts[executed] += 1
        self.assertEqual(set(counts), {v1, v2})
        # Binomial(400, 0.3): mean 120, standard deviation 9.2; four deviations either side.
        self.assertTrue(120 - 37 <= counts[v2] <= 120 + 37, counts)

        # Weight 0 sends nothing to the additional version; published versions and $LATEST stay themselves.
        self.lam.update_alias(FunctionName=name, Name="live", RoutingConfig={"AdditionalVersionWeights": {v2: 0.0}})
        executed = {self.lam.invoke(FunctionName=name, Qualifier="live", Payload=b"{}")["ExecutedVersion"] for _ in range(30)}
        self.assertEqual(executed, {v1})
        self.assertEqual(self.lam.invoke(FunctionName=name, Qualifier=v2, Payload=b"{}")["ExecutedVersion"], v2)
        self.assertEqual(self.lam.invoke(FunctionName=name, Payload=b"{}")["ExecutedVersion"], "$LATEST")


class PlacementTests(ConcurrencyCase):
    # Room for three 128 MB environments, or one 256 MB and one 128 MB.
    extra_args = ("--memory-budget", "384M")

    def cold(self, name, payload=b"{}"):
        resp = self.lam.invoke(FunctionName=name, Payload=payload, LogType="Tail")
        self.assertEqual(resp["StatusCode"], 200)
        return "Init Duration" in base64.b64decode(resp["LogResult"]).decode()

    def test_idle_environments_of_other_functions_are_evicted_least_recently_used_first(self):
        small_a, small_b, large = self.make_function(128), self.make_function(128), self.make_function(256)
        self.assertTrue(self.cold(small_a))
        self.assertTrue(self.cold(small_b))
        self.assertFalse(self.cold(small_a))  # warm, and now the more recently used
        # 256 MB do not fit beside 2 × 128 MB in 384 MB: the least recently used (small_b) makes room.
        self.assertTrue(self.cold(large))
        self.assertFalse(self.cold(small_a))
        # small_b was evicted; coming back, it evicts the least recently used idle environment: large's.
        self.assertTrue(self.cold(small_b))
        self.assertFalse(self.cold(small_a))
        self.assertTrue(self.cold(large))

    def test_invoke_is_refused_only_when_busy_environments_hold_the_memory(self):
        large, other = self.make_function(256), self.make_function(256)
        # Reserved 1 tells when the large function is busy: a second invoke is then throttled.
        self.lam.put_function_concurrency(FunctionName=large, ReservedConcurrentExecutions=1)
        holder = threading.Thread(target=self._hold, args=(large,))
        holder.start()
        try:
            wait_until(lambda: self._throttled(large), timeout=30, what="the large function busy")
            with self.assertRaises(ClientError) as cm:
                self.lam.invoke(FunctionName=other, Payload=b"{}")
            error = cm.exception.response
            self.assertEqual(error["ResponseMetadata"]["HTTPStatusCode"], 429)
            self.assertEqual(error["Error"]["Code"], "TooManyRequestsException")
            self.assertIn("cannot place a new 256 MB execution environment", error["Error"]["Message"])
        finally:
            holder.join(60)
        # Once the large function is idle, its environment is evicted for the other one.
        self.assertTrue(self.cold(other))

    def _hold(self, name):
        # The probes below may take the function's one place for a moment: try again until this one runs.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                self.parallel.invoke(FunctionName=name, Payload=b'{"sleep": 5}')
                return
            except ClientError as e:
                if e.response["ResponseMetadata"]["HTTPStatusCode"] != 429:
                    raise

    def _throttled(self, name):
        try:
            self.lam.invoke(FunctionName=name, Payload=b"{}")
        except ClientError as e:
            return e.response["ResponseMetadata"]["HTTPStatusCode"] == 429
        return False


if __name__ == "__main__":
    unittest.main()
