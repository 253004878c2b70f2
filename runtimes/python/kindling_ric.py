"""Kindling's runtime interface client for python3.x functions (started by bootstrap.py).

The worker starts ``python3.N -S -u /var/runtime/bootstrap.py`` (see runtime.json) with the variables of Lambda's
execution environment. This module behaves like AWS's Python runtime (aws-lambda-python-runtime-interface-client):
the handler module is imported once, before the first ``next``; each event goes to ``handler(event, context)``;
results are JSON; errors, log lines and the context object have AWS's shapes and messages.

Standard library only. Start-up cost was measured with ``python3 -X importtime`` (docs/runtime-python.md):
``-S`` skips ``site`` (the host's .pth hooks), the Runtime API is spoken over a plain socket (``http.client`` pulls
in ``email`` and ``ssl``, ~19 ms), ``json`` and ``socket`` are used through their C modules (``_json``, ``_socket``:
the packages import ``re`` and ``enum``, 6-17 ms), and ``logging`` and ``traceback`` load only when something needs
them. The module has a ``kindling_`` name so that no function module can stand in for it or be hidden by it.
"""
import sys

# Everything the runtime itself uses is imported before /var/task joins sys.path, so that a user's json.py or
# socket.py cannot stand in for the runtime's own.
import importlib
import importlib.machinery
import _json
import _socket
import io
import os
import time

_RUNTIME_FILES = ("/bootstrap.py", "/kindling_ric.py")
_USER_AGENT = "kindling-python-ric/1.0 (python %d.%d.%d)" % sys.version_info[:3]
_RUNTIME_PATH = "/2018-06-01/runtime"
_ERROR_TYPE_HEADER = "Lambda-Runtime-Function-Error-Type"
_XRAY_CAUSE_HEADER = "Lambda-Runtime-Function-XRay-Error-Cause"
_XRAY_CAUSE_LIMIT = 1024 * 1024

# The official client joins the lines of the error it logs with CR when it writes to stdout, so that one error is
# one log event, and indents its stack trace with NO-BREAK SPACEs.
_ERROR_LOG_LINE_TERMINATE = "\r"
_ERROR_LOG_IDENT = "\u00a0"
_DATETIME_FORMAT = "%Y-%m-%dT%H:%M:%S"
_TEXT_LOG_FORMAT = "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n"
_LAMBDA_WARNING = (
    "LAMBDA_WARNING: Unhandled exception. The most likely cause is an issue in the function code. However, in rare "
    "cases, a Lambda runtime update can cause unexpected function behavior. For functions using managed runtimes, "
    "runtime updates can be triggered by a function change, or can be applied automatically. To determine if the "
    "runtime has been updated, check the runtime version in the INIT_START log entry. If this error correlates with "
    "a change in the runtime version, you may be able to mitigate this error by temporarily rolling back to the "
    "previous runtime version. For more information, see https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html"
)

_LOG_FORMAT_JSON = (os.environ.get("AWS_LAMBDA_LOG_FORMAT") or "").upper() == "JSON"
_raw_level = os.environ.get("AWS_LAMBDA_LOG_LEVEL")
_LOG_LEVEL = {None: "", "TRACE": "DEBUG"}.get(_raw_level, _raw_level).upper()
del _raw_level

# AWS's python3.12 and later runtimes keep non-ASCII characters in responses; earlier ones escape them.
_exec_env = os.environ.get("AWS_EXECUTION_ENV", "")
_ENSURE_ASCII = not (_exec_env.startswith("AWS_Lambda_python3.")
                     and _exec_env[len("AWS_Lambda_python3."):].isdigit()
                     and int(_exec_env[len("AWS_Lambda_python3."):]) >= 12)
del _exec_env

_request_id = None
_tenant_id = None


class FaultException(Exception):
    """A failure the runtime reports with one of Lambda's Runtime.* error types."""

    MARSHAL_ERROR = "Runtime.MarshalError"
    UNMARSHAL_ERROR = "Runtime.UnmarshalError"
    USER_CODE_SYNTAX_ERROR = "Runtime.UserCodeSyntaxError"
    HANDLER_NOT_FOUND = "Runtime.HandlerNotFound"
    IMPORT_MODULE_ERROR = "Runtime.ImportModuleError"
    BUILT_IN_MODULE_CONFLICT = "Runtime.BuiltInModuleConflict"
    MALFORMED_HANDLER_NAME = "Runtime.MalformedHandlerName"
    LAMBDA_CONTEXT_UNMARSHAL_ERROR = "Runtime.LambdaContextUnmarshalError"

    def __init__(self, exception_type, msg, trace=None):
        super().__init__(msg)
        self.msg = msg
        self.exception_type = exception_type
        self.trace = trace


# ------------------------------------------------------------------------------------------------ Runtime API


class _ConnectionLost(Exception):
    pass


class _SocketReader(io.RawIOBase):
    """A connected _socket.socket as a raw stream (what socket.makefile("rb") buffers), without the socket module."""

    def __init__(self, sock):
        super().__init__()
        self._sock = sock

    def readable(self):
        return True

    def readinto(self, buffer):
        return self._sock.recv_into(buffer)


class RuntimeApiClient:
    """HTTP/1.1 with keep-alive to the Runtime API over one socket; ``next`` waits without a client timeout."""

    def __init__(self, address):
        host, sep, port = address.rpartition(":")
        self._host_header = address
        self._address = (host, int(port)) if sep else (address, 80)
        self._sock = None
        self._reader = None

    def _connect(self):
        # As socket.create_connection: each address in turn, the last error if none answers. A bytes host keeps
        # getaddrinfo from loading the idna codec (~1 ms at start-up).
        host, port = self._address
        error = None
        for family, kind, proto, _, address in _socket.getaddrinfo(
                host.encode("ascii", "ignore") or host, port, 0, _socket.SOCK_STREAM):
            sock = _socket.socket(family, kind, proto)
            try:
                sock.connect(address)
            except OSError as e:
                sock.close()
                error = e
                continue
            sock.setsockopt(_socket.IPPROTO_TCP, _socket.TCP_NODELAY, 1)
            self._sock = sock
            self._reader = io.BufferedReader(_SocketReader(sock))
            return
        raise error if error is not None else OSError("getaddrinfo returned no address for %r" % (host,))

    def close(self):
        reader, sock = self._reader, self._sock
        self._reader = self._sock = None
        for closable in (reader, sock):
            if closable is not None:
                try:
                    closable.close()
                except OSError:
                    pass

    def request(self, method, path, body=None, headers=None):
        """Returns (status, headers with lower-case names, body bytes). Reconnects once if the connection is gone."""
        lines = ["%s %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: %s\r\n" % (method, path, self._host_header, _USER_AGENT)]
        if headers:
            for name, value in headers.items():
                lines.append("%s: %s\r\n" % (name, value))
        if body is not None:
            lines.append("Content-Length: %d\r\n" % len(body))
        lines.append("\r\n")
        data = "".join(lines).encode("utf-8")
        if body:
            data += body
        for attempt in (1, 2):
            try:
                if self._sock is None:
                    self._connect()
                self._sock.sendall(data)
                return self._read_response()
            except (OSError, _ConnectionLost):
                self.close()
                if attempt == 2:
                    raise

    def _read_response(self):
        reader = self._reader
        line = reader.readline(65537)
        if not line:
            raise _ConnectionLost()
        parts = line.split(None, 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/"):
            raise _ConnectionLost()
        status = int(parts[1])
        headers = {}
        while True:
            line = reader.readline(65537)
            if not line:
                raise _ConnectionLost()
            if line in (b"\r\n", b"\n"):
                break
            name, _, value = line.partition(b":")
            headers[name.strip().decode("latin-1").lower()] = _header_text(value.strip())
        if "content-length" in headers:
            length = int(headers["content-length"])
            body = reader.read(length) if length else b""
            if len(body) != length:
                raise _ConnectionLost()
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            body = self._read_chunked(reader)
        else:
            body = reader.read()
            self.close()
            return status, headers, body
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, body

    @staticmethod
    def _read_chunked(reader):
        chunks = []
        while True:
            size_line = reader.readline(65537)
            if not size_line:
                raise _ConnectionLost()
            size = int(size_line.split(b";", 1)[0].strip(), 16)
            if size == 0:
                while reader.readline(65537) not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(chunks)
            chunk = reader.read(size)
            if len(chunk) != size:
                raise _ConnectionLost()
            chunks.append(chunk)
            reader.readline(65537)

    def wait_next_invocation(self):
        status, headers, body = self.request("GET", _RUNTIME_PATH + "/invocation/next")
        if status != 200:
            raise RuntimeError("Failed to get next invocation: HTTP %d %r" % (status, body[:1024]))
        return headers, body

    def post_invocation_result(self, invoke_id, result, content_type):
        self.request("POST", "%s/invocation/%s/response" % (_RUNTIME_PATH, invoke_id), result,
                     {"Content-Type": content_type})

    def post_invocation_error(self, invoke_id, error_document, error_type, xray_fault):
        headers = {"Content-Type": "application/json"}
        _add_header(headers, _ERROR_TYPE_HEADER, error_type)
        if xray_fault and len(xray_fault) < _XRAY_CAUSE_LIMIT:
            _add_header(headers, _XRAY_CAUSE_HEADER, xray_fault)
        self.request("POST", "%s/invocation/%s/error" % (_RUNTIME_PATH, invoke_id),
                     error_document.encode("utf-8"), headers)

    def post_init_error(self, error_document, error_type):
        endpoint = _RUNTIME_PATH + "/init/error"
        headers = {"Content-Type": "application/json"}
        _add_header(headers, _ERROR_TYPE_HEADER, error_type)
        status, _, body = self.request("POST", endpoint, error_document.encode("utf-8"), headers)
        if status != 202:
            raise RuntimeError("Request to Lambda Runtime '%s' endpoint failed. Reason: '%d'. Response body: '%s'"
                               % (endpoint, status, body.decode("utf-8", "replace")))


def _header_text(raw):
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _add_header(headers, name, value):
    # Header values must be visible ASCII: anything else (a class named in another script, say) would get the
    # request refused, and the invocation would never complete; the platform reads the type from the body then.
    if value and value.isascii() and value.isprintable():
        headers[name] = value


# ------------------------------------------------------------------------------------------------ context


class LambdaContext(object):
    """The handler's second argument, field for field AWS's."""

    def __init__(self, invoke_id, client_context, cognito_identity, epoch_deadline_time_in_ms,
                 invoked_function_arn=None, tenant_id=None):
        environ = os.environ
        self.aws_request_id = invoke_id
        self.log_group_name = environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.function_name = environ.get("AWS_LAMBDA_FUNCTION_NAME")
        # A string, as AWS's runtime sets it (it reads the variable as is).
        self.memory_limit_in_mb = environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.function_version = environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = invoked_function_arn
        self.tenant_id = tenant_id

        self.client_context = _make_obj_from_dict(ClientContext, client_context)
        if self.client_context is not None:
            self.client_context.client = _make_obj_from_dict(Client, self.client_context.client)

        self.identity = _make_obj_from_dict(CognitoIdentity, {})
        if cognito_identity is not None:
            self.identity.cognito_identity_id = cognito_identity.get("cognitoIdentityId")
            self.identity.cognito_identity_pool_id = cognito_identity.get("cognitoIdentityPoolId")

        self._epoch_deadline_time_in_ms = epoch_deadline_time_in_ms

    def get_remaining_time_in_millis(self):
        delta_ms = self._epoch_deadline_time_in_ms - int(time.time() * 1000)
        return delta_ms if delta_ms > 0 else 0

    def log(self, msg):
        sys.stdout.write(str(msg))

    def __repr__(self):
        return (
            "%s([aws_request_id=%s,log_group_name=%s,log_stream_name=%s,function_name=%s,memory_limit_in_mb=%s,"
            "function_version=%s,invoked_function_arn=%s,client_context=%s,identity=%s,tenant_id=%s])"
            % (self.__class__.__name__, self.aws_request_id, self.log_group_name, self.log_stream_name,
               self.function_name, self.memory_limit_in_mb, self.function_version, self.invoked_function_arn,
               self.client_context, self.identity, self.tenant_id))


class CognitoIdentity(object):
    __slots__ = ["cognito_identity_id", "cognito_identity_pool_id"]

    def __repr__(self):
        return "%s([cognito_identity_id=%s,cognito_identity_pool_id=%s])" % (
            self.__class__.__name__, self.cognito_identity_id, self.cognito_identity_pool_id)


class Client(object):
    __slots__ = ["installation_id", "app_title", "app_version_name", "app_version_code", "app_package_name"]

    def __repr__(self):
        return "%s([installation_id=%s,app_title=%s,app_version_name=%s,app_version_code=%s,app_package_name=%s])" % (
            self.__class__.__name__, self.installation_id, self.app_title, self.app_version_name,
            self.app_version_code, self.app_package_name)


class ClientContext(object):
    __slots__ = ["custom", "env", "client"]

    def __repr__(self):
        return "%s([custom=%s,env=%s,client=%s])" % (self.__class__.__name__, self.custom, self.env, self.client)


def _make_obj_from_dict(cls, values):
    if values is None:
        return None
    obj = cls()
    for field in cls.__slots__:
        setattr(obj, field, values.get(field, None))
    return obj


def _parse_json_header(header, name):
    try:
        return _json_loads(header)
    except Exception as e:
        raise FaultException(FaultException.LAMBDA_CONTEXT_UNMARSHAL_ERROR,
                             "Unable to parse {} JSON: {}".format(name, str(e)), None)


def _create_context(headers, invoke_id):
    client_context_json = headers.get("lambda-runtime-client-context")
    cognito_identity_json = headers.get("lambda-runtime-cognito-identity")
    client_context = _parse_json_header(client_context_json, "Client Context") if client_context_json else None
    cognito_identity = _parse_json_header(cognito_identity_json, "Cognito Identity") if cognito_identity_json else None
    deadline = headers.get("lambda-runtime-deadline-ms")
    return LambdaContext(invoke_id, client_context, cognito_identity, int(deadline) if deadline else 0,
                         headers.get("lambda-runtime-invoked-function-arn"),
                         headers.get("lambda-runtime-aws-tenant-id") or None)


# ------------------------------------------------------------------------------------------------ marshalling


# json.loads and json.JSONEncoder(...).encode, run by the same C codec the json package drives (_json), without
# importing the package (its regular expressions and enum cost 6-17 ms at every start). Exactly the package's
# behaviour: encoding detection of bytes, whitespace, "Expecting value" / "Extra data", the separators and checks of
# JSONEncoder's defaults. The package itself is imported only to raise its JSONDecodeError. (_json's make_scanner and
# make_encoder have kept these signatures from Python 3.6 to 3.14, every interpreter the runtimes name.)

_JSON_WHITESPACE = " \t\n\r"
_JSON_CONSTANTS = {"-Infinity": float("-inf"), "Infinity": float("inf"), "NaN": float("nan")}


class _JsonScanContext(object):
    """What json.JSONDecoder() hands the C scanner: its default options."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    parse_constant = _JSON_CONSTANTS.__getitem__


def _json_default(o):
    raise TypeError("Object of type %s is not JSON serializable" % o.__class__.__name__)


def _json_encoder(ensure_ascii, default=_json_default):
    """json.JSONEncoder(ensure_ascii=ensure_ascii).encode with ``default`` as its default()."""
    quote = _json.encode_basestring_ascii if ensure_ascii else _json.encode_basestring

    def encode(o):
        if isinstance(o, str):
            return quote(o)
        # A new encoder per document, as JSONEncoder makes: its circular-reference markers start empty.
        return "".join(_json.make_encoder({}, default, quote, None, ": ", ", ", False, False, True)(o, 0))

    return encode


def _json_encoding(data):
    """The encoding of a JSON document in bytes, as json.loads detects it (a BOM, else the pattern of zero bytes)."""
    if data[:4] in (b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00"):
        return "utf-32"
    if data[:2] in (b"\xfe\xff", b"\xff\xfe"):
        return "utf-16"
    if data[:3] == b"\xef\xbb\xbf":
        return "utf-8-sig"
    if len(data) >= 4:
        if not data[0]:
            return "utf-16-be" if data[1] else "utf-32-be"
        if not data[1]:
            return "utf-16-le" if data[2] or data[3] else "utf-32-le"
    elif len(data) == 2:
        if not data[0]:
            return "utf-16-be"
        if not data[1]:
            return "utf-16-le"
    return "utf-8"


def _json_error(message, document, position):
    from json.decoder import JSONDecodeError

    return JSONDecodeError(message, document, position)


def _json_skip_whitespace(document, index):
    end = len(document)
    while index < end and document[index] in _JSON_WHITESPACE:
        index += 1
    return index


def _json_scan_value(document, index):
    try:
        return _json_scan(document, index)
    except SystemError:
        # Python 3.11's C scanner raises its JSONDecodeError only once json.decoder is loaded (otherwise "returned
        # NULL without setting an exception"): load it and scan again, which raises the package's own error.
        if "json.decoder" in sys.modules:
            raise
        import json.decoder  # noqa: F401

        return _json_scan(document, index)


def _json_loads(document):
    """json.loads(document) with the default decoder."""
    if isinstance(document, str):
        if document.startswith("\ufeff"):
            raise _json_error("Unexpected UTF-8 BOM (decode using utf-8-sig)", document, 0)
    elif isinstance(document, (bytes, bytearray)):
        document = document.decode(_json_encoding(document), "surrogatepass")
    else:
        raise TypeError("the JSON object must be str, bytes or bytearray, not %s" % document.__class__.__name__)
    try:
        value, end = _json_scan_value(document, _json_skip_whitespace(document, 0))
    except StopIteration as stop:
        raise _json_error("Expecting value", document, stop.value) from None
    end = _json_skip_whitespace(document, end)
    if end != len(document):
        raise _json_error("Extra data", document, end)
    return value


def _decimal_default(o):
    # AWS's encoder writes Decimals as numbers; the standard library can only approximate (int or float).
    decimal = sys.modules.get("decimal")
    if decimal is not None and isinstance(o, decimal.Decimal):
        if o.is_nan():
            return float("nan")
        return int(o) if o.is_finite() and o == o.to_integral_value() else float(o)
    return _json_default(o)


_json_scan = _json.make_scanner(_JsonScanContext())
to_json = _json_encoder(_ENSURE_ASCII, _decimal_default)
_to_json_ascii = _json_encoder(True)


def _unmarshal_request(body, content_type):
    if content_type != "application/json":
        return body
    try:
        return _json_loads(body)
    except Exception as e:
        raise FaultException(FaultException.UNMARSHAL_ERROR, "Unable to unmarshal input: {}".format(str(e)), None)


def _marshal_response(response):
    if isinstance(response, bytes):
        return response, "application/unknown"
    try:
        return to_json(response).encode("utf-8"), "application/json"
    except Exception as e:
        raise FaultException(FaultException.MARSHAL_ERROR, "Unable to marshal response: {}".format(str(e)), None)


# ------------------------------------------------------------------------------------------------ errors


def make_error(error_message, error_type, stack_trace, invoke_id=None):
    return {
        "errorMessage": error_message if error_message else "",
        "errorType": error_type if error_type else "",
        "requestId": invoke_id if invoke_id is not None else "",
        "stackTrace": stack_trace if stack_trace else [],
    }


def _user_frames(tb):
    """The traceback's frames from the first one outside this file (the user's, or importlib's at import)."""
    import traceback

    frames = [(f.filename, f.lineno, f.name, f.line) for f in traceback.extract_tb(tb)]
    for i in range(len(frames)):
        if not frames[i][0].endswith(_RUNTIME_FILES):
            return frames[i:]
    return frames


def _format_frames(frames):
    import traceback

    return traceback.format_list(frames)


def _make_xray_fault(ex_type, ex_msg, working_dir, frames):
    stack = []
    files = set()
    for tb_file, tb_line, tb_method, _ in frames:
        stack.append({"label": tb_method, "path": tb_file, "line": tb_line})
        files.add(tb_file)
    return {
        "working_directory": working_dir,
        "exceptions": [{"message": ex_msg, "type": ex_type, "stack": stack}],
        "paths": list(files),
    }


def _replace_line_indentation(line, indent_char, new_indent_char):
    count = 0
    for c in line:
        if c != indent_char:
            break
        count += 1
    return (new_indent_char * count) + line[count:]


def _flush_output():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass


def log_error(error_result):
    """The ``[ERROR] Type: message`` line (text) or ERROR record (JSON) AWS's runtime prints for each error."""
    if _LOG_FORMAT_JSON:
        record = {"timestamp": time.strftime(_DATETIME_FORMAT, time.gmtime(time.time())), "level": "ERROR"}
        record.update(error_result)
        sys.stdout.write(to_json(record) + "\n")
        return

    description = "[ERROR]"
    error_type = error_result.get("errorType")
    if error_type:
        description += " " + error_type
    error_message = error_result.get("errorMessage")
    if error_message:
        if error_type:
            description += ":"
        description += " " + error_message
    lines = [description]
    stack_trace = error_result.get("stackTrace")
    if stack_trace is not None:
        lines.append("Traceback (most recent call last):")
        for element in stack_trace:
            if element == "":
                lines.append("")
            else:
                for trace_line in element.splitlines():
                    lines.append(_replace_line_indentation(trace_line, " ", _ERROR_LOG_IDENT))
    sys.stdout.write(_ERROR_LOG_LINE_TERMINATE.join(lines) + "\n")


# ------------------------------------------------------------------------------------------------ logging


def _json_timestamp(created):
    # datetime.fromtimestamp(created, timezone.utc) to the millisecond, without importing datetime.
    seconds = int(created)
    micros = round((created - seconds) * 1e6)
    if micros >= 1000000:
        seconds += 1
        micros -= 1000000
    return "%s.%03dZ" % (time.strftime(_DATETIME_FORMAT, time.gmtime(seconds)), micros // 1000)


_RESERVED_FIELDS = {
    "name", "msg", "args", "levelname", "levelno", "pathname", "filename", "module", "exc_info", "exc_text",
    "stack_info", "lineno", "funcName", "created", "msecs", "relativeCreated", "thread", "threadName",
    "processName", "process", "aws_request_id", "tenant_id", "_frame_type",
}


def _configure_logging(logging):
    """Gives the root logger AWS's handler: text or JSON records on stdout, the level from AWS_LAMBDA_LOG_LEVEL."""
    json_encode = _json_encoder(False)

    class JsonFormatter(logging.Formatter):
        def format(self, record):
            levelno = min(50, max(0, record.levelno)) // 10 * 10
            record.levelno = levelno
            record.levelname = logging.getLevelName(levelno)
            exc_info = record.exc_info
            if exc_info and exc_info[0] is None:
                exc_info = None
            if exc_info:
                import traceback

                stack_trace = traceback.format_tb(exc_info[2])
            else:
                stack_trace = None
            result = {
                "timestamp": _json_timestamp(record.created),
                "level": record.levelname,
                "message": record.getMessage(),
                "logger": record.name,
                "stackTrace": stack_trace,
                "errorType": exc_info[0].__name__ if exc_info else None,
                "errorMessage": str(exc_info[1]) if exc_info else None,
                "requestId": getattr(record, "aws_request_id", None),
                "location": "%s:%s:%s" % (record.pathname, record.funcName, record.lineno) if exc_info else None,
            }
            if getattr(record, "tenant_id", None) is not None:
                result["tenantId"] = record.tenant_id
            result.update((key, value) for key, value in record.__dict__.items()
                          if key not in _RESERVED_FIELDS and key not in result)
            return json_encode({k: v for k, v in result.items() if v is not None}) + "\n"

    class LambdaLoggerHandler(logging.Handler):
        def emit(self, record):
            msg = self.format(record)
            if not _LOG_FORMAT_JSON:
                # One record, one log event: the lines after the first are joined with CR, as the official clients
                # do when they write to stdout (the platform splits events at LF).
                if msg.endswith("\n"):
                    msg = msg[:-1]
                msg = msg.replace("\n", "\r") + "\n"
            sys.stdout.write(msg)

    def add_request_id(record):
        record.aws_request_id = _request_id or ""
        record.tenant_id = _tenant_id
        return True

    logging.Formatter.converter = time.gmtime
    handler = LambdaLoggerHandler()
    if _LOG_FORMAT_JSON:
        handler.setFormatter(JsonFormatter(datefmt=_DATETIME_FORMAT))
    else:
        handler.setFormatter(logging.Formatter(_TEXT_LOG_FORMAT, _DATETIME_FORMAT))
    logger = logging.getLogger()
    if _LOG_LEVEL in logging._nameToLevel:
        logger.setLevel(_LOG_LEVEL)
        if _LOG_FORMAT_JSON:
            # Lambda itself drops application records below the configured level (log-level filtering), even
            # when the code lowers a logger's level; the handler's level does that here.
            handler.setLevel(_LOG_LEVEL)
    handler.addFilter(add_request_id)
    logger.addHandler(handler)


class _StandardLibraryHook(object):
    """The first imports of ``json``, ``socket`` and ``logging`` come from the interpreter's own path, as on AWS, whose
    runtime imports them before the function's directory joins sys.path: a function's json.py does not stand in for
    the standard library's. (This runtime uses only the C modules under the first two, and loads ``logging``, ~6 ms,
    only when something imports it: it is then given AWS's handler.) Uninstalls itself once all have been imported."""

    def __init__(self, stdlib_path, names):
        self._stdlib_path = stdlib_path
        self._names = set(names)

    def find_spec(self, name, path=None, target=None):
        if name not in self._names:
            return None
        self._names.discard(name)
        if not self._names:
            self.uninstall()
        spec = importlib.machinery.PathFinder.find_spec(name, self._stdlib_path)
        if name == "logging" and spec is not None and spec.loader is not None:
            exec_module = spec.loader.exec_module

            def exec_and_configure(module):
                exec_module(module)
                _configure_logging(module)

            spec.loader.exec_module = exec_and_configure
        return spec

    def install(self):
        sys.meta_path.insert(0, self)

    def uninstall(self):
        try:
            sys.meta_path.remove(self)
        except ValueError:
            pass


# ------------------------------------------------------------------------------------------------ start-up


class _Unbuffered(object):
    """Flushes after each write (used only when the interpreter was not started with -u)."""

    def __init__(self, stream):
        self.stream = stream

    def __getattr__(self, attr):
        return getattr(self.stream, attr)

    def write(self, msg):
        self.stream.write(msg)
        self.stream.flush()

    def writelines(self, msgs):
        self.stream.writelines(msgs)
        self.stream.flush()


def _setup_streams():
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None or isinstance(getattr(stream, "buffer", None), io.FileIO):
            continue
        setattr(sys, name, _Unbuffered(stream))


def _setup_builtins():
    # -S skips site, which is also what defines exit() and quit(); functions do call them.
    import builtins

    if not hasattr(builtins, "exit"):
        import _sitebuiltins

        builtins.exit = _sitebuiltins.Quitter("exit", "Ctrl-D (i.e. EOF)")
        builtins.quit = _sitebuiltins.Quitter("quit", "Ctrl-D (i.e. EOF)")


def _setup_sys_path():
    """/var/task, then the layers' python directories, then the runtime's directory and the interpreter's."""
    task_root = os.environ.get("LAMBDA_TASK_ROOT") or "/var/task"
    version = "python%d.%d" % sys.version_info[:2]
    head = [task_root, "/opt/python/lib/%s/site-packages" % version, "/opt/python"]
    rest = [entry for entry in sys.path if entry not in head]
    stdlib = list(rest)
    sys.path[:] = head + rest
    return stdlib


def _get_handler(handler):
    try:
        modname, fname = handler.rsplit(".", 1)
    except ValueError as e:
        raise FaultException(FaultException.MALFORMED_HANDLER_NAME, "Bad handler '{}': {}".format(handler, str(e)))

    try:
        if modname.split(".")[0] in sys.builtin_module_names:
            raise FaultException(FaultException.BUILT_IN_MODULE_CONFLICT,
                                 "Cannot use built-in module {} as a handler module".format(modname))
        module = importlib.import_module(modname.replace("/", "."))
    except ImportError as e:
        raise FaultException(FaultException.IMPORT_MODULE_ERROR,
                             "Unable to import module '{}': {}".format(modname, str(e)))
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]
        raise FaultException(FaultException.USER_CODE_SYNTAX_ERROR,
                             "Syntax error in module '{}': {}".format(modname, str(e)), trace)

    try:
        return getattr(module, fname)
    except AttributeError:
        raise FaultException(FaultException.HANDLER_NOT_FOUND,
                             "Handler '{}' missing on module '{}'".format(fname, modname), None)


def _update_xray_env_variable(trace_id):
    if trace_id is not None:
        os.environ["_X_AMZN_TRACE_ID"] = trace_id
    else:
        os.environ.pop("_X_AMZN_TRACE_ID", None)


def handle_event_request(client, request_handler, headers, body):
    invoke_id = headers.get("lambda-runtime-aws-request-id")
    error_result = None
    try:
        context = _create_context(headers, invoke_id)
        event = _unmarshal_request(body, headers.get("content-type") or None)
        response = request_handler(event, context)
        result, content_type = _marshal_response(response)
    except FaultException as e:
        xray_fault = _make_xray_fault("LambdaValidationError", e.msg, os.getcwd(), [])
        error_result = make_error(e.msg, e.exception_type, e.trace, invoke_id)
    except Exception:
        etype, value, tb = sys.exc_info()
        frames = _user_frames(tb)
        xray_fault = _make_xray_fault(etype.__name__, str(value), os.getcwd(), frames)
        error_result = make_error(str(value), etype.__name__, _format_frames(frames), invoke_id)
        del tb

    if error_result is not None:
        log_error(error_result)
        _flush_output()
        try:
            xray_json = _to_json_ascii(xray_fault)
        except Exception:
            xray_json = ""
        client.post_invocation_error(invoke_id, to_json(error_result), error_result["errorType"], xray_json)
    else:
        _flush_output()
        client.post_invocation_result(invoke_id, result, content_type)


def main():
    global _request_id, _tenant_id

    _setup_streams()
    _setup_builtins()
    client = RuntimeApiClient(os.environ["AWS_LAMBDA_RUNTIME_API"])
    handler_name = os.environ.get("_HANDLER", "")
    stdlib_path = _setup_sys_path()
    if "logging" in sys.modules:
        _configure_logging(sys.modules["logging"])
    first_imports = [name for name in ("json", "socket", "logging") if name not in sys.modules]
    if first_imports:
        _StandardLibraryHook(stdlib_path, first_imports).install()

    try:
        request_handler = _get_handler(handler_name)
    except Exception as e:
        if isinstance(e, FaultException):
            error_result = make_error(e.msg, e.exception_type, e.trace)
        else:
            etype, value, tb = sys.exc_info()
            error_result = make_error(str(value), etype.__name__, _format_frames(_user_frames(tb)))
        import logging

        logging.warning(_LAMBDA_WARNING)
        log_error(error_result)
        _flush_output()
        # Posted inside the except block, as AWS's client does: tools that wrap post_init_error read sys.exc_info().
        client.post_init_error(to_json(error_result), error_result["errorType"])
        sys.exit(1)

    while True:
        headers, body = client.wait_next_invocation()
        _request_id = headers.get("lambda-runtime-aws-request-id")
        _tenant_id = headers.get("lambda-runtime-aws-tenant-id") or None
        _update_xray_env_variable(headers.get("lambda-runtime-trace-id"))
        handle_event_request(client, request_handler, headers, body)

