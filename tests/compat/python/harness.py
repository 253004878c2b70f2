"""Starts a real Kindling server on a loopback port and hands out AWS clients for it.

One server per test module (``ServerTestCase.setUpClass``). The server binary is
``artifacts/server/kindling`` unless ``KINDLING_SERVER_BIN`` names another one.
Readiness is awaited on the printed endpoint line and the TCP port with a deadline;
nothing here sleeps for a fixed time.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request
import uuid
import zipfile

import boto3
import botocore.auth
import botocore.awsrequest
import botocore.credentials
from botocore.config import Config
from botocore.exceptions import ClientError

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
DEFAULT_BIN = os.path.join(REPO_ROOT, "artifacts", "server", "kindling")
REGION = "us-east-1"
ACCOUNT = "000000000000"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/kindling-compat-role"
START_DEADLINE_S = 30.0
STOP_DEADLINE_S = 20.0

LAMBDA_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$")
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def server_bin() -> str:
    return os.environ.get("KINDLING_SERVER_BIN", DEFAULT_BIN)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def random_access_key() -> tuple[str, str]:
    alphabet = string.ascii_uppercase + string.digits
    akid = "AKIA" + "".join(secrets.choice(alphabet) for _ in range(16))
    secret = "".join(secrets.choice(string.ascii_letters + string.digits + "+/") for _ in range(40))
    return akid, secret


def function_arn(name: str, qualifier: str | None = None) -> str:
    arn = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}"
    return f"{arn}:{qualifier}" if qualifier else arn


def layer_arn(name: str, version: int | None = None) -> str:
    arn = f"arn:aws:lambda:{REGION}:{ACCOUNT}:layer:{name}"
    return f"{arn}:{version}" if version is not None else arn


def unique_name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


# ---------------------------------------------------------------- zips


def make_zip(files: dict[str, bytes | str], executable: tuple[str, ...] = ()) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            mode = 0o755 if name in executable else 0o644
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data.encode() if isinstance(data, str) else data)
    return buf.getvalue()


BOOTSTRAP = """#!/bin/sh
set -eu
while true; do
  HEADERS="$(mktemp)"
  EVENT_DATA=$(curl -sS -LD "$HEADERS" "http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/next")
  REQUEST_ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)
  curl -sS -X POST "http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/$REQUEST_ID/response" -d "$EVENT_DATA"
done
"""


def bootstrap_zip(marker: str = "") -> bytes:
    """A provided.al2023 package: an executable `bootstrap` (echo function)."""
    return make_zip({"bootstrap": BOOTSTRAP + f"# {marker}\n"}, executable=("bootstrap",))


def python_zip(marker: str = "") -> bytes:
    return make_zip({"handler.py": f"def handler(event, context):\n    return event  # {marker}\n"})


def sha256_b64(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


# ---------------------------------------------------------------- server


class KindlingServer:
    def __init__(self, extra_args: tuple[str, ...] = ()) -> None:
        self.extra_args = list(extra_args)
        self.binary = server_bin()
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.data_dir = tempfile.mkdtemp(prefix="kindling-compat-")
        self.access_key_id, self.secret_access_key = random_access_key()
        self.proc: subprocess.Popen | None = None
        self.log_path = os.path.join(self.data_dir, "..", os.path.basename(self.data_dir) + ".log")
        self._ready = threading.Event()
        self._output: list[str] = []

    # lifecycle -----------------------------------------------------------
    def start(self) -> "KindlingServer":
        if not os.path.exists(self.binary):
            raise RuntimeError(f"Kindling server binary not found at {self.binary} (set KINDLING_SERVER_BIN)")
        self._ready.clear()
        self._output = []
        cmd = [
            self.binary, "server",
            "--listen", f"127.0.0.1:{self.port}",
            "--data-dir", self.data_dir,
            "--access-key-id", self.access_key_id,
            "--secret-access-key", self.secret_access_key,
            "--region", REGION,
            "--account-id", ACCOUNT,
            *self.extra_args,
        ]
        self.proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            text=True, errors="replace",
        )
        threading.Thread(target=self._pump, args=(self.proc,), daemon=True).start()
        deadline = time.monotonic() + START_DEADLINE_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"kindling exited with {self.proc.returncode} before becoming ready:\n" + self.output())
            if self._ready.wait(0.05) and self._port_open():
                return self
        self.stop()
        raise RuntimeError(f"kindling not ready within {START_DEADLINE_S}s:\n" + self.output())

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if proc.poll() is not None:
            if proc.stdout is not None:
                proc.stdout.close()
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(STOP_DEADLINE_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise RuntimeError("kindling did not stop within the deadline after SIGTERM")
        finally:
            if proc.stdout is not None:
                proc.stdout.close()

    def restart(self) -> None:
        self.stop()
        self.start()

    def kill9(self) -> None:
        """SIGKILL, no shutdown path (crash-consistency tests)."""
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc is not None and proc.stdout is not None:
            proc.stdout.close()

    def cleanup(self) -> None:
        try:
            self.stop()
        finally:
            with open(self.log_path, "w") as f:
                f.write(self.output())
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def _pump(self, proc: subprocess.Popen) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            self._output.append(line)
            if self.endpoint in line:
                self._ready.set()

    def _port_open(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return True
        except OSError:
            return False

    def output(self) -> str:
        return "".join(self._output)

    # clients -------------------------------------------------------------
    def client(self, retries: bool = False, validate: bool = True, access_key_id: str | None = None,
               secret_access_key: str | None = None):
        cfg = Config(
            retries={"max_attempts": 3 if retries else 1, "mode": "standard"},
            parameter_validation=validate,
            connect_timeout=10,
            read_timeout=120,
        )
        return boto3.session.Session().client(
            "lambda",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=access_key_id or self.access_key_id,
            aws_secret_access_key=secret_access_key or self.secret_access_key,
            config=cfg,
        )

    def raw(self, method: str, path: str, body: bytes | str | None = None,
            headers: dict[str, str] | None = None, *, sign: bool = True, timestamp=None,
            access_key_id: str | None = None, secret_access_key: str | None = None,
            send_body: bytes | None = None) -> tuple[int, dict[str, str], bytes]:
        """A SigV4-signed request built by hand (botocore.auth.SigV4Auth) and sent with urllib.

        `timestamp` (a UTC datetime) signs as of another time; `send_body` sends different bytes than
        were signed; `sign=False` sends no Authorization at all."""
        if isinstance(body, str):
            body = body.encode()
        url = self.endpoint + path
        req = botocore.awsrequest.AWSRequest(method=method, url=url, data=body or b"",
                                             headers=dict(headers or {}))
        if sign:
            creds = botocore.credentials.Credentials(access_key_id or self.access_key_id,
                                                     secret_access_key or self.secret_access_key)
            _FixedTimeSigV4Auth(creds, "lambda", REGION, timestamp).add_auth(req)
        prepared = req.prepare()
        payload = send_body if send_body is not None else body
        ureq = urllib.request.Request(prepared.url, data=payload if payload else None, method=method,
                                      headers=dict(prepared.headers.items()))
        try:
            with urllib.request.urlopen(ureq, timeout=60) as resp:
                return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
        except urllib.error.HTTPError as e:
            return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


class _FixedTimeSigV4Auth(botocore.auth.SigV4Auth):
    """botocore's SigV4 signer, optionally signing as of a given UTC time (for clock-skew tests)."""

    def __init__(self, credentials, service, region, timestamp=None):
        super().__init__(credentials, service, region)
        self._timestamp = timestamp

    def add_auth(self, request):
        if self._timestamp is None:
            return super().add_auth(request)
        request.context["timestamp"] = self._timestamp.strftime(botocore.auth.SIGV4_TIMESTAMP)
        self._modify_request_before_signing(request)
        canonical_request = self.canonical_request(request)
        string_to_sign = self.string_to_sign(request, canonical_request)
        self._inject_signature_to_request(request, self.signature(string_to_sign, request))


# ---------------------------------------------------------------- test base


def wait_until(predicate, timeout: float = 60.0, interval: float = 0.1, what: str = "condition"):
    """Polls `predicate` until it returns a truthy value or the deadline passes."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        last = predicate()
        if last:
            return last
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}; last value: {last!r}")
        threading.Event().wait(interval)


def strip_metadata(resp: dict) -> dict:
    return {k: v for k, v in resp.items() if k != "ResponseMetadata"}


class ServerTestCase(unittest.TestCase):
    """Starts one Kindling server for the test class."""

    maxDiff = None
    server: KindlingServer

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.server = KindlingServer().start()
        cls.addClassCleanup(cls.server.cleanup)
        cls.lam = cls.server.client()
        cls.lam_nv = cls.server.client(validate=False)

    # helpers --------------------------------------------------------------
    def assert_client_error(self, call, status: int, code: str, message: str | None = None,
                            message_prefix: str | None = None, **kwargs) -> dict:
        with self.assertRaises(ClientError) as cm:
            call(**kwargs)
        resp = cm.exception.response
        got = (resp["ResponseMetadata"]["HTTPStatusCode"], resp["Error"].get("Code"), resp["Error"].get("Message"))
        self.assertEqual(got[0], status, f"HTTP status for {code}: {got}")
        self.assertEqual(got[1], code, f"error code: {got}")
        if message is not None:
            self.assertEqual(got[2], message, f"error message: {got}")
        if message_prefix is not None:
            self.assertTrue((got[2] or "").startswith(message_prefix), f"message {got[2]!r} should start with {message_prefix!r}")
        self.assertTrue(resp["ResponseMetadata"].get("RequestId"), "x-amzn-RequestId must be set on errors")
        return resp

    def create_function(self, name: str | None = None, zip_bytes: bytes | None = None, wait: bool = True,
                        **kwargs) -> dict:
        name = name or unique_name("fn")
        params = dict(FunctionName=name, Role=ROLE, Runtime="provided.al2023", Handler="bootstrap",
                      Code={"ZipFile": zip_bytes if zip_bytes is not None else bootstrap_zip(name)})
        params.update(kwargs)
        resp = self.lam.create_function(**params)
        if wait:
            self.lam.get_waiter("function_active_v2").wait(
                FunctionName=name, WaiterConfig={"Delay": 0.2, "MaxAttempts": 300})
        return resp

    def wait_updated(self, name: str) -> None:
        self.lam.get_waiter("function_updated_v2").wait(
            FunctionName=name, WaiterConfig={"Delay": 0.2, "MaxAttempts": 300})

    def publish(self, name: str, **kwargs) -> dict:
        resp = self.lam.publish_version(FunctionName=name, **kwargs)
        self.lam.get_waiter("published_version_active").wait(
            FunctionName=name, Qualifier=resp["Version"], WaiterConfig={"Delay": 0.2, "MaxAttempts": 300})
        return resp


def main() -> None:  # pragma: no cover - manual smoke check
    srv = KindlingServer().start()
    try:
        print(srv.client().get_account_settings())
    finally:
        srv.cleanup()


if __name__ == "__main__":
    sys.exit(main())
