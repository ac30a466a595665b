/// A flush announcement in a sandbox's output: a JSON object on one line with `"event"` set to
/// `otel.lambda.flush.start` or `otel.lambda.flush.end`, for example
/// `{"event":"otel.lambda.flush.end","requestId":"<id>","outcome":"ok","durationMs":12.5}`.
///
/// Any key order, whitespace and extra keys are accepted; text before the first `{` or after the last `}` is
/// ignored (so a log prefix does not hide the line). `requestId` may be absent.
struct FlushLine: Decodable, Equatable {
    enum Phase: Equatable {
        case start
        case end
    }

    var phase: Phase
    var requestId: String?
    var outcome: String?
    var durationMs: Double?

    private enum CodingKeys: String, CodingKey {
        case event, requestId, outcome, durationMs
    }

    private static let marker = Array("otel.lambda.flush.".utf8)

    init(phase: Phase, requestId: String?, outcome: String? = nil, durationMs: Double? = nil) {
        self.phase = phase
        self.requestId = requestId
        self.outcome = outcome
        self.durationMs = durationMs
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .event) {
        case "otel.lambda.flush.start": phase = .start
        case "otel.lambda.flush.end": phase = .end
        default: throw DecodingError.dataCorruptedError(forKey: .event, in: container, debugDescription: "not a flush event")
        }
        requestId = try? container.decodeIfPresent(String.self, forKey: .requestId)
        outcome = try? container.decodeIfPresent(String.self, forKey: .outcome)
        durationMs = try? container.decodeIfPresent(Double.self, forKey: .durationMs)
    }

    /// The flush announcement in `line`, or `nil` when it holds none.
    static func parse(_ line: ArraySlice<UInt8>) -> FlushLine? {
        guard line.count >= marker.count, contains(line, marker),
              let open = line.firstIndex(of: UInt8(ascii: "{")),
              let close = line.lastIndex(of: UInt8(ascii: "}")), open < close
        else { return nil }
        return JSON.decode(FlushLine.self, from: line[open...close])
    }

    private static func contains(_ line: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
        var index = line.startIndex
        while index <= line.endIndex - needle.count {
            if line[index..<index + needle.count].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }
}
