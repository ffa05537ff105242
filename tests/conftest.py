import os

# In-process tests look at what a loop compiled as soon as it has run; a
# tree grown by a bridge may come back from the compiler's thread only after.
# They compile on the main thread. Child processes (`child_environment`
# drops HOTLOOP_* settings) compile in the background, as a user's would.
os.environ["HOTLOOP_BACKGROUND_COMPILE"] = "0"

# Makes the `native` fixture from support.py available to every test module.
from support import native  # noqa: E402, F401
