"""An HTML report of hotloop.stats() and hotloop.traces().

render() builds one self-contained page (inline CSS and SVG, no scripts, nothing
loaded from elsewhere) so it can be mailed or attached to a bug report as is;
write() saves it. Fields that some builds do not report yet are read with
defaults, and the page says what was not measured instead of failing.
"""

import html

MAX_SOURCE_LINES = 25
STATE_CLASSES = {"compiled", "interpreted", "blacklisted"}
TIME_SERIES = [("compiled code", "#4c78a8"), ("compiling", "#f58518"), ("recording", "#e45756")]
ITERATION_SERIES = [("compiled", "#54a24b"), ("interpreted", "#b9b2ac")]

CSS = """
:root { color-scheme: light; --ink: #1f2328; --muted: #656d76; --line: #d8dee4; --panel: #f6f8fa; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto;
  padding: 24px 20px 48px; max-width: 1100px; line-height: 1.45; color: var(--ink); }
h1 { font-size: 1.6rem; margin: 0 0 16px; }
h2 { font-size: 1.2rem; margin: 32px 0 12px; padding: 4px 0; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 0 0 8px; word-break: break-all; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(118px, 1fr)); gap: 10px; }
.tile { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 9px; }
.tile .value { font-size: 1.5rem; font-weight: 600; white-space: nowrap; }
.tile .label, .note, .facts dt { color: var(--muted); font-size: 0.85rem; }
svg.chart { width: 100%; height: auto; display: block; margin: 8px 0 4px; font-size: 12px; }
svg.chart text { fill: var(--ink); } svg.chart a:hover rect { opacity: 0.8; }
.loop { border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; margin: 14px 0; }
.facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 6px; }
.facts dd { margin: 0; font-weight: 600; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 0.8rem;
  font-weight: 600; color: #fff; background: #6e7781; }
.badge.compiled { background: #2da44e; } .badge.interpreted { background: #bf8700; }
.badge.blacklisted { background: #cf222e; }
pre { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 8px;
  overflow-x: auto; font-size: 0.82rem; margin: 6px 0; }
.ln { color: var(--muted); user-select: none; }
.header-line { background: #fff8c5; display: inline-block; min-width: 100%; }
table { border-collapse: collapse; margin: 6px 0; font-size: 0.9rem; }
th, td { text-align: left; padding: 3px 12px 3px 0; border-bottom: 1px solid var(--line); }
td.count { text-align: right; font-variant-numeric: tabular-nums; } td.meter { width: 160px; }
td.meter div { height: 8px; background: #e45756; border-radius: 4px; min-width: 2px; }
details summary { cursor: pointer; color: var(--muted); margin-top: 6px; }
"""


def _text(value):
    return html.escape(str(value), quote=True)


def _note(text):
    return f'<p class="note">{_text(text)}</p>'


def _count(value):
    return f"{value:,}" if isinstance(value, int) else "—"


def _ms(value, unit=" ms"):
    if value is None:
        return "—"
    return f"{value:.2f}{unit}" if value < 10 else f"{value:,.1f}{unit}"


def _number(value, default=0):
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    return value if is_number else default


def _loop_view(loop, index, exits_by_trace):
    """One loop's fields under fixed names, filling in what older builds leave out."""
    name = str(loop.get("loop", "?:0"))
    file_part, _, line_part = name.rpartition(":")
    line = loop.get("line")
    if not isinstance(line, int):
        line = int(line_part) if line_part.isdigit() else 0
    compiled_seconds = loop.get("compiled_seconds")
    compiled_ms = compiled_seconds * 1000 if isinstance(compiled_seconds, (int, float)) else None
    timing = [compiled_ms, loop.get("compile_ms"), loop.get("recording_ms")]
    return {
        "name": name,
        "anchor": f"loop-{index}",
        "filename": loop.get("filename") or file_part,
        "line": line,
        "function": loop.get("function") or "?",
        "state": str(loop.get("state", "unknown")),
        "compiled": _number(loop.get("iterations_compiled")),
        "interpreted": _number(loop.get("iterations_interpreted")),
        "timing": timing,
        "total_ms": sum(_number(part) for part in timing),
        "aborts": loop.get("aborts"),
        "exits": loop.get("exits", exits_by_trace.get(name)),
        "why": loop.get("why"),
        "why_kind": loop.get("why_kind"),
    }


def _short_label(loop, limit=30):
    # The bars only have room for the file's last component; the tooltip has the rest.
    base_name = loop["filename"].replace("\\", "/").rsplit("/", 1)[-1]
    label = f"{base_name}:{loop['line']}"
    return label if len(label) <= limit else "…" + label[-(limit - 1) :]


def _nice_ticks(maximum, count=5):
    import math

    if maximum <= 0:
        return [0.0, 1.0]
    raw_step = maximum / count
    magnitude = 10 ** math.floor(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw_step)
    return [i * step for i in range(math.ceil(maximum / step - 1e-9) + 1)]


def _svg_text(x, y, text, anchor="start", bold=False):
    weight = ' font-weight="600"' if bold else ""
    return f'<text x="{x:.1f}" y="{y}" text-anchor="{anchor}"{weight}>{_text(text)}</text>'


def _bar_chart(rows, series, ticks, axis_label, tick_format):
    """Horizontal stacked bars as inline SVG. rows: (loop, [(value, tooltip), ...])."""
    width, label_width, top, row_height = 760, 200, 44, 26
    plot_width = width - label_width - 24
    axis_y = top + row_height * len(rows)
    scale = plot_width / ticks[-1]
    parts = [f'<svg class="chart" viewBox="0 0 {width} {axis_y + 42}" role="img"'
             f' aria-label="{_text(axis_label)}">']
    legend_x = label_width
    for name, colour in series:
        parts.append(f'<rect x="{legend_x}" y="6" width="12" height="12" rx="2" fill="{colour}"/>')
        parts.append(_svg_text(legend_x + 17, 16, name))
        legend_x += 30 + 7 * len(name)
    parts.append(_svg_text(label_width - 8, top - 8, "loop (file:line)", "end", bold=True))
    for tick in ticks:
        x = label_width + tick * scale
        parts.append(f'<path d="M{x:.1f} {top - 4}V{axis_y}" stroke="#ccc"/>')
        parts.append(_svg_text(x, axis_y + 15, tick_format(tick), "middle"))
    parts.append(_svg_text(label_width + plot_width / 2, axis_y + 34, axis_label, "middle", True))
    for row, (loop, segments) in enumerate(rows):
        y = top + row * row_height
        parts.append(f'<a href="#{loop["anchor"]}"><title>{_text(loop["name"])}</title>')
        parts.append(_svg_text(label_width - 8, y + 16, _short_label(loop), "end"))
        x = label_width
        for (value, tooltip), (_, colour) in zip(segments, series):
            bar_width = max(0.0, value * scale)
            tooltip = f"{loop['name']}: {tooltip}"
            parts.append(f'<rect x="{x:.1f}" y="{y + 5}" width="{bar_width:.1f}" height="16"'
                         f' fill="{colour}"><title>{_text(tooltip)}</title></rect>')
            x += bar_width
        parts.append("</a>")
    return "".join(parts) + "</svg>"


def _time_chart(loops):
    def segments(loop):
        return [(_number(value), f"{name} {_ms(value) if value is not None else 'not measured'}")
                for value, (name, _) in zip(loop["timing"], TIME_SERIES)]

    rows = [(loop, segments(loop)) for loop in loops]
    ticks = _nice_ticks(max(loop["total_ms"] for loop in loops))
    axis_label = "measured time per loop (milliseconds)"
    return _bar_chart(rows, TIME_SERIES, ticks, axis_label, lambda tick: f"{tick:g}")


def _iteration_chart(loops):
    def segments(loop):
        counts = [loop["compiled"], loop["interpreted"]]
        shares = [count / sum(counts) if sum(counts) else 0.0 for count in counts]
        return [(share, f"{name} {share:.1%} ({count:,} iterations)")
                for share, count, (name, _) in zip(shares, counts, ITERATION_SERIES)]

    rows = [(loop, segments(loop)) for loop in loops]
    axis_label = "share of the loop's iterations"
    ticks = [0, 0.25, 0.5, 0.75, 1.0]
    return _bar_chart(rows, ITERATION_SERIES, ticks, axis_label, lambda tick: f"{tick:.0%}")


def _charts(loops):
    parts = ["<h2>Where loop time went</h2>"]
    if not loops:
        return parts[0] + _note("No loop became hot.")
    if any(part is not None for loop in loops for part in loop["timing"]):
        parts.append(_time_chart(loops))
    else:
        parts.append(_note("Timing was not measured by this build; showing iteration shares only."))
    parts.append("<h2>Iterations compiled vs interpreted</h2>")
    parts.append(_iteration_chart(loops))
    return "".join(parts)


def _loop_source(filename, line):
    """The loop's line through the end of its indented block, numbered."""
    import linecache

    lines = linecache.getlines(filename) if filename else []
    if not 1 <= line <= len(lines):
        return _note(f"Source not available ({filename}).")
    window = [text.expandtabs().rstrip() for text in lines[line - 1 : line - 1 + MAX_SOURCE_LINES]]
    indents = [len(text) - len(text.lstrip()) if text else None for text in window]
    # A `for` loop is named after its header, but CPython names a `while` loop after
    # its first body line; with no deeper line after it, show the rest of that block.
    next_indent = next((indent for indent in indents[1:] if indent is not None), -1)
    opens_block = next_indent > indents[0]
    shown = window[:1]
    for text, indent in zip(window[1:], indents[1:]):
        inside = indent is None or indent > indents[0] or (indent == indents[0] and not opens_block)
        # A closing bracket at the header's indent still belongs to a multi-line header.
        if not inside and not text.lstrip().startswith((")", "]", "}")):
            break
        shown.append(text)
    while not shown[-1] and len(shown) > 1:
        shown.pop()
    width = len(str(line + len(shown)))
    numbered = [f'<span class="ln">{number:>{width}}</span>  {_text(text)}'
                for number, text in enumerate(shown, line)]
    numbered[0] = f'<span class="header-line">{numbered[0]}</span>'
    return "<pre>" + "\n".join(numbered) + "</pre>"


def _count_table(counts, heading):
    items = sorted(counts.items(), key=lambda item: (-_number(item[1]), str(item[0])))
    largest = max((_number(count) for _, count in items), default=0) or 1
    rows = "".join(f'<tr><td>{_text(key)}</td><td class="count">{_count(count)}</td>'
                   f'<td class="meter"><div style="width:{100 * _number(count) / largest:.0f}%">'
                   "</div></td></tr>" for key, count in items)
    return f"<table><tr><th>{_text(heading)}</th><th>count</th><th></th></tr>{rows}</table>"


def _loop_section(loop, trace):
    state_class = loop["state"] if loop["state"] in STATE_CLASSES else ""
    total = loop["compiled"] + loop["interpreted"]
    compiled_ms, compile_ms, recording_ms = loop["timing"]
    facts = [
        ("function", _text(loop["function"])),
        ("state", f'<span class="badge {state_class}">{_text(loop["state"])}</span>'),
        ("iterations compiled", _count(loop["compiled"])),
        ("iterations interpreted", _count(loop["interpreted"])),
        ("compiled share", f"{loop['compiled'] / total:.1%}" if total else "—"),
        ("compile time", _ms(compile_ms)),
        ("recording time", _ms(recording_ms)),
        ("time in compiled code", _ms(compiled_ms)),
        ("exits", _count(loop["exits"])),
    ]
    parts = [
        f'<section class="loop" id="{loop["anchor"]}"><h3>{_text(loop["name"])}</h3>',
        '<dl class="facts">',
        "".join(f"<div><dt>{label}</dt><dd>{value}</dd></div>" for label, value in facts),
        "</dl>",
        _loop_source(loop["filename"], loop["line"]),
    ]
    if loop["state"] != "compiled" and loop["why"]:
        kind = f" [{loop['why_kind']}] (see docs/why-not-compiled.md)" if loop["why_kind"] else ""
        parts.append(_note(f"Not running compiled: {loop['why']}{kind}"))
    if loop["aborts"]:
        parts.append(_count_table(loop["aborts"], "recording aborted because"))
    elif loop["aborts"] is not None:
        parts.append(_note("No recording of this loop was aborted."))
    if trace is not None:
        exits = trace.get("exits") or {}
        summary = (
            f"Optimized IR ({_count(trace.get('code_size'))} bytes of machine code,"
            f" entered {_count(trace.get('entries'))} times)"
        )
        parts.append(f"<details><summary>{_text(summary)}</summary>")
        parts.append(f"<pre>{_text(trace.get('optimized_ir', ''))}</pre>")
        parts.append(_count_table(exits, "exit") if exits else _note("No exit taken."))
        parts.append("</details>")
    parts.append("</section>")
    return "".join(parts)


def _summary_tiles(stats):
    aborts = stats.get("aborts") or {}
    share = stats.get("compiled_share")
    if share is None:
        compiled = _number(stats.get("iterations_compiled"))
        interpreted = _number(stats.get("iterations_interpreted"))
        share = compiled / (compiled + interpreted) if compiled + interpreted else None
    tiles = [
        ("hot loops", _count(stats.get("loops_hot", 0))),
        ("traces compiled", _count(stats.get("traces_compiled", 0))),
        ("bridges", _count(stats.get("bridges_compiled", 0))),
        ("compiled share", "—" if share is None else f"{share:.1%}"),
        # The unit sits in the label so that the numbers fit the tiles.
        ("ms compiling, total", _ms(_number(stats.get("compile_seconds"), 0.0) * 1000, unit="")),
        ("ms per compile, median", _ms(stats.get("compile_ms_median"), unit="")),
        ("exits", _count(stats.get("exits", 0))),
        ("aborts", _count(sum(_number(count) for count in aborts.values()))),
    ]
    cells = "".join(f'<div class="tile"><div class="value">{_text(value)}</div>'
                    f'<div class="label">{_text(label)}</div></div>' for label, value in tiles)
    return f'<div class="tiles">{cells}</div>'


def render(stats, traces, title="hotloop report"):
    """The report on `stats` (hotloop.stats()) and `traces` (hotloop.traces()) as HTML."""
    exits_by_trace = stats.get("exits_by_trace") or {}
    loops = [_loop_view(loop, i, exits_by_trace) for i, loop in enumerate(stats.get("loops") or [])]
    loops.sort(key=lambda loop: (-loop["total_ms"], -loop["compiled"] - loop["interpreted"]))
    # Reversed so that the first trace of a name wins, as in the trace list.
    traces_by_name = {str(trace.get("name")): trace for trace in reversed(list(traces or []))}
    aborts = stats.get("aborts") or {}
    sections = "".join(_loop_section(loop, traces_by_name.get(loop["name"])) for loop in loops)
    return "".join([
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_text(title)}</title><style>{CSS}</style></head><body>",
        f"<header><h1>{_text(title)}</h1>{_summary_tiles(stats)}</header><main>",
        _charts(loops),
        "<h2>Hot loops</h2>",
        sections or _note("None."),
        "<h2>Aborted recordings</h2>",
        _count_table(aborts, "reason") if aborts else _note("None was aborted."),
        "</main></body></html>\n",
    ])


def write(path, stats, traces, title="hotloop report"):
    """Write the report to `path` as UTF-8; an OSError reaches the caller unchanged."""
    page = render(stats, traces, title=title)
    with open(path, "w", encoding="utf-8") as file:
        file.write(page)
