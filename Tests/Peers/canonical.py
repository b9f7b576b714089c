"""Canonical comparison of values between pyarrow and Tarn's JSON-lines output.

Tarn writes one JSON object per row (see docs on `tarn parquet cat --format json`):
timestamps as ISO-8601 strings with microseconds ('Z' when UTC), dates as
'YYYY-MM-DD', binary as base64, NaN/±Infinity as strings, decimals as text or
numbers, maps as objects (string keys) or arrays of {key, value}. This module turns
both sides into comparable Python values and compares them exactly (float32 after
rounding to float32, NaN equal to NaN).
"""
import base64
import datetime as dt
import decimal
import math
import struct

import pyarrow as pa

EPOCH = dt.datetime(1970, 1, 1)


def _f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def _parse_float(v):
    if isinstance(v, str):
        return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}[v]
    return float(v)


def _ts_micros_from_text(text):
    zone = text.endswith("Z")
    body = text[:-1] if zone else text
    date_part, time_part = body.split("T")
    y, mo, d = date_part.rsplit("-", 2) if not date_part.startswith("-") else ("-" + date_part[1:].split("-")[0], *date_part[1:].split("-")[1:])
    days = (dt.date(int(y), int(mo), int(d)) - dt.date(1970, 1, 1)).days
    hh, mm, rest = time_part.split(":")
    if "." in rest:
        ss, frac = rest.split(".")
        micros = int((frac + "000000")[:6])
    else:
        ss, micros = rest, 0
    return ((days * 86400 + int(hh) * 3600 + int(mm) * 60 + int(ss)) * 1_000_000 + micros), zone


def _expected_ts_micros(value):
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    delta = value - EPOCH
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


def same(arrow_type, expected, actual, path="value", zone_agnostic=False):
    """Returns None when equal, else a message naming the path and both values.

    `actual` comes from json.loads(..., parse_float=decimal.Decimal), so decimals keep
    every digit. With `zone_agnostic`, a timestamp's UTC flag is not compared (INT96
    timestamps: pyarrow reads them as naive, Tarn as UTC instants like Spark).
    """
    if expected is None or actual is None:
        if expected is None and actual is None:
            return None
        return f"{path}: expected {expected!r}, Tarn gave {actual!r}"
    t = arrow_type
    try:
        if pa.types.is_boolean(t) or pa.types.is_integer(t):
            ok = expected == actual and type(actual) in (bool, int) and (pa.types.is_boolean(t) == isinstance(actual, bool))
        elif pa.types.is_float32(t):
            a = _parse_float(actual)
            ok = (math.isnan(expected) and math.isnan(a)) or _f32(a) == _f32(expected)
        elif pa.types.is_floating(t):
            a = _parse_float(actual)
            ok = (math.isnan(expected) and math.isnan(a)) or a == expected
        elif pa.types.is_string(t) or pa.types.is_large_string(t):
            ok = expected == actual
        elif pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t):
            ok = base64.b64decode(actual) == expected
        elif pa.types.is_date32(t):
            ok = expected.isoformat() == actual
        elif pa.types.is_timestamp(t):
            micros, zone = _ts_micros_from_text(actual)
            ok = micros == _expected_ts_micros(expected) and (zone_agnostic or zone == (t.tz is not None))
        elif pa.types.is_decimal(t):
            ok = decimal.Decimal(str(actual)) == expected
        elif pa.types.is_map(t):
            if isinstance(actual, dict):
                pairs = list(actual.items())
            else:
                pairs = [(e["key"], e["value"]) for e in actual]
            if len(pairs) != len(expected):
                return f"{path}: expected {len(expected)} map entries, Tarn gave {len(pairs)}"
            for i, ((ek, ev), (ak, av)) in enumerate(zip(expected, pairs)):
                m = same(t.key_type, ek, ak, f"{path}.key[{i}]") or same(t.item_type, ev, av, f"{path}.value[{i}]")
                if m:
                    return m
            return None
        elif pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t):
            if not isinstance(actual, list) or len(actual) != len(expected):
                return f"{path}: expected list {expected!r:.200}, Tarn gave {actual!r:.200}"
            for i, (e, a) in enumerate(zip(expected, actual)):
                m = same(t.value_type, e, a, f"{path}[{i}]")
                if m:
                    return m
            return None
        elif pa.types.is_struct(t):
            if not isinstance(actual, dict):
                return f"{path}: expected struct, Tarn gave {actual!r:.200}"
            for f in t:
                m = same(f.type, expected.get(f.name), actual.get(f.name), f"{path}.{f.name}")
                if m:
                    return m
            return None
        else:
            return f"{path}: no comparison for type {t}"
    except Exception as e:  # a malformed Tarn value is a mismatch, not a crash
        return f"{path}: cannot compare {expected!r:.200} with {actual!r:.200}: {e}"
    return None if ok else f"{path}: expected {expected!r:.200}, Tarn gave {actual!r:.200}"


def python_values_equal(arrow_type, a, b):
    """Exact equality of two pyarrow to_pylist values (NaN equals NaN; float32 exact)."""
    if a is None or b is None:
        return a is None and b is None
    t = arrow_type
    if pa.types.is_floating(t):
        return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))
    if pa.types.is_timestamp(t):
        return _expected_ts_micros(a) == _expected_ts_micros(b)
    if pa.types.is_map(t):
        return len(a) == len(b) and all(
            python_values_equal(t.key_type, x[0], y[0]) and python_values_equal(t.item_type, x[1], y[1]) for x, y in zip(a, b))
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return len(a) == len(b) and all(python_values_equal(t.value_type, x, y) for x, y in zip(a, b))
    if pa.types.is_struct(t):
        return all(python_values_equal(f.type, a.get(f.name), b.get(f.name)) for f in t)
    return a == b
