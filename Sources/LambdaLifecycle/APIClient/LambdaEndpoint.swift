/// Parses `AWS_LAMBDA_RUNTIME_API` (`host:port`, no scheme), shared by the Runtime and Extensions API clients.
enum LambdaEndpoint {
    static func parse(_ value: String) throws -> (host: String, port: Int) {
        guard let colon = value.lastIndex(of: ":"),
              let port = Int(value[value.index(after: colon)...]), (1...65535).contains(port),
              colon != value.startIndex
        else {
            throw LambdaAPIError.invalidEndpoint(value)
        }
        return (String(value[..<colon]), port)
    }
}
