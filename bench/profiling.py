"""Where a path's time goes: cProfile over a few runs, summed by layer and by function."""

import cProfile
import pstats
import re
from pathlib import Path

ROOT = str(Path(__file__).resolve().parent.parent)

TEMPLATE_FILES = ("/django/template/", "/django/utils/html", "/django/utils/safestring")
# (label, test on the profiled function's file) — the first that matches wins.
LAYERS = [
    ("SQLite (执行与取行)", lambda f, n: f == "~" and ("sqlite3" in n or "SQLiteCursorWrapper" in n)),
    ("模板渲染 (django.template)", lambda f, n: any(part in f for part in TEMPLATE_FILES)),
    ("ORM:SQL 编译 (django.db.models.sql)", lambda f, n: "/django/db/models/sql/" in f or "/django/db/backends/" in f),
    ("ORM:模型实例与字段 (django.db.models)", lambda f, n: "/django/db/models/" in f),
    ("后台 (django.contrib.admin)", lambda f, n: "/django/contrib/admin/" in f),
    ("表单与小部件 (django.forms)", lambda f, n: "/django/forms/" in f),
    ("时区、翻译、格式化 (django.utils)", lambda f, n: "/django/utils/" in f),
    ("本项目代码", lambda f, n: f.startswith(ROOT) and "/.venv/" not in f),
    ("其余 Django", lambda f, n: "/django/" in f),
]


def layer_of(filename: str, name: str) -> str:
    for label, test in LAYERS:
        if test(filename, name):
            return label
    return "Python 标准库与其余第三方包"


def profile(function, runs: int = 3, top: int = 8) -> dict:
    """Run `function` `runs` times under cProfile; per-run seconds by layer and the costliest functions."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        function()
    profiler.disable()
    stats = pstats.Stats(profiler)
    layers: dict[str, float] = {}
    functions = []
    for (filename, line, name), (_, _, tottime, cumtime, callers) in stats.stats.items():
        layer = layer_of(filename, name)
        if filename == "~" and not layer.startswith("SQLite") and callers:
            # A built-in (getattr, isinstance, dict methods…) counts for the layers that call it.
            edges = {caller: edge[2] for caller, edge in callers.items()}
            total_edges = sum(edges.values()) or 1.0
            for (caller_file, _, caller_name), edge_time in edges.items():
                owner = layer_of(caller_file, caller_name)
                layers[owner] = layers.get(owner, 0.0) + tottime * edge_time / total_edges / runs
        else:
            layers[layer] = layers.get(layer, 0.0) + tottime / runs
        short = re.sub(r"^.*/lib/python3\.\d+/", "", filename.replace(ROOT + "/", "").split("site-packages/")[-1])
        where = f"{short}:{line}({name})" if filename != "~" else re.sub(r" at 0x[0-9a-f]+", "", name)
        functions.append((tottime / runs, cumtime / runs, where))
    total = sum(layers.values())
    functions.sort(reverse=True)
    return {
        "total": round(total, 4),
        "layers": sorted(((label, round(seconds, 4)) for label, seconds in layers.items()), key=lambda x: -x[1]),
        "functions": [(round(t, 4), round(c, 4), where) for t, c, where in functions[:top]],
    }
