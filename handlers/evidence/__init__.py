"""Evidence files: which files may be kept (type read from the bytes, sizes, the
organization's room), keeping them for tasks and score items, listing them on a card, and
downloading them again (the ``evf:`` button)."""
