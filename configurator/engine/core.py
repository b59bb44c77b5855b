"""The engine: one compiled product answering what a shopper may choose next.

Glossary
--------
selections  what the shopper chose, {attribute id: option id or typed text}, oldest first.
values      selections translated to domain values (text becomes FILLED), unusable
            ones set aside as SelectionProblems.
assumption  a literal passed to the solver for one call only; the catalog's clauses
            are loaded once, selections are assumptions, so every call reuses the
            solver's learnt clauses.
valid domain for each attribute, the values that extend to a valid complete design
            keeping the selections on the other attributes (exact, not heuristic).
"""

from __future__ import annotations

import random
import re
import threading
import time
from decimal import Decimal

from pysat.solvers import Solver

from configurator import pricing
from configurator.catalog.model import FILLED, NONE, Product

from . import circuit as circuits
from . import domains, lean
from . import explain as explaining
from . import repair as repairing
from .cheapest import cheapest
from .encoding import Encoding, encode
from .flips import Neighbourhood
from .results import Configuration, Explanation, Repair, SelectionProblem
from .witnesses import Witnesses

SOLVER = "m22"
# Learnt clauses pile up across queries with different selections. Where calls are
# easy (few conflicts each) they are dead weight that slows every propagation: on
# catalog (b) a plain call gets 4x slower after a few hundred clicks, and rebuilding
# the solver makes domains 3-10% faster (100 builds' worth of queries between builds
# measured 3% better than 20). Where calls are hard they are what makes the
# next query fast: rebuilding doubles the (c) and (d) times. So the main solver is
# rebuilt only when its calls average fewer than REBUILD_CONFLICTS conflicts, once the
# time spent on queries since the last build reaches REBUILD_AFTER times the build.
REBUILD_AFTER = 100
REBUILD_CONFLICTS = 5
# The d-DNNF shortcut: tried for catalogs with at least this many values, given this
# long in a child process, and not tried at all on CNFs this large (they never finish).
CIRCUIT_MIN_VALUES = 200
CIRCUIT_TIMEOUT_S = 10.0
CIRCUIT_MAX_CLAUSES = 200_000


class Engine:
    """Compile once per catalog version; every method is safe to call from several threads."""

    def __init__(self, product: Product, *, circuit: bool | None = None):
        """`circuit`: also compile a d-DNNF in the background (None: when the catalog is
        large enough for it to matter)."""
        self.product = product
        self.encoding: Encoding = encode(product)
        self._clauses, self._top = lean.solving_clauses(self.encoding)
        self._build_solver()
        self.neighbourhood = Neighbourhood(self.encoding)
        self._from_price: Decimal | None = None
        self.witnesses = Witnesses(len(self.neighbourhood.slots))
        self.circuit: circuits.Circuit | None = None
        self.compiling: circuits.Background | None = None
        if circuit is None:
            circuit = len(self.encoding.lits) >= CIRCUIT_MIN_VALUES
        if circuit and circuits.available():
            exact = self.exact_clauses()
            if len(exact) <= CIRCUIT_MAX_CLAUSES:
                self.compiling = circuits.Background(
                    exact, self.encoding.top, CIRCUIT_TIMEOUT_S, self._install_circuit
                )
        self.lock = threading.RLock()
        self._explainer: explaining.Explainer | None = None
        self._patterns = {
            a.id: re.compile(a.pattern)
            for a in product.attributes
            if a.kind == "text" and a.pattern
        }

    def _install_circuit(self, circuit: circuits.Circuit | None) -> None:
        self.circuit = circuit

    def wait_for_circuit(self, timeout: float | None = None) -> bool:
        """Block until the background compile has succeeded or given up; True if there is a circuit."""
        if self.compiling is not None:
            self.compiling.ready.wait(timeout)
        return self.circuit is not None

    def hard_clauses(self) -> list[list[int]]:
        """What the engine's solver runs on: the same designs as `exact_clauses`, with
        small tables as rows (`lean`); variables up to `self._top`."""
        return list(self._clauses)

    def exact_clauses(self) -> list[list[int]]:
        """The encoding with every auxiliary variable defined (for compiling and counting);
        variables up to `encoding.top`."""
        clauses = list(self.encoding.structure)
        for group in self.encoding.groups:
            clauses.extend(list(c) for c in group.clauses)
        return clauses

    @property
    def explainer(self) -> explaining.Explainer:
        if self._explainer is None:
            self._explainer = explaining.Explainer(self.encoding)
        return self._explainer

    def lit(self, attribute: str, value: str) -> int:
        return self.encoding.lits[(attribute, value)]

    # -- selections ---------------------------------------------------------

    def normalise(
        self, selections: dict[str, str]
    ) -> tuple[dict[str, str], list[SelectionProblem]]:
        """Map selections to domain values; report (never raise) what cannot be used."""
        values: dict[str, str] = {}
        problems: list[SelectionProblem] = []
        for attr_id, raw in selections.items():
            attr = self.product.attribute(attr_id)
            raw = "" if raw is None else str(raw)
            if attr is None:
                problems.append(
                    SelectionProblem(attr_id, raw, f"There is no choice called “{attr_id}”.")
                )
                continue
            if attr.kind == "text":
                message = self.text_problem(attr_id, raw)
                if message:
                    problems.append(SelectionProblem(attr_id, raw, message))
                elif raw:
                    values[attr_id] = FILLED
                continue
            if raw == "":
                continue
            if (attr_id, raw) not in self.encoding.lits:
                problems.append(
                    SelectionProblem(attr_id, raw, f"{attr.label} has no option “{raw[:60]}”.")
                )
                continue
            values[attr_id] = raw
        return values, problems

    def text_problem(self, attr_id: str, text: str) -> str | None:
        """Why this text cannot be used for the text attribute, or None."""
        attr = self.product.attribute(attr_id)
        if attr is None or not text:
            return None
        if len(text) > attr.max_length:
            return f"{attr.label} takes at most {attr.max_length} characters; this has {len(text)}."
        pattern = self._patterns.get(attr_id)
        if pattern is not None and not pattern.fullmatch(text):
            return f"{attr.label} cannot contain “{text}”: {attr.description or 'see the allowed characters'}."
        return None

    def assumptions(self, values: dict[str, str], *, without: str | None = None) -> list[int]:
        return [self.encoding.lits[(a, v)] for a, v in values.items() if a != without]

    # -- the answers -----------------------------------------------------------

    def consistent(self, values: dict[str, str]) -> bool:
        with self.lock:
            return self.solver.solve(assumptions=self.assumptions(values))

    def configure(self, selections: dict[str, str], *, alternatives: bool = True) -> Configuration:
        """Everything the shop needs after one click: domains, conflict and repair, completeness, total."""
        values, problems = self.normalise(selections)
        with self.lock:
            conflict = repair = None
            effective = values
            found = self._domains(values, strict=False)
            if found is None:
                conflict = self.explainer.explain(values, None, None)
                options = repairing.repairs(self, values, None, limit=1)
                repair = options[0] if options else None
                dropped = set(repair.dropped) if repair else set(values)
                effective = {a: v for a, v in values.items() if a not in dropped}
                found = self._domains(effective)
            valid = domains.as_dict(self, effective, found)
            switch = domains.alternatives(self, effective, found.switchable) if alternatives else {}
            design = self._as_is(effective, valid)
        kept_selections = {a: selections[a] for a in effective}
        return Configuration(
            selections=kept_selections,
            effective=effective,
            domains=valid,
            alternatives=switch,
            consistent=conflict is None and not problems,
            complete=design is not None and conflict is None,
            conflict=conflict,
            repair=repair,
            problems=tuple(problems),
            total=pricing.total(
                self.product, design if design is not None else _with_forced(effective, valid)
            ),
        )

    def _as_is(
        self, values: dict[str, str], valid: dict[str, dict[str, bool]]
    ) -> dict[str, str] | None:
        """The design as it stands (unselected = forced value or empty), or None if not yet complete."""
        design = dict(values)
        guessed = False
        for attr_id, options in valid.items():
            if attr_id in design:
                continue
            possible = [v for v, ok in options.items() if ok]
            if len(possible) == 1:
                design[attr_id] = possible[0]
            elif options.get(NONE):
                design[attr_id] = NONE
                guessed = True
            else:
                return None
        if not guessed:  # every value forced: exact domains make the design valid
            return design
        return design if self.solver.solve(assumptions=self.assumptions(design)) else None

    def valid_domains(self, values: dict[str, str]) -> dict[str, dict[str, bool]]:
        """Exact valid domains keeping every selection; `values` must be consistent."""
        with self.lock:
            return domains.as_dict(self, values, self._domains(values))

    def _domains(self, values: dict[str, str], strict: bool = True) -> domains.Domains | None:
        """Valid domains; for conflicting selections None, or with `strict` an error."""
        if self._next_var > 2 * self._top + 500:  # one temporary variable per query
            self._rebuild()
        elif self._busy_s > REBUILD_AFTER * self._build_s:
            conflicts = self.solver.accum_stats().get("conflicts", 0)
            if conflicts < REBUILD_CONFLICTS * self._solves:
                self._rebuild()
            else:
                self._busy_s = 0.0  # look again later: the clicks may change
        start = time.perf_counter()
        found = domains.valid_domains(self, values)
        self._busy_s += time.perf_counter() - start
        self._solves += found.solves if found is not None else 1
        if found is None and strict:
            raise ValueError("valid_domains needs consistent selections; use configure()")
        return found

    def alternatives(self, values: dict[str, str]) -> dict[str, dict[str, bool]]:
        """For selected attributes, the values they could switch to keeping the other selections."""
        with self.lock:
            return domains.alternatives(self, values)

    def fresh_var(self) -> int:
        """A new variable for a temporary clause in the main solver."""
        self._next_var += 1
        return self._next_var

    def _rebuild(self) -> None:
        """Start a clean solver: no learnt clauses, no temporary variables."""
        self.solver.delete()
        self._build_solver()

    def _build_solver(self) -> None:
        start = time.perf_counter()
        self.solver = Solver(name=SOLVER, bootstrap_with=self.hard_clauses())
        self._build_s = time.perf_counter() - start
        self._busy_s = 0.0
        self._solves = 0
        self._next_var = self._top

    def from_price(self) -> Decimal:
        """The total of the cheapest valid design (computed once; the base price if none)."""
        if self._from_price is None:
            with self.lock:
                found = cheapest(self)
            self._from_price = found[0] if found else self.product.base_price
        return self._from_price

    def explainer_text(self, values: dict[str, str]) -> str:
        """Why these (normalised) selections cannot go together, in the rules' words."""
        with self.lock:
            conflict = self.explainer.explain(values, None, None)
        return conflict.text if conflict else ""

    def explain(self, selections: dict[str, str], attribute: str, value: str) -> Explanation | None:
        """Why attribute=value is unavailable (None when it is available)."""
        values, _ = self.normalise(selections)
        with self.lock:
            return self.explainer.explain(values, attribute, value)

    def repairs(
        self, selections: dict[str, str], attribute: str, value: str, limit: int = 3
    ) -> list[Repair]:
        """Smallest sets of other selections to change so that attribute=value becomes possible."""
        values, _ = self.normalise(selections)
        with self.lock:
            return repairing.repairs(self, values, (attribute, value), limit=limit)

    def complete(self, selections: dict[str, str]) -> dict[str, str]:
        """Fill every unselected attribute: its default where possible, else the first valid option.

        Returns domain values (NONE for empty); typed texts are kept as typed, and a text
        the design needs but nobody typed yet comes back as FILLED.
        Deterministic: the same selections give the same completion.
        """
        values, _ = self.normalise(selections)
        typed = {a: selections[a] for a, v in values.items() if v == FILLED}  # accepted texts only
        with self.lock:
            if not self.solver.solve(assumptions=self.assumptions(values)):
                options = repairing.repairs(self, values, None, limit=1)
                dropped = set(options[0].dropped) if options else set(values)
                values = {a: v for a, v in values.items() if a not in dropped}
            keep = self.assumptions(values)
            # defaults first (greedy, in attribute order), then leave optional ones empty
            for pick in (lambda a: a.default, lambda a: NONE):
                for attr in self.product.attributes:
                    preferred = pick(attr)
                    if attr.id in values or (attr.id, preferred) not in self.encoding.lits:
                        continue
                    lit = self.lit(attr.id, preferred)
                    if self.solver.solve(assumptions=keep + [lit]):
                        keep.append(lit)
                        values[attr.id] = preferred
            for attr in self.product.attributes:
                if attr.id not in values:
                    chosen = self._first_available(keep, attr.id)
                    keep.append(self.lit(attr.id, chosen))
                    values[attr.id] = chosen
        return self._with_texts(values, typed)

    def _first_available(self, keep: list[int], attr_id: str) -> str:
        self.solver.solve(assumptions=keep)
        model_value = self.value_in(self.solver.get_model(), attr_id)
        for value in self.encoding.domains[attr_id]:
            if value == model_value or self.solver.solve(
                assumptions=keep + [self.lit(attr_id, value)]
            ):
                return value
        return model_value

    def value_in(self, model: list[int], attr_id: str) -> str:
        for value in self.encoding.domains[attr_id]:
            lit = self.lit(attr_id, value)
            if model[abs(lit) - 1] == lit:
                return value
        raise AssertionError("a model assigns every attribute")

    def _with_texts(self, values: dict[str, str], selections: dict[str, str]) -> dict[str, str]:
        out = {}
        for attr in self.product.attributes:
            value = values.get(attr.id)
            if attr.kind == "text":
                # FILLED without typed text means: this design needs the shopper's text
                out[attr.id] = (selections.get(attr.id) or FILLED) if value == FILLED else NONE
            elif value is not None:
                out[attr.id] = value
        return out

    def random_design(
        self, seed: int | None = None, selections: dict[str, str] | None = None
    ) -> dict[str, str]:
        """A random valid complete design keeping `selections` (Surprise me)."""
        rng = random.Random(seed)
        values, _ = self.normalise(selections or {})
        with self.lock:
            keep = self.assumptions(values)
            if not self.solver.solve(assumptions=keep):
                keep, values = [], {}
            attributes = list(self.product.attributes)
            rng.shuffle(attributes)
            for attr in attributes:
                if attr.id in values:
                    continue
                choices = list(self.encoding.domains[attr.id])
                rng.shuffle(choices)
                for value in choices:
                    lit = self.lit(attr.id, value)
                    if self.solver.solve(assumptions=keep + [lit]):
                        keep.append(lit)
                        values[attr.id] = value
                        break
        return self._with_texts(values, selections or {})


def _with_forced(values: dict[str, str], valid: dict[str, dict[str, bool]]) -> dict[str, str]:
    """The selections plus every value the selections force: what the price already includes."""
    design = dict(values)
    for attr_id, options in valid.items():
        possible = [v for v, ok in options.items() if ok]
        if attr_id not in design and len(possible) == 1:
            design[attr_id] = possible[0]
    return design
