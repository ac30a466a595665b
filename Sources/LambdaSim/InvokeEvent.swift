/// The INVOKE event an extension's `next` returns.
struct InvokeEvent: Encodable {
    struct Tracing: Encodable {
        var type: String
        var value: String
    }

    var eventType = "INVOKE"
    var deadlineMs: Int64
    var requestId: String
    var invokedFunctionArn: String
    var tracing: Tracing
}
