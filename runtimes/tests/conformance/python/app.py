"""The runtime conformance handlers (runtimes/tests/conformance/README.md), in Python: handler ``app.<name>``."""
import logging
import os
import time

init_count = 0
count = 0

# Module-level code runs once per execution environment.
init_count += 1


class CustomError(Exception):
    pass


def echo(event, context):
    return event


def environment(event, context):
    return {"env": dict(os.environ), "cwd": os.getcwd()}


def context(event, context):
    client_context = None
    if context.client_context is not None:
        client_context = {"custom": context.client_context.custom, "env": context.client_context.env}
    identity = None
    if context.identity is not None:
        identity = {"cognitoIdentityId": context.identity.cognito_identity_id,
                    "cognitoIdentityPoolId": context.identity.cognito_identity_pool_id}
    return {
        "functionName": context.function_name,
        "functionVersion": context.function_version,
        "invokedFunctionArn": context.invoked_function_arn,
        "memoryLimitInMB": int(context.memory_limit_in_mb),
        "awsRequestId": context.aws_request_id,
        "logGroupName": context.log_group_name,
        "logStreamName": context.log_stream_name,
        "remainingTimeMs": context.get_remaining_time_in_millis(),
        "clientContext": client_context,
        "identity": identity,
        "traceId": os.environ.get("_X_AMZN_TRACE_ID"),
    }


def error(event, context):
    raise CustomError("handled failure")


def uncaught(event, context):
    return {}["missing"]


def exit(event, context):
    os._exit(3)


def sleep(event, context):
    time.sleep(event["seconds"])
    return {"slept": event["seconds"]}


def large(event, context):
    return "x" * event["size"]


def log(event, context):
    print("print marker")
    logging.debug("debug marker")
    logging.info("info marker")
    logging.warning("warn marker")
    logging.error("error marker")
    return {"logged": True}


def counter(event, context):
    global count
    count += 1
    return {"count": count, "initCount": init_count}
