extension JSONValue {
    /// Parses a JSON document (RFC 8259).
    ///
    /// Hand-written because neither Foundation parser fits: on Linux, `JSONSerialization` rounds
    /// some doubles to a neighbouring value (e.g. 101/7 = 14.428571428571429 comes back as
    /// ...427), and a `Decodable` conformance has to try each kind of value in turn, which takes
    /// seconds for a megabyte. Numbers here go through `Double(_: String)`, which rounds correctly.
    init(parsing bytes: [UInt8]) throws {
        var parser = Parser(bytes: bytes)
        self = try parser.document()
    }

    struct SyntaxError: Error, CustomStringConvertible {
        var offset: Int
        var reason: String
        var description: String { "invalid JSON at byte \(offset): \(reason)" }
    }

    private struct Parser {
        let bytes: [UInt8]
        var position = 0

        mutating func document() throws -> JSONValue {
            let result = try value()
            skipWhitespace()
            guard position == bytes.count else { throw error("trailing characters") }
            return result
        }

        private mutating func value() throws -> JSONValue {
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end") }
            switch bytes[position] {
            case UInt8(ascii: "{"): return try object()
            case UInt8(ascii: "["): return try array()
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            default: return .number(try number())
            }
        }

        private mutating func object() throws -> JSONValue {
            position += 1  // {
            var members: [String: JSONValue] = [:]
            skipWhitespace()
            if consume("}") { return .object(members) }
            repeat {
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                    throw error("expected a member name")
                }
                let key = try string()
                skipWhitespace()
                guard consume(":") else { throw error("expected ':'") }
                guard members.updateValue(try value(), forKey: key) == nil else { throw error("duplicate key \(key)") }
                skipWhitespace()
            } while consume(",")
            guard consume("}") else { throw error("expected ',' or '}'") }
            return .object(members)
        }

        private mutating func array() throws -> JSONValue {
            position += 1  // [
            var elements: [JSONValue] = []
            skipWhitespace()
            if consume("]") { return .array(elements) }
            repeat {
                elements.append(try value())
                skipWhitespace()
            } while consume(",")
            guard consume("]") else { throw error("expected ',' or ']'") }
            return .array(elements)
        }

        private mutating func string() throws -> String {
            position += 1  // opening quote
            var utf8: [UInt8] = []
            while position < bytes.count {
                let byte = bytes[position]
                position += 1
                switch byte {
                case UInt8(ascii: "\""):
                    guard let string = String(validating: utf8, as: UTF8.self) else { throw error("invalid UTF-8") }
                    return string
                case UInt8(ascii: "\\"):
                    try escape(into: &utf8)
                case ..<0x20:
                    throw error("control character in a string")
                default:
                    utf8.append(byte)
                }
            }
            throw error("unterminated string")
        }

        private mutating func escape(into utf8: inout [UInt8]) throws {
            guard position < bytes.count else { throw error("unterminated escape") }
            let byte = bytes[position]
            position += 1
            let unescaped: UInt8? =
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): byte
                case UInt8(ascii: "b"): 0x08
                case UInt8(ascii: "f"): 0x0C
                case UInt8(ascii: "n"): 0x0A
                case UInt8(ascii: "r"): 0x0D
                case UInt8(ascii: "t"): 0x09
                default: nil
                }
            if let unescaped {
                utf8.append(unescaped)
                return
            }
            guard byte == UInt8(ascii: "u") else { throw error("unknown escape") }
            var code = UInt32(try hex4())
            if (0xD800..<0xDC00).contains(code) {  // a high surrogate: a low one must follow
                guard consume("\\"), consume("u") else { throw error("lone high surrogate") }
                let low = UInt32(try hex4())
                guard (0xDC00..<0xE000).contains(low) else { throw error("high surrogate without low surrogate") }
                code = 0x10000 + (code - 0xD800) << 10 + (low - 0xDC00)
            }
            guard let scalar = Unicode.Scalar(code) else { throw error("lone low surrogate") }
            utf8.append(contentsOf: String(scalar).utf8)
        }

        private mutating func hex4() throws -> UInt16 {
            guard position + 4 <= bytes.count,
                let value = UInt16(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16)
            else { throw error("expected four hex digits") }
            position += 4
            return value
        }

        private mutating func number() throws -> Double {
            let start = position
            scan: while position < bytes.count {
                switch bytes[position] {
                case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                    UInt8(ascii: "e"), UInt8(ascii: "E"):
                    position += 1
                default:
                    break scan
                }
            }
            guard let value = Double(String(decoding: bytes[start..<position], as: UTF8.self)) else {
                throw error("invalid value")
            }
            return value
        }

        private mutating func literal(_ word: String) throws {
            let utf8 = Array(word.utf8)
            guard bytes[position...].starts(with: utf8) else { throw error("invalid value") }
            position += utf8.count
        }

        private mutating func consume(_ character: Unicode.Scalar) -> Bool {
            guard position < bytes.count, bytes[position] == UInt8(ascii: character) else { return false }
            position += 1
            return true
        }

        private mutating func skipWhitespace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x09, 0x0A, 0x0D: position += 1
                default: return
                }
            }
        }

        private func error(_ reason: String) -> SyntaxError {
            SyntaxError(offset: position, reason: reason)
        }
    }
}
