import PropertyBased

/// Text a hostile Lambda API or environment might send where a number belongs: Int64 values (extremes included)
/// in decimal, their neighbours beyond 64 bits, digit runs up to 40 long, signs, exponents, spaces, and random
/// ASCII.
enum HostileText {
    static let edgeCases = [
        "", "0", "-0", "+1", " 1", "1 ", "1e3", "1.5", "0x10", "-1", "soon",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "1" + String(repeating: "0", count: 30), "18446744073709551616",
    ]

    static let numbers = Gen<String>.oneOf(
        Gen<String?>.element(of: edgeCases).map { $0 ?? "" }.eraseToAny(),
        Gen.int64().map { String($0) }.eraseToAny(),
        Gen.number.string(of: 0...40).eraseToAny(),
        Gen.ascii.string(of: 0...24).eraseToAny()
    )
}
