"""Per-module activation, the Python half (the native half is src/select.rs):
checking module names, finding modules without importing them, and the index
of which modules were loaded from which file."""

import os
import sys

ModuleType = type(sys)


def check_names(modules, source):
    """The module names in `modules` (a list or tuple of str), as a tuple;
    TypeError or ValueError naming `source` (what the caller was given) for
    anything else."""
    if isinstance(modules, str):
        raise TypeError(
            f"{source} must be a list of module names, not a str; did you mean {source}=[{modules!r}]?"
        )
    if not isinstance(modules, (list, tuple, set, frozenset)):
        raise TypeError(f"{source} must be a list of module names, got {type(modules).__name__}")
    names = []
    for name in modules:
        if not isinstance(name, str):
            raise TypeError(f"{source} must hold module names (str), got {type(name).__name__} {name!r}")
        if not is_module_name(name):
            raise ValueError(
                f"{source}: {name!r} is not a module name; give dotted names such as 'pkg' or 'pkg.sub'"
            )
        names.append(name)
    if not names:
        raise ValueError(f"{source} is empty, which would accelerate nothing; pass None to accelerate every module")
    return tuple(dict.fromkeys(names))


def is_module_name(name):
    return bool(name) and all(part.isidentifier() for part in name.split("."))


def can_be_found(name):
    """Whether `name` is imported or an import of it would find it, asking the
    import system's finders without importing anything (parents included)."""
    if name in sys.modules or name == "__main__":
        return True
    parent, _, _ = name.rpartition(".")
    path = None
    if parent:
        if not can_be_found(parent):
            return False
        path = search_locations(parent)
        if path is None:
            # The parent is a plain module, or one that cannot be inspected
            # without importing it; say nothing rather than something wrong.
            return True
    for finder in sys.meta_path:
        find_spec = getattr(finder, "find_spec", None)
        if find_spec is None:
            continue
        try:
            if find_spec(name, path) is not None:
                return True
        except Exception:
            # A finder that cannot answer (it needs the parent imported, say)
            # does not make the name unknown.
            return True
    return False


def search_locations(package):
    module = sys.modules.get(package)
    if module is not None:
        return getattr(module, "__path__", None)
    for finder in sys.meta_path:
        find_spec = getattr(finder, "find_spec", None)
        if find_spec is None:
            continue
        parent, _, _ = package.rpartition(".")
        try:
            spec = find_spec(package, search_locations(parent) if parent else None)
        except Exception:
            return None
        if spec is not None:
            return spec.submodule_search_locations
    return None


# Which modules were loaded from each file, by absolute path; modules are added
# as they appear in `sys.modules` (imports only ever add a few at a time).
_modules_by_file = {}
_indexed = set()


def modules_of_file(filename):
    """The names of the modules in `sys.modules` whose `__file__` is `filename`."""
    new = sys.modules.keys() - _indexed
    for name in new:
        module = sys.modules.get(name)
        # Only real modules: `__file__` of another object could run code.
        file = module.__dict__.get("__file__") if isinstance(module, ModuleType) else None
        if isinstance(file, str):
            _modules_by_file.setdefault(os.path.abspath(file), []).append(name)
    _indexed.update(new)
    return _modules_by_file.get(os.path.abspath(filename), [])
