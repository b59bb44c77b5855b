"""The catalog: YAML product files loaded into frozen dataclasses, every problem with file:line:column.

    load_catalog(folder) -> Catalog       every product that loaded, every problem; never raises
    load_product(path) -> Product         one file; raises CatalogError with every problem
    read_product(path) -> (Product | None, problems)   one file, warnings included
    read_preferences(path) -> (questions, problems)     a preferences file, against its folder's products
    read_questions(path, products) -> (questions, problems)   the same, against the products given

Pure: no Flask, no SQLAlchemy, no I/O beyond reading the catalog files (see README.md).
"""

from .loader import CatalogError, load_catalog, load_product, read_preferences, read_product
from .model import Catalog, CatalogProblem, Product, Question, Source
from .preferences import read_questions

__all__ = [
    "Catalog",
    "CatalogError",
    "CatalogProblem",
    "Product",
    "Question",
    "Source",
    "load_catalog",
    "load_product",
    "read_preferences",
    "read_product",
    "read_questions",
]
