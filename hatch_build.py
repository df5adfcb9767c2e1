"""Build hook: compile the place tagger's inner loops with mypyc when a wheel is built.

``newsclf.wordmatch`` (finding place names), ``newsclf.geoparse`` (reading each) and
``newsclf.salience`` (scoring the countries) run once per place name in every story;
compiled, the ``regions`` tagger runs faster (``benchmarks/regions.py``). mypyc compiles
the same typed Python source that runs uncompiled, so there is one implementation (black
ships this way).

Skipped, leaving a pure-Python wheel that behaves the same, for editable installs (so
that edits to the sources take effect), when ``NEWSCLF_PURE_PYTHON`` is set, and when
compiling fails (no C compiler or no Python headers): a warning says so.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

COMPILED = ["src/newsclf/geoparse.py", "src/newsclf/salience.py", "src/newsclf/wordmatch.py"]


class CustomBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Adds the compiled modules to the wheel (beside their sources)."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        if os.environ.get("NEWSCLF_PURE_PYTHON"):
            self.app.display_info("newsclf: NEWSCLF_PURE_PYTHON is set: not compiling")
            return
        try:
            built = self._compile()
        except Exception as exc:  # any failure: fall back to pure Python
            self.app.display_warning(f"newsclf: not compiled with mypyc, pure Python "
                                     f"instead (the tagger is slower): {exc}")
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        build_data["force_include"].update(built)

    def _compile(self) -> dict[str, str]:
        """Compile :data:`COMPILED`; returns each extension's path -> its path in the wheel."""
        from mypyc.build import mypycify
        from setuptools import Distribution

        work = Path(tempfile.mkdtemp(prefix="newsclf-mypyc-"))
        here = os.getcwd()
        os.chdir(self.root)  # mypyc names modules by their paths from here
        try:
            extensions = mypycify(
                ["--config-file", os.devnull, "--ignore-missing-imports",
                 "--follow-imports", "silent", *COMPILED],
                opt_level="3", target_dir=str(work / "c"), group_name="newsclf")
            dist = Distribution({"name": "newsclf", "ext_modules": extensions})
            command = dist.get_command_obj("build_ext")
            command.build_lib = str(work / "lib")  # type: ignore[attr-defined]
            command.build_temp = str(work / "tmp")  # type: ignore[attr-defined]
            command.ensure_finalized()
            command.run()
        finally:
            os.chdir(here)
        lib = work / "lib"
        built = {str(p): p.relative_to(lib).as_posix()
                 for pattern in ("*.so", "*.pyd") for p in lib.rglob(pattern)}
        if not built:
            raise RuntimeError("mypyc built no extension")
        return built
