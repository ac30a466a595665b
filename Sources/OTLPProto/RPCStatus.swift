import COTLP
import CProtobufC

/// `google.rpc.Status`, as OTLP servers send in failure bodies.
///
/// OTLP/HTTP servers answer a failed request (4xx/5xx) with a protobuf-encoded
/// `google.rpc.Status` whose `message` explains the failure. The `details` entries
/// (`google.protobuf.Any`) are not modeled: only their number is kept.
public struct RPCStatus: Sendable, Equatable {
    /// The status code, normally a `google.rpc.Code` value (e.g. 3 `INVALID_ARGUMENT`,
    /// 8 `RESOURCE_EXHAUSTED`, 14 `UNAVAILABLE`).
    public var code: Int32
    /// The developer-facing error message.
    public var message: String
    /// The number of `details` entries.
    public var detailsCount: Int

    /// Creates a status.
    ///
    /// - Parameters:
    ///   - code: The `google.rpc.Code` value.
    ///   - message: The developer-facing error message.
    ///   - detailsCount: The number of `details` entries; `serialized()` writes that many
    ///     empty `google.protobuf.Any` messages.
    public init(code: Int32, message: String, detailsCount: Int = 0) {
        self.code = code
        self.message = message
        self.detailsCount = detailsCount
    }

    /// The protobuf encoding of this status.
    ///
    /// `details` holds `detailsCount` empty `google.protobuf.Any` messages, so that the count
    /// survives a round trip. `message` is written as a C string: it ends at its first NUL
    /// character, if it has one.
    public func serialized() -> [UInt8] {
        let status = UnsafeMutablePointer<Google__Rpc__Status>.allocate(capacity: 1)
        defer { status.deallocate() }
        google__rpc__status__init(status)

        let detailCount = max(detailsCount, 0)
        let details = UnsafeMutablePointer<Google__Protobuf__Any>.allocate(capacity: max(detailCount, 1))
        let detailPointers = UnsafeMutablePointer<UnsafeMutablePointer<Google__Protobuf__Any>?>.allocate(capacity: max(detailCount, 1))
        defer {
            details.deallocate()
            detailPointers.deallocate()
        }
        for index in 0..<detailCount {
            google__protobuf__any__init(details + index)
            detailPointers[index] = details + index
        }

        return withProtobufCString(message) { cMessage in
            status.pointee.code = code
            status.pointee.message = cMessage
            status.pointee.n_details = detailCount
            status.pointee.details = detailCount > 0 ? detailPointers : nil
            return packProtobufC(protobufCMessage(status))
        }
    }

    /// Decodes a protobuf-encoded `google.rpc.Status` (an empty body decodes to code 0,
    /// message `""`).
    ///
    /// The message is read as a NUL-terminated C string, as libprotobuf-c stores it.
    ///
    /// - Throws: `OTLPDecodingError` when the bytes are not a valid `google.rpc.Status`.
    public init(protobuf: [UInt8]) throws {
        self = try withUnpackedProtobufC(
            protobuf,
            messageType: "google.rpc.Status",
            unpack: google__rpc__status__unpack
        ) { status in
            RPCStatus(
                code: status.pointee.code,
                message: swiftString(status.pointee.message),
                detailsCount: status.pointee.n_details
            )
        }
    }
}
