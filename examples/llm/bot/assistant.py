#!/usr/bin/env python3
"""A deterministic stand-in for an LLM behind a retriever: the example's "model".

Reads the rendered prompt on stdin (chat messages as JSON, or plain text), retrieves the
knowledge-base documents whose keywords the question mentions (kb/*.md), and answers with the
best document's sentence. Like a real model it follows the instructions it is given, in its own
small way: without "exact figures" in the system message it paraphrases vaguely, without the
figures. Prints the JSON that `mlops eval run` reads: output, usage, cost, retrieved_ids.
No network, no randomness: the same prompt always gets the same answer.
"""
import json
import os
import re
import sys

KB = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "kb")


def load_kb():
    docs = []
    for name in sorted(os.listdir(KB)):
        lines = open(os.path.join(KB, name), encoding="utf-8").read().splitlines()
        keywords = [k.strip() for k in lines[1].split(":", 1)[1].split(",")]
        docs.append({"id": name[:-3], "title": lines[0].lstrip("# "), "keywords": keywords, "answer": lines[2]})
    return docs


def answer(system, user, top_k=3):
    """The answer to a chat's system and user text, and the documents retrieved for it."""
    match = re.search(r"<question>(.*?)</question>", user, re.S)
    question = (match.group(1) if match else user).lower()
    scored = []
    for doc in load_kb():
        hits = sum(1 for k in doc["keywords"] if re.search(r"\b" + re.escape(k) + r"\b", question))
        if hits:
            scored.append((-hits, doc["id"], doc))
    scored.sort(key=lambda item: (item[0], item[1]))
    retrieved = [doc for _, _, doc in scored[:top_k]]

    if not retrieved:
        text = "I am sorry, I can only help with questions about Acme's services."
    elif "exact figures" in system:
        text = retrieved[0]["answer"]
    else:
        text = f"Please see our {retrieved[0]['title'].lower()} page for the details."
    name = re.search(r"The customer's name is (\w+)", user)
    if name:
        text = f"Hi {name.group(1)}, " + text[0].lower() + text[1:]
    return text, retrieved


def main():
    prompt = sys.stdin.read()
    try:
        messages = json.loads(prompt)["messages"]
    except (ValueError, KeyError, TypeError):
        messages = [{"role": "user", "content": prompt}]
    system = " ".join(m["content"] for m in messages if m["role"] == "system")
    user = " ".join(m["content"] for m in messages if m["role"] == "user")
    config = json.loads(os.environ.get("MLOPS_PROVIDER_CONFIG") or "{}")
    text, retrieved = answer(system, user, int(config.get("top_k", 3)))

    words = len(prompt.split())
    out_words = len(text.split())
    print(json.dumps({
        "output": text,
        "usage": {"prompt_tokens": words, "completion_tokens": out_words},
        "cost": round((words * 0.5 + out_words * 1.5) / 1e6, 9),
        "retrieved_ids": [doc["id"] for doc in retrieved],
    }))


if __name__ == "__main__":
    main()
