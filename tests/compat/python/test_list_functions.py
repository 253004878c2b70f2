"""ListFunctions: Marker/NextMarker pagination (50 per page by default), MaxItems, the boto3 paginator over
more than 50 functions, and FunctionVersion=ALL. Its own server, so the function count is known exactly.

ListFunctions items carry no State*/LastUpdateStatus* (lambda-api.md); by default only $LATEST with
unqualified ARNs; FunctionVersion=ALL adds every version with qualified ARNs.
"""

import json
import unittest
from concurrent.futures import ThreadPoolExecutor

from harness import ROLE, ServerTestCase, bootstrap_zip, function_arn, unique_name

COUNT = 55


class ListFunctionsTests(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        prefix = unique_name("lst")
        cls.names = sorted(f"{prefix}-{i:02d}" for i in range(COUNT))
        code = bootstrap_zip("list")

        def create(name):
            cls.lam.create_function(FunctionName=name, Role=ROLE, Runtime="provided.al2023", Handler="bootstrap",
                                    Code={"ZipFile": code})
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(create, cls.names))
        waiter = cls.lam.get_waiter("function_active_v2")
        for name in cls.names:
            waiter.wait(FunctionName=name, WaiterConfig={"Delay": 0.2, "MaxAttempts": 300})
        cls.versioned = cls.names[0]
        cls.lam.publish_version(FunctionName=cls.versioned)

    def test_ListFunctions_NoMaxItems_First50ThenRest(self):
        first = self.lam.list_functions()
        self.assertEqual(first["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(len(first["Functions"]), 50)
        self.assertIn("NextMarker", first)
        rest = self.lam.list_functions(Marker=first["NextMarker"])
        self.assertEqual(len(rest["Functions"]), COUNT - 50)
        self.assertNotIn("NextMarker", rest)
        names = [f["FunctionName"] for f in first["Functions"] + rest["Functions"]]
        self.assertEqual(sorted(names), self.names)
        self.assertEqual(len(set(names)), COUNT)

    def test_ListFunctions_MaxItems10_PagesOf10(self):
        seen = []
        marker = None
        pages = 0
        while True:
            kwargs = {"MaxItems": 10}
            if marker:
                kwargs["Marker"] = marker
            page = self.lam.list_functions(**kwargs)
            pages += 1
            self.assertLessEqual(len(page["Functions"]), 10)
            seen += [f["FunctionName"] for f in page["Functions"]]
            marker = page.get("NextMarker")
            if not marker:
                break
            self.assertEqual(len(page["Functions"]), 10)
        self.assertEqual(pages, 6)
        self.assertEqual(sorted(seen), self.names)

    def test_ListFunctions_Paginator_YieldsAllOnce(self):
        pages = list(self.lam.get_paginator("list_functions").paginate())
        self.assertEqual([len(p["Functions"]) for p in pages], [50, COUNT - 50])
        names = [f["FunctionName"] for p in pages for f in p["Functions"]]
        self.assertEqual(sorted(names), self.names)
        built = self.lam.get_paginator("list_functions").paginate(
            PaginationConfig={"PageSize": 7}).build_full_result()
        self.assertEqual(sorted(f["FunctionName"] for f in built["Functions"]), self.names)

    def test_ListFunctions_Items_UnqualifiedArnsAndNoStateFields(self):
        items = [f for p in self.lam.get_paginator("list_functions").paginate() for f in p["Functions"]]
        for item in items:
            self.assertEqual(item["FunctionArn"], function_arn(item["FunctionName"]))
            self.assertEqual(item["Version"], "$LATEST")
            for absent in ("State", "StateReason", "StateReasonCode", "LastUpdateStatus",
                           "LastUpdateStatusReason", "LastUpdateStatusReasonCode"):
                self.assertNotIn(absent, item)
            self.assertEqual(item["Runtime"], "provided.al2023")
            self.assertEqual(item["MemorySize"], 128)

    def test_ListFunctions_VersionAll_IncludesPublishedVersionsQualified(self):
        items = [f for p in self.lam.get_paginator("list_functions").paginate(FunctionVersion="ALL")
                 for f in p["Functions"]]
        self.assertEqual(len(items), COUNT + 1)  # 55 $LATEST + version 1
        mine = sorted((f["Version"], f["FunctionArn"]) for f in items if f["FunctionName"] == self.versioned)
        self.assertEqual(mine, [("$LATEST", function_arn(self.versioned, "$LATEST")),
                                ("1", function_arn(self.versioned, "1"))])
        for f in items:
            self.assertEqual(f["FunctionArn"], function_arn(f["FunctionName"], f["Version"]))

    def test_ListFunctions_BadFunctionVersion_ValidationException(self):
        self.assert_client_error(
            self.lam.list_functions, 400, "ValidationException",
            "1 validation error detected: Value 'SOME' at 'functionVersion' failed to satisfy constraint: "
            "Member must satisfy enum value set: [ALL]", FunctionVersion="SOME")

    def test_ListFunctions_TrailingSlashRoute_Works(self):
        status, _, body = self.server.raw("GET", "/2015-03-31/functions/?MaxItems=3")
        self.assertEqual(status, 200, body)
        status2, _, body2 = self.server.raw("GET", "/2015-03-31/functions?MaxItems=3")
        self.assertEqual(status2, 200, body2)
        self.assertEqual(len(json.loads(body)["Functions"]), 3)
        self.assertEqual(json.loads(body)["Functions"], json.loads(body2)["Functions"])


if __name__ == "__main__":
    unittest.main()
