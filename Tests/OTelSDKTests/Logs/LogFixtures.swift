import OTelSDK

enum LogFixtures {
    /// A record whose body is `log-<n>`; with `paddingBytes`, it has a string attribute of that many bytes.
    static func record(_ n: Int, paddingBytes: Int = 0) -> LogRecordData {
        LogRecordData(
            timestampNanos: 1, observedTimestampNanos: 2, severityNumber: .info, body: .string("log-\(n)"),
            attributes: Fixtures.padding(paddingBytes), resource: Fixtures.resource, scope: Fixtures.scope
        )
    }

    static func body(_ record: LogRecordData) -> String {
        record.body.map(\.description) ?? "<none>"
    }
}
