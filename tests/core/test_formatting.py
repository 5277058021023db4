"""The display formatters against strings written out by hand."""

import math

import numpy as np
import pytest

from convviz.core.formatting import (
    format_bytes,
    format_compact,
    format_duration,
    format_number,
    format_pair,
)


@pytest.mark.parametrize(("value", "text"), [(3.0, "3"), (-1.0, "−1"), (-0.0, "0"), (0.25, "0.25"),
                                             (1 / 3, "0.33"), (1 / 256, "0.0039"),
                                             (-2.5, "−2.5"), (np.float32(0.1), "0.1"),
                                             (-0.001, "−0.001"), (1e-9, "0"), (0.000_12, "0.00012"),
                                             (1234.0, "1234"), (2.999_999_9, "3"),
                                             (math.nan, "NaN"), (math.inf, "∞"),
                                             (-math.inf, "−∞")])
def test_format_number(value, text):
    assert format_number(value) == text


@pytest.mark.parametrize(("count", "text"), [
    (0, "0 B"), (480, "480 B"), (999, "999 B"), (1000, "1.0 kB"), (18_816, "18.8 kB"),
    (99_949, "99.9 kB"), (99_950, "100 kB"), (999_499, "999 kB"), (999_500, "1.0 MB"),
    (47_040_000, "47.0 MB"), (340_000_000, "340 MB"), (1 << 30, "1.1 GB"),
    (2_500_000_000_000, "2.5 TB"), (3_000_000_000_000_000, "3000 TB")])
def test_format_bytes_uses_si_units(count, text):
    assert format_bytes(count) == text


@pytest.mark.parametrize(("seconds", "text"), [
    (0, "0:00"), (0.4, "0:00"), (0.6, "0:01"), (59.4, "0:59"), (59.6, "1:00"), (61, "1:01"),
    (3599.4, "59:59"), (3599.6, "1:00:00"), (3661, "1:01:01"), (36_000, "10:00:00")])
def test_format_duration_rounds_to_the_nearest_second(seconds, text):
    assert format_duration(seconds) == text


@pytest.mark.parametrize(("pair", "text"), [((1, 1), "1"), ((2, 3), "2×3"), ((5, 2), "5×2")])
def test_format_pair(pair, text):
    assert format_pair(pair) == text


@pytest.mark.parametrize(("value", "text"), [
    (2.3, "2.3"), (0.042, "0.042"), (1234.4, "1,234"), (-2.19e14, "−2.2×10¹⁴"),
    (1e28, "1×10²⁸"), (9.97e6, "1×10⁷"), (1.2e-4, "1.2×10⁻⁴"), (0.0, "0"),
    (float("nan"), "NaN")])
def test_compact_numbers_stay_short_whatever_their_size(value, text):
    assert format_compact(value) == text
    assert len(format_compact(value * 1.2345678)) <= 10
