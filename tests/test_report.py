"""The HTML report in hotloop/_report.py: what the page says, that user text is
escaped and nothing is loaded from elsewhere, that headless Chromium draws it,
and that it works on the real JIT's stats and traces."""

import html
import os
import re
import shutil
import struct
import subprocess
import zlib

import pytest

from hotloop import _report
from support import run_python

CHROMIUM_TIMEOUT_SECONDS = 60

LOOP_SOURCE = """\
def scale(values):
    total = 0.0
    for value in values:
        total += value * 0.5
        if total > 1e9:
            total = 0.0
    return total


def countdown(n):
    steps = 0
    while n > 0:
        steps += 1
        n -= 1
    return steps
"""
FOR_LINE = 3
# CPython 3.12 names a `while` loop after its first body line, not its header.
WHILE_BODY_LINE = 13
MISSING_LOOP = "/nonexistent/<script>&co.py:12"
HOSTILE_FUNCTION = "<script>alert('x')</script>"
HOSTILE_ABORT = "NYI: CALL <script> & friends"
HOSTILE_IR = "%5   f64  guard_type %0 <float> & co"


@pytest.fixture
def source_path(tmp_path):
    path = tmp_path / "loops.py"
    path.write_text(LOOP_SOURCE)
    return path


def fake_run(source_path, planned=True):
    """A stats/traces pair shaped like hotloop's, with the planned per-loop fields
    (filename, line, timings, aborts, exits) or without them, as today."""
    hot = {
        "loop": f"{source_path}:{FOR_LINE}",
        "function": "scale",
        "state": "compiled",
        "iterations_compiled": 9000,
        "iterations_interpreted": 40,
    }
    missing = {
        "loop": MISSING_LOOP,
        "function": HOSTILE_FUNCTION,
        "state": "blacklisted",
        "iterations_compiled": 0,
        "iterations_interpreted": 300,
    }
    while_loop = {
        "loop": f"{source_path}:{WHILE_BODY_LINE}",
        "function": "countdown",
        "state": "interpreted",
        "iterations_compiled": 10,
        "iterations_interpreted": 30,
    }
    if planned:
        hot.update(filename=str(source_path), line=FOR_LINE, compile_ms=1.5,
                   compiled_seconds=0.004, recording_ms=0.2, aborts={}, exits=7)
        missing.update(filename=MISSING_LOOP.rpartition(":")[0], line=12, compile_ms=None,
                       compiled_seconds=None, recording_ms=0.3, aborts={HOSTILE_ABORT: 3}, exits=0,
                       why=HOSTILE_ABORT, why_kind="not-yet-implemented")
    stats = {
        "loops_hot": 3, "traces_compiled": 1, "bridges_compiled": 0, "trace_entries": 2,
        "reentries": 0, "exits": 7, "loops_blacklisted": 1, "traces_invalidated": 0,
        "compiles": 1, "code_size": 512, "recording_seconds": 0.0005, "compile_seconds": 0.0015,
        "compile_ms_median": 1.5, "compile_ms_max": 1.5,
        "aborts": {HOSTILE_ABORT: 3, "trace too long": 1},
        "exits_by_trace": {hot["loop"]: 7}, "compiled_share": 9010 / 9380,
        "loops": [missing, while_loop, hot],
    }
    traces = [{
        "name": hot["loop"], "filename": str(source_path), "line": FOR_LINE, "function": "scale",
        "header_offset": 24, "entries": 2, "exits": {"%17": 5, "%23": 2}, "code_size": 512,
        "optimized_ir": f"trace header=24 depth=1\n{HOSTILE_IR}\n", "recorded_ir": "",
    }]
    return stats, traces


@pytest.mark.parametrize("planned", [True, False], ids=["planned-fields", "current-fields"])
def test_report_names_every_loop_and_escapes_user_text(source_path, planned):
    stats, traces = fake_run(source_path, planned)
    page = _report.render(stats, traces)

    for loop in stats["loops"]:
        assert html.escape(loop["loop"]) in page
    assert "<svg" in page
    # The page has no scripts of its own, so any "<script" would be unescaped user text.
    assert "<script" not in page.lower()
    assert html.escape(HOSTILE_FUNCTION) in page
    assert html.escape(HOSTILE_ABORT) in page
    assert html.escape(HOSTILE_IR) in page
    assert "Source not available" in page
    assert 'class="badge blacklisted"' in page and 'class="badge compiled"' in page
    assert "%17" in page and "%23" in page
    if planned:
        assert f"Not running compiled: {html.escape(HOSTILE_ABORT)} [not-yet-implemented]" in page


def test_report_is_self_contained(source_path):
    page = _report.render(*fake_run(source_path))
    assert "http://" not in page and "https://" not in page
    assert "url(" not in page and "@import" not in page
    references = re.findall(r"""\b(?:src|href)\s*=\s*["']?([^"'\s>]*)""", page, re.IGNORECASE)
    assert references, "the chart's bars link to the loops' sections"
    assert all(reference.startswith("#") for reference in references), references


def test_loop_source_runs_to_the_end_of_the_block(source_path):
    page = _report.render(*fake_run(source_path))
    for text in ["for value in values:", "total += value * 0.5", "total = 0.0", "n -= 1"]:
        assert html.escape(text) in page
    # Past the end of either loop's block.
    assert "return total" not in page
    assert "return steps" not in page


def test_timing_chart_when_timings_are_known(source_path):
    page = _report.render(*fake_run(source_path, planned=True))
    assert "measured time per loop (milliseconds)" in page
    assert "share of the loop&#x27;s iterations" in page
    assert "not measured by this build" not in page
    for legend in ["compiled code", "compiling", "recording", "interpreted"]:
        assert f">{legend}</text>" in page
    # Every bar segment carries a tooltip: 3 loops x (3 time + 2 iteration) segments.
    assert len(re.findall(r"<rect [^>]*><title>[^<]+</title></rect>", page)) == 3 * (3 + 2)
    # Biggest first: the loop with 5.7 ms recorded leads the loop sections.
    sections = re.findall(r'<section class="loop" id="[^"]+"><h3>([^<]+)</h3>', page)
    assert sections[0] == html.escape(f"{source_path}:{FOR_LINE}")


def test_iteration_shares_only_when_timings_are_unknown(source_path):
    page = _report.render(*fake_run(source_path, planned=False))
    assert "Timing was not measured" in page
    assert "measured time per loop" not in page
    assert "share of the loop&#x27;s iterations" in page


def test_empty_run_renders():
    page = _report.render({}, [], title="nothing <hot>")
    assert "No loop became hot." in page
    assert "<title>nothing &lt;hot&gt;</title>" in page


def test_write_saves_utf8_and_lets_oserror_through(source_path, tmp_path):
    stats, traces = fake_run(source_path)
    path = tmp_path / "report.html"
    title = "hotloop — ünïcode"
    _report.write(path, stats, traces, title=title)
    assert path.read_text(encoding="utf-8") == _report.render(stats, traces, title=title)
    with pytest.raises(FileNotFoundError):
        _report.write(tmp_path / "missing" / "report.html", stats, traces)
    with pytest.raises(IsADirectoryError):
        _report.write(tmp_path, stats, traces)


# --- Rendering in headless Chromium -------------------------------------------------------


@pytest.fixture
def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("headless Chromium not installed (Debian package: chromium)")


def run_chromium(chromium, home, *args):
    # Chromium's profile goes under HOME; its stderr has harmless dbus and GPU noise.
    return subprocess.run(
        [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", *args],
        capture_output=True,
        text=True,
        timeout=CHROMIUM_TIMEOUT_SECONDS,
        env={**os.environ, "HOME": str(home)},
    )


def png_pixels(data):
    """The set of distinct RGB colours in an 8-bit RGB or RGBA PNG, as Chromium writes."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    offset, compressed = 8, b""
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset : offset + 8])
        body = data[offset + 8 : offset + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            compressed += body
        offset += length + 12
    assert depth == 8 and colour_type in (2, 6) and interlace == 0
    channels = 3 if colour_type == 2 else 4
    stride = width * channels
    raw = zlib.decompress(compressed)
    previous, colours = bytearray(stride), set()
    for y in range(height):
        filter_type = raw[y * (stride + 1)]
        row = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride) if filter_type else ():
            left = row[i - channels] if i >= channels else 0
            up, up_left = previous[i], previous[i - channels] if i >= channels else 0
            if filter_type == 1:
                predicted = left
            elif filter_type == 2:
                predicted = up
            elif filter_type == 3:
                predicted = (left + up) // 2
            else:
                estimate = left + up - up_left
                distances = [abs(estimate - left), abs(estimate - up), abs(estimate - up_left)]
                predicted = (left, up, up_left)[distances.index(min(distances))]
            row[i] = (row[i] + predicted) & 0xFF
        colours.update(bytes(row[x : x + 3]) for x in range(0, stride, channels))
        previous = row
    return colours


def has_colour_near(colours, hex_colour, tolerance=12):
    wanted = bytes.fromhex(hex_colour.lstrip("#"))
    return any(all(abs(a - b) <= tolerance for a, b in zip(colour, wanted)) for colour in colours)


def test_chromium_renders_the_report(chromium, source_path, tmp_path):
    stats, traces = fake_run(source_path)
    report = tmp_path / "report.html"
    _report.write(report, stats, traces)

    dumped = run_chromium(chromium, tmp_path, "--dump-dom", report.as_uri())
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    assert html.escape(f"{source_path}:{FOR_LINE}") in dumped.stdout
    assert "<svg" in dumped.stdout
    assert dumped.stdout.count('<section class="loop"') == len(stats["loops"])

    screenshot = tmp_path / "report.png"
    shot = run_chromium(chromium, tmp_path, f"--screenshot={screenshot}", "--window-size=1200,900",
                        report.as_uri())
    assert shot.returncode == 0, shot.stderr[-2000:]
    assert screenshot.exists() and screenshot.stat().st_size > 5_000
    colours = png_pixels(screenshot.read_bytes())
    assert len(colours) > 1, "the screenshot is one flat colour"
    # The charts sit above the fold: their bars' colours must have been painted.
    compiled_code_colour = _report.TIME_SERIES[0][1]
    compiled_iterations_colour = _report.ITERATION_SERIES[0][1]
    assert has_colour_near(colours, compiled_code_colour)
    assert has_colour_near(colours, compiled_iterations_colour)


# --- The real JIT ------------------------------------------------------------------------

JIT_SCRIPT = """\
import sys

import hotloop
import hotloop._report

hotloop.enable(10)


def halve_all(count):
    total = 0.0
    for index in range(count):  # the hot loop
        total += index * 0.5
    return total


halve_all(5000)
hotloop._report.write(sys.argv[1], hotloop.stats(), hotloop.traces())
"""


@pytest.mark.usefixtures("native")
def test_report_on_a_real_run(tmp_path):
    script = tmp_path / "hot.py"
    script.write_text(JIT_SCRIPT)
    report = tmp_path / "report.html"
    loop_line = JIT_SCRIPT.splitlines().index("    for index in range(count):  # the hot loop") + 1

    result = run_python(script, report, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    page = report.read_text(encoding="utf-8")
    assert html.escape(f"{script}:{loop_line}") in page
    assert 'class="badge compiled">compiled<' in page
    assert "Optimized IR" in page
    assert html.escape("total += index * 0.5") in page
