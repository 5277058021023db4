"""Numbers, byte counts, durations and window sizes as people read them: one copy of each,
shared by the core, the command line and the GUI. Standard library only (the CLI imports it
before anything heavy)."""

from __future__ import annotations

import math

MINUS = "\u2212"
"""The typographic minus sign, as the course slides print negative numbers."""

_BYTE_UNITS = ("kB", "MB", "GB", "TB")


def format_number(value: float) -> str:
    """Short display form: integers without decimals, else 2 decimals (small values 2 digits).

    Uses the typographic minus sign, as the slides print it.
    """
    value = float(value)
    if not math.isfinite(value):
        text = "NaN" if math.isnan(value) else ("-∞" if value < 0 else "∞")
    elif abs(value - round(value)) <= 1e-6 * max(1.0, abs(value)):
        text = str(int(round(value)))
    elif abs(value) < 0.05:
        text = f"{value:.2g}"
    else:
        text = f"{value:.2f}".rstrip("0").rstrip(".")
    if text in ("-0", "0.0", "-0.0"):
        text = "0"
    return text.replace("-", MINUS)


_SUPERSCRIPTS = str.maketrans("-0123456789", "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076"
                              "\u2077\u2078\u2079")


def format_compact(value: float) -> str:
    """At most about 4 characters of mantissa, whatever the size: 2.3, 0.042, 1,230, 2.2×10¹⁴.

    For figures that may grow absurd (a diverging loss) and axis ticks: a loss of 1e28 prints
    as 1×10²⁸, never as 29 digits. Uses the typographic minus sign.
    """
    value = float(value)
    if not math.isfinite(value) or value == 0:
        return format_number(value)
    exponent = math.floor(math.log10(abs(value)))
    if -3 <= exponent < 2:
        text = f"{value:.3g}"
    elif 2 <= exponent < 5:
        text = f"{value:,.0f}"
    else:
        mantissa = value / 10.0 ** exponent
        if round(abs(mantissa), 1) >= 10:  # 9.96 rounds up to the next power
            mantissa, exponent = mantissa / 10, exponent + 1
        digits = f"{mantissa:.1f}".rstrip("0").rstrip(".")
        text = f"{digits}\u00d710{str(exponent).translate(_SUPERSCRIPTS)}"
    return text.replace("-", MINUS)


def format_bytes(count: int) -> str:
    """A byte count in SI units (1 kB = 1000 B, as download sizes are quoted), about three
    significant digits: 480 B, 18.8 kB, 340 MB, 1.2 GB."""
    if abs(count) < 1000:
        return f"{int(count)} B"
    value = float(count)
    for unit in _BYTE_UNITS:
        value /= 1000
        if abs(value) < 999.5 or unit == _BYTE_UNITS[-1]:
            break
    return f"{value:.1f} {unit}" if abs(value) < 99.95 else f"{value:.0f} {unit}"


def format_duration(seconds: float) -> str:
    """m:ss, or h:mm:ss from an hour on, to the nearest second.

    Rounded, not truncated: these are measured times and estimates (an ETA, a training time),
    and the nearest second is the closest honest figure; truncating would show 59.9 s as 0:59.
    """
    minutes, seconds = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def format_pair(pair: tuple[int, int]) -> str:
    """A (height, width) pair such as a stride or a pool size: "2" when both are equal, else
    "2×3"."""
    return str(pair[0]) if pair[0] == pair[1] else f"{pair[0]}×{pair[1]}"
