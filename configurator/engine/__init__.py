"""The constraint engine: exact valid domains, explanations, repairs, completion, analysis.

Pure Python over PySAT: no Flask, no database, no I/O. See README.md.
"""

from .core import Engine
from .results import Configuration, Explanation, Repair, SelectionProblem

__all__ = ["Engine", "Configuration", "Explanation", "Repair", "SelectionProblem"]
