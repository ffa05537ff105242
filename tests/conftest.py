# Makes the `native` fixture from support.py available to every test module.
from support import native  # noqa: F401
