"""A pre-started Python runtime (Kindling's pre-started sandboxes).

Started before any function is known, with the interpreter up and the modules the runtime client needs
imported (they read no variables when imported). At specialization the worker writes the function's
variables to stdin — their count, then NAME=VALUE, each followed by a NUL — and closes it; this replaces the
environment with them, moves to /var/task (bound meanwhile), puts stdin back on /dev/null and runs the client,
which then imports the handler exactly as in a runtime started for the function.
"""
import sys
import os

# The runtime client's own imports, loaded ahead (kindling_ric itself reads variables at import).
import _json  # noqa: F401
import _socket  # noqa: F401
import importlib  # noqa: F401
import importlib.machinery  # noqa: F401
import io  # noqa: F401
import time


def _read_variables():
    chunks = []
    while True:
        chunk = os.read(0, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    fields = b"".join(chunks).split(b"\0")
    count = int(fields[0])
    variables = {}
    for field in fields[1:1 + count]:
        name, _, value = field.partition(b"=")
        variables[name] = value
    return variables


def run():
    variables = _read_variables()
    os.environb.clear()
    os.environb.update(variables)
    os.chdir("/var/task")
    null = os.open("/dev/null", os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    time.tzset()
    # As started by bootstrap.py; the importers' caches may have seen /var/task empty.
    sys.argv[0] = "/var/runtime/bootstrap.py"
    importlib.invalidate_caches()
    import kindling_ric

    kindling_ric.main()
