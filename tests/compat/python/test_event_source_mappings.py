"""Event source mappings: Create (202) / Get / Update (202) / Delete (202) / List, states and validation.

Shapes and states follow AWS's CLI reference examples (create → State "Creating",
StateTransitionReason "USER_INITIATED"; update → "Updating"; delete → "Deleting"; LastModified epoch) and
lambda-api.md; messages ("Unrecognized event source.", "Function does not exist", the SQS batch-window
rule, the duplicate-mapping conflict) come from LocalStack's provider, checked against AWS snapshots
(tests/aws/services/lambda_/test_lambda_api.snapshot.json, TestEventSourceMappings).
Polling is a later issue; these tests only drive the control plane.
"""

import datetime
import json
import unittest

from harness import ACCOUNT, REGION, UUID_RE, ServerTestCase, function_arn, unique_name, wait_until

NOT_EXIST = "The resource you requested does not exist."


def queue_arn(name: str) -> str:
    return f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"


class EventSourceMappingTests(ServerTestCase):

    def _fn(self):
        name = unique_name("esm")
        self.create_function(name)
        return name

    def _state(self, uuid):
        return self.lam.get_event_source_mapping(UUID=uuid)["State"]

    def test_CreateEventSourceMapping_Returns202CreatingThenEnabled(self):
        name = self._fn()
        source = queue_arn(unique_name("q"))
        resp = self.lam.create_event_source_mapping(EventSourceArn=source, FunctionName=name, BatchSize=5)
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 202)
        self.assertRegex(resp["UUID"], UUID_RE)
        self.assertEqual(resp["EventSourceArn"], source)
        self.assertEqual(resp["FunctionArn"], function_arn(name))
        self.assertEqual(resp["BatchSize"], 5)
        self.assertEqual(resp["MaximumBatchingWindowInSeconds"], 0)
        self.assertEqual(resp["State"], "Creating")
        self.assertEqual(resp["StateTransitionReason"], "USER_INITIATED")
        self.assertEqual(resp["EventSourceMappingArn"],
                         f"arn:aws:lambda:{REGION}:{ACCOUNT}:event-source-mapping:{resp['UUID']}")
        self.assertIsInstance(resp["LastModified"], datetime.datetime)
        wait_until(lambda: self._state(resp["UUID"]) == "Enabled", what="mapping Enabled")
        got = self.lam.get_event_source_mapping(UUID=resp["UUID"])
        self.assertEqual(got["ResponseMetadata"]["HTTPStatusCode"], 200)
        for key in ("UUID", "EventSourceArn", "FunctionArn", "BatchSize", "MaximumBatchingWindowInSeconds",
                    "EventSourceMappingArn"):
            self.assertEqual(got[key], resp[key], key)
        status, _, body = self.server.raw("GET", f"/2015-03-31/event-source-mappings/{resp['UUID']}")
        self.assertEqual(status, 200)
        raw = json.loads(body)
        self.assertIsInstance(raw["LastModified"], (int, float))
        self.assertNotIsInstance(raw["LastModified"], bool)

    def test_CreateEventSourceMapping_SqsDefaults_BatchSize10(self):
        name = self._fn()
        resp = self.lam.create_event_source_mapping(EventSourceArn=queue_arn(unique_name("q")), FunctionName=name)
        self.assertEqual(resp["BatchSize"], 10)
        self.assertEqual(resp["MaximumBatchingWindowInSeconds"], 0)

    def test_UpdateEventSourceMapping_Returns202UpdatingThenApplied(self):
        name = self._fn()
        created = self.lam.create_event_source_mapping(EventSourceArn=queue_arn(unique_name("q")),
                                                       FunctionName=name, BatchSize=5)
        wait_until(lambda: self._state(created["UUID"]) == "Enabled", what="mapping Enabled")
        upd = self.lam.update_event_source_mapping(UUID=created["UUID"], BatchSize=8)
        self.assertEqual(upd["ResponseMetadata"]["HTTPStatusCode"], 202)
        self.assertEqual(upd["State"], "Updating")
        self.assertEqual(upd["BatchSize"], 8)
        wait_until(lambda: self._state(created["UUID"]) == "Enabled", what="mapping Enabled after update")
        self.assertEqual(self.lam.get_event_source_mapping(UUID=created["UUID"])["BatchSize"], 8)

    def test_UpdateEventSourceMapping_Disable_GoesDisabled(self):
        name = self._fn()
        created = self.lam.create_event_source_mapping(EventSourceArn=queue_arn(unique_name("q")),
                                                       FunctionName=name)
        wait_until(lambda: self._state(created["UUID"]) == "Enabled", what="mapping Enabled")
        upd = self.lam.update_event_source_mapping(UUID=created["UUID"], Enabled=False)
        self.assertEqual(upd["State"], "Disabling")
        wait_until(lambda: self._state(created["UUID"]) == "Disabled", what="mapping Disabled")
        self.lam.update_event_source_mapping(UUID=created["UUID"], Enabled=True)
        wait_until(lambda: self._state(created["UUID"]) == "Enabled", what="mapping re-Enabled")

    def test_DeleteEventSourceMapping_Returns202DeletingThen404(self):
        name = self._fn()
        created = self.lam.create_event_source_mapping(EventSourceArn=queue_arn(unique_name("q")),
                                                       FunctionName=name)
        wait_until(lambda: self._state(created["UUID"]) == "Enabled", what="mapping Enabled")
        deleted = self.lam.delete_event_source_mapping(UUID=created["UUID"])
        self.assertEqual(deleted["ResponseMetadata"]["HTTPStatusCode"], 202)
        self.assertEqual(deleted["State"], "Deleting")
        self.assertEqual(deleted["UUID"], created["UUID"])

        def gone():
            try:
                self.lam.get_event_source_mapping(UUID=created["UUID"])
                return False
            except self.lam.exceptions.ResourceNotFoundException:
                return True
        wait_until(gone, what="mapping deleted")
        self.assert_client_error(self.lam.get_event_source_mapping, 404, "ResourceNotFoundException", NOT_EXIST,
                                 UUID=created["UUID"])

    def test_ListEventSourceMappings_FilterByFunctionAndSource(self):
        name = self._fn()
        other = self._fn()
        q1, q2 = queue_arn(unique_name("q")), queue_arn(unique_name("q"))
        m1 = self.lam.create_event_source_mapping(EventSourceArn=q1, FunctionName=name)["UUID"]
        m2 = self.lam.create_event_source_mapping(EventSourceArn=q2, FunctionName=name)["UUID"]
        m3 = self.lam.create_event_source_mapping(EventSourceArn=q1, FunctionName=other)["UUID"]
        by_fn = self.lam.list_event_source_mappings(FunctionName=name)
        self.assertEqual(by_fn["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(sorted(m["UUID"] for m in by_fn["EventSourceMappings"]), sorted([m1, m2]))
        by_src = self.lam.list_event_source_mappings(EventSourceArn=q1)
        self.assertEqual(sorted(m["UUID"] for m in by_src["EventSourceMappings"]), sorted([m1, m3]))
        by_arn = self.lam.list_event_source_mappings(FunctionName=function_arn(other))
        self.assertEqual([m["UUID"] for m in by_arn["EventSourceMappings"]], [m3])
        pages = list(self.lam.get_paginator("list_event_source_mappings").paginate(
            FunctionName=name, PaginationConfig={"PageSize": 1}))
        self.assertEqual(sorted(m["UUID"] for p in pages for m in p["EventSourceMappings"]), sorted([m1, m2]))
        self.assertEqual(len(pages), 2)

    def test_CreateEventSourceMapping_NoSource_InvalidParameterValue(self):
        name = self._fn()
        self.assert_client_error(self.lam.create_event_source_mapping, 400, "InvalidParameterValueException",
                                 "Unrecognized event source.", FunctionName=name)

    def test_CreateEventSourceMapping_UnknownFunction_InvalidParameterValue(self):
        self.assert_client_error(self.lam.create_event_source_mapping, 400, "InvalidParameterValueException",
                                 "Function does not exist", FunctionName=unique_name("ghost"),
                                 EventSourceArn=queue_arn(unique_name("q")))

    def test_CreateEventSourceMapping_SqsBatchOver10WithoutWindow_InvalidParameterValue(self):
        name = self._fn()
        self.assert_client_error(
            self.lam.create_event_source_mapping, 400, "InvalidParameterValueException",
            "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10",
            FunctionName=name, EventSourceArn=queue_arn(unique_name("q")), BatchSize=11)
        self.assertEqual(self.lam.list_event_source_mappings(FunctionName=name)["EventSourceMappings"], [])
        ok = self.lam.create_event_source_mapping(FunctionName=name, EventSourceArn=queue_arn(unique_name("q")),
                                                  BatchSize=100, MaximumBatchingWindowInSeconds=1)
        self.assertEqual(ok["BatchSize"], 100)
        self.assertEqual(ok["MaximumBatchingWindowInSeconds"], 1)

    def test_CreateEventSourceMapping_BatchSizeZero_ValidationException(self):
        name = self._fn()
        self.assert_client_error(
            self.lam_nv.create_event_source_mapping, 400, "ValidationException",
            "1 validation error detected: Value '0' at 'batchSize' failed to satisfy constraint: Member must have "
            "value greater than or equal to 1", FunctionName=name, EventSourceArn=queue_arn(unique_name("q")),
            BatchSize=0)

    def test_CreateEventSourceMapping_DuplicateSqs_Returns409(self):
        name = self._fn()
        source = queue_arn(unique_name("q"))
        first = self.lam.create_event_source_mapping(EventSourceArn=source, FunctionName=name)
        self.assert_client_error(
            self.lam.create_event_source_mapping, 409, "ResourceConflictException",
            f'An event source mapping with SQS arn (" {source} ") and function (" {name} ") already exists. '
            f"Please update or delete the existing mapping with UUID {first['UUID']}",
            EventSourceArn=source, FunctionName=name)

    def test_GetEventSourceMapping_Unknown_Returns404(self):
        self.assert_client_error(self.lam.get_event_source_mapping, 404, "ResourceNotFoundException", NOT_EXIST,
                                 UUID="00000000-0000-0000-0000-000000000001")
        self.assert_client_error(self.lam.update_event_source_mapping, 404, "ResourceNotFoundException", NOT_EXIST,
                                 UUID="00000000-0000-0000-0000-000000000000", BatchSize=2)
        self.assert_client_error(self.lam.delete_event_source_mapping, 404, "ResourceNotFoundException", NOT_EXIST,
                                 UUID="00000000-0000-0000-0000-000000000000")


if __name__ == "__main__":
    unittest.main()
