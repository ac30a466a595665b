#!/usr/bin/env python3
"""Soak run: RSS of lambda-sim, its sandbox and otlp-receiver over many invocations of the example function.

Starts otlp-receiver and lambda-sim (with example-entity-api as the bootstrap, exporting to the receiver), sends
`--invocations` invocations from `--callers` keep-alive connections, and samples VmRSS of the three processes at
every tenth of the run. Prints one row per sample and, at the end, the change of each RSS from the first sample
(10 %) to the last, which the bounded-memory target wants within ±5 %.

    python3 Benchmarks/soak.py --bin .build/release --invocations 200000
"""
import argparse
import http.client
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def children(pid):
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found += [int(p) for p in f.read().split()]
    except OSError:
        pass
    return found


def request(n):
    """An API Gateway v2 GET /entities/{id}, as the end-to-end tests send."""
    return json.dumps({
        "version": "2.0", "routeKey": "GET /entities/{id}", "rawPath": f"/entities/{n}", "headers": {},
        "pathParameters": {"id": str(n)}, "requestContext": {"http": {"method": "GET", "path": f"/entities/{n}"}},
        "isBase64Encoded": False,
    })


def wait_for_file(path, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if os.path.exists(path) and os.path.getsize(path) > 0:
            return open(path).read().strip()
        time.sleep(0.05)
    raise SystemExit(f"{path} did not appear")


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=".build/release", help="directory of lambda-sim, otlp-receiver, example-entity-api")
    parser.add_argument("--invocations", type=int, default=200_000)
    parser.add_argument("--callers", type=int, default=2, help="concurrent keep-alive callers (and --max-sandboxes)")
    parser.add_argument("--work-ms", default="0", help="EXAMPLE_WORK_MS of the function")
    parser.add_argument("--strategy", default="extension-gated", help="OTEL_LAMBDA_FLUSH_STRATEGY")
    parser.add_argument("--max-tracked-spans", type=int, default=1 << 20, help="otlp-receiver --max-tracked-spans")
    parser.add_argument("--retained-detail", type=int, default=10_000, help="lambda-sim --retained-detail")
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="soak-")
    port_file = os.path.join(scratch, "receiver.port")
    receiver = subprocess.Popen(
        [os.path.join(args.bin, "otlp-receiver"), "--port", "0", "--port-file", port_file,
         "--summary", os.path.join(scratch, "receiver.json"), "--max-tracked-spans", str(args.max_tracked_spans)],
        stdout=subprocess.DEVNULL)
    receiver_port = wait_for_file(port_file)
    sim_port = free_port()
    report_path = os.path.join(scratch, "report.json")
    simulator = subprocess.Popen(
        [os.path.join(args.bin, "lambda-sim"), "--bootstrap", os.path.join(args.bin, "example-entity-api"),
         "--port", str(sim_port), "--max-sandboxes", str(args.callers), "--report", report_path,
         "--sandbox-log", os.devnull, "--retained-detail", str(args.retained_detail),
         "--env", f"OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:{receiver_port}",
         "--env", f"OTEL_LAMBDA_FLUSH_STRATEGY={args.strategy}",
         "--env", f"EXAMPLE_WORK_MS={args.work_ms}", "--env", "OTEL_SERVICE_NAME=entity-api",
         "--env", "OTEL_LAMBDA_LOG_FLUSH_EVENTS=true"],
        stdout=subprocess.DEVNULL)

    path = "/2015-03-31/functions/function/invocations"
    lock = threading.Lock()
    state = {"sent": 0, "failed": 0}

    def caller():
        connection = None
        while True:
            with lock:
                if state["sent"] >= args.invocations:
                    return
                state["sent"] += 1
                n = state["sent"]
            for attempt in range(50):
                try:
                    if connection is None:
                        connection = http.client.HTTPConnection("127.0.0.1", sim_port, timeout=60)
                    connection.request("POST", path, body=request(n))
                    response = connection.getresponse()
                    response.read()
                    if response.status != 200:
                        with lock:
                            state["failed"] += 1
                    break
                except (ConnectionError, OSError, http.client.HTTPException):
                    connection = None
                    time.sleep(0.1)

    threads = [threading.Thread(target=caller, daemon=True) for _ in range(args.callers)]
    start = time.time()
    for thread in threads:
        thread.start()

    samples = []
    step = max(1, args.invocations // 10)
    next_sample = step
    print("invocations  seconds  lambda-sim KiB  sandboxes KiB  receiver KiB", flush=True)
    while any(t.is_alive() for t in threads) or next_sample <= args.invocations:
        with lock:
            sent = state["sent"]
        if sent >= next_sample or not any(t.is_alive() for t in threads):
            sandboxes = sum(rss_kib(p) or 0 for p in children(simulator.pid))
            row = (next_sample, time.time() - start, rss_kib(simulator.pid), sandboxes, rss_kib(receiver.pid))
            samples.append(row)
            print("%11d  %7.0f  %14s  %13s  %12s" % row, flush=True)
            next_sample += step
        else:
            time.sleep(0.2)
    for thread in threads:
        thread.join()

    simulator.send_signal(signal.SIGTERM)
    simulator.wait(timeout=60)
    receiver.send_signal(signal.SIGTERM)
    receiver.wait(timeout=60)
    report = json.load(open(report_path))
    received = json.load(open(os.path.join(scratch, "receiver.json")))
    print("summary:", json.dumps(report["summary"]), "omitted:", json.dumps(report.get("omitted")))
    print("receiver: items", received["traces"]["items"], "distinct", received["traces"]["distinctItems"],
          "duplicates", received["traces"]["duplicateItems"], "forgotten", received["traces"].get("forgottenIdentities"))
    print("failed invocations:", state["failed"])
    if len(samples) >= 2:
        first, last = samples[0], samples[-1]
        for index, name in [(2, "lambda-sim"), (3, "sandboxes"), (4, "otlp-receiver")]:
            if first[index] and last[index]:
                print(f"{name}: {first[index]} KiB at {first[0]} -> {last[index]} KiB at {last[0]} "
                      f"({(last[index] - first[index]) * 100.0 / first[index]:+.1f} %)")


if __name__ == "__main__":
    sys.exit(main())
