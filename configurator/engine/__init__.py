"""The constraint engine: exact valid domains, explanations, repairs, completion, analysis.

Pure Python over PySAT and numpy: no Flask, no database, no I/O, no threads. See README.md.
"""

from .core import Engine
from .fast.circuit import Circuit
from .results import Configuration, Explanation, Repair

__all__ = ["Engine", "Configuration", "Explanation", "Repair", "Circuit"]
