"""The rules, one module per theme. Importing this package registers them all."""
from . import (categories, completeness, direction, documentation, duplicates, history,  # noqa: F401
               inputs, operators, relevance, units, values, weights, wording)
