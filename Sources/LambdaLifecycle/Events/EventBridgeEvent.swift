/// An Amazon EventBridge (CloudWatch Events) event, with its `detail` decoded as `Detail`.
///
/// `faas.trigger` is `pubsub`; a handler for a scheduled rule (`detail-type` `Scheduled Event`) can declare
/// `static var trigger: String { "timer" }` (``LambdaCodableHandler/trigger``).
public struct EventBridgeEvent<Detail: Decodable & Sendable>: Decodable, Sendable {
    public var version: String
    public var id: String
    public var detailType: String
    public var source: String
    public var account: String
    /// ISO 8601 (`2019-03-01T01:23:45Z`), as EventBridge sends it.
    public var time: String
    public var region: String
    public var resources: [String]
    public var detail: Detail

    enum CodingKeys: String, CodingKey {
        case version, id, source, account, time, region, resources, detail
        case detailType = "detail-type"
    }
}

extension EventBridgeEvent: Encodable where Detail: Encodable {}
extension EventBridgeEvent: Equatable where Detail: Equatable {}

extension EventBridgeEvent: LambdaTriggerEvent {
    public static var trigger: String { "pubsub" }
}
