"""Entry point of Kindling's Python runtime: ``python3.N -S -u /var/runtime/bootstrap.py`` (runtime.json).

The client lives in kindling_ric.py, imported as a module so that a compiled copy (__pycache__) can serve it
when one sits beside it; a script is compiled at every start (~4 ms for the client).
"""
import kindling_ric

kindling_ric.main()
