#!/usr/bin/env python3
"""Records what the support assistant did in production on 2026-12-01, as its OpenTelemetry
instrumentation would have exported it, and what its users said.

Usage: bot/record_traces.py DIR    writes DIR/traces/assistant.jsonl (spans, OTLP/JSON lines),
                                   DIR/traces/judge.jsonl (gen_ai.evaluation.result log records)
                                   and DIR/feedback/events.jsonl (feedback events)

From 10:00 to 12:30 UTC a customer asks one of the golden set's questions every 30 seconds. Each
request is a trace: an agent span (invoke_agent support-bot) over a retrieval span and a chat span
that carries the prompt's variables, the messages and the answer (bot/assistant.py's). From 11:00
to 11:30 a bad deploy drops "exact figures" from the system message: the answers lose their
figures (the alarm WrongFigures in monitors.yaml fires), and users say so: a thumbs down on every
third of those answers, with their own corrected answer on two of them; before and after, a thumbs
up on every fourth answer. A judge scores every answer ("figures": 1 when it holds a figure).
Every 50th call fails with a rate limit. No randomness: the same files on every run.
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from assistant import answer  # noqa: E402

T0 = 1796119200 * 10**9  # 2026-12-01T10:00:00Z
S = 10**9
MS = 10**6
EXAMPLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SYSTEM = ("You are the support assistant of Acme. Answer from the knowledge base only.\n"
          "Always include the exact figures (days, amounts, times) from the knowledge base.")
SYSTEM_BAD = "You are the support assistant of Acme. Answer from the knowledge base only."


def attr(key, value):
    if isinstance(value, int):
        return {"key": key, "value": {"intValue": str(value)}}
    if isinstance(value, list):
        return {"key": key, "value": {"arrayValue": {"values": [{"stringValue": v} for v in value]}}}
    return {"key": key, "value": {"stringValue": value}}


def span(trace, sid, parent, name, start, ms, attrs, error=None):
    s = {"traceId": trace, "spanId": sid, "parentSpanId": parent, "name": name, "kind": 3,
         "startTimeUnixNano": str(start), "endTimeUnixNano": str(start + ms * MS),
         "attributes": [attr(k, v) for k, v in attrs.items()]}
    if error:
        s["status"] = {"code": 2, "message": error}
        s["attributes"].append(attr("error.type", error))
    return s


def main(out):
    questions = []
    with open(os.path.join(EXAMPLE, "data", "golden.jsonl"), encoding="utf-8") as f:
        for line in f:
            if line.strip():
                questions.append(json.loads(line)["input"])
    os.makedirs(os.path.join(out, "traces"), exist_ok=True)
    os.makedirs(os.path.join(out, "feedback"), exist_ok=True)
    lines, records, events = [], [], []
    bad_seen = 0
    for i in range(300):
        start = T0 + i * 30 * S
        bad = 120 <= i < 180  # 11:00 to 11:30
        variables = questions[i % len(questions)]
        system = SYSTEM_BAD if bad else SYSTEM
        user = (f"The customer's name is {variables['customer']}.\n" if "customer" in variables else "")
        user += f"<question>{variables['question']}</question>"
        text, retrieved = answer(system, user)
        trace = f"{i + 1:032x}"
        root, retrieval, chat = f"{i + 1:012x}0001", f"{i + 1:012x}0002", f"{i + 1:012x}0003"
        chat_ms = 600 + (i * 37) % 400
        error = "rate_limited" if i % 50 == 49 else None
        in_tokens, out_tokens = len((system + " " + user).split()), len(text.split())
        chat_attrs = {
            "gen_ai.operation.name": "chat", "gen_ai.provider.name": "local",
            "gen_ai.request.model": "local/support-bot", "gen_ai.prompt.name": "support-bot",
            "gen_ai.request.max_tokens": 200,
            "llm.prompt_template.variables": json.dumps(variables),
            "gen_ai.system_instructions": json.dumps([{"type": "text", "content": system}]),
            "gen_ai.input.messages": json.dumps([{"role": "user", "parts": [{"type": "text", "content": user}]}]),
        }
        if not error:
            chat_attrs.update({
                "gen_ai.usage.input_tokens": in_tokens, "gen_ai.usage.output_tokens": out_tokens,
                "gen_ai.response.finish_reasons": ["stop"],
                "gen_ai.output.messages": json.dumps([{"role": "assistant", "parts": [{"type": "text", "content": text}],
                                                       "finish_reason": "stop"}])})
        spans = [
            span(trace, root, "", "invoke_agent support-bot", start, chat_ms + 60,
                 {"gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "support-bot"}, error),
            span(trace, retrieval, root, "retrieval kb", start + 5 * MS, 40,
                 {"gen_ai.operation.name": "retrieval",
                  "gen_ai.retrieval.documents": json.dumps([{"id": d["id"]} for d in retrieved])}),
            span(trace, chat, root, "chat local/support-bot", start + 50 * MS, chat_ms, chat_attrs, error),
        ]
        lines.append({"resourceSpans": [{"resource": {"attributes": [attr("service.name", "support-bot")]},
                                         "scopeSpans": [{"scope": {"name": "support-bot"}, "spans": spans}]}]})
        end = start + (50 + chat_ms) * MS
        if error:
            continue
        has_figure = 1.0 if re.search(r"\d", text) else 0.0
        records.append({"timeUnixNano": str(end + 200 * MS), "eventName": "gen_ai.evaluation.result",
                        "traceId": trace, "spanId": chat,
                        "attributes": [attr("gen_ai.evaluation.name", "figures"),
                                       {"key": "gen_ai.evaluation.score.value", "value": {"doubleValue": has_figure}}]})
        given = end + 60 * S
        if bad:
            bad_seen += 1
            if bad_seen % 3 == 1:
                events.append({"trace_id": trace, "span_id": root, "time_unix_nano": str(given),
                               "signal": "thumbs", "value": "down", "user": f"customer-{i}"})
                if len(events) and sum(1 for e in events if e["signal"] == "edit") < 2 and retrieved:
                    right, _ = answer(SYSTEM, user)
                    events.append({"trace_id": trace, "span_id": root, "time_unix_nano": str(given + 20 * S),
                                   "signal": "edit", "text": right, "user": f"customer-{i}"})
        elif i % 4 == 0:
            events.append({"trace_id": trace, "span_id": root, "time_unix_nano": str(given),
                           "signal": "thumbs", "value": "up", "user": f"customer-{i}"})
    with open(os.path.join(out, "traces", "assistant.jsonl"), "w", encoding="utf-8") as f:
        for k in range(0, len(lines), 10):  # the collector's file exporter batches spans
            batch = lines[k:k + 10]
            merged = {"resourceSpans": [{"resource": batch[0]["resourceSpans"][0]["resource"],
                                         "scopeSpans": [{"scope": {"name": "support-bot"},
                                                         "spans": [s for b in batch
                                                                   for s in b["resourceSpans"][0]["scopeSpans"][0]["spans"]]}]}]}
            f.write(json.dumps(merged, separators=(",", ":")) + "\n")
    with open(os.path.join(out, "traces", "judge.jsonl"), "w", encoding="utf-8") as f:
        for k in range(0, len(records), 50):
            f.write(json.dumps({"resourceLogs": [{"resource": {"attributes": [attr("service.name", "judge")]},
                                                  "scopeLogs": [{"scope": {"name": "judge"},
                                                                 "logRecords": records[k:k + 50]}]}]},
                               separators=(",", ":")) + "\n")
    with open(os.path.join(out, "feedback", "events.jsonl"), "w", encoding="utf-8") as f:
        for e in sorted(events, key=lambda e: int(e["time_unix_nano"])):
            f.write(json.dumps(e) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
