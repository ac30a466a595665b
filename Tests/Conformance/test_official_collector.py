"""Tests for official_collector.py: run with `python3 -m pytest Tests/Conformance -q`.

Every request here is built with the official opentelemetry-proto pb2 classes (or by
hand at the wire level where the point is a malformed encoding). The collector runs
as a subprocess; every wait polls a file or the process with a deadline.
"""

from __future__ import annotations

import gzip
import http.client
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from opentelemetry.proto.collector.logs.v1 import logs_service_pb2
from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2
from opentelemetry.proto.common.v1 import common_pb2
from opentelemetry.proto.logs.v1 import logs_pb2
from opentelemetry.proto.metrics.v1 import metrics_pb2
from opentelemetry.proto.resource.v1 import resource_pb2
from opentelemetry.proto.trace.v1 import trace_pb2

HERE = Path(__file__).resolve().parent
COLLECTOR = HERE / "official_collector.py"
sys.path.insert(0, str(HERE))
import official_collector  # noqa: E402

TIMEOUT = 10.0
NOW = 1_700_000_000_000_000_000
PB = "application/x-protobuf"


# --------------------------------------------------------------------------------------
# Builders (official classes)
# --------------------------------------------------------------------------------------


def kv(key, value):
    if isinstance(value, bool):
        v = common_pb2.AnyValue(bool_value=value)
    elif isinstance(value, int):
        v = common_pb2.AnyValue(int_value=value)
    elif isinstance(value, float):
        v = common_pb2.AnyValue(double_value=value)
    elif isinstance(value, list):
        v = common_pb2.AnyValue(array_value=common_pb2.ArrayValue(
            values=[kv("_", x).value for x in value]))
    else:
        v = common_pb2.AnyValue(string_value=value)
    return common_pb2.KeyValue(key=key, value=v)


RESOURCE = resource_pb2.Resource(attributes=[kv("service.name", "conformance-test"),
                                             kv("host.cores", 2)])
SCOPE = common_pb2.InstrumentationScope(name="conformance.test", version="1.0")


def make_span(n: int, *, trace_id: bytes | None = None) -> trace_pb2.Span:
    return trace_pb2.Span(
        trace_id=trace_id if trace_id is not None else (n + 1).to_bytes(16, "big"),
        span_id=(n + 1).to_bytes(8, "big"),
        parent_span_id=(n + 1000).to_bytes(8, "big"),
        trace_state="vendor=abc,tenant@sys=x-1",
        flags=0x101,
        name=f"operation-{n}",
        kind=trace_pb2.Span.SpanKind.SPAN_KIND_SERVER,
        start_time_unix_nano=NOW + n,
        end_time_unix_nano=NOW + n + 5_000,
        attributes=[kv("http.method", "GET"), kv("retries", 3), kv("ok", True),
                    kv("ratio", 0.5), kv("tags", ["a", "b"])],
        events=[trace_pb2.Span.Event(time_unix_nano=NOW + n + 10, name="checkpoint",
                                     attributes=[kv("step", 1)])],
        links=[trace_pb2.Span.Link(trace_id=b"\x42" * 16, span_id=b"\x07" * 8,
                                   trace_state="k=v", flags=0x301)],
        status=trace_pb2.Status(code=trace_pb2.Status.StatusCode.STATUS_CODE_OK),
    )


def traces_request(spans) -> trace_service_pb2.ExportTraceServiceRequest:
    return trace_service_pb2.ExportTraceServiceRequest(resource_spans=[
        trace_pb2.ResourceSpans(resource=RESOURCE, scope_spans=[
            trace_pb2.ScopeSpans(scope=SCOPE, spans=spans)])])


def histogram_point(bounds, counts) -> metrics_pb2.HistogramDataPoint:
    return metrics_pb2.HistogramDataPoint(
        start_time_unix_nano=NOW, time_unix_nano=NOW + 1_000, count=sum(counts),
        sum=12.5, bucket_counts=counts, explicit_bounds=bounds, min=0.5, max=9.0,
        attributes=[kv("route", "/a")])


def metrics_request(histogram_points) -> metrics_service_pb2.ExportMetricsServiceRequest:
    cumulative = metrics_pb2.AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE
    metrics = [
        metrics_pb2.Metric(name="requests", unit="1", sum=metrics_pb2.Sum(
            aggregation_temporality=cumulative, is_monotonic=True,
            data_points=[metrics_pb2.NumberDataPoint(start_time_unix_nano=NOW,
                                                     time_unix_nano=NOW + 1_000, as_int=7)])),
        metrics_pb2.Metric(name="temperature", gauge=metrics_pb2.Gauge(
            data_points=[metrics_pb2.NumberDataPoint(time_unix_nano=NOW, as_double=21.5)])),
        metrics_pb2.Metric(name="latency", unit="ms", histogram=metrics_pb2.Histogram(
            aggregation_temporality=cumulative, data_points=histogram_points)),
    ]
    return metrics_service_pb2.ExportMetricsServiceRequest(resource_metrics=[
        metrics_pb2.ResourceMetrics(resource=RESOURCE, scope_metrics=[
            metrics_pb2.ScopeMetrics(scope=SCOPE, metrics=metrics)])])


def logs_request(records) -> logs_service_pb2.ExportLogsServiceRequest:
    return logs_service_pb2.ExportLogsServiceRequest(resource_logs=[
        logs_pb2.ResourceLogs(resource=RESOURCE, scope_logs=[
            logs_pb2.ScopeLogs(scope=SCOPE, log_records=records)])])


def good_log(n: int) -> logs_pb2.LogRecord:
    return logs_pb2.LogRecord(
        time_unix_nano=NOW, observed_time_unix_nano=NOW + 1,
        severity_number=logs_pb2.SeverityNumber.SEVERITY_NUMBER_INFO, severity_text="INFO",
        body=common_pb2.AnyValue(string_value=f"hello {n}"), attributes=[kv("n", n)],
        trace_id=b"\x01" * 16, span_id=b"\x02" * 8, flags=1)


# --------------------------------------------------------------------------------------
# Wire helpers for hand-made malformed encodings
# --------------------------------------------------------------------------------------


def ld(field: int, payload: bytes) -> bytes:
    return official_collector._varint(field << 3 | 2) + official_collector._varint(len(payload)) + payload


# --------------------------------------------------------------------------------------
# Collector process
# --------------------------------------------------------------------------------------


def wait_for(predicate, timeout=TIMEOUT, what="condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.02)


class Collector:
    def __init__(self, tmp: Path, *extra: str):
        self.tmp = tmp
        self.port_file = tmp / "port"
        self.summary_path = tmp / "summary.json"
        self.stderr = open(tmp / "collector.stderr", "wb")
        self.proc = subprocess.Popen(
            [sys.executable, str(COLLECTOR), "--port", "0", "--port-file", str(self.port_file),
             "--summary", str(self.summary_path), *extra],
            stdout=subprocess.DEVNULL, stderr=self.stderr)

        def port():
            if self.proc.poll() is not None:
                raise AssertionError(f"collector exited early: {self.proc.returncode}: "
                                     f"{(tmp / 'collector.stderr').read_text()}")
            text = self.port_file.read_text() if self.port_file.exists() else ""
            return int(text) if text.strip() else None

        self.port = wait_for(port, what="port file")
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)

    def post(self, path, body: bytes, *, content_type=PB, encoding=None, conn=None, headers=None):
        conn = conn or self.conn
        h = {"Content-Type": content_type, **(headers or {})}
        if encoding:
            h["Content-Encoding"] = encoding
        conn.request("POST", path, body=body, headers=h)
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()

    def summary(self) -> dict:
        return json.loads(self.summary_path.read_text())

    def wait_summary(self, predicate, what="summary"):
        def check():
            try:
                s = self.summary()
            except (FileNotFoundError, json.JSONDecodeError):
                return None
            return s if predicate(s) else None
        return wait_for(check, what=what)

    def stop(self) -> int:
        self.conn.close()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=TIMEOUT)
            raise AssertionError("collector ignored SIGTERM")
        finally:
            self.stderr.close()


@pytest.fixture
def start(tmp_path):
    started = []

    def _start(*extra: str) -> Collector:
        c = Collector(tmp_path, *extra)
        started.append(c)
        return c

    yield _start
    for c in started:
        if c.proc.poll() is None:
            c.proc.kill()
            c.proc.wait(timeout=TIMEOUT)
        if not c.stderr.closed:
            c.stderr.close()


# --------------------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------------------


def test_valid_traces_gzip_and_plain_on_one_keepalive_connection(start):
    c = start()
    plain = traces_request([make_span(0), make_span(1)]).SerializeToString()
    zipped = gzip.compress(traces_request([make_span(2), make_span(3), make_span(4)]).SerializeToString())

    status, headers, body = c.post("/v1/traces", plain)
    assert status == 200, body
    sock = c.conn.sock
    assert sock is not None, "server closed a keep-alive connection"
    status, headers, body = c.post("/v1/traces", zipped, encoding="gzip")
    assert status == 200, body
    assert c.conn.sock is sock, "second request did not reuse the connection"
    assert headers["Content-Type"] == PB
    trace_service_pb2.ExportTraceServiceResponse.FromString(body)  # decodes (empty)
    assert body == b""

    s = c.wait_summary(lambda s: s["requests"] == 2)
    assert s["traces"] == {"items": 5, "resources": 2, "requests": 2}
    assert s["content_encodings"] == {"gzip": 1, "identity": 1}
    assert s["validation_error_count"] == 0, s["validation_errors"]
    assert s["validation_errors"] == []
    assert s["duplicate_spans"] == 0
    assert s["failed_injected"] == 0
    assert c.stop() == 0


def test_valid_metrics_and_logs_have_no_errors(start):
    c = start()
    m = metrics_request([histogram_point([1.0, 5.0, 10.0], [1, 2, 0, 1])])
    assert c.post("/v1/metrics", m.SerializeToString())[0] == 200
    lg = logs_request([good_log(0), good_log(1), logs_pb2.LogRecord(observed_time_unix_nano=NOW)])
    assert c.post("/v1/logs", gzip.compress(lg.SerializeToString()), encoding="gzip")[0] == 200
    s = c.wait_summary(lambda s: s["requests"] == 2)
    assert s["validation_errors"] == []
    assert s["metrics"]["items"] == 3  # one point per metric
    assert s["logs"]["items"] == 3
    assert c.stop() == 0


def test_invalid_payloads_report_exactly_those_errors(start):
    c = start()
    bad_traces = traces_request([make_span(0), make_span(1, trace_id=bytes(16))])
    assert c.post("/v1/traces", bad_traces.SerializeToString())[0] == 200
    bad_metrics = metrics_request([histogram_point([1.0, 5.0], [1, 2])])  # needs 3 buckets
    assert c.post("/v1/metrics", gzip.compress(bad_metrics.SerializeToString()),
                  encoding="gzip")[0] == 200

    s = c.wait_summary(lambda s: s["requests"] == 2)
    assert s["validation_error_count"] == 2, s["validation_errors"]
    assert s["validation_errors"] == [
        "traces request #1: resource_spans[0].scope_spans[0].spans[1].trace_id: "
        "trace_id is all zero",
        "metrics request #2: resource_metrics[0].scope_metrics[0].metrics[2].histogram"
        ".data_points[0].bucket_counts: 2 buckets for 2 explicit bounds (expected 3)",
    ]
    # Items are still accepted and counted; validation is reported, not enforced.
    assert s["traces"]["items"] == 2 and s["metrics"]["items"] == 3
    assert c.stop() == 0


def test_many_span_and_log_rules(start):
    c = start()
    span = make_span(0)
    span.span_id = b"\x00" * 8
    span.parent_span_id = b"\x01\x02"
    span.name = ""
    span.kind = trace_pb2.Span.SpanKind.SPAN_KIND_UNSPECIFIED
    span.end_time_unix_nano = span.start_time_unix_nano - 1
    span.trace_state = "UPPER=bad"
    span.flags = 0x201
    span.attributes.extend([kv("http.method", "dup"), kv("", 1), kv("mixed", ["a", 1]),
                            common_pb2.KeyValue(key="empty", value=common_pb2.AnyValue())])
    span.events.add(time_unix_nano=0, name="")
    span.links.add(trace_id=b"\x01" * 15, span_id=b"\x01" * 8)
    span.status.code = 7
    resource = resource_pb2.Resource(attributes=[kv("host.name", "x")])
    req = trace_service_pb2.ExportTraceServiceRequest(resource_spans=[trace_pb2.ResourceSpans(
        resource=resource, scope_spans=[trace_pb2.ScopeSpans(scope=common_pb2.InstrumentationScope(),
                                                             spans=[span])])])
    assert c.post("/v1/traces", req.SerializeToString())[0] == 200
    bad_log = logs_pb2.LogRecord(time_unix_nano=NOW, severity_number=99, trace_id=b"\x01" * 8,
                                 span_id=b"\x01" * 8)
    assert c.post("/v1/logs", logs_request([bad_log]).SerializeToString())[0] == 200
    s = c.wait_summary(lambda s: s["requests"] == 2)
    errors = "\n".join(s["validation_errors"])
    expected = [
        "resource.attributes: service.name is missing",
        "scope.name: instrumentation scope name is empty",
        "spans[0].span_id: span_id is all zero",
        "spans[0].parent_span_id: span_id is 2 bytes, expected 8",
        "spans[0].name: span name is empty",
        "spans[0].kind: SPAN_KIND_UNSPECIFIED",
        "spans[0].end_time_unix_nano: ",
        "spans[0].trace_state: trace_state list member 'UPPER=bad'",
        "spans[0].flags: flags 0x201 set IS_REMOTE without HAS_IS_REMOTE",
        "attributes[5]: duplicate attribute key 'http.method'",
        "attributes[6]: attribute key is empty",
        "attributes[7].value: attribute array is not homogeneous",
        "attributes[8].value: AnyValue has no value set",
        "events[1].time_unix_nano: is zero",
        "events[1].name: event name is empty",
        "links[1].trace_id: trace_id is 15 bytes, expected 16",
        "status.code: 7 is not a StatusCode",
        "log_records[0].observed_time_unix_nano: is zero",
        "log_records[0].severity_number: 99 is not a SeverityNumber",
        "log_records[0].trace_id: trace_id is 8 bytes, expected 16",
    ]
    for e in expected:
        assert e in errors, f"missing {e!r} in:\n{errors}"
    assert s["validation_error_count"] == len(expected), errors
    assert c.stop() == 0


def test_wire_level_oneof_and_unknown_field(start):
    c = start()
    # AnyValue with both string_value and int_value on the wire: the generated parser keeps
    # the last one silently; the collector must flag it. Plus an unknown span field 99 and a
    # dropped_attributes_count encoded as a negative 64-bit varint (uint32 truncates it).
    two_values = common_pb2.AnyValue(string_value="x").SerializeToString() + \
        common_pb2.AnyValue(int_value=5).SerializeToString()
    negative_count = b"\x50" + official_collector._varint(-1)  # field 10 varint, int64 -1
    span = make_span(0).SerializeToString() + ld(9, ld(1, b"odd") + ld(2, two_values)) + \
        ld(99, b"?") + negative_count
    scope_spans = trace_pb2.ScopeSpans(scope=SCOPE).SerializeToString() + ld(2, span)
    resource_spans = trace_pb2.ResourceSpans(resource=RESOURCE).SerializeToString() + ld(2, scope_spans)
    body = ld(1, resource_spans)
    assert c.post("/v1/traces", body)[0] == 200
    s = c.wait_summary(lambda s: s["requests"] == 1)
    assert s["traces"]["items"] == 1
    assert s["validation_errors"] == [
        "traces request #1: resource_spans[0].scope_spans[0].spans[0].attributes[5].value"
        ".int_value: oneof 'value' has more than one member on the wire (string_value and int_value)",
        "traces request #1: resource_spans[0].scope_spans[0].spans[0]: unknown field number 99 "
        "(wire type 2) for opentelemetry.proto.trace.v1.Span",
        "traces request #1: resource_spans[0].scope_spans[0].spans[0].dropped_attributes_count: "
        "uint32 value 18446744073709551615 out of range (negative number encoded as 64-bit?)",
    ]
    assert c.stop() == 0


def test_duplicate_spans_are_counted(start):
    c = start()
    body = traces_request([make_span(0), make_span(1)]).SerializeToString()
    assert c.post("/v1/traces", body)[0] == 200
    assert c.post("/v1/traces", body)[0] == 200
    s = c.wait_summary(lambda s: s["requests"] == 2)
    assert s["traces"]["items"] == 4
    assert s["duplicate_spans"] == 2
    assert c.stop() == 0


def test_duplicate_log_records_are_counted(start):
    c = start()
    body = logs_request([good_log(0), good_log(1)]).SerializeToString()
    assert c.post("/v1/logs", body)[0] == 200
    assert c.post("/v1/logs", logs_request([good_log(1), good_log(2)]).SerializeToString())[0] == 200
    s = c.wait_summary(lambda s: s["requests"] == 2)
    assert s["logs"]["items"] == 4
    assert s["duplicate_spans"] == 1  # the summary counts duplicate items of every signal here
    assert c.stop() == 0


def test_duplicate_metric_points_and_missing_start_times(start):
    c = start()
    body = metrics_request([histogram_point([1.0], [1, 1])]).SerializeToString()
    assert c.post("/v1/metrics", body)[0] == 200
    assert c.post("/v1/metrics", body)[0] == 200
    no_start = metrics_request([histogram_point([1.0], [1, 1])])
    no_start.resource_metrics[0].scope_metrics[0].metrics[2].histogram.data_points[0].start_time_unix_nano = 0
    assert c.post("/v1/metrics", no_start.SerializeToString())[0] == 200
    s = c.wait_summary(lambda s: s["requests"] == 3)
    assert s["metrics"]["items"] == 9
    assert s["duplicate_spans"] == 5  # the second request's 3 points, the third's sum and gauge
    assert s["validation_errors"] == [
        "metrics request #3: resource_metrics[0].scope_metrics[0].metrics[2].histogram"
        ".data_points[0].start_time_unix_nano: is zero (sums and histograms need their start time)",
    ]
    assert c.stop() == 0


def test_fail_every_injects_status_without_counting(start):
    c = start("--fail-every", "3", "--fail-status", "503", "--retry-after", "2")
    statuses = []
    for n in range(6):
        body = traces_request([make_span(n)]).SerializeToString()
        status, headers, payload = c.post("/v1/traces", gzip.compress(body), encoding="gzip")
        statuses.append(status)
        if status == 503:
            assert headers["Retry-After"] == "2"
            assert headers["Content-Type"] == PB
            code, message = official_collector.decode_rpc_status(payload)
            assert code == 14 and "injected" in message  # UNAVAILABLE
        else:
            assert "Retry-After" not in headers
    assert statuses == [200, 200, 503, 200, 200, 503]
    s = c.wait_summary(lambda s: s["requests"] == 6)
    assert s["failed_injected"] == 2
    assert s["traces"] == {"items": 4, "resources": 4, "requests": 4}
    assert s["duplicate_spans"] == 0
    assert s["validation_error_count"] == 0
    assert c.stop() == 0


def test_fail_every_without_retry_after_and_other_status(start):
    c = start("--fail-every", "1", "--fail-status", "429")
    status, headers, payload = c.post("/v1/logs", logs_request([good_log(0)]).SerializeToString())
    assert status == 429 and "Retry-After" not in headers
    assert official_collector.decode_rpc_status(payload)[0] == 8  # RESOURCE_EXHAUSTED
    s = c.wait_summary(lambda s: s["requests"] == 1)
    assert s["logs"]["items"] == 0 and s["failed_injected"] == 1
    assert c.stop() == 0


def test_rejections(start):
    c = start()
    good = traces_request([make_span(0)]).SerializeToString()
    status, headers, body = c.post("/v1/traces", b"{}", content_type="application/json")
    assert status == 415
    status, headers, body = c.post("/v1/traces", b"\xff\xff\xff\xff")
    assert status == 400 and headers["Content-Type"] == PB
    code, message = official_collector.decode_rpc_status(body)
    assert code == 3 and message  # INVALID_ARGUMENT
    status, _, body = c.post("/v1/traces", b"not gzip", encoding="gzip")
    assert status == 400
    status, _, _ = c.post("/v1/traces", good, encoding="br")
    assert status == 415
    status, _, _ = c.post("/v1/nothing", good)
    assert status == 404
    # The connection survives all of that (bodies were read in full).
    status, _, _ = c.post("/v1/traces", good, content_type="application/x-protobuf; charset=binary")
    assert status == 200
    s = c.wait_summary(lambda s: s["requests"] == 6)
    assert s["traces"]["items"] == 1
    assert s["rejected"]["unsupported_media_type"] == 2
    assert s["rejected"]["bad_request"] == 2
    assert s["rejected"]["not_found"] == 1
    assert s["validation_error_count"] == 0
    assert c.stop() == 0


def test_chunked_body(start):
    c = start()
    body = traces_request([make_span(0), make_span(1)]).SerializeToString()
    c.conn.request("POST", "/v1/traces", body=iter([body[:10], body[10:]]),
                   headers={"Content-Type": PB}, encode_chunked=True)
    resp = c.conn.getresponse()
    resp.read()
    assert resp.status == 200
    assert c.wait_summary(lambda s: s["requests"] == 1)["traces"]["items"] == 2
    assert c.stop() == 0


def test_expect_items_exits_by_itself(start):
    c = start("--expect-items", "3", "--signal", "traces")
    assert c.post("/v1/traces", traces_request([make_span(0)]).SerializeToString())[0] == 200
    assert c.post("/v1/traces", traces_request([make_span(1), make_span(2)]).SerializeToString())[0] == 200
    assert c.proc.wait(timeout=TIMEOUT) == 0
    s = c.summary()
    assert s["traces"]["items"] == 3 and s["requests"] == 2


def test_sigterm_writes_summary_and_exits_zero(start):
    c = start()
    assert c.post("/v1/traces", traces_request([make_span(0)]).SerializeToString())[0] == 200
    c.summary_path.unlink()  # prove the exit path writes it again
    assert c.stop() == 0
    assert c.summary()["traces"]["items"] == 1


def test_capture_dir_and_check_file(start, tmp_path):
    capture = tmp_path / "capture"
    c = start("--capture-dir", str(capture))
    good = traces_request([make_span(0)]).SerializeToString()
    bad = traces_request([make_span(1, trace_id=bytes(16))]).SerializeToString()
    assert c.post("/v1/traces", gzip.compress(good), encoding="gzip")[0] == 200
    assert c.post("/v1/traces", bad)[0] == 200
    assert c.post("/v1/traces", b"junk junk")[0] == 400  # not captured
    c.wait_summary(lambda s: s["requests"] == 3)
    assert c.stop() == 0
    files = sorted(p.name for p in capture.iterdir())
    assert files == ["traces-000001.pb", "traces-000002.pb"]
    assert (capture / "traces-000001.pb").read_bytes() == good  # decompressed

    def check(path, *extra):
        return subprocess.run([sys.executable, str(COLLECTOR), "--check-file", str(path), *extra],
                              capture_output=True, text=True, timeout=60)

    ok = check(capture / "traces-000001.pb", "--signal", "traces")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "1 items in 1 resources, 0 validation errors" in ok.stdout
    fail = check(capture / "traces-000002.pb")  # signal inferred from the file name
    assert fail.returncode == 1
    assert "spans[0].trace_id: trace_id is all zero" in fail.stdout
    garbage = tmp_path / "garbage.pb"
    garbage.write_bytes(b"\xff\xff\xff")
    assert check(garbage, "--signal", "logs").returncode == 1


def test_rpc_status_encoding_round_trip():
    body = official_collector.encode_rpc_status(14, "try later ✓")
    assert official_collector.decode_rpc_status(body) == (14, "try later ✓")
    # Hand encoding must match what protobuf would produce for google.rpc.Status.
    assert body == b"\x08\x0e\x12" + bytes([len("try later ✓".encode())]) + "try later ✓".encode()
