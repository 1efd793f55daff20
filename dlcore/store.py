"""Training results as data: one ``.npz`` blob, never a pickle.

The result cache (:mod:`dlcore.cache`) keeps what a training task returns on
disk, in a folder that outlives the process. Unpickling such a file runs
whatever code it names, so results are stored as *data*: a zip of ``.npy``
arrays (``np.savez``, uncompressed) whose ``manifest`` entry is a JSON tree
that describes the value and refers to the arrays by name. Reading never
unpickles (object dtypes are refused), checks every ``.npy`` header against
the entry's size before allocating anything, and checks every node's type,
dtype and shape; anything unexpected raises :class:`FormatError`.

The value domain is exactly what the tasks return: a
:class:`dlcore.train.TaskResult` (or another dataclass passed to
:func:`register`) whose fields hold pandas DataFrames (numeric, bool and
string columns; a ``RangeIndex`` or a numeric/string ``Index``), NumPy arrays
of kinds ``f``/``i``/``u``/``b``, lists, tuples, dicts with ``str`` keys,
``str``/``int``/``float`` (NaN and infinities too)/``bool``/``None`` and NumPy
scalars. :func:`encode` raises ``TypeError`` for anything else.

>>> import numpy as np
>>> value = {"loss": [0.5, float("nan")], "w": np.eye(2, dtype="f4"), "n": 3}
>>> back = decode(encode(value))
>>> back["n"], back["loss"][0], back["w"].dtype, back["w"].shape
(3, 0.5, dtype('float32'), (2, 2))
>>> decode(b"not a result")
Traceback (most recent call last):
...
dlcore.store.FormatError: not an npz blob: File is not a zip file
>>> encode({1: "a non-str key"})
Traceback (most recent call last):
...
TypeError: dict keys must be str, got int
"""

from __future__ import annotations

import dataclasses
import importlib
import io
import json
import math
import re
import sys
import zipfile
from typing import Any

import numpy as np
import pandas as pd

#: Written into every manifest; a blob of another format is refused.
FORMAT = "dlcore.store/1"
#: Nesting depth bound (encode and decode): no recursion bombs, no cycles.
MAX_DEPTH = 64

_ARRAY_KINDS = "fiub"  # array/scalar dtypes of the value domain
_STRING_DTYPES = ("str", "string", "object")  # pandas dtypes of string columns
_MEMBER = re.compile(r"(manifest|a[0-9]{1,9})\.npy")
#: Dataclasses allowed by name before their module is imported (importing
#: :mod:`dlcore.train` imports TensorFlow, which a cache lookup must not need).
_ALLOWED_NAMES = {"dlcore.train:TaskResult"}
_REGISTERED: dict[str, type] = {}


class FormatError(ValueError):
    """A stored blob that is not a result written by :func:`encode`."""


def register(cls: type) -> type:
    """Allow instances of the dataclass ``cls`` in stored values.

    Only ``__init__`` fields are stored; the class is rebuilt by calling it
    with them. Returns ``cls`` (usable as a decorator).
    """
    if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
        raise TypeError(f"only dataclasses can be registered, got {cls!r}")
    if any(not field.init for field in dataclasses.fields(cls)):
        raise TypeError(f"{cls.__qualname__} has fields outside __init__")
    _REGISTERED[_type_name(cls)] = cls
    return cls


def encode(value: Any) -> bytes:
    """``value`` as one ``.npz`` blob (``TypeError`` outside the value domain)."""
    arrays: dict[str, np.ndarray] = {}
    node = _encode(value, arrays, 0)
    manifest = json.dumps(
        {"format": FORMAT, "value": node}, allow_nan=False, separators=(",", ":")
    ).encode()
    buffer = io.BytesIO()
    np.savez(
        buffer,
        allow_pickle=False,
        manifest=np.frombuffer(manifest, dtype=np.uint8),
        **arrays,
    )
    return buffer.getvalue()


def decode(blob: bytes) -> Any:
    """The value :func:`encode` stored in ``blob`` (:class:`FormatError` if not)."""
    if type(blob) is not bytes:
        raise FormatError(f"expected bytes, got {type(blob).__name__}")
    arrays = _read_arrays(blob)
    manifest = arrays.pop("manifest", None)
    if manifest is None or manifest.dtype != np.uint8 or manifest.ndim != 1:
        raise FormatError("no manifest")
    try:
        tree = json.loads(manifest.tobytes().decode("utf-8"), parse_constant=_no_nan)
    except (ValueError, RecursionError) as exc:
        raise FormatError(f"unreadable manifest: {exc}") from None
    if not isinstance(tree, dict) or set(tree) != {"format", "value"}:
        raise FormatError("unexpected manifest")
    if tree["format"] != FORMAT:
        raise FormatError(f"unknown format {tree['format']!r}")
    used: set[str] = set()
    try:
        value = _decode(tree["value"], arrays, used, 0)
    except FormatError:
        raise
    except Exception as exc:  # untrusted input: any failure is a format error
        raise FormatError(f"{type(exc).__name__}: {exc}") from None
    if used != set(arrays):
        raise FormatError(f"unreferenced arrays {sorted(set(arrays) - used)}")
    return value


# --- encoding ------------------------------------------------------------------------


def _encode(value: Any, arrays: dict[str, np.ndarray], depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise TypeError(f"value nested deeper than {MAX_DEPTH} levels (a cycle?)")
    kind = type(value)
    if value is None or kind is bool or kind is int or kind is str:
        return value
    if kind is float:
        return value if math.isfinite(value) else {"$": "float", "v": repr(value)}
    if kind in (list, tuple):
        items = [_encode(item, arrays, depth + 1) for item in value]
        return {"$": kind.__name__, "v": items}
    if kind is dict:
        out = {}
        for key, item in value.items():
            if type(key) is not str:
                raise TypeError(f"dict keys must be str, got {type(key).__name__}")
            out[key] = _encode(item, arrays, depth + 1)
        return {"$": "dict", "v": out}
    if kind is np.ndarray or isinstance(value, np.generic):
        array = np.asarray(value)
        if array.dtype.kind not in _ARRAY_KINDS or array.dtype.names is not None:
            raise TypeError(f"unsupported array dtype {array.dtype}")
        tag = "array" if kind is np.ndarray else "scalar"
        return {"$": tag, "ref": _add(arrays, array), **_meta(array)}
    if kind is pd.DataFrame:
        return _encode_frame(value, arrays)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = _type_name(kind)
        if _allowed(name) is not kind:
            raise TypeError(f"dataclass {name} is not registered with dlcore.store")
        fields = {
            field.name: _encode(getattr(value, field.name), arrays, depth + 1)
            for field in dataclasses.fields(value)
        }
        return {"$": "dataclass", "type": name, "fields": fields}
    raise TypeError(f"cannot store a value of type {kind.__qualname__}")


def _encode_frame(frame: pd.DataFrame, arrays: dict[str, np.ndarray]) -> dict:
    if frame.attrs:
        raise TypeError("DataFrame.attrs cannot be stored")
    data = [_encode_column(frame.iloc[:, j], arrays) for j in range(frame.shape[1])]
    return {
        "$": "frame",
        "index": _encode_index(frame.index, arrays),
        "columns": _encode_index(frame.columns, arrays),
        "data": data,
    }


def _encode_index(index: pd.Index, arrays: dict[str, np.ndarray]) -> dict:
    name = index.name
    if not (name is None or type(name) in (str, int)):
        raise TypeError(f"index names must be str or int, got {type(name).__name__}")
    if type(index) is pd.RangeIndex:
        return {
            "$": "range",
            "start": int(index.start),
            "stop": int(index.stop),
            "step": int(index.step),
            "name": name,
        }
    if type(index) is not pd.Index:
        raise TypeError(f"cannot store a {type(index).__name__}")
    return {"$": "index", "values": _encode_column(index, arrays), "name": name}


def _encode_column(column: pd.Series | pd.Index, arrays: dict[str, np.ndarray]):
    dtype = column.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in _ARRAY_KINDS:
        array = column.to_numpy(copy=True)
        return {"$": "array", "ref": _add(arrays, array), **_meta(array)}
    name = str(dtype)
    if name not in _STRING_DTYPES or not (
        isinstance(dtype, pd.StringDtype) or dtype == np.dtype(object)
    ):
        raise TypeError(f"cannot store a column of dtype {dtype}")
    values = column.to_numpy(dtype=object)
    missing = np.asarray(pd.isna(values), dtype=bool)
    if missing.any() and name == "object":
        raise TypeError("object columns must hold str only (no missing values)")
    texts = []
    for value, absent in zip(values, missing, strict=True):
        if absent:
            texts.append("")
        elif type(value) is not str or value.endswith("\0"):
            raise TypeError(f"cannot store {value!r} in a string column")
        else:
            texts.append(value)
    strings = np.array(texts, dtype=str) if texts else np.zeros(0, dtype="<U1")
    node = {"$": "strings", "ref": _add(arrays, strings), "dtype": name, "mask": None}
    if missing.any():
        node["mask"] = _add(arrays, missing)
    return node


def _add(arrays: dict[str, np.ndarray], array: np.ndarray) -> str:
    ref = f"a{len(arrays)}"
    arrays[ref] = array
    return ref


def _meta(array: np.ndarray) -> dict[str, Any]:
    return {"dtype": array.dtype.str, "shape": list(array.shape)}


# --- decoding ------------------------------------------------------------------------


def _no_nan(token: str) -> Any:
    raise ValueError(f"non-standard JSON constant {token}")


def _read_arrays(blob: bytes) -> dict[str, np.ndarray]:
    """Every ``.npy`` member, headers checked before any data is read."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(blob))
        arrays: dict[str, np.ndarray] = {}
        for info in archive.infolist():
            match = _MEMBER.fullmatch(info.filename)
            if match is None or match.group(1) in arrays:
                raise FormatError(f"unexpected member {info.filename!r}")
            if info.compress_type != zipfile.ZIP_STORED or info.flag_bits & 1:
                raise FormatError(f"compressed or encrypted member {info.filename!r}")
            with archive.open(info) as member:
                arrays[match.group(1)] = _read_npy(member, info.file_size)
        return arrays
    except FormatError:
        raise
    except Exception as exc:  # zipfile/np.lib.format raise many kinds
        raise FormatError(f"not an npz blob: {exc}") from None


def _read_npy(member: Any, size: int) -> np.ndarray:
    version = np.lib.format.read_magic(member)
    if version == (1, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_1_0(member)
    elif version == (2, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_2_0(member)
    else:
        raise FormatError(f"unsupported .npy version {version}")
    if dtype.hasobject or dtype.names is not None or dtype.shape != ():
        raise FormatError(f"refused dtype {dtype}")
    if dtype.kind not in _ARRAY_KINDS + "U":
        raise FormatError(f"refused dtype {dtype}")
    if not all(type(n) is int and n >= 0 for n in shape):
        raise FormatError(f"bad shape {shape}")
    nbytes = math.prod(shape) * dtype.itemsize
    if size - member.tell() != nbytes:
        raise FormatError(f"array of shape {shape} does not match its size")
    data = member.read(nbytes)
    if len(data) != nbytes:
        raise FormatError("truncated array")
    flat = np.frombuffer(data, dtype=dtype).copy()
    return flat.reshape(shape, order="F" if fortran else "C")


def _expect(node: Any, keys: set[str]) -> dict:
    if set(node) != keys:
        raise FormatError(f"node {node.get('$')!r} has keys {sorted(node)}")
    return node


def _decode(node: Any, arrays: dict, used: set[str], depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise FormatError("nested too deeply")
    if node is None or type(node) in (bool, int, str):
        return node
    if type(node) is float:
        if not math.isfinite(node):
            raise FormatError("non-finite float outside a float node")
        return node
    if type(node) is not dict or "$" not in node:
        raise FormatError(f"untagged node of type {type(node).__name__}")
    tag = node["$"]
    if tag == "float":
        text = _expect(node, {"$", "v"})["v"]
        if text not in ("nan", "inf", "-inf"):
            raise FormatError(f"bad float {text!r}")
        return float(text)
    if tag in ("list", "tuple"):
        items = _expect(node, {"$", "v"})["v"]
        if type(items) is not list:
            raise FormatError(f"{tag} without items")
        decoded = [_decode(item, arrays, used, depth + 1) for item in items]
        return decoded if tag == "list" else tuple(decoded)
    if tag == "dict":
        items = _expect(node, {"$", "v"})["v"]
        if type(items) is not dict:
            raise FormatError("dict without items")
        return {k: _decode(v, arrays, used, depth + 1) for k, v in items.items()}
    if tag in ("array", "scalar"):
        array = _take(_expect(node, {"$", "ref", "dtype", "shape"}), arrays, used)
        if array.dtype.kind not in _ARRAY_KINDS:
            raise FormatError(f"refused array dtype {array.dtype}")
        if tag == "scalar":
            if array.shape != ():
                raise FormatError("scalar of non-empty shape")
            return array[()]
        return array
    if tag == "frame":
        return _decode_frame(
            _expect(node, {"$", "index", "columns", "data"}), arrays, used
        )
    if tag == "dataclass":
        _expect(node, {"$", "type", "fields"})
        cls = _allowed(node["type"], load=True)
        if cls is None:
            raise FormatError(f"dataclass {node['type']!r} is not allowed")
        fields = node["fields"]
        names = {field.name for field in dataclasses.fields(cls)}
        if type(fields) is not dict or set(fields) != names:
            raise FormatError(f"{node['type']} fields do not match")
        kwargs = {k: _decode(v, arrays, used, depth + 1) for k, v in fields.items()}
        return cls(**kwargs)
    raise FormatError(f"unknown node {tag!r}")


def _take(node: dict, arrays: dict, used: set[str]) -> np.ndarray:
    ref = node["ref"]
    if type(ref) is not str or ref not in arrays or ref in used:
        raise FormatError(f"bad array reference {ref!r}")
    used.add(ref)
    array = arrays[ref]
    if "shape" in node and (
        node["dtype"] != array.dtype.str or node["shape"] != list(array.shape)
    ):
        raise FormatError(f"array {ref} is not {node['dtype']} {node['shape']}")
    return array


def _decode_frame(node: dict, arrays: dict, used: set[str]) -> pd.DataFrame:
    index = _decode_index(node["index"], arrays, used)
    columns = _decode_index(node["columns"], arrays, used)
    data = node["data"]
    if type(data) is not list or len(data) != len(columns):
        raise FormatError("frame columns do not match their names")
    values = [_decode_column(column, arrays, used) for column in data]
    if any(len(column) != len(index) for column in values):
        raise FormatError("frame column of the wrong length")
    frame = pd.DataFrame(dict(enumerate(values)), index=index)
    frame.columns = columns
    return frame


def _decode_index(node: Any, arrays: dict, used: set[str]) -> pd.Index:
    if type(node) is not dict:
        raise FormatError("bad index")
    name = node.get("name")
    if not (name is None or type(name) in (str, int)):
        raise FormatError("bad index name")
    if node.get("$") == "range":
        bounds = _expect(node, {"$", "start", "stop", "step", "name"})
        start, stop, step = (bounds[k] for k in ("start", "stop", "step"))
        if not all(type(n) is int for n in (start, stop, step)) or step == 0:
            raise FormatError("bad range index")
        return pd.RangeIndex(start, stop, step, name=name)
    if node.get("$") == "index":
        values = _decode_column(
            _expect(node, {"$", "values", "name"})["values"], arrays, used
        )
        return pd.Index(values, name=name)
    raise FormatError("bad index")


def _decode_column(node: Any, arrays: dict, used: set[str]) -> Any:
    if type(node) is not dict:
        raise FormatError("bad column")
    if node.get("$") == "array":
        array = _take(_expect(node, {"$", "ref", "dtype", "shape"}), arrays, used)
        if array.dtype.kind not in _ARRAY_KINDS or array.ndim != 1:
            raise FormatError("bad column array")
        return array
    if node.get("$") != "strings":
        raise FormatError("bad column")
    _expect(node, {"$", "ref", "dtype", "mask"})
    strings = _take(node, arrays, used)
    if strings.dtype.kind != "U" or strings.ndim != 1:
        raise FormatError("bad string column")
    values = strings.astype(object)
    if node["mask"] is not None:
        mask = _take({"ref": node["mask"]}, arrays, used)
        if mask.dtype != np.bool_ or mask.shape != strings.shape:
            raise FormatError("bad string mask")
        values[mask] = None
    dtype = node["dtype"]
    if dtype not in _STRING_DTYPES or (dtype == "object" and node["mask"] is not None):
        raise FormatError(f"bad string dtype {dtype!r}")
    return values if dtype == "object" else pd.array(values, dtype=dtype)


def _type_name(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def _allowed(name: Any, *, load: bool = False) -> type | None:
    """The allow-listed dataclass called ``name`` (imported only if ``load``)."""
    if type(name) is not str:
        return None
    if name in _REGISTERED:
        return _REGISTERED[name]
    if name not in _ALLOWED_NAMES:
        return None
    module, _, qualname = name.partition(":")
    if not load and module not in sys.modules:
        return None
    cls = getattr(importlib.import_module(module), qualname)
    return register(cls)
