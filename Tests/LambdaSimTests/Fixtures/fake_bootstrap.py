#!/usr/bin/env python3
"""A fake Lambda bootstrap for lambda-sim's tests (Python 3 stdlib only).

Behaviour from the environment:
  FAKE_EXTENSIONS=N     register N internal extensions (fake-ext-0..N-1, events INVOKE) before the first next
  FAKE_EXT_MODE=gated   (default) an extension calls next only after the response is posted and its flush is done
  FAKE_EXT_MODE=early   an extension calls next as soon as it gets INVOKE and flushes in the background (the bug)
  FAKE_FLUSH_MS=N       an extension's flush: print flush.start, sleep N ms, print flush.end
  FAKE_SIGTERM_FILE=P   on SIGTERM: write "sigterm" to P, print a final flush (requestId "shutdown"), exit 0
  FAKE_TICK_FILE=P      a background thread appends a timestamp line to P every 20 ms
  FAKE_PID_FILE=P       write the process id to P at start
  FAKE_INIT_ERROR=T     post /runtime/init/error with error type T and exit 1
  FAKE_INIT_MS=N        sleep N ms before the first next (a slow Init phase)
  FAKE_PROBE_FILE=P     conformance probe: exercise the APIs' error answers, write observations as JSON to P
And from each invocation's payload (a JSON object with "fake"); anything else is echoed:
  {"fake":"sleep","ms":N}   sleep N ms, then respond {"slept":N}
  {"fake":"hang"}           never respond
  {"fake":"error"}          post /error (errorType Fake.Failure)
  {"fake":"describe"}       respond with the Lambda environment variables and the headers of next
  {"fake":"big"}            respond with 6 MiB + 101 bytes
  {"fake":"exit"}           exit 3 without responding
"""
import http.client
import json
import os
import signal
import sys
import threading
import time

HOST, PORT = os.environ["AWS_LAMBDA_RUNTIME_API"].split(":")
RUNTIME = "/2018-06-01/runtime"
EXTENSION = "/2020-01-01/extension"
PROBES = {}
PROBE_FILE = os.environ.get("FAKE_PROBE_FILE")
responded = {}  # request id -> threading.Event, set once the runtime posted its response
responded_lock = threading.Lock()


def call(method, path, body=None, headers=None):
    connection = http.client.HTTPConnection(HOST, int(PORT))  # no timeout: next may be frozen for long
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    result = response.status, {k.lower(): v for k, v in response.getheaders()}, data
    connection.close()
    return result


def probe(name, result):
    """Records status and errorType of an answer for the conformance test."""
    status, headers, data = result
    entry = {"status": status}
    try:
        document = json.loads(data)
        if isinstance(document, dict):
            entry.update({k: v for k, v in document.items() if k in ("errorType", "functionName", "functionVersion", "handler")})
    except ValueError:
        pass
    record(name, entry)


def record(name, entry):
    PROBES[name] = entry
    if PROBE_FILE:
        with open(PROBE_FILE + ".tmp", "w") as out:
            json.dump(PROBES, out)
        os.replace(PROBE_FILE + ".tmp", PROBE_FILE)


def spawn(target, *args):
    """Starts a daemon thread that blocks SIGTERM, so the signal reaches the main thread (which runs Python handlers)."""
    def run():
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
        target(*args)
    threading.Thread(target=run, daemon=True).start()


def log(event):
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


def responded_event(request_id):
    with responded_lock:
        return responded.setdefault(request_id, threading.Event())


def flush(request_id):
    milliseconds = int(os.environ.get("FAKE_FLUSH_MS", "0"))
    if milliseconds <= 0:
        return
    log({"event": "otel.lambda.flush.start", "requestId": request_id})
    time.sleep(milliseconds / 1000)
    sys.stdout.write('{ "durationMs": %d, "outcome" : "ok", "requestId":"%s",  "event": "otel.lambda.flush.end" }\n' % (milliseconds, request_id))
    sys.stdout.flush()


def register(name, events):
    return call("POST", EXTENSION + "/register", json.dumps({"events": events}), {"Lambda-Extension-Name": name})


def extension_loop(identifier):
    mode = os.environ.get("FAKE_EXT_MODE", "gated")
    while True:
        status, headers, data = call("GET", EXTENSION + "/event/next", headers={"Lambda-Extension-Identifier": identifier})
        if status != 200:
            return
        event = json.loads(data)
        request_id = event["requestId"]

        def work():
            responded_event(request_id).wait()
            flush(request_id)

        if mode == "early":
            spawn(work)
        else:
            work()


def on_sigterm(signum, frame):
    with open(os.environ["FAKE_SIGTERM_FILE"], "w") as out:
        out.write("sigterm\n")
    log({"event": "otel.lambda.flush.start", "requestId": "shutdown"})
    log({"event": "otel.lambda.flush.end", "requestId": "shutdown", "outcome": "ok", "durationMs": 0})
    os._exit(0)


def tick(path):
    while True:
        with open(path, "a") as out:
            out.write("%f\n" % time.time())
        time.sleep(0.02)


def run_probe_before_next():
    probe("register_empty_name", call("POST", EXTENSION + "/register", json.dumps({"events": ["INVOKE"]}), {"Lambda-Extension-Name": ""}))
    probe("register_shutdown", register("probe-shutdown", ["INVOKE", "SHUTDOWN"]))
    probe("register_bad_body", call("POST", EXTENSION + "/register", b"not json", {"Lambda-Extension-Name": "probe-bad"}))
    first = register("probe-0", ["INVOKE"])
    probe("register_ok", first)
    probe("register_duplicate", register("probe-0", ["INVOKE"]))
    identifiers = [first[1]["lambda-extension-identifier"]]
    for index in range(1, 10):
        result = register("probe-%d" % index, [])
        identifiers.append(result[1]["lambda-extension-identifier"])
    probe("register_tenth", result)
    probe("register_eleventh", register("probe-10", []))
    probe("next_unknown_identifier", call("GET", EXTENSION + "/event/next", headers={"Lambda-Extension-Identifier": "nope"}))
    probe("init_error_missing_header", call("POST", EXTENSION + "/init/error", b"{}", {"Lambda-Extension-Identifier": identifiers[0]}))
    probe("exit_error_missing_header", call("POST", EXTENSION + "/exit/error", b"{}", {"Lambda-Extension-Identifier": identifiers[0]}))
    probe("exit_error_unknown_identifier", call("POST", EXTENSION + "/exit/error", b"{}", {"Lambda-Extension-Identifier": "nope", "Lambda-Extension-Function-Error-Type": "Extension.Probe"}))
    probe("exit_error_ok", call("POST", EXTENSION + "/exit/error", b"{}", {"Lambda-Extension-Identifier": identifiers[9], "Lambda-Extension-Function-Error-Type": "Extension.Probe"}))
    probe("unknown_path", call("GET", "/2018-06-01/runtime/nothing"))
    probe("wrong_method", call("GET", RUNTIME + "/init/error"))
    probe("response_before_invoke", call("POST", RUNTIME + "/invocation/nope/response", b"{}"))
    spawn(extension_loop, identifiers[0])
    for identifier in identifiers[1:]:
        spawn(call, "GET", EXTENSION + "/event/next", None, {"Lambda-Extension-Identifier": identifier})


def handle(request_id, headers, payload):
    """Returns (path suffix, body, extra headers) to post, or None to post nothing."""
    try:
        command = json.loads(payload)
    except ValueError:
        command = None
    action = command.get("fake") if isinstance(command, dict) else None
    if action == "sleep":
        time.sleep(command["ms"] / 1000)
        return "response", json.dumps({"slept": command["ms"]}).encode(), {}
    if action == "hang":
        threading.Event().wait()
    if action == "exit":
        os._exit(3)
    if action == "error":
        body = json.dumps({"errorType": "Fake.Failure", "errorMessage": "asked to fail"}).encode()
        return "error", body, {"Lambda-Runtime-Function-Error-Type": "Fake.Failure"}
    if action == "big":
        return "response", b"x" * (6 * 1024 * 1024 + 101), {}
    if action == "describe":
        names = [k for k in os.environ if k.startswith(("AWS_", "LAMBDA_", "_HANDLER", "TZ", "FAKE_CUSTOM"))]
        body = {"env": {k: os.environ[k] for k in names}, "headers": headers, "pgid": os.getpgid(0), "pid": os.getpid()}
        return "response", json.dumps(body).encode(), {}
    return "response", payload, {}


def main():
    if os.environ.get("FAKE_PID_FILE"):
        with open(os.environ["FAKE_PID_FILE"], "w") as out:
            out.write(str(os.getpid()))
    if os.environ.get("FAKE_SIGTERM_FILE"):
        signal.signal(signal.SIGTERM, on_sigterm)
    if os.environ.get("FAKE_TICK_FILE"):
        spawn(tick, os.environ["FAKE_TICK_FILE"])
    if os.environ.get("FAKE_INIT_ERROR"):
        error_type = os.environ["FAKE_INIT_ERROR"]
        body = json.dumps({"errorType": error_type, "errorMessage": "fake init failure"}).encode()
        call("POST", RUNTIME + "/init/error", body, {"Lambda-Runtime-Function-Error-Type": error_type})
        sys.exit(1)
    if PROBE_FILE:
        run_probe_before_next()
    for index in range(int(os.environ.get("FAKE_EXTENSIONS", "0"))):
        status, headers, _ = register("fake-ext-%d" % index, ["INVOKE"])
        spawn(extension_loop, headers["lambda-extension-identifier"])
    time.sleep(int(os.environ.get("FAKE_INIT_MS", "0")) / 1000)
    invocation = 0
    while True:
        status, headers, payload = call("GET", RUNTIME + "/invocation/next")
        if status != 200:
            sys.exit(2)
        invocation += 1
        request_id = headers["lambda-runtime-aws-request-id"]
        if PROBE_FILE and invocation == 1:
            probe("register_after_next", register("probe-late", ["INVOKE"]))
            record("next_headers", {"status": status, "headers": headers})
            probe("response_unknown_id", call("POST", RUNTIME + "/invocation/nope/response", b"{}"))
            probe("init_error_after_next", call("POST", RUNTIME + "/init/error", b"{}"))
        posted = handle(request_id, headers, payload)
        if posted is not None:
            kind, body, extra = posted
            result = call("POST", "%s/invocation/%s/%s" % (RUNTIME, request_id, kind), body, extra)
            if PROBE_FILE:
                probe("%s_%d" % (kind, invocation), result)
                probe("second_response_%d" % invocation, call("POST", "%s/invocation/%s/response" % (RUNTIME, request_id), b"{}"))
                probe("second_error_%d" % invocation, call("POST", "%s/invocation/%s/error" % (RUNTIME, request_id), b"{}"))
        responded_event(request_id).set()


if __name__ == "__main__":
    main()
