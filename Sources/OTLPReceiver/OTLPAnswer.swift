import NIOHTTP1
import OTLPProto

/// A finished answer to one request: bytes to write, or a close.
enum OTLPAnswer {
    case respond(HTTPResponseStatus, contentType: String, body: [UInt8], extraHeaders: [(String, String)])
    case close

    /// An error answer with a `google.rpc.Status` protobuf body, as OTLP/HTTP specifies.
    static func status(
        _ status: HTTPResponseStatus,
        code: Int32,
        _ message: String,
        headers: [(String, String)] = []
    ) -> OTLPAnswer {
        .respond(
            status,
            contentType: "application/x-protobuf",
            body: RPCStatus(code: code, message: message).serialized(),
            extraHeaders: headers
        )
    }

    /// 413 with `RESOURCE_EXHAUSTED`.
    static func tooLarge(_ message: String) -> OTLPAnswer {
        status(.payloadTooLarge, code: 8, message)  // RESOURCE_EXHAUSTED
    }

    /// The answer to a body the decode step refused: 413 when it was too large once gunzipped, 400 otherwise.
    static func refused(_ failure: OTLPExportDecoding.Failure) -> OTLPAnswer {
        switch failure {
        case .decompressedTooLarge(let limit):
            tooLarge("decompressed request body exceeds \(limit) bytes")
        case .malformedGzip(let detail):
            status(.badRequest, code: 3, "malformed gzip body: \(detail)")
        case .malformedRequest(let signal, let detail):
            status(.badRequest, code: 3, "malformed \(signal.rawValue) export request: \(detail)")
        }
    }

    /// A successful export: 200 with an `Export<Signal>ServiceResponse`, with a partial success when given.
    static func exported(_ signal: OTLPSignal, partialSuccess: OTLPPartialSuccess?) -> OTLPAnswer {
        .respond(
            .ok,
            contentType: "application/x-protobuf",
            body: OTLPExportResponse.serialized(signal, partialSuccess: partialSuccess),
            extraHeaders: []
        )
    }

    /// A 200 whose body no OTLP client can read.
    static func garbage(_ kind: ReceiverFaults.GarbageKind) -> OTLPAnswer {
        switch kind {
        case .html:
            .respond(
                .ok,
                contentType: "text/html; charset=utf-8",
                body: Array("<html><body><h1>It works!</h1></body></html>\n".utf8),
                extraHeaders: []
            )
        case .invalidProtobuf:
            // Field 1, length-delimited, declares 127 bytes but carries 2: no protobuf parser accepts it.
            .respond(.ok, contentType: "application/x-protobuf", body: [0x0A, 0x7F, 0x08, 0x01], extraHeaders: [])
        }
    }

    /// The gRPC status code that matches an HTTP status, for the `google.rpc.Status` body of a failure.
    static func rpcCode(forHTTPStatus status: Int) -> Int32 {
        switch status {
        case 400: 3  // INVALID_ARGUMENT
        case 401: 16  // UNAUTHENTICATED
        case 403: 7  // PERMISSION_DENIED
        case 404: 5  // NOT_FOUND
        case 408, 504: 4  // DEADLINE_EXCEEDED
        case 409: 10  // ABORTED
        case 413, 429: 8  // RESOURCE_EXHAUSTED
        case 501: 12  // UNIMPLEMENTED
        case 502, 503: 14  // UNAVAILABLE
        default: status >= 500 ? 13 : 2  // INTERNAL : UNKNOWN
        }
    }
}
