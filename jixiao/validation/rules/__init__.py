"""The rules, one module per theme. Importing this package registers them all."""
from . import (  # noqa: F401
    categories,
    completeness,
    direction,
    documentation,
    duplicates,
    evaluation,
    history,
    inputs,
    measurable,
    operators,
    relevance,
    units,
    values,
    weights,
    wording,
)
