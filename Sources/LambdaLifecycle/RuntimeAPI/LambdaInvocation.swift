import NIOCore
import NIOHTTP1

/// One event from `GET /runtime/invocation/next`: the payload and the invocation's metadata headers.
public struct LambdaInvocation: Sendable {
    /// `Lambda-Runtime-Aws-Request-Id`.
    public var requestID: String
    /// `Lambda-Runtime-Deadline-Ms`: the function timeout instant, Unix epoch milliseconds.
    public var deadlineEpochMilliseconds: Int64
    /// The same instant on the monotonic clock (what flush deadlines are computed against).
    public var deadline: ContinuousClock.Instant
    /// `Lambda-Runtime-Invoked-Function-Arn`: the ARN of the function, version or alias invoked.
    public var invokedFunctionARN: String
    /// `Lambda-Runtime-Trace-Id`: the X-Ray trace header, when tracing information was sent.
    public var traceHeader: String?
    /// `Lambda-Runtime-Client-Context` (JSON), only for AWS Mobile SDK callers.
    public var clientContext: String?
    /// `Lambda-Runtime-Cognito-Identity` (JSON), only for Mobile SDK/Cognito callers.
    public var cognitoIdentity: String?
    /// `Lambda-Runtime-Aws-Tenant-Id`, only for functions in tenant-isolation mode.
    public var tenantID: String?
    /// The event payload.
    public var payload: ByteBuffer

    public init(
        requestID: String,
        deadlineEpochMilliseconds: Int64,
        deadline: ContinuousClock.Instant,
        invokedFunctionARN: String,
        traceHeader: String? = nil,
        clientContext: String? = nil,
        cognitoIdentity: String? = nil,
        tenantID: String? = nil,
        payload: ByteBuffer
    ) {
        self.requestID = requestID
        self.deadlineEpochMilliseconds = deadlineEpochMilliseconds
        self.deadline = deadline
        self.invokedFunctionARN = invokedFunctionARN
        self.traceHeader = traceHeader
        self.clientContext = clientContext
        self.cognitoIdentity = cognitoIdentity
        self.tenantID = tenantID
        self.payload = payload
    }

    /// Reads an invocation from a `next` response. Header names are matched case-insensitively; headers the
    /// contract marks optional are nil when absent or empty.
    ///
    /// - Throws: ``LambdaAPIError/malformedResponse(call:reason:)`` when the request id is missing (nothing can be
    ///   answered); ``LambdaAPIError/malformedInvocation(requestID:reason:)`` when the deadline is missing or is not
    ///   a non-negative integer that fits in 64 bits (the invocation can be answered on `/error`).
    init(
        headers: HTTPHeaders,
        payload: ByteBuffer,
        now: ContinuousClock.Instant = .now,
        wallNow: Int64 = LambdaClock.epochMilliseconds()
    ) throws {
        func header(_ name: String) -> String? {
            headers.first(name: name).flatMap { $0.isEmpty ? nil : $0 }
        }
        let call = "GET /runtime/invocation/next"
        guard let requestID = header("Lambda-Runtime-Aws-Request-Id") else {
            throw LambdaAPIError.malformedResponse(call: call, reason: "has no Lambda-Runtime-Aws-Request-Id header")
        }
        guard let deadlineText = header("Lambda-Runtime-Deadline-Ms") else {
            throw LambdaAPIError.malformedInvocation(requestID: requestID, reason: "no Lambda-Runtime-Deadline-Ms header")
        }
        guard let deadlineMs = LambdaClock.parseEpochMilliseconds(deadlineText) else {
            throw LambdaAPIError.malformedInvocation(
                requestID: requestID, reason: "Lambda-Runtime-Deadline-Ms '\(deadlineText.prefix(64))' is not a non-negative integer of milliseconds")
        }
        self.init(
            requestID: requestID,
            deadlineEpochMilliseconds: deadlineMs,
            deadline: LambdaClock.instant(epochMilliseconds: deadlineMs, now: now, wallNow: wallNow),
            invokedFunctionARN: header("Lambda-Runtime-Invoked-Function-Arn") ?? "",
            traceHeader: header("Lambda-Runtime-Trace-Id"),
            clientContext: header("Lambda-Runtime-Client-Context"),
            cognitoIdentity: header("Lambda-Runtime-Cognito-Identity"),
            tenantID: header("Lambda-Runtime-Aws-Tenant-Id"),
            payload: payload
        )
    }
}
