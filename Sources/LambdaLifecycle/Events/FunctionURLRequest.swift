/// A Lambda function URL request: the same JSON as an API Gateway HTTP API request (payload format 2.0), with
/// `routeKey` `$default` (a function URL has no routes, so the invocation span has no `http.route`).
public typealias FunctionURLRequest = APIGatewayV2Request

/// The response to a ``FunctionURLRequest``: the same JSON as an API Gateway HTTP API response.
public typealias FunctionURLResponse = APIGatewayV2Response
