import os

# In-process tests look at what a loop compiled as soon as it has run; a
# tree grown by a bridge may come back from the compiler's thread only after.
# They compile on the main thread, as child processes do unless a test asks
# otherwise (`child_environment`).
os.environ["HOTLOOP_BACKGROUND_COMPILE"] = "0"

# Makes the `native` fixture from support.py available to every test module.
from support import native  # noqa: E402, F401
