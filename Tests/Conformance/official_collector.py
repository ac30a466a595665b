#!/usr/bin/env python3
"""Independent OTLP/HTTP (protobuf) receiver used as a wire-format conformance check.

It decodes every request with the *official* OpenTelemetry protobuf definitions
(PyPI ``opentelemetry-proto``, see requirements.txt) rather than with anything of
our own, validates every field it receives, and writes a JSON summary that a test
script can assert on.

Server mode::

    python3 official_collector.py --port 0 --port-file PORT --summary SUMMARY.json \
        [--fail-every N --fail-status 503 --retry-after SECS] [--capture-dir DIR] \
        [--expect-items N --signal traces] [--verbose]

Check one captured body (raw or gzip-compressed)::

    python3 official_collector.py --check-file traces-000001.pb --signal traces

Only the standard library, ``opentelemetry-proto`` and its ``protobuf``
dependency are used.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import json
import math
import os
import re
import faulthandler
import signal as signal_module
import sys
import tempfile
import threading
import zlib

try:
    from google.protobuf import message as pb_message
    from google.protobuf.descriptor import FieldDescriptor as FD
    from opentelemetry.proto.collector.logs.v1 import logs_service_pb2
    from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2
    from opentelemetry.proto.collector.trace.v1 import trace_service_pb2
    from opentelemetry.proto.logs.v1 import logs_pb2
    from opentelemetry.proto.metrics.v1 import metrics_pb2
    from opentelemetry.proto.trace.v1 import trace_pb2
except ImportError as exc:  # pragma: no cover - environment problem
    sys.stderr.write(
        f"official_collector: cannot import the official OTLP protobuf classes ({exc}).\n"
        f"Run `bash scripts/setup.sh` (it installs "
        f"{os.path.join(os.path.dirname(os.path.abspath(__file__)), 'requirements.txt')} into the project's .venv) "
        f"and run this with .venv/bin/python3.\n"
    )
    sys.exit(2)

try:  # googleapis-common-protos is not a dependency; use it only when present.
    from google.rpc import status_pb2 as _rpc_status_pb2  # type: ignore
except ImportError:  # pragma: no cover - depends on the environment
    _rpc_status_pb2 = None


# --------------------------------------------------------------------------------------
# Constants
# --------------------------------------------------------------------------------------

SIGNALS = {
    "traces": (
        "/v1/traces",
        trace_service_pb2.ExportTraceServiceRequest,
        trace_service_pb2.ExportTraceServiceResponse,
    ),
    "metrics": (
        "/v1/metrics",
        metrics_service_pb2.ExportMetricsServiceRequest,
        metrics_service_pb2.ExportMetricsServiceResponse,
    ),
    "logs": (
        "/v1/logs",
        logs_service_pb2.ExportLogsServiceRequest,
        logs_service_pb2.ExportLogsServiceResponse,
    ),
}
PATH_TO_SIGNAL = {path: name for name, (path, _, _) in SIGNALS.items()}

MAX_BODY_BYTES = 64 * 1024 * 1024  # compressed or not
MAX_ERRORS_KEPT = 50


def _enum_numbers(enum_descriptor) -> frozenset:
    return frozenset(v.number for v in enum_descriptor.values)


SPAN_KINDS = _enum_numbers(trace_pb2.Span.SpanKind.DESCRIPTOR)
STATUS_CODES = _enum_numbers(trace_pb2.Status.StatusCode.DESCRIPTOR)
SEVERITY_NUMBERS = _enum_numbers(logs_pb2.SeverityNumber.DESCRIPTOR)
TEMPORALITIES = _enum_numbers(metrics_pb2.AggregationTemporality.DESCRIPTOR)

SPAN_KIND_UNSPECIFIED = trace_pb2.Span.SpanKind.SPAN_KIND_UNSPECIFIED
STATUS_CODE_ERROR = trace_pb2.Status.StatusCode.STATUS_CODE_ERROR
TEMPORALITY_UNSPECIFIED = metrics_pb2.AggregationTemporality.AGGREGATION_TEMPORALITY_UNSPECIFIED
SPAN_FLAGS_TRACE_FLAGS_MASK = trace_pb2.SpanFlags.SPAN_FLAGS_TRACE_FLAGS_MASK  # 0x0FF
SPAN_FLAGS_HAS_IS_REMOTE = trace_pb2.SpanFlags.SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE_MASK  # 0x100
SPAN_FLAGS_IS_REMOTE = trace_pb2.SpanFlags.SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK  # 0x200
SPAN_FLAGS_KNOWN = SPAN_FLAGS_TRACE_FLAGS_MASK | SPAN_FLAGS_HAS_IS_REMOTE | SPAN_FLAGS_IS_REMOTE
LOG_FLAGS_KNOWN = logs_pb2.LogRecordFlags.LOG_RECORD_FLAGS_TRACE_FLAGS_MASK  # 0x0FF
DATA_POINT_FLAGS_KNOWN = metrics_pb2.DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK  # 0x1
NO_RECORDED_VALUE = metrics_pb2.DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK

# google.rpc.Code values for the Status body of error responses.
HTTP_TO_RPC_CODE = {
    400: 3,  # INVALID_ARGUMENT
    401: 16,  # UNAUTHENTICATED
    403: 7,  # PERMISSION_DENIED
    404: 5,  # NOT_FOUND
    405: 12,  # UNIMPLEMENTED
    411: 3,
    413: 8,  # RESOURCE_EXHAUSTED
    415: 3,
    429: 8,
    500: 13,  # INTERNAL
    501: 12,
    502: 14,  # UNAVAILABLE
    503: 14,
    504: 4,  # DEADLINE_EXCEEDED
}

# W3C trace-context tracestate (https://www.w3.org/TR/trace-context/#tracestate-header)
_TS_KEY = r"(?:[a-z0-9][_0-9a-z\-\*/]{0,255}|[a-z0-9][_0-9a-z\-\*/]{0,240}@[a-z][_0-9a-z\-\*/]{0,13})"
_TS_VALUE = r"[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]"
_TS_MEMBER_RE = re.compile(rf"^({_TS_KEY})=({_TS_VALUE})$")


# --------------------------------------------------------------------------------------
# google.rpc.Status
# --------------------------------------------------------------------------------------


def _varint(value: int) -> bytes:
    value &= (1 << 64) - 1  # negative int32 -> 10-byte two's complement, as protobuf does
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def encode_rpc_status(code: int, message: str) -> bytes:
    """google.rpc.Status { int32 code = 1; string message = 2; }"""
    if _rpc_status_pb2 is not None:
        return _rpc_status_pb2.Status(code=code, message=message).SerializeToString()
    out = bytearray()
    if code:
        out += b"\x08" + _varint(code)
    raw = message.encode("utf-8")
    if raw:
        out += b"\x12" + _varint(len(raw)) + raw
    return bytes(out)


def decode_rpc_status(body: bytes) -> tuple[int, str]:
    """Minimal decoder (used by tests and for symmetry); ignores unknown fields."""
    code, message, pos = 0, "", 0
    while pos < len(body):
        key, pos = _read_varint(body, pos)
        field, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _read_varint(body, pos)
            if field == 1:
                code = value - (1 << 64) if value >= 1 << 63 else value
        elif wire == 2:
            length, pos = _read_varint(body, pos)
            chunk = body[pos : pos + length]
            pos += length
            if field == 2:
                message = chunk.decode("utf-8")
        elif wire == 1:
            pos += 8
        elif wire == 5:
            pos += 4
        else:
            raise ValueError("bad wire type in google.rpc.Status")
    return code, message


# --------------------------------------------------------------------------------------
# Wire-level walk: what the generated parser silently tolerates
# --------------------------------------------------------------------------------------


class WireError(Exception):
    pass


def _read_varint(buf: bytes, pos: int) -> tuple[int, int]:
    result = 0
    shift = 0
    n = len(buf)
    while True:
        if pos >= n:
            raise WireError("truncated varint")
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, pos
        shift += 7
        if shift >= 70:
            raise WireError("varint longer than 10 bytes")


_VARINT_TYPES = {FD.TYPE_INT32, FD.TYPE_INT64, FD.TYPE_UINT32, FD.TYPE_UINT64, FD.TYPE_SINT32,
                 FD.TYPE_SINT64, FD.TYPE_BOOL, FD.TYPE_ENUM}
_FIXED64_TYPES = {FD.TYPE_FIXED64, FD.TYPE_SFIXED64, FD.TYPE_DOUBLE}
_FIXED32_TYPES = {FD.TYPE_FIXED32, FD.TYPE_SFIXED32, FD.TYPE_FLOAT}
_LEN_TYPES = {FD.TYPE_STRING, FD.TYPE_BYTES, FD.TYPE_MESSAGE}


def _is_repeated(field) -> bool:
    # protobuf >= 5.28 has is_repeated; older versions only label
    rep = getattr(field, "is_repeated", None)
    if rep is not None:
        return bool(rep)
    return field.label == FD.LABEL_REPEATED


def _varint_range_error(field, value: int) -> str | None:
    t = field.type
    if t == FD.TYPE_UINT32 and value >= 1 << 32:
        return f"uint32 value {value} out of range (negative number encoded as 64-bit?)"
    if t in (FD.TYPE_INT32, FD.TYPE_ENUM) and (1 << 31) <= value < (1 << 64) - (1 << 31):
        return f"int32/enum varint {value} out of range"
    if t == FD.TYPE_BOOL and value > 1:
        return f"bool varint {value} is neither 0 nor 1"
    return None


def wire_walk(buf: bytes, descriptor, loc: str, errors: list, depth: int = 0) -> None:
    """Walk the raw encoding of `descriptor` in `buf` and report what a lenient decoder
    would hide: unknown fields, wrong wire types, several members of one oneof in the
    same message, out-of-range varints, and groups."""
    if depth > 64:
        errors.append(f"{loc}: nesting deeper than 64 levels")
        return
    fields = descriptor.fields_by_number
    oneof_seen: dict = {}
    index: dict = {}
    pos = 0
    n = len(buf)
    while pos < n:
        key, pos = _read_varint(buf, pos)
        number, wire = key >> 3, key & 7
        if number == 0:
            raise WireError(f"{loc}: field number 0")
        field = fields.get(number)
        payload = None
        value = None
        if wire == 0:
            value, pos = _read_varint(buf, pos)
        elif wire == 1:
            pos += 8
        elif wire == 5:
            pos += 4
        elif wire == 2:
            length, pos = _read_varint(buf, pos)
            if pos + length > n:
                raise WireError(f"{loc}: length-delimited field {number} runs past the end")
            payload = buf[pos : pos + length]
            pos += length
        else:
            raise WireError(f"{loc}: unsupported wire type {wire} (group) for field {number}")
        if pos > n:
            raise WireError(f"{loc}: field {number} runs past the end")

        if field is None:
            errors.append(f"{loc or descriptor.name}: unknown field number {number} "
                          f"(wire type {wire}) for {descriptor.full_name}")
            continue
        repeated = _is_repeated(field)
        floc = f"{loc}.{field.name}" if loc else field.name
        if repeated:
            i = index.get(number, 0)
            index[number] = i + 1
            floc = f"{floc}[{i}]"

        t = field.type
        if t in _LEN_TYPES:
            ok = wire == 2
        elif t in _VARINT_TYPES:
            ok = wire == 0 or (repeated and wire == 2)
        elif t in _FIXED64_TYPES:
            ok = wire == 1 or (repeated and wire == 2)
        elif t in _FIXED32_TYPES:
            ok = wire == 5 or (repeated and wire == 2)
        else:  # pragma: no cover
            ok = True
        if not ok:
            errors.append(f"{floc}: wire type {wire} does not match field type {t}")
            continue

        oneof = field.containing_oneof
        if oneof is not None:
            previous = oneof_seen.get(oneof.name)
            if previous is not None and previous != field.name:
                errors.append(f"{floc}: oneof '{oneof.name}' has more than one member on the "
                              f"wire ({previous} and {field.name})")
            oneof_seen[oneof.name] = field.name

        if wire == 0:
            problem = _varint_range_error(field, value)
            if problem:
                errors.append(f"{floc}: {problem}")
        elif wire == 2 and t in _VARINT_TYPES:  # packed varints
            p = 0
            while p < len(payload):
                v, p = _read_varint(payload, p)
                problem = _varint_range_error(field, v)
                if problem:
                    errors.append(f"{floc}: {problem}")
                    break
        elif wire == 2 and t in _FIXED64_TYPES and len(payload) % 8:
            errors.append(f"{floc}: packed fixed64 payload of {len(payload)} bytes")
        elif wire == 2 and t in _FIXED32_TYPES and len(payload) % 4:
            errors.append(f"{floc}: packed fixed32 payload of {len(payload)} bytes")
        elif t == FD.TYPE_MESSAGE:
            wire_walk(payload, field.message_type, floc, errors, depth + 1)


# --------------------------------------------------------------------------------------
# Semantic validation of decoded messages
# --------------------------------------------------------------------------------------


class Validator:
    """Collects error strings, each prefixed with the location of the offending field."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def err(self, loc: str, text: str) -> None:
        self.errors.append(f"{loc}: {text}")

    # ---- common -------------------------------------------------------------------

    def any_value(self, v, loc: str, *, attribute: bool, depth: int = 0) -> None:
        if depth > 32:
            self.err(loc, "AnyValue nested deeper than 32 levels")
            return
        which = v.WhichOneof("value")
        if which is None:
            self.err(loc, "AnyValue has no value set (exactly one is required)")
        elif which == "string_value_strindex":
            self.err(loc, "string_value_strindex is only meaningful in profiles")
        elif which == "array_value":
            kinds = set()
            for j, element in enumerate(v.array_value.values):
                self.any_value(element, f"{loc}.array_value.values[{j}]", attribute=attribute,
                               depth=depth + 1)
                kinds.add(element.WhichOneof("value"))
            kinds.discard(None)
            if attribute and len(kinds) > 1:
                self.err(loc, f"attribute array is not homogeneous: {sorted(kinds)}")
        elif which == "kvlist_value":
            self.attributes(v.kvlist_value.values, f"{loc}.kvlist_value.values",
                            attribute=attribute, depth=depth + 1)

    def attributes(self, kvs, loc: str, *, attribute: bool = True, depth: int = 0) -> None:
        seen = set()
        for i, kv in enumerate(kvs):
            kloc = f"{loc}[{i}]"
            if kv.key_strindex:
                self.err(kloc, "key_strindex is only meaningful in profiles")
            if not kv.key:
                self.err(kloc, "attribute key is empty")
            elif kv.key in seen:
                self.err(kloc, f"duplicate attribute key {kv.key!r}")
            seen.add(kv.key)
            if not kv.HasField("value"):
                self.err(kloc, f"attribute {kv.key!r} has no value")
            else:
                self.any_value(kv.value, f"{kloc}.value", attribute=attribute, depth=depth)

    def resource(self, container, loc: str) -> None:
        if not container.HasField("resource"):
            self.err(loc, "resource is missing")
            return
        res = container.resource
        self.attributes(res.attributes, f"{loc}.resource.attributes")
        service = [kv for kv in res.attributes if kv.key == "service.name"]
        if not service:
            self.err(f"{loc}.resource.attributes", "service.name is missing")
        elif service[0].value.WhichOneof("value") != "string_value":
            self.err(f"{loc}.resource.attributes", "service.name is not a string")
        elif not service[0].value.string_value:
            self.err(f"{loc}.resource.attributes", "service.name is empty")
        for ref_i, ref in enumerate(getattr(res, "entity_refs", [])):
            if not ref.type:
                self.err(f"{loc}.resource.entity_refs[{ref_i}]", "entity type is empty")

    def scope(self, container, loc: str) -> None:
        if not container.HasField("scope"):
            self.err(loc, "instrumentation scope is missing")
            return
        if not container.scope.name:
            self.err(f"{loc}.scope.name", "instrumentation scope name is empty")
        self.attributes(container.scope.attributes, f"{loc}.scope.attributes")

    def trace_id(self, value: bytes, loc: str, *, optional: bool) -> None:
        if optional and not value:
            return
        if len(value) != 16:
            self.err(loc, f"trace_id is {len(value)} bytes, expected 16")
        elif not any(value):
            self.err(loc, "trace_id is all zero")

    def span_id(self, value: bytes, loc: str, *, optional: bool) -> None:
        if optional and not value:
            return
        if len(value) != 8:
            self.err(loc, f"span_id is {len(value)} bytes, expected 8")
        elif not any(value):
            self.err(loc, "span_id is all zero")

    def trace_state(self, value: str, loc: str) -> None:
        if not value:
            return
        members = [m.strip(" \t") for m in value.split(",")]
        members = [m for m in members if m]
        if not members:
            self.err(loc, f"trace_state {value!r} has no list members")
            return
        if len(members) > 32:
            self.err(loc, f"trace_state has {len(members)} list members (max 32)")
        keys = set()
        for m in members:
            match = _TS_MEMBER_RE.match(m)
            if not match:
                self.err(loc, f"trace_state list member {m!r} is not key=value per W3C")
                continue
            if match.group(1) in keys:
                self.err(loc, f"trace_state key {match.group(1)!r} appears twice")
            keys.add(match.group(1))

    def span_flags(self, flags: int, loc: str) -> None:
        if not flags:
            return
        if flags & ~SPAN_FLAGS_KNOWN:
            self.err(loc, f"flags 0x{flags:x} set reserved bits above 0x3ff")
        if flags & SPAN_FLAGS_IS_REMOTE and not flags & SPAN_FLAGS_HAS_IS_REMOTE:
            self.err(loc, f"flags 0x{flags:x} set IS_REMOTE without HAS_IS_REMOTE")

    def non_negative(self, value: int, loc: str) -> None:
        if value < 0:
            self.err(loc, f"{value} is negative")

    # ---- traces -------------------------------------------------------------------

    def traces(self, req, loc: str) -> tuple[int, int, list]:
        """Returns (items, resources, [(trace_id, span_id)...])."""
        items = 0
        ids = []
        for r, rs in enumerate(req.resource_spans):
            rloc = f"{loc}resource_spans[{r}]"
            self.resource(rs, rloc)
            for s, ss in enumerate(rs.scope_spans):
                sloc = f"{rloc}.scope_spans[{s}]"
                self.scope(ss, sloc)
                for i, span in enumerate(ss.spans):
                    items += 1
                    self.span(span, f"{sloc}.spans[{i}]")
                    ids.append((bytes(span.trace_id), bytes(span.span_id)))
        return items, len(req.resource_spans), ids

    def span(self, span, loc: str) -> None:
        self.trace_id(span.trace_id, f"{loc}.trace_id", optional=False)
        self.span_id(span.span_id, f"{loc}.span_id", optional=False)
        if span.parent_span_id:
            self.span_id(span.parent_span_id, f"{loc}.parent_span_id", optional=False)
            if span.parent_span_id == span.span_id:
                self.err(f"{loc}.parent_span_id", "span is its own parent")
        self.trace_state(span.trace_state, f"{loc}.trace_state")
        self.span_flags(span.flags, f"{loc}.flags")
        if not span.name:
            self.err(f"{loc}.name", "span name is empty")
        if span.kind not in SPAN_KINDS:
            self.err(f"{loc}.kind", f"{span.kind} is not a SpanKind")
        elif span.kind == SPAN_KIND_UNSPECIFIED:
            self.err(f"{loc}.kind", "SPAN_KIND_UNSPECIFIED")
        if span.start_time_unix_nano <= 0:
            self.err(f"{loc}.start_time_unix_nano", "is zero")
        if span.end_time_unix_nano < span.start_time_unix_nano:
            self.err(f"{loc}.end_time_unix_nano",
                     f"{span.end_time_unix_nano} is before start {span.start_time_unix_nano}")
        self.attributes(span.attributes, f"{loc}.attributes")
        self.non_negative(span.dropped_attributes_count, f"{loc}.dropped_attributes_count")
        self.non_negative(span.dropped_events_count, f"{loc}.dropped_events_count")
        self.non_negative(span.dropped_links_count, f"{loc}.dropped_links_count")
        for e, event in enumerate(span.events):
            eloc = f"{loc}.events[{e}]"
            if event.time_unix_nano <= 0:
                self.err(f"{eloc}.time_unix_nano", "is zero")
            if not event.name:
                self.err(f"{eloc}.name", "event name is empty")
            self.attributes(event.attributes, f"{eloc}.attributes")
            self.non_negative(event.dropped_attributes_count, f"{eloc}.dropped_attributes_count")
        for k, link in enumerate(span.links):
            lloc = f"{loc}.links[{k}]"
            self.trace_id(link.trace_id, f"{lloc}.trace_id", optional=False)
            self.span_id(link.span_id, f"{lloc}.span_id", optional=False)
            self.trace_state(link.trace_state, f"{lloc}.trace_state")
            self.span_flags(link.flags, f"{lloc}.flags")
            self.attributes(link.attributes, f"{lloc}.attributes")
            self.non_negative(link.dropped_attributes_count, f"{lloc}.dropped_attributes_count")
        if span.HasField("status"):
            code = span.status.code
            if code not in STATUS_CODES:
                self.err(f"{loc}.status.code", f"{code} is not a StatusCode")
            elif span.status.message and code != STATUS_CODE_ERROR:
                self.err(f"{loc}.status.message",
                         "description set on a status that is not ERROR")

    # ---- metrics ------------------------------------------------------------------

    def metrics(self, req, loc: str) -> tuple[int, int, list]:
        """Items are data points. The returned identities (scope, metric name, attributes, start
        and time of each point) let the server count a point delivered twice as a duplicate."""
        items = 0
        ids: list = []
        for r, rm in enumerate(req.resource_metrics):
            rloc = f"{loc}resource_metrics[{r}]"
            self.resource(rm, rloc)
            for s, sm in enumerate(rm.scope_metrics):
                sloc = f"{rloc}.scope_metrics[{s}]"
                self.scope(sm, sloc)
                for m, metric in enumerate(sm.metrics):
                    items += self.metric(metric, f"{sloc}.metrics[{m}]")
                    which = metric.WhichOneof("data")
                    for point in getattr(metric, which).data_points if which else []:
                        attributes = tuple(sorted(kv.SerializeToString() for kv in point.attributes))
                        ids.append(("metric", sm.scope.name, metric.name, attributes,
                                    point.start_time_unix_nano, point.time_unix_nano))
        return items, len(req.resource_metrics), ids

    def metric(self, metric, loc: str) -> int:
        if not metric.name:
            self.err(f"{loc}.name", "metric name is empty")
        self.attributes(metric.metadata, f"{loc}.metadata")
        which = metric.WhichOneof("data")
        if which is None:
            self.err(loc, "metric has no data (gauge/sum/histogram/...)")
            return 0
        data = getattr(metric, which)
        dloc = f"{loc}.{which}"
        if which in ("sum", "histogram", "exponential_histogram"):
            t = data.aggregation_temporality
            if t not in TEMPORALITIES:
                self.err(f"{dloc}.aggregation_temporality", f"{t} is not an AggregationTemporality")
            elif t == TEMPORALITY_UNSPECIFIED:
                self.err(f"{dloc}.aggregation_temporality", "AGGREGATION_TEMPORALITY_UNSPECIFIED")
        if not data.data_points:
            self.err(f"{dloc}.data_points", "metric has no data points")
        for p, point in enumerate(data.data_points):
            ploc = f"{dloc}.data_points[{p}]"
            self.point_common(point, ploc)
            if which in ("sum", "histogram", "exponential_histogram") and point.start_time_unix_nano == 0:
                self.err(f"{ploc}.start_time_unix_nano", "is zero (sums and histograms need their start time)")
            if which in ("gauge", "sum"):
                self.number_point(point, ploc, monotonic=(which == "sum" and data.is_monotonic))
            elif which == "histogram":
                self.histogram_point(point, ploc)
            elif which == "exponential_histogram":
                self.exp_histogram_point(point, ploc)
            else:
                self.summary_point(point, ploc)
        return len(data.data_points)

    def point_common(self, point, loc: str) -> None:
        if point.time_unix_nano <= 0:
            self.err(f"{loc}.time_unix_nano", "is zero")
        if point.start_time_unix_nano and point.start_time_unix_nano > point.time_unix_nano:
            self.err(f"{loc}.start_time_unix_nano",
                     f"{point.start_time_unix_nano} is after time {point.time_unix_nano}")
        if point.flags & ~DATA_POINT_FLAGS_KNOWN:
            self.err(f"{loc}.flags", f"0x{point.flags:x} sets reserved bits")
        self.attributes(point.attributes, f"{loc}.attributes")
        for x, ex in enumerate(getattr(point, "exemplars", [])):
            xloc = f"{loc}.exemplars[{x}]"
            if ex.time_unix_nano <= 0:
                self.err(f"{xloc}.time_unix_nano", "is zero")
            if ex.WhichOneof("value") is None:
                self.err(xloc, "exemplar has no value")
            self.trace_id(ex.trace_id, f"{xloc}.trace_id", optional=True)
            self.span_id(ex.span_id, f"{xloc}.span_id", optional=True)
            if bool(ex.trace_id) != bool(ex.span_id):
                self.err(xloc, "exemplar has only one of trace_id and span_id")
            self.attributes(ex.filtered_attributes, f"{xloc}.filtered_attributes")

    def number_point(self, point, loc: str, *, monotonic: bool) -> None:
        which = point.WhichOneof("value")
        if which is None:
            if not point.flags & NO_RECORDED_VALUE:
                self.err(loc, "number data point has no value (as_int/as_double)")
            return
        value = getattr(point, which)
        if monotonic and value < 0:
            self.err(f"{loc}.{which}", f"monotonic sum has negative value {value}")

    def histogram_point(self, point, loc: str) -> None:
        bounds = list(point.explicit_bounds)
        counts = list(point.bucket_counts)
        if counts:
            if len(counts) != len(bounds) + 1:
                self.err(f"{loc}.bucket_counts",
                         f"{len(counts)} buckets for {len(bounds)} explicit bounds "
                         f"(expected {len(bounds) + 1})")
            if sum(counts) != point.count:
                self.err(f"{loc}.bucket_counts",
                         f"bucket counts add up to {sum(counts)}, count is {point.count}")
        for b in range(1, len(bounds)):
            if not bounds[b] > bounds[b - 1]:
                self.err(f"{loc}.explicit_bounds",
                         f"bounds not strictly increasing at index {b} "
                         f"({bounds[b - 1]!r} then {bounds[b]!r})")
                break
        if any(math.isnan(b) for b in bounds):
            self.err(f"{loc}.explicit_bounds", "contains NaN")
        self.min_max(point, loc)

    def exp_histogram_point(self, point, loc: str) -> None:
        if not -10 <= point.scale <= 20:
            self.err(f"{loc}.scale", f"{point.scale} outside [-10, 20]")
        if point.zero_threshold < 0 or math.isnan(point.zero_threshold):
            self.err(f"{loc}.zero_threshold", f"{point.zero_threshold} is not >= 0")
        total = point.zero_count + sum(point.positive.bucket_counts) + sum(point.negative.bucket_counts)
        if total != point.count:
            self.err(f"{loc}.count",
                     f"zero_count + bucket counts = {total}, count is {point.count}")
        self.min_max(point, loc)

    def min_max(self, point, loc: str) -> None:
        if point.HasField("min") and point.HasField("max") and point.min > point.max:
            self.err(loc, f"min {point.min} > max {point.max}")
        if point.count == 0 and point.HasField("sum") and point.sum != 0:
            self.err(f"{loc}.sum", f"{point.sum} with count 0")

    def summary_point(self, point, loc: str) -> None:
        for q, qv in enumerate(point.quantile_values):
            if not 0.0 <= qv.quantile <= 1.0:
                self.err(f"{loc}.quantile_values[{q}].quantile", f"{qv.quantile} outside [0, 1]")

    # ---- logs ---------------------------------------------------------------------

    def logs(self, req, loc: str) -> tuple[int, int, list]:
        """Log records have no ID: a record's identity is its encoding (a record sent twice is
        byte-identical), so records that differ in any field (telemetrygen's bodies do) are told apart."""
        items = 0
        ids = []
        for r, rl in enumerate(req.resource_logs):
            rloc = f"{loc}resource_logs[{r}]"
            self.resource(rl, rloc)
            for s, sl in enumerate(rl.scope_logs):
                sloc = f"{rloc}.scope_logs[{s}]"
                self.scope(sl, sloc)
                for i, record in enumerate(sl.log_records):
                    items += 1
                    self.log_record(record, f"{sloc}.log_records[{i}]")
                    ids.append(("log", record.SerializeToString(deterministic=True)))
        return items, len(req.resource_logs), ids

    def log_record(self, record, loc: str) -> None:
        if record.observed_time_unix_nano <= 0:
            self.err(f"{loc}.observed_time_unix_nano", "is zero")
        if record.severity_number not in SEVERITY_NUMBERS:
            self.err(f"{loc}.severity_number", f"{record.severity_number} is not a SeverityNumber")
        self.trace_id(record.trace_id, f"{loc}.trace_id", optional=True)
        self.span_id(record.span_id, f"{loc}.span_id", optional=True)
        if record.span_id and not record.trace_id:
            self.err(f"{loc}.trace_id", "span_id set without trace_id")
        if record.flags & ~LOG_FLAGS_KNOWN:
            self.err(f"{loc}.flags", f"0x{record.flags:x} sets reserved bits")
        if record.HasField("body"):
            self.any_value(record.body, f"{loc}.body", attribute=False)
        self.attributes(record.attributes, f"{loc}.attributes")
        self.non_negative(record.dropped_attributes_count, f"{loc}.dropped_attributes_count")


def validate_body(signal: str, body: bytes, loc_prefix: str = ""):
    """Decode `body` as the signal's Export*ServiceRequest and validate it.

    Returns (request, items, resources, span_ids, errors). Raises DecodeError on a body
    that the official classes cannot decode or whose wire encoding is malformed."""
    _, request_cls, _ = SIGNALS[signal]
    request = request_cls()
    try:
        request.ParseFromString(body)
    except pb_message.DecodeError as exc:
        raise DecodeError(f"cannot decode {request_cls.DESCRIPTOR.name}: {exc}") from exc
    wire_errors: list = []
    try:
        wire_walk(body, request_cls.DESCRIPTOR, "", wire_errors)
    except WireError as exc:
        raise DecodeError(f"malformed protobuf: {exc}") from exc
    wire_errors = [loc_prefix + e for e in wire_errors]
    v = Validator()
    items, resources, ids = getattr(v, signal)(request, loc_prefix)
    return request, items, resources, ids, wire_errors + v.errors


class DecodeError(Exception):
    pass


# --------------------------------------------------------------------------------------
# Server state
# --------------------------------------------------------------------------------------


class State:
    def __init__(self, args) -> None:
        self.args = args
        self.lock = threading.Lock()
        self.write_lock = threading.Lock()
        self.requests = 0
        self.failed_injected = 0
        self.signals = {name: {"items": 0, "resources": 0, "requests": 0} for name in SIGNALS}
        self.rejected = {"unsupported_media_type": 0, "bad_request": 0, "not_found": 0,
                         "method_not_allowed": 0, "other": 0}
        self.seen_spans: set = set()
        self.duplicate_spans = 0
        self.errors: list = []
        self.error_count = 0
        self.encodings = {"gzip": 0, "identity": 0}
        self.capture_seq = 0
        self.done = threading.Event()
        self.stop = threading.Event()

    def snapshot(self) -> dict:
        with self.lock:
            return {
                "requests": self.requests,
                "failed_injected": self.failed_injected,
                **{name: dict(counts) for name, counts in self.signals.items()},
                "duplicate_spans": self.duplicate_spans,
                "validation_errors": list(self.errors),
                "validation_error_count": self.error_count,
                "content_encodings": dict(self.encodings),
                "rejected": dict(self.rejected),
            }

    def write_summary(self) -> None:
        path = self.args.summary
        if not path:
            return
        data = json.dumps(self.snapshot(), indent=2, sort_keys=True) + "\n"
        with self.write_lock:
            atomic_write(path, data)


def atomic_write(path: str, data: str) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(data)
            f.flush()
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


# --------------------------------------------------------------------------------------
# HTTP
# --------------------------------------------------------------------------------------


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "official-otlp-collector/1.0"
    state: State  # set on the subclass

    def log_message(self, fmt, *args):  # noqa: N802 - stdlib name
        if self.state.args.verbose:
            super().log_message(fmt, *args)

    # ---- helpers ------------------------------------------------------------------

    def _send(self, status: int, body: bytes, content_type: str, headers: dict | None = None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)
        self.wfile.flush()

    def _send_status(self, status: int, message: str, headers: dict | None = None):
        code = HTTP_TO_RPC_CODE.get(status, 2)  # UNKNOWN
        self._send(status, encode_rpc_status(code, message), "application/x-protobuf", headers)

    def _read_body(self) -> bytes | None:
        """Reads exactly Content-Length bytes (or a chunked body). None = already answered."""
        te = self.headers.get("Transfer-Encoding", "").lower()
        length = self.headers.get("Content-Length")
        if "chunked" in te:
            chunks, total = [], 0
            while True:
                line = self.rfile.readline(65537)
                try:
                    size = int(line.split(b";", 1)[0].strip(), 16)
                except ValueError:
                    self.close_connection = True
                    self._send_status(400, "malformed chunked encoding")
                    return None
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    break
                total += size
                if total > MAX_BODY_BYTES:
                    self.close_connection = True
                    self._send_status(413, "body too large")
                    return None
                chunks.append(self._read_exact(size))
                self.rfile.readline(3)  # CRLF after the chunk
            return b"".join(chunks)
        if length is None:
            self.close_connection = True
            self._send_status(411, "Content-Length required")
            return None
        try:
            n = int(length)
            if n < 0:
                raise ValueError
        except ValueError:
            self.close_connection = True
            self._send_status(400, f"bad Content-Length {length!r}")
            return None
        if n > MAX_BODY_BYTES:
            self.close_connection = True
            self._send_status(413, "body too large")
            return None
        return self._read_exact(n)

    def _read_exact(self, n: int) -> bytes:
        parts, remaining = [], n
        while remaining:
            chunk = self.rfile.read(remaining)
            if not chunk:
                raise ConnectionError(f"client closed with {remaining} of {n} body bytes unread")
            parts.append(chunk)
            remaining -= len(chunk)
        return b"".join(parts)

    def _reject(self, key: str, status: int, message: str):
        with self.state.lock:
            self.state.rejected[key] += 1
        self._send_status(status, message)

    # ---- methods ------------------------------------------------------------------

    def do_GET(self):  # noqa: N802
        if self.path.split("?", 1)[0] == "/summary":
            body = (json.dumps(self.state.snapshot(), sort_keys=True) + "\n").encode()
            self._send(200, body, "application/json")
        else:
            self._send_status(404 if self.path not in PATH_TO_SIGNAL else 405, "use POST")

    def do_PUT(self):  # noqa: N802
        self._not_allowed()

    do_DELETE = do_PATCH = do_PUT

    def _not_allowed(self):
        body = self._read_body()
        if body is None:
            return
        with self.state.lock:
            self.state.requests += 1
        self._reject("method_not_allowed", 405, f"{self.command} not allowed")
        self.state.write_summary()

    def do_POST(self):  # noqa: N802
        state = self.state
        try:
            body = self._read_body()
        except ConnectionError:
            self.close_connection = True
            return
        if body is None:
            return
        try:
            self._handle_export(body)
        except ConnectionError:
            self.close_connection = True
        except Exception as exc:  # a bug here must not look like a clean run
            with state.lock:
                state.error_count += 1
                if len(state.errors) < MAX_ERRORS_KEPT:
                    state.errors.append(f"internal error in the collector: {exc!r}")
            self.close_connection = True
            try:
                self._send_status(500, f"internal error: {exc!r}")
            except OSError:
                pass
        finally:
            state.write_summary()
            self._maybe_finish()

    def _handle_export(self, body: bytes) -> None:
        state = self.state
        args = state.args
        with state.lock:
            state.requests += 1
            seq = state.requests
        signal = PATH_TO_SIGNAL.get(self.path.split("?", 1)[0])
        if signal is None:
            self._reject("not_found", 404, f"unknown path {self.path}")
            return

        encoding = self.headers.get("Content-Encoding", "").strip().lower() or "identity"
        with state.lock:
            state.encodings[encoding] = state.encodings.get(encoding, 0) + 1

        if args.fail_every and seq % args.fail_every == 0:
            headers = {}
            if args.retry_after is not None:
                headers["Retry-After"] = str(args.retry_after)
            with state.lock:
                state.failed_injected += 1
            self._send_status(args.fail_status,
                              f"injected failure on request {seq} (every {args.fail_every})",
                              headers)
            return

        media = self.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
        if media != "application/x-protobuf":
            self._reject("unsupported_media_type", 415,
                         f"unsupported Content-Type {media or '(none)'!r}; "
                         f"this receiver accepts application/x-protobuf only")
            return

        if encoding == "gzip":
            try:
                raw = gzip.decompress(body)
            except (OSError, EOFError, zlib.error) as exc:
                self._reject("bad_request", 400, f"gzip body does not decompress: {exc}")
                return
        elif encoding == "identity":
            raw = body
        else:
            self._reject("unsupported_media_type", 415, f"unsupported Content-Encoding {encoding!r}")
            return

        prefix = f"{signal} request #{seq}: "
        try:
            _, items, resources, ids, errors = validate_body(signal, raw, prefix)
        except DecodeError as exc:
            self._reject("bad_request", 400, str(exc))
            return

        capture_name = None
        with state.lock:
            counts = state.signals[signal]
            counts["items"] += items
            counts["resources"] += resources
            counts["requests"] += 1
            for key in ids:
                if key in state.seen_spans:
                    state.duplicate_spans += 1
                else:
                    state.seen_spans.add(key)
            state.error_count += len(errors)
            room = MAX_ERRORS_KEPT - len(state.errors)
            if room > 0:
                state.errors.extend(errors[:room])
            if args.capture_dir:
                state.capture_seq += 1
                capture_name = os.path.join(args.capture_dir, f"{signal}-{state.capture_seq:06d}.pb")
        if capture_name:
            with open(capture_name, "wb") as f:
                f.write(raw)
        if errors and args.verbose:
            for e in errors[:10]:
                sys.stderr.write(f"validation: {e}\n")

        _, _, response_cls = SIGNALS[signal]
        self._send(200, response_cls().SerializeToString(), "application/x-protobuf")

    def _maybe_finish(self) -> None:
        args = self.state.args
        if args.expect_items is not None:
            with self.state.lock:
                reached = self.state.signals[args.signal]["items"] >= args.expect_items
            if reached:
                self.state.done.set()


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


# --------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------


def serve(args) -> int:
    state = State(args)
    if args.capture_dir:
        os.makedirs(args.capture_dir, exist_ok=True)
    handler = type("BoundHandler", (Handler,), {"state": state})
    server = Server((args.host, args.port), handler)
    port = server.server_address[1]

    def on_signal(signum, _frame):
        state.stop.set()

    signal_module.signal(signal_module.SIGTERM, on_signal)
    signal_module.signal(signal_module.SIGINT, on_signal)
    # A stop that hangs can be diagnosed: SIGUSR1 prints every thread's stack to stderr.
    faulthandler.register(signal_module.SIGUSR1, all_threads=True)

    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              name="http", daemon=True)
    thread.start()
    state.write_summary()
    if args.port_file:
        atomic_write(args.port_file, f"{port}\n")
    if args.verbose:
        sys.stderr.write(f"official_collector listening on {args.host}:{port}\n")

    while not state.stop.is_set() and not state.done.is_set():
        state.stop.wait(0.2)

    server.shutdown()
    server.server_close()
    state.write_summary()
    if args.verbose:
        snap = state.snapshot()
        sys.stderr.write(f"official_collector stopping: {json.dumps(snap, sort_keys=True)[:2000]}\n")
    return 0


def check_file(args) -> int:
    with open(args.check_file, "rb") as f:
        body = f.read()
    if body[:2] == b"\x1f\x8b":
        body = gzip.decompress(body)
    signal = args.signal
    if signal is None:
        base = os.path.basename(args.check_file)
        signal = next((s for s in SIGNALS if base.startswith(s)), None)
        if signal is None:
            sys.stderr.write("--signal is required (cannot infer it from the file name)\n")
            return 2
    try:
        _, items, resources, _, errors = validate_body(signal, body)
    except DecodeError as exc:
        print(f"{args.check_file}: {exc}")
        return 1
    for e in errors:
        print(e)
    print(f"{args.check_file}: {signal}: {items} items in {resources} resources, "
          f"{len(errors)} validation errors")
    return 1 if errors else 0


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0, help="0 picks a free port")
    p.add_argument("--port-file", help="the bound port is written here once listening")
    p.add_argument("--summary", help="JSON summary, rewritten after every request and on exit")
    p.add_argument("--fail-every", type=int, default=0, metavar="N",
                   help="answer every Nth request with --fail-status, not counting its items")
    p.add_argument("--fail-status", type=int, default=503)
    p.add_argument("--retry-after", type=int, default=None, metavar="SECS",
                   help="Retry-After header on injected failures")
    p.add_argument("--capture-dir", help="save each accepted (decompressed) body here")
    p.add_argument("--expect-items", type=int, default=None, metavar="N",
                   help="exit once --signal has N accepted items")
    p.add_argument("--signal", choices=sorted(SIGNALS), default=None)
    p.add_argument("--check-file", help="validate one captured body and exit")
    p.add_argument("--verbose", "-v", action="store_true")
    args = p.parse_args(argv)
    if args.check_file is None:
        if args.expect_items is not None and args.signal is None:
            p.error("--expect-items needs --signal")
        if args.fail_every < 0:
            p.error("--fail-every must be >= 0")
        if not 100 <= args.fail_status <= 599:
            p.error("--fail-status must be an HTTP status code")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.check_file:
        return check_file(args)
    return serve(args)


if __name__ == "__main__":
    sys.exit(main())
