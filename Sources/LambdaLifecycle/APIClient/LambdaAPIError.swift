/// A Lambda Runtime or Extensions API call that did not succeed.
public enum LambdaAPIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `AWS_LAMBDA_RUNTIME_API` is missing or is not `host:port`.
    case invalidEndpoint(String)
    /// The connection closed before the API answered.
    case connectionClosed
    /// The API answered with a non-success status. `errorType` and `errorMessage` come from the JSON error document
    /// the API sends (`{"errorType": "...", "errorMessage": "..."}`), when it sent one.
    case rejected(call: String, status: Int, errorType: String?, errorMessage: String?)
    /// The API answered success but without something the contract promises (a header, a JSON field).
    case malformedResponse(call: String, reason: String)
    /// `GET /runtime/invocation/next` delivered an invocation with a request id but metadata that cannot be used (a
    /// deadline that is not a non-negative integer of milliseconds). The runtime reports it on that invocation's
    /// `/error` with ``LambdaAPIError/invalidInvocationErrorType`` and goes on.
    case malformedInvocation(requestID: String, reason: String)

    /// The API answered with a body larger than `limit` bytes (Lambda's 6 MB payload limit with a margin); the body
    /// was read to its end and discarded, so memory stays bounded. An invocation that brings such a payload is reported as
    /// ``malformedInvocation(requestID:reason:)`` instead, on its `/error`.
    case responseTooLarge(call: String, limit: Int)

    /// The `errorType` the runtime posts for a ``malformedInvocation(requestID:reason:)``.
    public static let invalidInvocationErrorType = "Runtime.InvalidInvocation"

    /// The `errorType` of a rejection (for example `Extension.RegistrationClosed`), if any.
    public var errorType: String? {
        if case .rejected(_, _, let errorType, _) = self { return errorType }
        return nil
    }

    /// HTTP 500 from a Lambda API: "container error, non-recoverable; the runtime should exit promptly".
    public var isFatal: Bool {
        if case .rejected(_, let status, _, _) = self { return status >= 500 }
        return false
    }

    public var description: String {
        switch self {
        case .invalidEndpoint(let value):
            return "AWS_LAMBDA_RUNTIME_API is \(value.isEmpty ? "not set" : "'\(value)'"), expected host:port"
        case .connectionClosed:
            return "the Lambda API closed the connection before answering"
        case .rejected(let call, let status, let errorType, let errorMessage):
            return "\(call) answered \(status) \(errorType ?? "(no errorType)"): \(errorMessage ?? "(no errorMessage)")"
        case .malformedResponse(let call, let reason):
            return "\(call) answered success but \(reason)"
        case .responseTooLarge(let call, let limit):
            return "\(call) answered with a body of more than \(limit) bytes, discarded"
        case .malformedInvocation(let requestID, let reason):
            return "invocation \(requestID) cannot be served: \(reason)"
        }
    }
}
