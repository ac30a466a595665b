extension OTelEnvironment {
    /// The attribute limits of one signal: `<prefix>_ATTRIBUTE_COUNT_LIMIT` and
    /// `<prefix>_ATTRIBUTE_VALUE_LENGTH_LIMIT`, each falling back to the general `OTEL_ATTRIBUTE_*`
    /// variable, then to `defaultCount` and no length limit (nil).
    func attributeLimits(signalPrefix prefix: String, defaultCount: Int) -> (count: Int, valueLength: Int?) {
        let count = integer("\(prefix)_ATTRIBUTE_COUNT_LIMIT", default: integer("OTEL_ATTRIBUTE_COUNT_LIMIT", default: defaultCount))
        let lengthRange = -1...Int(Int32.max)
        let length = integer("\(prefix)_ATTRIBUTE_VALUE_LENGTH_LIMIT", default: integer("OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", default: -1, in: lengthRange), in: lengthRange)
        return (count, length < 0 ? nil : length)
    }
}
