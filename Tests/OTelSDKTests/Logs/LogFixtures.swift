import OTelSDK

enum LogFixtures {
    /// A record whose body is `log-<n>`.
    static func record(_ n: Int) -> LogRecordData {
        LogRecordData(
            timestampNanos: 1, observedTimestampNanos: 2, severityNumber: .info, body: .string("log-\(n)"),
            resource: Fixtures.resource, scope: Fixtures.scope
        )
    }

    static func body(_ record: LogRecordData) -> String {
        record.body.map(\.description) ?? "<none>"
    }
}
