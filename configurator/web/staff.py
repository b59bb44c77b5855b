"""The staff pages (/staff): sign-in, the order queue, one order, its status changes, the
audit log. Views translate to `services.staff` / `services.fulfillment` and back; every view
says which roles may use it (web/access.py)."""

from __future__ import annotations

import hashlib
from datetime import date

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from limits import parse

from configurator.render.text import FONT_PATH
from configurator.services import fulfillment, orders, saving
from configurator.services import staff as accounts

from . import access, context
from .numbers import ascii_int
from .protect import limited

bp = Blueprint("staff", __name__, url_prefix="/staff")
WORKSHOP = ("fulfillment", "admin")
EVERYONE = ("fulfillment", "merchandiser", "admin")
PER_ACCOUNT = parse("10 per 15 minutes")


@bp.after_request
def private(response: Response) -> Response:
    """Staff pages are never cached, indexed or referred from."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.app_context_processor
def staff_member():
    return {"member": access.member_now} if request.blueprint == "staff" else {}


@bp.get("/")
@access.roles(*EVERYONE)
def home():
    """Each role's own start: merchandisers the catalog, everyone else the orders."""
    if access.member_now().role == "merchandiser":
        return redirect(url_for("staff.catalog_page"))
    return redirect(url_for("staff.queue"))


@bp.route("/sign-in", methods=["GET", "POST"])
@access.anyone
@limited("signin")
def sign_in():
    """E-mail and password; the session is new after it (nothing from before survives)."""
    error = None
    email = ""
    if request.method == "POST":
        email = request.form.get("email", "")[:320]
        limiter = current_app.extensions["limiter"]
        account = hashlib.sha256(email.strip().lower().encode()).hexdigest()
        if not limiter.limiter.hit(PER_ACCOUNT, "signin-account", account):
            error = "Too many attempts for this account: try again in 15 minutes."
        else:
            try:
                token, member = accounts.sign_in(context(), email, request.form.get("password", ""))
            except accounts.SignInRefused as refused:
                error = str(refused)
            else:
                access.sign_in(token, member)
                return redirect(_next(request.args.get("next")), code=303)
    return render_template("staff/sign_in.html", error=error, email=email), (401 if error else 200)


@bp.post("/sign-out")
@access.roles(*EVERYONE)
def sign_out():
    access.sign_out()
    return redirect(url_for("staff.sign_in"), code=303)


@bp.route("/setup/<token>", methods=["GET", "POST"])
@access.anyone
@limited("signin")
def setup(token: str):
    """The one-time set-password link `configurator staff add` prints."""
    email = accounts.setup_email(context(), token)
    if email is None:
        raise saving.NotFound("setup")
    error = None
    if request.method == "POST":
        password = request.form.get("password", "")
        if password != request.form.get("again", ""):
            error = "The two passwords differ."
        else:
            try:
                accounts.set_password(context(), token, password)
            except accounts.StaffError as refused:
                error = str(refused)
            else:
                flash("Your password is set: sign in.")
                return redirect(url_for("staff.sign_in"), code=303)
    return render_template("staff/setup.html", email=email, error=error), (400 if error else 200)


@bp.get("/orders")
@access.roles(*EVERYONE)
def queue():
    """Orders by status, product and date, searchable by number (and name, for the workshop)."""
    args = request.args
    status = args.get("status") if args.get("status") in orders.STATUSES else None
    product = args.get("product") or None
    found = fulfillment.queue(
        context(),
        access.member_now(),
        status=status,
        product=product,
        since=_day(args.get("since")),
        until=_day(args.get("until")),
        search=args.get("q") or None,
        page=_page(args.get("page")),
    )
    products = [(p.id, p.name) for p in context().catalogs.products]
    return render_template(
        "staff/queue.html",
        queue=found,
        statuses=orders.STATUSES,
        products=products,
        args=args,
    )


@bp.get("/orders/<number>")
@access.roles(*EVERYONE)
def order(number: str):
    found = fulfillment.staff_order(context(), number, access.member_now())
    return render_template(
        "staff/order.html",
        order=found,
        verbs=fulfillment.VERBS,
        may_change=access.member_now().role in WORKSHOP,
        errors={},
        values={},
    )


@bp.post("/orders/<number>/status")
@access.roles(*WORKSHOP)
def move(number: str):
    form = request.form
    member = access.member_now()
    try:
        fulfillment.move(
            context(),
            number,
            form.get("to", ""),
            member,
            seen=form.get("seen") or None,
            carrier=form.get("carrier", "")[:100],
            tracking=form.get("tracking", "")[:100],
            reason=form.get("reason", "")[:1000],
        )
    except fulfillment.Refused as refused:
        found = fulfillment.staff_order(context(), number, member)
        page = render_template(
            "staff/order.html",
            order=found,
            verbs=fulfillment.VERBS,
            may_change=True,
            errors=refused.fields,
            values=form,
        )
        return page, 400
    except fulfillment.Stale as stale:
        flash(str(stale))
        return redirect(url_for("staff.order", number=number), code=303)
    return redirect(url_for("staff.order", number=number), code=303)


@bp.get("/orders/<number>/<view>.webp")
@access.roles(*EVERYONE)
def picture(number: str, view: str):
    """A picture stored with the order, as the shopper saw it."""
    return Response(fulfillment.picture(context(), number, view), mimetype="image/webp")


@bp.get("/font.ttf")
@access.roles(*EVERYONE)
def font():
    """The font personalisation is made in, so the page shows the text as it will look."""
    return send_file(FONT_PATH, mimetype="font/ttf", max_age=86400)


@bp.get("/audit")
@access.roles("admin")
def audit_log():
    entries = fulfillment.audit_entries(context(), page=_page(request.args.get("page")))
    return render_template("staff/audit.html", entries=entries)


def _next(target: str | None) -> str:
    """Back to the staff page asked for, never off the site."""
    if target and target.startswith("/staff") and not target.startswith("//"):
        return target
    return url_for("staff.queue")


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _page(text: str | None) -> int:
    return ascii_int(text or "1", most_digits=5) or 1
