import COTLP
import CProtobufC
import OTLPProto
import Testing

@Suite("OTLPRequestSummary", .timeLimit(.minutes(2)))
struct OTLPRequestSummaryTests {
    /// An ExportTraceServiceRequest with 2 ResourceSpans and 3 spans, built with the
    /// generated C API and serialized with `packProtobufC`.
    static func traceRequest(_ arena: CMessageArena) -> UnsafeMutablePointer<Opentelemetry__Proto__Collector__Trace__V1__ExportTraceServiceRequest> {
        func span(_ name: String) -> UnsafeMutablePointer<Opentelemetry__Proto__Trace__V1__Span> {
            let span = arena.message(opentelemetry__proto__trace__v1__span__init)
            span.pointee.name = arena.cString(name)
            span.pointee.kind = OPENTELEMETRY__PROTO__TRACE__V1__SPAN__SPAN_KIND__SPAN_KIND_SERVER
            span.pointee.start_time_unix_nano = 1_700_000_000_000_000_000
            span.pointee.end_time_unix_nano = 1_700_000_000_500_000_000
            return span
        }
        func scope(_ spans: [UnsafeMutablePointer<Opentelemetry__Proto__Trace__V1__Span>]) -> UnsafeMutablePointer<Opentelemetry__Proto__Trace__V1__ScopeSpans> {
            let scope = arena.message(opentelemetry__proto__trace__v1__scope_spans__init)
            scope.pointee.n_spans = spans.count
            scope.pointee.spans = arena.array(spans)
            return scope
        }
        func resource(_ scopes: [UnsafeMutablePointer<Opentelemetry__Proto__Trace__V1__ScopeSpans>]) -> UnsafeMutablePointer<Opentelemetry__Proto__Trace__V1__ResourceSpans> {
            let resourceSpans = arena.message(opentelemetry__proto__trace__v1__resource_spans__init)
            resourceSpans.pointee.n_scope_spans = scopes.count
            resourceSpans.pointee.scope_spans = arena.array(scopes)
            return resourceSpans
        }
        let request = arena.message(opentelemetry__proto__collector__trace__v1__export_trace_service_request__init)
        let resources = [
            resource([scope([span("a"), span("b")])]),
            resource([scope([span("c")]), scope([])]),
        ]
        request.pointee.n_resource_spans = resources.count
        request.pointee.resource_spans = arena.array(resources)
        return request
    }

    @Test("traces: 2 resource spans, 3 spans")
    func traces() throws {
        let arena = CMessageArena()
        let request = Self.traceRequest(arena)
        let bytes = packProtobufC(baseMessage(request))
        #expect(try OTLPRequestSummary.decode(.traces, protobuf: bytes) == OTLPRequestSummary(resources: 2, items: 3, metrics: 0))
    }

    @Test("packProtobufC matches the generated pack function")
    func packMatchesGenerated() {
        let arena = CMessageArena()
        let request = Self.traceRequest(arena)
        let bytes = packProtobufC(baseMessage(request))
        let size = opentelemetry__proto__collector__trace__v1__export_trace_service_request__get_packed_size(request)
        var generated = [UInt8](repeating: 0, count: size)
        let written = opentelemetry__proto__collector__trace__v1__export_trace_service_request__pack(request, &generated)
        #expect(written == size)
        #expect(bytes == generated)
        // An empty message packs to no bytes.
        let empty = arena.message(opentelemetry__proto__collector__trace__v1__export_trace_service_request__init)
        #expect(packProtobufC(baseMessage(empty)).isEmpty)
    }

    @Test("metrics: every data point kind is counted")
    func metrics() throws {
        let arena = CMessageArena()
        func numberPoints(_ count: Int) -> (Int, UnsafeMutablePointer<UnsafeMutablePointer<Opentelemetry__Proto__Metrics__V1__NumberDataPoint>?>) {
            let points = (0..<count).map { index -> UnsafeMutablePointer<Opentelemetry__Proto__Metrics__V1__NumberDataPoint> in
                let point = arena.message(opentelemetry__proto__metrics__v1__number_data_point__init)
                point.pointee.value_case = OPENTELEMETRY__PROTO__METRICS__V1__NUMBER_DATA_POINT__VALUE_AS_DOUBLE
                point.pointee.as_double = Double(index) + 0.5
                return point
            }
            return (count, arena.array(points))
        }
        func metric(_ name: String) -> UnsafeMutablePointer<Opentelemetry__Proto__Metrics__V1__Metric> {
            let metric = arena.message(opentelemetry__proto__metrics__v1__metric__init)
            metric.pointee.name = arena.cString(name)
            return metric
        }

        let gauge = metric("gauge")  // 2 points
        let gaugeData = arena.message(opentelemetry__proto__metrics__v1__gauge__init)
        (gaugeData.pointee.n_data_points, gaugeData.pointee.data_points) = numberPoints(2)
        gauge.pointee.data_case = OPENTELEMETRY__PROTO__METRICS__V1__METRIC__DATA_GAUGE
        gauge.pointee.gauge = gaugeData

        let sum = metric("sum")  // 3 points
        let sumData = arena.message(opentelemetry__proto__metrics__v1__sum__init)
        (sumData.pointee.n_data_points, sumData.pointee.data_points) = numberPoints(3)
        sumData.pointee.aggregation_temporality = OPENTELEMETRY__PROTO__METRICS__V1__AGGREGATION_TEMPORALITY__AGGREGATION_TEMPORALITY_CUMULATIVE
        sumData.pointee.is_monotonic = 1
        sum.pointee.data_case = OPENTELEMETRY__PROTO__METRICS__V1__METRIC__DATA_SUM
        sum.pointee.sum = sumData

        let histogram = metric("histogram")  // 1 point, with the optional sum set
        let histogramPoint = arena.message(opentelemetry__proto__metrics__v1__histogram_data_point__init)
        histogramPoint.pointee.count = 4
        histogramPoint.pointee._sum_case = OPENTELEMETRY__PROTO__METRICS__V1__HISTOGRAM_DATA_POINT___SUM_SUM
        histogramPoint.pointee.sum = 10
        let histogramData = arena.message(opentelemetry__proto__metrics__v1__histogram__init)
        histogramData.pointee.n_data_points = 1
        histogramData.pointee.data_points = arena.array([histogramPoint])
        histogram.pointee.data_case = OPENTELEMETRY__PROTO__METRICS__V1__METRIC__DATA_HISTOGRAM
        histogram.pointee.histogram = histogramData

        let exponential = metric("exponential")  // 2 points
        let exponentialData = arena.message(opentelemetry__proto__metrics__v1__exponential_histogram__init)
        exponentialData.pointee.n_data_points = 2
        exponentialData.pointee.data_points = arena.array([
            arena.message(opentelemetry__proto__metrics__v1__exponential_histogram_data_point__init),
            arena.message(opentelemetry__proto__metrics__v1__exponential_histogram_data_point__init),
        ])
        exponential.pointee.data_case = OPENTELEMETRY__PROTO__METRICS__V1__METRIC__DATA_EXPONENTIAL_HISTOGRAM
        exponential.pointee.exponential_histogram = exponentialData

        let summary = metric("summary")  // 1 point
        let summaryData = arena.message(opentelemetry__proto__metrics__v1__summary__init)
        summaryData.pointee.n_data_points = 1
        summaryData.pointee.data_points = arena.array([arena.message(opentelemetry__proto__metrics__v1__summary_data_point__init)])
        summary.pointee.data_case = OPENTELEMETRY__PROTO__METRICS__V1__METRIC__DATA_SUMMARY
        summary.pointee.summary = summaryData

        let noData = metric("no data")  // 0 points

        let firstScope = arena.message(opentelemetry__proto__metrics__v1__scope_metrics__init)
        firstScope.pointee.n_metrics = 4
        firstScope.pointee.metrics = arena.array([gauge, sum, histogram, noData])
        let secondScope = arena.message(opentelemetry__proto__metrics__v1__scope_metrics__init)
        secondScope.pointee.n_metrics = 2
        secondScope.pointee.metrics = arena.array([exponential, summary])
        let resourceMetrics = arena.message(opentelemetry__proto__metrics__v1__resource_metrics__init)
        resourceMetrics.pointee.n_scope_metrics = 2
        resourceMetrics.pointee.scope_metrics = arena.array([firstScope, secondScope])
        let request = arena.message(opentelemetry__proto__collector__metrics__v1__export_metrics_service_request__init)
        request.pointee.n_resource_metrics = 1
        request.pointee.resource_metrics = arena.array([resourceMetrics])

        let bytes = packProtobufC(baseMessage(request))
        #expect(try OTLPRequestSummary.decode(.metrics, protobuf: bytes) == OTLPRequestSummary(resources: 1, items: 9, metrics: 6))
    }

    @Test("logs: log records across scopes and resources")
    func logs() throws {
        let arena = CMessageArena()
        func scope(records: Int) -> UnsafeMutablePointer<Opentelemetry__Proto__Logs__V1__ScopeLogs> {
            let scope = arena.message(opentelemetry__proto__logs__v1__scope_logs__init)
            scope.pointee.n_log_records = records
            scope.pointee.log_records = arena.array((0..<records).map { _ in
                let record = arena.message(opentelemetry__proto__logs__v1__log_record__init)
                record.pointee.severity_number = OPENTELEMETRY__PROTO__LOGS__V1__SEVERITY_NUMBER__SEVERITY_NUMBER_INFO
                record.pointee.event_name = arena.cString("app.event")
                return record
            })
            return scope
        }
        let first = arena.message(opentelemetry__proto__logs__v1__resource_logs__init)
        first.pointee.n_scope_logs = 2
        first.pointee.scope_logs = arena.array([scope(records: 2), scope(records: 3)])
        let second = arena.message(opentelemetry__proto__logs__v1__resource_logs__init)
        let request = arena.message(opentelemetry__proto__collector__logs__v1__export_logs_service_request__init)
        request.pointee.n_resource_logs = 2
        request.pointee.resource_logs = arena.array([first, second])

        let bytes = packProtobufC(baseMessage(request))
        #expect(try OTLPRequestSummary.decode(.logs, protobuf: bytes) == OTLPRequestSummary(resources: 2, items: 5, metrics: 0))
    }

    @Test("hand-encoded bytes decode (independent of protobuf-c's encoder)")
    func handEncoded() throws {
        // ExportTraceServiceRequest { resource_spans { scope_spans { spans {} spans {} } } }
        let bytes: [UInt8] = [0x0A, 0x06, 0x12, 0x04, 0x12, 0x00, 0x12, 0x00]
        #expect(try OTLPRequestSummary.decode(.traces, protobuf: bytes) == OTLPRequestSummary(resources: 1, items: 2, metrics: 0))
    }

    @Test("an empty body is an empty request", arguments: OTLPSignal.allCases)
    func empty(signal: OTLPSignal) throws {
        #expect(try OTLPRequestSummary.decode(signal, protobuf: []) == OTLPRequestSummary(resources: 0, items: 0, metrics: 0))
    }

    @Test("malformed bytes throw", arguments: OTLPSignal.allCases)
    func malformed(signal: OTLPSignal) throws {
        let cases: [[UInt8]] = [
            [0x0A, 0x06, 0x12, 0x04],          // length runs past the end
            [0xFF, 0xFF, 0xFF, 0xFF, 0xFF],    // truncated varint tag
            [0x0B],                            // deprecated group wire type
            Array("{\"resourceSpans\":[]}".utf8),  // OTLP/JSON is not protobuf
        ]
        for bytes in cases {
            let error = #expect(throws: OTLPDecodingError.self) { try OTLPRequestSummary.decode(signal, protobuf: bytes) }
            #expect(error?.byteCount == bytes.count)
            #expect(error?.messageType.hasSuffix("ServiceRequest") == true)
        }
        // A valid trace request is not a valid metrics request (wrong nested wire types).
        let arena = CMessageArena()
        let traceBytes = packProtobufC(baseMessage(Self.traceRequest(arena)))
        if signal == .metrics {
            #expect(throws: OTLPDecodingError.self) { try OTLPRequestSummary.decode(.metrics, protobuf: traceBytes) }
        }
    }
}
