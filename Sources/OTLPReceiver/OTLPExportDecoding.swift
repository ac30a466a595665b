import OTLPProto

/// The decode step of an export request whose head passed the HTTP checks and whose body fit
/// ``OTLPReceiver/Configuration/maxBodyBytes`` on the wire: gunzip within the decompressed-size cap, then
/// `OTLPDecodedRequest.decode`, which refuses nesting deeper than 64 levels before unpacking and validates the
/// message. Pure: no I/O, no counters, no faults.
struct OTLPExportDecoding {
    /// Why a body was refused.
    enum Failure: Error, Equatable {
        /// Gunzipped, the body exceeds `limit` bytes (answered 413).
        case decompressedTooLarge(limit: Int)
        /// The body is not valid gzip (answered 400); the payload describes the gzip error.
        case malformedGzip(String)
        /// The protobuf is not a valid export request of the signal (answered 400); the payload describes the
        /// decoding error.
        case malformedRequest(OTLPSignal, String)
    }

    /// The body after gunzip (the wire bytes when it was not compressed); nil when it could not be gunzipped.
    var body: [UInt8]?
    /// The decoded request, or why there is none.
    var result: Result<OTLPDecodedRequest, Failure>

    /// The decoded request, if the body decoded.
    var contents: OTLPDecodedRequest? {
        if case .success(let contents) = result { contents } else { nil }
    }

    /// Why the body was refused, if it was.
    var failure: Failure? {
        if case .failure(let failure) = result { failure } else { nil }
    }

    /// Decodes a complete request body of `signal`.
    ///
    /// - Parameters:
    ///   - wire: The body as received.
    ///   - gzip: Whether the body is gzip-compressed (`Content-Encoding: gzip`).
    ///   - maxDecompressedBytes: The most bytes gunzip may produce; beyond, ``Failure/decompressedTooLarge(limit:)``.
    static func decode(
        _ signal: OTLPSignal, wire: [UInt8], gzip: Bool, maxDecompressedBytes: Int
    ) -> OTLPExportDecoding {
        let body: [UInt8]
        if gzip {
            do {
                body = try Gzip.decompress(wire, maxOutputBytes: maxDecompressedBytes)
            } catch {
                if let error = error as? GzipError, case .outputLimitExceeded = error.reason {
                    return OTLPExportDecoding(body: nil, result: .failure(.decompressedTooLarge(limit: maxDecompressedBytes)))
                }
                return OTLPExportDecoding(body: nil, result: .failure(.malformedGzip("\(error)")))
            }
        } else {
            body = wire
        }
        do {
            return OTLPExportDecoding(body: body, result: .success(try OTLPDecodedRequest.decode(signal, protobuf: body)))
        } catch {
            return OTLPExportDecoding(body: body, result: .failure(.malformedRequest(signal, "\(error)")))
        }
    }
}
