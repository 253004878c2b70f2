"""Python-specific handlers for tests/compat/python/test_runtime_python.py."""
import decimal
import logging
import sys

logger = logging.getLogger("extras")


def unserializable(event, context):
    return {"values": {1, 2}}


def raw_bytes(event, context):
    return b"\x00raw"


def decimals(event, context):
    return {"int": decimal.Decimal("42"), "float": decimal.Decimal("1.5")}


def identity(event, context):
    return {
        "cognitoIdentityId": context.identity.cognito_identity_id,
        "cognitoIdentityPoolId": context.identity.cognito_identity_pool_id,
        "client": None if context.client_context is None else {
            "installationId": context.client_context.client.installation_id,
            "appTitle": context.client_context.client.app_title,
            "appVersionName": context.client_context.client.app_version_name,
            "appVersionCode": context.client_context.client.app_version_code,
            "appPackageName": context.client_context.client.app_package_name,
        },
        "memoryLimitInMB": context.memory_limit_in_mb,
    }


def json_logging(event, context):
    logger.debug("debug record")
    logger.info("info record", extra={"customField": "custom value"})
    try:
        {}["missing"]
    except KeyError:
        logger.exception("caught failure")
    logging.getLogger().setLevel(logging.DEBUG)
    logger.debug("debug after setLevel")
    print("json_logging done")
    return {"logged": True}


def multiline(event, context):
    logging.warning("first line\nsecond line")
    return {"logged": True}


def sys_path(event, context):
    return {"path": sys.path, "modules": sorted(m for m in ("bootstrap", "http.client", "ssl") if m in sys.modules)}


def layered(event, context):
    import mylib
    import shadowed

    return {"mylib": mylib.VALUE, "shadowed": shadowed.VALUE, "file": mylib.__file__}


def exits(event, context):
    exit(0)




def event_type(event, context):
    return {"type": type(event).__name__}


class ÉchecSpécial(Exception):
    pass


def unicode_error(event, context):
    raise ÉchecSpécial("ünïcødé")
