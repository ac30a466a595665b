"""A handler for AWS's Python runtime interface client (awslambdaric) under lambda-sim."""


def handler(event, context):
    if event.get("fail"):
        raise ValueError("asked to fail")
    return {"greeting": "hello " + event.get("name", "world"), "requestId": context.aws_request_id}
