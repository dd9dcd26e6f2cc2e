"""Start `pia-app` as users start it, with `QApplication.exec` replaced: source text that the
benchmark's GUI child and the start-up import test put in front of their own code (`python -c`),
so that both measure the same start and nothing more is imported for it (a module of its own
would be one more import on the path measured).

After `patch_exec(fake_exec)`, the app imports Qt itself (after the store and the forms, as at a
real start); as soon as PySide6.QtWidgets is loaded, `QApplication.exec` is `fake_exec`, which
runs where the event loop would: the window has been shown and is painted there."""

import importlib.util  # not importlib.abc: on 3.11 it imports importlib.resources, tempfile... (~6 ms)
import sys

TYPE_CHECKING = False  # typing itself is not imported for the annotations
if TYPE_CHECKING:
    from collections.abc import Callable
    from importlib.machinery import ModuleSpec
    from types import ModuleType


def patch_exec(fake_exec: "Callable[..., object]") -> None:
    """Replace `QApplication.exec` by `fake_exec` once PySide6.QtWidgets is imported."""

    class PatchExec:  # a meta path finder needs only find_spec
        def find_spec(self, name: str, path: object, target: object = None) -> "ModuleSpec | None":
            if name != "PySide6.QtWidgets":
                return None
            sys.meta_path.remove(self)
            spec = importlib.util.find_spec(name)
            if spec is None or spec.loader is None:
                return spec
            load = spec.loader.exec_module

            def exec_module(module: "ModuleType") -> None:
                load(module)
                module.QApplication.exec = fake_exec

            spec.loader.exec_module = exec_module  # type: ignore[method-assign]
            return spec

    sys.meta_path.insert(0, PatchExec())
