/// A parsed JSON document, kept exactly enough to compare with an expected one field by field.
///
/// Numbers are doubles and compare by bit pattern, so that `-0.0` and `0.0` differ. (protobuf's JSON
/// mapping writes 64-bit integers as strings and non-finite doubles as `"NaN"`, `"Infinity"`,
/// `"-Infinity"`, so every number in it fits a double exactly.)
indirect enum JSONValue: Equatable, Sendable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a), .number(let b)): a.bitPattern == b.bitPattern
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a == b
        default: false
        }
    }

    subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { members[key] } else { nil }
    }

    subscript(index: Int) -> JSONValue? {
        if case .array(let elements) = self, elements.indices.contains(index) { elements[index] } else { nil }
    }

    var description: String {
        switch self {
        case .null: "null"
        case .bool(let bool): String(bool)
        case .number(let number):
            number == number.rounded() && abs(number) < 0x1p53 ? String(Int64(number)) : String(number)
        case .string(let string): string.debugDescription
        case .array(let elements): "[" + elements.map(\.description).joined(separator: ", ") + "]"
        case .object(let members):
            "{" + members.sorted { $0.key < $1.key }.map { "\($0.key.debugDescription): \($0.value)" }
                .joined(separator: ", ") + "}"
        }
    }

    /// Every place where `actual` differs from `expected`, as "path: what" lines. Missing and
    /// unexpected object members both count, so an empty result means the documents are equal.
    static func differences(expected: JSONValue, actual: JSONValue, at path: String = "$") -> [String] {
        switch (expected, actual) {
        case (.object(let expectedMembers), .object(let actualMembers)):
            var found: [String] = []
            for key in Set(expectedMembers.keys).union(actualMembers.keys).sorted() {
                let memberPath = "\(path).\(key)"
                switch (expectedMembers[key], actualMembers[key]) {
                case (let expectedMember?, let actualMember?):
                    found += differences(expected: expectedMember, actual: actualMember, at: memberPath)
                case (let expectedMember?, nil):
                    found.append("\(memberPath): missing, expected \(expectedMember)")
                case (nil, let actualMember?):
                    found.append("\(memberPath): unexpected field with value \(actualMember)")
                case (nil, nil):
                    break
                }
            }
            return found
        case (.array(let expectedElements), .array(let actualElements)):
            var found: [String] = []
            if expectedElements.count != actualElements.count {
                found.append("\(path): \(actualElements.count) elements, expected \(expectedElements.count)")
            }
            for (index, (expectedElement, actualElement)) in zip(expectedElements, actualElements).enumerated() {
                found += differences(expected: expectedElement, actual: actualElement, at: "\(path)[\(index)]")
            }
            return found
        default:
            return expected == actual ? [] : ["\(path): \(actual), expected \(expected)"]
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    init(stringLiteral value: String) {
        self = .string(value)
    }

    init(integerLiteral value: Int) {
        self = .number(Double(value))
    }

    init(arrayLiteral elements: JSONValue...) {
        self = .array(elements)
    }

    init(dictionaryLiteral members: (String, JSONValue)...) {
        self = .object(Dictionary(uniqueKeysWithValues: members))
    }
}
