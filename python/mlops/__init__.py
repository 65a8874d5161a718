"""Log to the mlops run this program runs in, without starting a process per point.

    import mlops

    params = mlops.params()              # {"lr": "0.1", ...}: the run's params (text, as recorded)
    lr = float(params.get("lr", 0.1))
    for epoch in range(10):
        mlops.log_metric("loss", loss, step=epoch)
    mlops.log_metrics({"acc": 0.93, "f1": 0.88}, step=10)
    mlops.log_params({"layers": 3})
    mlops.set_tag("stage", "smoke")

Inside `mlops run -- python3 train.py`, calls append to the run's stream (the file named by
$MLOPS_RUN_STREAM), which `mlops run` reads into the run as the program goes and once more when it
ends. Inside a run opened with `mlops run start` (no stream, $MLOPS_RUN_ID set), each call runs
`mlops log` instead. Outside any run, every call does nothing, and the first one says so on stderr.

Only the standard library is used. See docs/runs.md, "Logging from Python".
"""

import atexit
import json
import math
import os
import subprocess
import sys
import threading
import time

__all__ = ["params", "log_metric", "log_metrics", "log_params", "set_tag", "set_tags", "run_id", "flush"]
__version__ = "0.1.0"

# Lines are kept in memory and written together (one write per batch, whole lines only, so that
# processes sharing a stream never split each other's lines), at most this many at a time or this
# long after the first unwritten one.
_BATCH_LINES = 4096
_BATCH_SECONDS = 0.5

_lock = threading.Lock()
_pending = []
_pending_since = time.monotonic()
_time = time.time
_monotonic = time.monotonic
_fd = None
_mode = None  # "stream", "command" or "off", decided on first use
_names = {}  # metric name -> its JSON text
_warned = False


def run_id():
    """The id of the run this program runs in, or None outside a run."""
    return os.environ.get("MLOPS_RUN_ID") or None


def params():
    """The run's params, as `mlops run --param K=V` / `--params-file` gave them: a dict of text.

    Empty outside a run. The values are the real ones, even where the run's record holds
    [redacted] for a credential-looking value."""
    text = os.environ.get("MLOPS_PARAMS")
    if not text:
        _mode_now()
        return {}
    value = json.loads(text)
    if not isinstance(value, dict):
        raise ValueError("MLOPS_PARAMS is not a JSON object")
    return {str(k): str(v) for k, v in value.items()}


def log_metric(name, value, step=0):
    """Appends a point to metric `name` at `step` (0 when not given)."""
    if _mode != "stream":
        mode = _mode or _mode_now()
        if mode == "off":
            return
        if mode == "command":
            _command("metric", ["--step", str(int(step))], [str(name), _number_text(float(value))])
            return
    # The hot path: a training loop may call this millions of times.
    key = _names.get(name)
    if key is None:
        key = _names[name] = json.dumps(str(name))
    value = float(value)
    text = repr(value) if value - value == 0.0 else _number_json(value)
    _pending.append('{"metric":%s,"value":%s,"step":%d,"timestamp":%d}\n' % (key, text, step, _time() * 1000))
    if len(_pending) >= _BATCH_LINES or _monotonic() - _pending_since >= _BATCH_SECONDS:
        _maybe_write()


def log_metrics(metrics, step=0):
    """Appends a point to each metric of the dict `metrics`, all at `step`."""
    for name, value in metrics.items():
        log_metric(name, value, step)


def log_params(values):
    """Records params (a dict; values are stored as text). A param logged again with another
    value is refused by mlops, as MLflow does: params describe the run and do not change."""
    mode = _mode or _mode_now()
    if mode == "off" or not values:
        return
    values = {str(k): _text(v) for k, v in values.items()}
    if mode == "command":
        for key, value in values.items():
            _command("param", [], [key, value])
        return
    _append('{"params":%s}\n' % json.dumps(values))


def set_tag(key, value):
    """Sets a tag of the run (a tag may change)."""
    set_tags({key: value})


def set_tags(values):
    """Sets several tags of the run."""
    mode = _mode or _mode_now()
    if mode == "off" or not values:
        return
    values = {str(k): _text(v) for k, v in values.items()}
    if mode == "command":
        for key, value in values.items():
            _command("tag", [], [key, value])
        return
    _append('{"tags":%s}\n' % json.dumps(values))


def flush():
    """Writes what is pending to the run's stream now (done on its own at exit)."""
    with _lock:
        _write_pending()


# --- internals ---

def _mode_now():
    global _mode, _fd, _warned
    with _lock:
        if _mode is not None:
            return _mode
        stream = os.environ.get("MLOPS_RUN_STREAM")
        if stream:
            _fd = os.open(stream, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
            _mode = "stream"
            atexit.register(flush)
            if hasattr(os, "register_at_fork"):
                # A forked child must not write its parent's pending lines a second time.
                os.register_at_fork(before=flush, after_in_child=_forget_pending)
        elif run_id():
            _mode = "command"
        else:
            _mode = "off"
            if not _warned:
                _warned = True
                sys.stderr.write("mlops: warning: not inside 'mlops run': nothing is logged\n"
                                 "hint: run the program with 'mlops run -- python3 ...'\n")
        return _mode


def _append(line):
    _pending.append(line)
    _maybe_write()


def _maybe_write():
    # A batch is written when it is big or old enough (a slow training's points are seen soon).
    global _pending_since
    now = _monotonic()
    if len(_pending) >= _BATCH_LINES or now - _pending_since >= _BATCH_SECONDS:
        with _lock:
            _write_pending()
        _pending_since = now


def _write_pending():
    global _pending
    if not _pending or _fd is None:
        return
    # Swapped, not cleared: another thread may be appending (list appends are atomic).
    lines, _pending = _pending, []
    view = memoryview("".join(lines).encode("utf-8"))
    while view:
        written = os.write(_fd, view)
        view = view[written:]


def _forget_pending():
    global _pending
    _pending = []


def _command(what, options, values):
    # Values after "--": a negative number is a value, not an option.
    argv = [os.environ.get("MLOPS", "mlops"), "log", what, *options, "--run", run_id(), "--", *values]
    subprocess.run(argv, check=True)


def _number_json(value):
    if math.isnan(value):
        return '"NaN"'
    if math.isinf(value):
        return '"Infinity"' if value > 0 else '"-Infinity"'
    return repr(value)


def _number_text(value):
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return repr(value)


def _text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value)
    return str(value)
