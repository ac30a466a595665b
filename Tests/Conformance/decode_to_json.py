#!/usr/bin/env python3
"""Decodes one binary OTLP ExportTraceServiceRequest (or, with ``--signal logs``, an
ExportLogsServiceRequest) with the *official* OpenTelemetry protobuf definitions (PyPI
``opentelemetry-proto``) and prints every field as canonical JSON.

    python3 decode_to_json.py [--signal traces|logs] FILE

Used by the Swift wire-conformance test (Tests/OTLPHTTPTests/WireConformance), which compares
the JSON with what the encoder was given. The output is
``json_format.MessageToDict(preserving_proto_field_name=True, always_print_fields_with_no_presence=True)``
(so fields left at their default are printed too, and unset messages are absent), except that
span, link and log record ``trace_id``/``span_id``/``parent_span_id`` are lower-case hex instead of base64.
Keys are sorted and the text is ASCII (non-ASCII characters are ``\\u`` escapes).

The request is rejected, with a message on stderr and exit status 1, when
- the official parser cannot decode it,
- any message in it carries unknown fields (field numbers the definitions do not know), or
- re-serializing the decoded message does not give back the same bytes: the encoding is then not
  the canonical one, so something on the wire (a repeated singular field, an explicitly encoded
  default value, ...) would not be visible in the JSON.

Exit status 3 means the official classes cannot be imported: run ``bash scripts/setup.sh``.
"""

from __future__ import annotations

import json
import sys

SETUP_HINT = ("run `bash scripts/setup.sh` (it installs Tests/Conformance/requirements.txt into .venv) and put "
              "the project's .venv/bin first on PATH, as scripts/test.sh does")
EXIT_REJECTED = 1
EXIT_USAGE = 2
EXIT_MISSING_PACKAGES = 3

try:
    from google.protobuf import json_format
    from google.protobuf import message as pb_message
    from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest
    from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceRequest
    from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
except ImportError as exc:  # pragma: no cover - environment problem
    sys.stderr.write(
        f"decode_to_json: cannot import the official OTLP protobuf classes ({exc}); {SETUP_HINT}\n")
    sys.exit(EXIT_MISSING_PACKAGES)

try:  # protobuf >= 4.25 (upb): Message.UnknownFields() is gone
    from google.protobuf.unknown_fields import UnknownFieldSet
except ImportError:  # pragma: no cover - older protobuf
    UnknownFieldSet = None


class Rejected(Exception):
    pass


REQUESTS = {"traces": ExportTraceServiceRequest, "logs": ExportLogsServiceRequest,
            "metrics": ExportMetricsServiceRequest}


def parse(data: bytes, request_class=ExportTraceServiceRequest):
    request = request_class()
    try:
        request.ParseFromString(data)
    except pb_message.DecodeError as exc:
        raise Rejected(f"the official {request_class.DESCRIPTOR.name} cannot parse the bytes: {exc}") from exc
    return request


def _unknown_field_count(message) -> int:
    if UnknownFieldSet is not None:
        return len(UnknownFieldSet(message))
    return len(message.UnknownFields())  # pragma: no cover - older protobuf


def _is_repeated(field) -> bool:
    is_repeated = getattr(field, "is_repeated", None)  # protobuf >= 5.28; `label` is gone in 7
    if is_repeated is not None:
        return bool(is_repeated)
    return field.label == field.LABEL_REPEATED  # pragma: no cover - older protobuf


def unknown_fields(message, path: str = "") -> list[str]:
    """Paths of all messages (recursively) that hold fields the definitions do not know."""
    found = []
    count = _unknown_field_count(message)
    if count:
        found.append(f"{path or message.DESCRIPTOR.name}: {count} unknown field(s)")
    for field, value in message.ListFields():
        if field.message_type is None:
            continue
        if _is_repeated(field):
            for index, element in enumerate(value):
                found += unknown_fields(element, f"{path}.{field.name}[{index}]".lstrip("."))
        else:
            found += unknown_fields(value, f"{path}.{field.name}".lstrip("."))
    return found


def check_canonical(request, data: bytes) -> None:
    canonical = request.SerializeToString(deterministic=True)
    if canonical == data:
        return
    offset = next((i for i, (a, b) in enumerate(zip(canonical, data)) if a != b), min(len(canonical), len(data)))
    raise Rejected(
        f"the bytes are not the canonical encoding of what they decode to: {len(data)} bytes given, "
        f"{len(canonical)} bytes re-serialized, first difference at offset {offset} "
        f"(given {data[offset:offset + 16].hex()}, canonical {canonical[offset:offset + 16].hex()})")


def to_dict(request) -> dict:
    try:
        result = json_format.MessageToDict(
            request, preserving_proto_field_name=True, always_print_fields_with_no_presence=True)
    except TypeError:  # pragma: no cover - protobuf < 5.26
        result = json_format.MessageToDict(
            request, preserving_proto_field_name=True, including_default_value_fields=True)
    # IDs as hex rather than base64.
    if "resource_logs" in result:
        for resource_logs, resource_dict in zip(request.resource_logs, result["resource_logs"]):
            for scope_logs, scope_dict in zip(resource_logs.scope_logs, resource_dict["scope_logs"]):
                for record, record_dict in zip(scope_logs.log_records, scope_dict["log_records"]):
                    for name in ("trace_id", "span_id"):
                        record_dict[name] = getattr(record, name).hex()
        return result
    if "resource_metrics" in result:  # no IDs (exemplars are not written)
        return result
    for resource_spans, resource_dict in zip(request.resource_spans, result["resource_spans"]):
        for scope_spans, scope_dict in zip(resource_spans.scope_spans, resource_dict["scope_spans"]):
            for span, span_dict in zip(scope_spans.spans, scope_dict["spans"]):
                for name in ("trace_id", "span_id", "parent_span_id"):
                    span_dict[name] = getattr(span, name).hex()
                for link, link_dict in zip(span.links, span_dict["links"]):
                    for name in ("trace_id", "span_id"):
                        link_dict[name] = getattr(link, name).hex()
    return result


def main(argv: list[str]) -> int:
    signal = "traces"
    if len(argv) == 4 and argv[1] == "--signal" and argv[2] in REQUESTS:
        signal = argv[2]
        argv = [argv[0], argv[3]]
    if len(argv) != 2:
        sys.stderr.write(f"usage: {argv[0]} [--signal traces|logs] FILE\n")
        return EXIT_USAGE
    with open(argv[1], "rb") as f:
        data = f.read()
    try:
        request = parse(data, REQUESTS[signal])
        unknown = unknown_fields(request)
        if unknown:
            raise Rejected("unknown fields (not in the official definitions): " + "; ".join(unknown))
        check_canonical(request, data)
    except Rejected as exc:
        sys.stderr.write(f"decode_to_json: {argv[1]}: {exc}\n")
        return EXIT_REJECTED
    json.dump(to_dict(request), sys.stdout, sort_keys=True, ensure_ascii=True, allow_nan=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
