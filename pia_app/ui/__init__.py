"""The PySide6 user interface. Only this package imports Qt; it calls the domain, store and
report modules and never holds SQL or rules of its own."""
