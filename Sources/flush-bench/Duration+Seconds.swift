extension Duration {
    /// The duration in seconds, as a floating-point number.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    /// The duration in milliseconds, as a floating-point number.
    var milliseconds: Double { seconds * 1_000 }

    /// `seconds` seconds, to the nearest microsecond.
    static func seconds(fractional seconds: Double) -> Duration {
        .microseconds(Int64((seconds * 1e6).rounded()))
    }
}
