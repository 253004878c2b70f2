"""Entry point of a pre-started Python runtime: ``python3.N -S -u /var/runtime/prestart.py`` (runtime.json's
"prestart"). Waits for its function in kindling_prestart (compiled, like the client, in __pycache__), then runs the
client as bootstrap.py would have.
"""
import kindling_prestart

kindling_prestart.run()
