/// The API Gateway HTTP API (v2) event of `GET /entities/{id}`, the request the benchmarks send
/// to ``EntityHandler``.
public enum EntityRequest {
    /// The event's JSON for entity `id`.
    public static func payload(id: Int) -> [UInt8] {
        let path = "/entities/\(id)"
        return Array(
            """
            {"version":"2.0","routeKey":"GET /entities/{id}","rawPath":"\(path)","headers":{},\
            "pathParameters":{"id":"\(id)"},"requestContext":{"http":{"method":"GET","path":"\(path)"}},"isBase64Encoded":false}
            """.utf8
        )
    }
}
