/// The error document both Lambda APIs use, in requests (`/error`, `init/error`) and in rejections.
public struct LambdaErrorDocument: Error, Codable, Sendable, Equatable {
    public var errorType: String
    public var errorMessage: String
    public var stackTrace: [String]?

    public init(errorType: String, errorMessage: String, stackTrace: [String]? = nil) {
        self.errorType = errorType
        self.errorMessage = errorMessage
        self.stackTrace = stackTrace
    }

    /// The document for a Swift error thrown by a handler: its type name and its description.
    public init(error: any Error) {
        self.init(errorType: String(describing: type(of: error)), errorMessage: String(describing: error))
    }
}
