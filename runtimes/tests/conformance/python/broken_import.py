import does_not_exist_module  # noqa: F401


def handler(event, context):
    return "unreachable"
