"""Find the code objects that exist before `hotloop.enable()`, so that loops in
already-imported modules and in running frames are counted too (code created
later is seen by a code watcher)."""

import gc
import os
import sys
import types

# hotloop's own loops (this module's, the command line's) are not the user's:
# they are neither compiled nor counted in the stats.
OWN_DIRECTORY = os.path.dirname(os.path.abspath(__file__)) + os.sep


def existing_code_objects():
    """Code of every live function, of every running frame, and the code objects
    nested in their constants."""
    pending = [o.__code__ for o in gc.get_objects() if isinstance(o, types.FunctionType)]
    for frame in sys._current_frames().values():
        while frame is not None:
            pending.append(frame.f_code)
            frame = frame.f_back
    seen = {}
    while pending:
        code = pending.pop()
        if id(code) in seen:
            continue
        seen[id(code)] = code
        pending.extend(c for c in code.co_consts if isinstance(c, types.CodeType))
    return [code for code in seen.values() if not code.co_filename.startswith(OWN_DIRECTORY)]
