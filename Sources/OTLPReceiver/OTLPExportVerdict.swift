import NIOHTTP1
import OTLPProto

/// The answer step of an export request: from what the decode step made of its body and the fault plan of its
/// ordinal, the answer, the items to count when it goes out, the faults applied and the counters it moves. Pure:
/// the handler applies it.
///
/// A fault that answers without looking at the body (drop, failure) wins over a refused body; garbage and partial
/// success apply only to a body that decoded.
struct OTLPExportVerdict {
    /// Items to count when the answer goes out.
    struct Count {
        var contents: OTLPDecodedRequest
        /// How many of the last items the answer rejects (partial success).
        var rejected: Int
    }

    var answer: OTLPAnswer
    var count: Count?
    /// The faults applied, in the order the request record lists them (`stall` first).
    var faults: [String]
    /// The counters this outcome moves, besides the request, byte and stall counts every request moves.
    var tally: (inout ReceiverSummary) -> Void

    static func decide(_ signal: OTLPSignal, decoding: OTLPExportDecoding, plan: FaultPlan) -> OTLPExportVerdict {
        var verdict: OTLPExportVerdict
        let contents = decoding.contents
        let refused = decoding.failure
        switch plan.action {
        case .drop:
            verdict = OTLPExportVerdict(answer: .close, count: nil, faults: ["drop"]) {
                $0.faults.dropped += 1
                $0[signal].failedRequests += 1
            }
        case .failure(let failure):
            var headers: [(String, String)] = []
            if let retryAfter = failure.retryAfterSeconds { headers.append(("Retry-After", String(retryAfter))) }
            let answer = OTLPAnswer.status(
                HTTPResponseStatus(statusCode: failure.status),
                code: OTLPAnswer.rpcCode(forHTTPStatus: failure.status),
                failure.message,
                headers: headers
            )
            verdict = OTLPExportVerdict(answer: answer, count: nil, faults: ["failure"]) {
                $0.faults.failed += 1
                $0[signal].failedRequests += 1
            }
        case .garbage(let kind) where refused == nil:
            verdict = OTLPExportVerdict(
                answer: .garbage(kind), count: contents.map { Count(contents: $0, rejected: 0) }, faults: ["garbage"]
            ) { $0.faults.garbage += 1 }
        case .partialSuccess(let partial) where refused == nil:
            verdict = OTLPExportVerdict(
                answer: .exported(signal, partialSuccess: OTLPPartialSuccess(rejected: partial.rejected, errorMessage: partial.message)),
                count: contents.map { Count(contents: $0, rejected: Int(clamping: partial.rejected)) },
                faults: ["partial-success"]
            ) { $0.faults.partialSuccess += 1 }
        case .none, .garbage, .partialSuccess:
            if let refused {
                verdict = OTLPExportVerdict(answer: .refused(refused), count: nil, faults: []) {
                    if case .decompressedTooLarge = refused {
                        $0[signal].rejectedRequests += 1
                    } else {
                        $0[signal].malformedRequests += 1
                    }
                }
            } else {
                verdict = OTLPExportVerdict(
                    answer: .exported(signal, partialSuccess: nil), count: contents.map { Count(contents: $0, rejected: 0) },
                    faults: []
                ) { _ in }
            }
        }
        if plan.stall != nil { verdict.faults.insert("stall", at: 0) }
        return verdict
    }
}
