#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOCore
import NIOHTTP1

/// The Runtime API (2018-06-01) and Extensions API (2020-01-01) of one sandbox, as
/// `shared/docs/lambda-and-otlp-contract.md` §1–2 describes them.
extension SimulatorCore {
    func handleSandboxAPI(sandbox id: Int, _ request: SimHTTPRequest, _ responder: SimHTTPResponder) {
        guard let sandbox = sandbox(id), sandbox.phase != .ending else {
            responder.respond(.internalServerError, body: APIError("Sandbox.Ending", "this sandbox is being shut down; exit").json)
            return
        }
        let path = request.path.split(separator: "/").map(String.init)
        if request.method == .POST, path.count == 5, path[0...2] == ["2018-06-01", "runtime", "invocation"] {
            switch path[4] {
            case "response": return runtimeResponse(sandbox, requestID: path[3], request, responder)
            case "error": return runtimeError(sandbox, requestID: path[3], request, responder)
            default: break
            }
        }
        switch (request.method, path.joined(separator: "/")) {
        case (.GET, "2018-06-01/runtime/invocation/next"):
            runtimeNext(sandbox, responder)
        case (.POST, "2018-06-01/runtime/init/error"):
            runtimeInitError(sandbox, request, responder)
        case (.POST, "2020-01-01/extension/register"):
            registerExtension(sandbox, request, responder)
        case (.GET, "2020-01-01/extension/event/next"):
            extensionNext(sandbox, request, responder)
        case (.POST, "2020-01-01/extension/init/error"):
            extensionError(sandbox, request, responder, duringInit: true)
        case (.POST, "2020-01-01/extension/exit/error"):
            extensionError(sandbox, request, responder, duringInit: false)
        default:
            responder.respond(.notFound, body: APIError("NotFound", "no route for \(request.method) \(request.path)").json)
        }
    }

    private static let accepted = Array(#"{"status":"OK"}"#.utf8)

    private static func forbidden(_ responder: SimHTTPResponder, _ type: String, _ message: String) {
        responder.respond(.forbidden, body: APIError(type, message).json)
    }

    // MARK: Runtime API

    private func runtimeNext(_ sandbox: Sandbox, _ responder: SimHTTPResponder) {
        guard sandbox.runtimeNext == nil else {
            Self.forbidden(responder, "InvalidStateTransition", "the runtime already has a next call pending")
            return
        }
        switch sandbox.phase {
        case .initializing:
            sandbox.registrationClosed = true
            sandbox.runtimeNext = responder
            finishInitIfDone(sandbox)
        case .invoking:
            guard let invocation = sandbox.current, invocation.responded else {
                Self.forbidden(responder, "InvalidStateTransition", "next before a response or error for the current invocation")
                return
            }
            sandbox.runtimeNext = responder
            invocation.timeline.runtimeNextMs = now
            endInvokePhaseIfDone(sandbox)
        case .idle, .ending:
            Self.forbidden(responder, "InvalidStateTransition", "next in the wrong state")
        }
    }

    /// The current invocation if `requestID` names it; otherwise answers 400 `InvalidRequestID`.
    private func currentInvocation(_ sandbox: Sandbox, _ requestID: String, _ responder: SimHTTPResponder) -> Invocation? {
        guard sandbox.phase == .invoking, let invocation = sandbox.current, invocation.requestID == requestID else {
            responder.respond(.badRequest, body: APIError("InvalidRequestID", "Invalid request ID: \(requestID)").json)
            return nil
        }
        guard !invocation.responded else {
            Self.forbidden(responder, "InvalidStateTransition", "a response or error was already posted for \(requestID)")
            return nil
        }
        return invocation
    }

    private func runtimeResponse(_ sandbox: Sandbox, requestID: String, _ request: SimHTTPRequest, _ responder: SimHTTPResponder) {
        guard let invocation = currentInvocation(sandbox, requestID, responder) else { return }
        invocation.responded = true
        invocation.timeline.responsePostedMs = now
        if request.bodySize > Self.maxResponseBytes {
            let limit = Self.maxResponseBytes
            responder.respond(
                .payloadTooLarge,
                body: APIError("RequestEntityTooLarge", "Exceeded maximum allowed payload size (\(limit) bytes).").json
            )
            let error = APIError(
                "Function.ResponseSizeTooLarge",
                "Response payload size (\(request.bodySize) bytes) exceeded maximum allowed payload size (\(limit) bytes)."
            )
            failInvocation(invocation, body: error.json, errorType: error.errorType)
        } else {
            responder.respond(.accepted, body: Self.accepted)
            if invocation.timeline.status == .incomplete { invocation.timeline.status = .ok }
            let contentType = request.header("Content-Type") ?? "application/json"
            invocation.answerCaller(
                LambdaSimResponse(status: 200, headers: [("Content-Type", contentType)], body: Array(buffer: request.body)),
                atMs: now
            )
        }
        endInvokePhaseIfDone(sandbox)
    }

    private func runtimeError(_ sandbox: Sandbox, requestID: String, _ request: SimHTTPRequest, _ responder: SimHTTPResponder) {
        guard let invocation = currentInvocation(sandbox, requestID, responder) else { return }
        invocation.responded = true
        invocation.timeline.errorPostedMs = now
        responder.respond(.accepted, body: Self.accepted)
        let (body, errorType) = Self.errorDocument(request, headerName: "Lambda-Runtime-Function-Error-Type")
        failInvocation(invocation, body: body, errorType: errorType)
        endInvokePhaseIfDone(sandbox)
    }

    private func runtimeInitError(_ sandbox: Sandbox, _ request: SimHTTPRequest, _ responder: SimHTTPResponder) {
        guard sandbox.phase == .initializing, sandbox.runtimeNext == nil else {
            Self.forbidden(responder, "InvalidStateTransition", "init/error is only accepted during init, before next")
            return
        }
        responder.respond(.accepted, body: Self.accepted)
        let (body, errorType) = Self.errorDocument(request, headerName: "Lambda-Runtime-Function-Error-Type")
        if let invocation = sandbox.assigned {
            invocation.timeline.errorPostedMs = now
            failInvocation(invocation, body: body, errorType: errorType)
        }
        endSandbox(sandbox, reason: "initError")
    }

    /// The body of an error post, or one built from the error-type header when the body is missing or not JSON.
    private static func errorDocument(_ request: SimHTTPRequest, headerName: String) -> (body: [UInt8], errorType: String?) {
        let headerType = request.header(headerName)
        if let document = JSON.decode(APIError.self, from: request.body.readableBytesView) {
            return (Array(buffer: request.body), document.errorType)
        }
        let error = APIError(headerType ?? "Unhandled", String(buffer: request.body))
        return (error.json, error.errorType)
    }

    // MARK: Extensions API

    private struct Registration: Decodable {
        var events: [String]
    }

    private struct RegisterAnswer: Encodable {
        var functionName: String
        var functionVersion: String
        var handler: String
        var accountId: String?
    }

    private func registerExtension(_ sandbox: Sandbox, _ request: SimHTTPRequest, _ responder: SimHTTPResponder) {
        guard let name = request.header("Lambda-Extension-Name") else {
            Self.forbidden(responder, "Extension.InvalidExtensionName", "Lambda-Extension-Name is missing or empty")
            return
        }
        guard let registration = JSON.decode(Registration.self, from: request.body.readableBytesView) else {
            Self.forbidden(responder, "InvalidRequestFormat", #"the body is not {"events": [...]}"#)
            return
        }
        if let event = registration.events.first(where: { $0 != "INVOKE" }) {
            let reason = event == "SHUTDOWN" ? "internal extensions cannot register for SHUTDOWN" : "unknown event \(event)"
            Self.forbidden(responder, "Extension.InvalidEventType", reason)
            return
        }
        guard !sandbox.registrationClosed, sandbox.phase == .initializing else {
            Self.forbidden(responder, "Extension.RegistrationClosed", "registration closed at the runtime's first next")
            return
        }
        guard !sandbox.extensions.contains(where: { $0.name == name }) else {
            Self.forbidden(responder, "Extension.InvalidExtensionState", "an extension named \(name) is already registered")
            return
        }
        guard sandbox.extensions.count < Sandbox.maxExtensions else {
            Self.forbidden(responder, "Extension.TooManyExtensions", "at most \(Sandbox.maxExtensions) extensions")
            return
        }
        let identifier = UUID().uuidString.lowercased()
        sandbox.extensions.append(.init(identifier: identifier, name: name, subscribesToInvoke: registration.events.contains("INVOKE")))
        sandbox.record.extensions.append(name)
        let features = request.header("Lambda-Extension-Accept-Feature")?.split(separator: ",").map { String($0.filter { $0 != " " }) } ?? []
        let answer = RegisterAnswer(
            functionName: configuration.functionName,
            functionVersion: configuration.functionVersion,
            handler: configuration.handler,
            accountId: features.contains("accountId") ? "123456789012" : nil
        )
        responder.respond(.ok, headers: [("Lambda-Extension-Identifier", identifier)], body: JSON.encode(answer))
    }

    /// The extension named by `Lambda-Extension-Identifier`; otherwise answers 403 `Extension.UnknownExtensionIdentifier`.
    private func identifiedExtension(_ sandbox: Sandbox, _ request: SimHTTPRequest, _ responder: SimHTTPResponder) -> Sandbox.Extension? {
        guard let ext = sandbox.extensionWith(identifier: request.header("Lambda-Extension-Identifier")) else {
            Self.forbidden(responder, "Extension.UnknownExtensionIdentifier", "unknown or missing Lambda-Extension-Identifier")
            return nil
        }
        return ext
    }

    private func extensionNext(_ sandbox: Sandbox, _ request: SimHTTPRequest, _ responder: SimHTTPResponder) {
        guard let ext = identifiedExtension(sandbox, request, responder) else { return }
        guard ext.pendingNext == nil else {
            Self.forbidden(responder, "InvalidStateTransition", "this extension already has a next call pending")
            return
        }
        ext.calledNext = true
        switch sandbox.phase {
        case .initializing:
            ext.pendingNext = responder
            finishInitIfDone(sandbox)
        case .invoking:
            guard let invocation = sandbox.current else { return }
            if invocation.extensionsOwedEvent.remove(ext.identifier) != nil {
                sendInvokeEvent(invocation, to: responder)
                return
            }
            ext.pendingNext = responder
            if invocation.extensionsPending.remove(ext.identifier) != nil {
                invocation.timeline.lastExtensionNextMs = now
                endInvokePhaseIfDone(sandbox)
            }
        case .idle, .ending:
            ext.pendingNext = responder
        }
    }

    private func extensionError(_ sandbox: Sandbox, _ request: SimHTTPRequest, _ responder: SimHTTPResponder, duringInit: Bool) {
        guard identifiedExtension(sandbox, request, responder) != nil else { return }
        guard let errorType = request.header("Lambda-Extension-Function-Error-Type") else {
            Self.forbidden(responder, "Extension.MissingHeader", "Lambda-Extension-Function-Error-Type is required")
            return
        }
        responder.respond(.accepted, body: Self.accepted)
        guard duringInit, sandbox.phase == .initializing else { return }
        // An extension's init failure restarts the execution environment; the waiting invocation gets the error.
        if let invocation = sandbox.assigned {
            let error = APIError(errorType, "an extension failed to initialize")
            failInvocation(invocation, body: error.json, errorType: errorType)
        }
        endSandbox(sandbox, reason: "initError")
    }
}
