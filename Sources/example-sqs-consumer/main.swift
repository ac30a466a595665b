import LambdaLifecycle
import Logging
import OTLPHTTP
import OTelSDK
import ServiceLifecycle

// example-sqs-consumer: the bootstrap of a provided.al2023 function fed by an SQS event source mapping. Each message
// is processed in its own span (a child of the batch's consumer span, linked to the message's sender); a message
// whose body is "fail" is reported back to SQS as a batch item failure, so only it is retried.
//
// The runtime runs in a ServiceGroup beside the connection pool the consumer would write to. At shutdown Lambda sends
// SIGTERM: the group stops the runtime first (its final flush, within 300 ms), then the pool, and the process exits
// with status 0, all within Lambda's Shutdown phase (500 ms with internal extensions only).

let telemetry = OTLPTelemetry.bootstrap(.init(instrumentationName: "example-sqs-consumer"))
let logger = Logger(label: "example-sqs-consumer")
let pool = ConnectionPool(logger: logger)

var configuration = LambdaLifecycleConfiguration(environment: .process())
configuration.terminationSignal = .serviceGroup
let runtime = LambdaRuntime(configuration: configuration, telemetry: telemetry) { (event: SQSEvent, context: LambdaContext) in
    var failed: [String] = []
    for message in event.records {
        let succeeded = await message.withProcessingSpan { _ in message.body != "fail" }
        if !succeeded {
            failed.append(message.messageId)
        }
    }
    return SQSBatchResponse(failedMessageIDs: failed)
}

var groupConfiguration = ServiceGroupConfiguration(services: [pool, runtime], gracefulShutdownSignals: [.sigterm], logger: logger)
groupConfiguration.maximumGracefulShutdownDuration = .milliseconds(450)
try await ServiceGroup(configuration: groupConfiguration).run()
