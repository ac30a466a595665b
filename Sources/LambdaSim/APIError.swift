#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The Lambda error document `{"errorMessage": "...", "errorType": "..."}` used by the Runtime and Extensions APIs
/// and by the front door for function errors.
struct APIError: Codable, Sendable {
    var errorType: String
    var errorMessage: String

    init(_ errorType: String, _ errorMessage: String) {
        self.errorType = errorType
        self.errorMessage = errorMessage
    }

    var json: [UInt8] { JSON.encode(self) }
}

/// JSON with the encoder settings the simulator uses everywhere (sorted keys, for stable output).
enum JSON {
    static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // The simulator's own value types always encode.
        return (try? Array(encoder.encode(value))) ?? []
    }

    static func decode<Value: Decodable>(_ type: Value.Type, from bytes: some Collection<UInt8>) -> Value? {
        try? JSONDecoder().decode(type, from: Data(bytes))
    }
}
