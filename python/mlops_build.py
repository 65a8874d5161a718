"""The build backend (PEP 517, PEP 660) of the `mlops` Python module, in the standard library only.

`pip install ./python` must work offline and on a bare interpreter: a backend from PyPI (setuptools
with wheel, flit-core, hatchling) would have to be downloaded into pip's isolated build
environment first. The module is one pure-Python package, so its wheel is a zip of that package
and a dist-info folder (the wheel format, PEP 427); nothing is compiled.
"""

import base64
import hashlib
import io
import os
import tarfile
import zipfile

NAME = "mlops"
VERSION = "0.1.0"
HERE = os.path.dirname(os.path.abspath(__file__))
TAG = "py3-none-any"

METADATA = f"""Metadata-Version: 2.1
Name: {NAME}
Version: {VERSION}
Summary: Log metrics, params and tags to the mlops run a Python program runs in
License: Apache-2.0
Requires-Python: >=3.8

Inside `mlops run -- python3 train.py`: `import mlops`, then `mlops.params()`,
`mlops.log_metric(name, value, step)`, `mlops.log_metrics(dict, step)`, `mlops.log_params(dict)`,
`mlops.set_tag(key, value)`. Standard library only. See docs/runs.md of the mlops repository.
"""

WHEEL = f"""Wheel-Version: 1.0
Generator: mlops_build {VERSION}
Root-Is-Purelib: true
Tag: {TAG}
"""


def _record_line(path, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{path},sha256={digest},{len(data)}"


def _package_files():
    root = os.path.join(HERE, NAME)
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                full = os.path.join(folder, name)
                yield full, os.path.relpath(full, HERE).replace(os.sep, "/")


def _write_wheel(wheel_directory, entries):
    dist_info = f"{NAME}-{VERSION}.dist-info"
    filename = f"{NAME}-{VERSION}-{TAG}.whl"
    record = []
    with zipfile.ZipFile(os.path.join(wheel_directory, filename), "w", zipfile.ZIP_DEFLATED) as wheel:
        def add(path, data):
            wheel.writestr(zipfile.ZipInfo(path, date_time=(2026, 1, 1, 0, 0, 0)), data)
            record.append(_record_line(path, data))
        for path, data in entries:
            add(path, data)
        add(f"{dist_info}/METADATA", METADATA.encode())
        add(f"{dist_info}/WHEEL", WHEEL.encode())
        record.append(f"{dist_info}/RECORD,,")
        wheel.writestr(zipfile.ZipInfo(f"{dist_info}/RECORD", date_time=(2026, 1, 1, 0, 0, 0)),
                       ("\n".join(record) + "\n").encode())
    return filename


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    entries = []
    for full, relative in _package_files():
        with open(full, "rb") as f:
            entries.append((relative, f.read()))
    return _write_wheel(wheel_directory, entries)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    # A .pth file puts this folder on sys.path: edits to the module take effect at once.
    return _write_wheel(wheel_directory, [(f"_{NAME}_editable.pth", (HERE + "\n").encode())])


def build_sdist(sdist_directory, config_settings=None):
    base = f"{NAME}-{VERSION}"
    filename = f"{base}.tar.gz"
    with tarfile.open(os.path.join(sdist_directory, filename), "w:gz", format=tarfile.PAX_FORMAT) as sdist:
        for name in ("pyproject.toml", "mlops_build.py"):
            sdist.add(os.path.join(HERE, name), f"{base}/{name}")
        for full, relative in _package_files():
            sdist.add(full, f"{base}/{relative}")
        info = tarfile.TarInfo(f"{base}/PKG-INFO")
        data = METADATA.encode()
        info.size = len(data)
        sdist.addfile(info, io.BytesIO(data))
    return filename
