import LambdaLifecycle
import OTLPHTTP

// example-sqs-consumer: the bootstrap of a provided.al2023 function fed by an SQS event source mapping. Each message
// is processed in its own span (a child of the batch's consumer span, linked to the message's sender); a message
// whose body is "fail" is reported back to SQS as a batch item failure, so only it is retried.

let telemetry = OTLPTelemetry.bootstrap(.init(instrumentationName: "example-sqs-consumer"))

await LambdaRuntime(telemetry: telemetry) { (event: SQSEvent, context: LambdaContext) in
    var failed: [String] = []
    for message in event.records {
        let succeeded = await message.withProcessingSpan { _ in message.body != "fail" }
        if !succeeded {
            failed.append(message.messageId)
        }
    }
    return SQSBatchResponse(failedMessageIDs: failed)
}.run()
