"""The shop: what shoppers see. Views translate HTTP to service calls and back."""

from __future__ import annotations

from flask import Blueprint, render_template

from . import catalogs

bp = Blueprint("shop", __name__)


@bp.get("/")
def product_list():
    """Every product that loaded, with its starting price."""
    loaded = catalogs()
    return render_template("shop/list.html", products=loaded.products, problems=loaded.catalog.problems)
