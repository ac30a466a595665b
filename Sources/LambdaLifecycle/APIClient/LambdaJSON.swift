#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOCore

/// JSON coding for the Lambda APIs and for `Codable` handlers (FoundationEssentials: no ICU, small and fast to load).
enum LambdaJSON {
    static func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer, decoder: JSONDecoder = JSONDecoder()) throws -> T {
        try decoder.decode(type, from: Data(buffer.readableBytesView))
    }

    static func encode<T: Encodable>(_ value: T, encoder: JSONEncoder = JSONEncoder()) throws -> ByteBuffer {
        ByteBuffer(bytes: try encoder.encode(value))
    }
}

extension LambdaAPIResponse {
    /// Throws ``LambdaAPIError/rejected(call:status:errorType:errorMessage:)`` unless the status is 2xx.
    func requireSuccess(_ call: String) throws {
        if let limit = discardedBodyLimit { throw LambdaAPIError.responseTooLarge(call: call, limit: limit) }
        guard !isSuccess else { return }
        let document = try? LambdaJSON.decode(LambdaRejection.self, from: body)
        throw LambdaAPIError.rejected(call: call, status: Int(status.code), errorType: document?.errorType, errorMessage: document?.errorMessage)
    }
}

/// A rejection body: both fields optional, since a proxy or an older API may send less.
private struct LambdaRejection: Decodable {
    var errorType: String?
    var errorMessage: String?
}
