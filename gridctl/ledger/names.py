"""The names of the schema migrations this gridctl knows, oldest first (cheap to import)."""

NAMES = ("m001_reference",)
