"""Provisioned concurrency through the real server, sandboxes and boto3.

PutProvisionedConcurrencyConfig launches environments ahead of traffic (AWS_LAMBDA_INITIALIZATION_TYPE
provisioned-concurrency, Init run before any invoke); Get/List report IN_PROGRESS then READY with the
Allocated/Available counts, or FAILED with StatusReason FUNCTION_ERROR_INIT_FAILURE (the reason AWS gives,
e.g. in CloudFormation's "Provisioned Concurrency configuration failed to be applied. Reason:
FUNCTION_ERROR_INIT_FAILURE"). An invoke then runs on an environment initialized before the configuration
was READY, i.e. no cold start. Delete releases the environments; a restart provisions them again.
"""
from __future__ import annotations

import base64
import json
import time
import unittest

from harness import ServerTestCase, make_zip, unique_name, wait_until

# Answers every event with its environment's initialization type and when its Init ran (ns since the epoch).
PROBE_BOOTSTRAP = """#!/bin/sh
set -eu
INIT_AT=$(date +%s%N)
while true; do
  HEADERS="$(mktemp)"
  curl -sS -o /dev/null -D "$HEADERS" "http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/next"
  REQUEST_ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)
  curl -sS -X POST "http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/$REQUEST_ID/response" \\
    -d "{\\"type\\":\\"${AWS_LAMBDA_INITIALIZATION_TYPE}\\",\\"initAt\\":${INIT_AT}}"
done
"""

FAILING_BOOTSTRAP = """#!/bin/sh
echo "init fails on purpose" >&2
exit 1
"""

READY_DEADLINE_S = 60.0


def probe_zip(marker: str) -> bytes:
    return make_zip({"bootstrap": PROBE_BOOTSTRAP + f"# {marker}\n"}, executable=("bootstrap",))


class ProvisionedCase(ServerTestCase):

    def function_with_version(self, zip_bytes: bytes | None = None) -> str:
        name = unique_name("pc")
        self.create_function(name, zip_bytes if zip_bytes is not None else probe_zip(name))
        self.publish(name)
        return name

    def wait_status(self, name: str, qualifier: str, status: str) -> dict:
        def current():
            got = self.lam.get_provisioned_concurrency_config(FunctionName=name, Qualifier=qualifier)
            return got if got["Status"] == status else None
        return wait_until(current, timeout=READY_DEADLINE_S, interval=0.1, what=f"{name}:{qualifier} {status}")

    def probe(self, name: str, qualifier: str) -> tuple[dict, str]:
        resp = self.lam.invoke(FunctionName=name, Qualifier=qualifier, Payload=b"{}", LogType="Tail")
        self.assertEqual(resp["StatusCode"], 200)
        self.assertNotIn("FunctionError", resp)
        return json.loads(resp["Payload"].read()), base64.b64decode(resp["LogResult"]).decode()


class ProvisionedConcurrencyTests(ProvisionedCase):

    def test_PutOnVersion_ReadyWithTwoAllocated_InvokesRunOnEnvironmentsInitializedBeforehand(self):
        name = self.function_with_version()
        put = self.lam.put_provisioned_concurrency_config(FunctionName=name, Qualifier="1",
                                                          ProvisionedConcurrentExecutions=2)
        self.assertEqual(put["Status"], "IN_PROGRESS")

        ready = self.wait_status(name, "1", "READY")
        ready_at_ns = time.time_ns()

        self.assertEqual(ready["RequestedProvisionedConcurrentExecutions"], 2)
        self.assertEqual(ready["AllocatedProvisionedConcurrentExecutions"], 2)
        self.assertEqual(ready["AvailableProvisionedConcurrentExecutions"], 2)
        self.assertNotIn("StatusReason", ready)
        self.assertEqual(ready["LastModified"], put["LastModified"])
        listed = self.lam.list_provisioned_concurrency_configs(FunctionName=name)["ProvisionedConcurrencyConfigs"]
        self.assertEqual([(i["Status"], i["AllocatedProvisionedConcurrentExecutions"]) for i in listed], [("READY", 2)])
        for _ in range(3):
            body, log = self.probe(name, "1")
            self.assertEqual(body["type"], "provisioned-concurrency")
            self.assertLess(body["initAt"], ready_at_ns, "the invoke must not have waited for an Init")
            self.assertIn("REPORT RequestId:", log)
        # $LATEST has no provisioned concurrency: an on-demand environment, initialized for this invoke.
        sent_at_ns = time.time_ns()
        body, _ = self.probe(name, "$LATEST")
        self.assertEqual(body["type"], "on-demand")
        self.assertGreater(body["initAt"], sent_at_ns)
        self.lam.delete_provisioned_concurrency_config(FunctionName=name, Qualifier="1")

    def test_PutOnAlias_Ready_InvokeThroughTheAliasUsesAProvisionedEnvironment(self):
        name = self.function_with_version()
        self.lam.create_alias(FunctionName=name, Name="live", FunctionVersion="1")
        self.lam.put_provisioned_concurrency_config(FunctionName=name, Qualifier="live",
                                                    ProvisionedConcurrentExecutions=2)

        ready = self.wait_status(name, "live", "READY")
        ready_at_ns = time.time_ns()

        self.assertEqual((ready["AllocatedProvisionedConcurrentExecutions"],
                          ready["AvailableProvisionedConcurrentExecutions"]), (2, 2))
        body, _ = self.probe(name, "live")
        self.assertEqual(body["type"], "provisioned-concurrency")
        self.assertLess(body["initAt"], ready_at_ns)
        # The alias and its version share the version's environments.
        body, _ = self.probe(name, "1")
        self.assertEqual(body["type"], "provisioned-concurrency")
        self.lam.delete_provisioned_concurrency_config(FunctionName=name, Qualifier="live")

    def test_InitFails_FailedWithFunctionErrorInitFailure(self):
        name = self.function_with_version(make_zip({"bootstrap": FAILING_BOOTSTRAP}, executable=("bootstrap",)))
        self.lam.put_provisioned_concurrency_config(FunctionName=name, Qualifier="1",
                                                    ProvisionedConcurrentExecutions=1)

        failed = self.wait_status(name, "1", "FAILED")

        self.assertEqual(failed["StatusReason"], "FUNCTION_ERROR_INIT_FAILURE")
        self.assertEqual(failed["RequestedProvisionedConcurrentExecutions"], 1)
        self.assertEqual(failed["AllocatedProvisionedConcurrentExecutions"], 0)
        self.assertEqual(failed["AvailableProvisionedConcurrentExecutions"], 0)
        self.lam.delete_provisioned_concurrency_config(FunctionName=name, Qualifier="1")

    def test_Delete_ConfigGoneAndEnvironmentsReleased(self):
        name = self.function_with_version()
        self.lam.put_provisioned_concurrency_config(FunctionName=name, Qualifier="1",
                                                    ProvisionedConcurrentExecutions=1)
        self.wait_status(name, "1", "READY")
        self.assertEqual(self.probe(name, "1")[0]["type"], "provisioned-concurrency")

        self.lam.delete_provisioned_concurrency_config(FunctionName=name, Qualifier="1")

        self.assert_client_error(self.lam.get_provisioned_concurrency_config, 404,
                                 "ProvisionedConcurrencyConfigNotFoundException",
                                 "No Provisioned Concurrency Config found for this function",
                                 FunctionName=name, Qualifier="1")
        # Once released, the version's next invoke needs an on-demand environment.
        wait_until(lambda: self.probe(name, "1")[0]["type"] == "on-demand", timeout=30.0, interval=0.1,
                   what="the provisioned environment to be released")


class ProvisionedRestartTests(ProvisionedCase):

    def test_Restart_ConfigurationProvisionedAgain(self):
        name = self.function_with_version()
        self.lam.put_provisioned_concurrency_config(FunctionName=name, Qualifier="1",
                                                    ProvisionedConcurrentExecutions=2)
        self.wait_status(name, "1", "READY")

        self.server.restart()

        ready = self.wait_status(name, "1", "READY")
        ready_at_ns = time.time_ns()
        self.assertEqual((ready["AllocatedProvisionedConcurrentExecutions"],
                          ready["AvailableProvisionedConcurrentExecutions"]), (2, 2))
        body, _ = self.probe(name, "1")
        self.assertEqual(body["type"], "provisioned-concurrency")
        self.assertLess(body["initAt"], ready_at_ns)


if __name__ == "__main__":
    unittest.main()
