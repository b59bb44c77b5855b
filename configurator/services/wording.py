"""Every sentence a shopper reads about a design, made from structured engine answers in one
place, so the shop and the API say the same thing and it can be translated later."""

from __future__ import annotations

from configurator.catalog.model import FILLED, NONE, Product, Rule


def label_of(product: Product, attribute: str, value: str) -> str:
    """A value as the shopper reads it: 'Shell type: Open face'."""
    attr = product.attribute(attribute)
    if attr is None:
        return f"{attribute}: {value}"
    if value == NONE:
        return f"{attr.label}: {none_label(attr)}"
    if value == FILLED:
        return f"{attr.label}: your text"
    option = attr.option(value)
    return f"{attr.label}: {option.label if option else value}"


def option_label(product: Product, attribute: str, value: str | None) -> str:
    """An option's own label ('Open face'); 'text' for a typed text, 'none' for empty."""
    attr = product.attribute(attribute)
    option = attr.option(value) if attr is not None and value is not None else None
    if option is not None:
        return option.label
    if value == NONE and attr is not None:
        return none_label(attr)
    return "text" if value not in (None, NONE) else "none"


def none_label(attr) -> str:
    """The optional attribute's "none of these" choice: the catalog's words, else 'No graphics'."""
    return attr.none_label or f"No {attr.label.lower()}"


def explanation(
    product: Product,
    attribute: str | None,
    value: str | None,
    selections: tuple[tuple[str, str], ...],
    rules: tuple[Rule, ...],
) -> str:
    """Why an option is unavailable (or, attribute None, why the choices clash): the rules'
    own messages first, then what the shopper chose that triggers them."""
    messages = " ".join(_sentence(r.message) for r in rules)
    if selections:
        chosen = ", ".join(label_of(product, a, v) for a, v in selections)
        return f"{messages} You chose {chosen}.".strip()
    if attribute is not None and not rules:
        return f"{label_of(product, attribute, value)} cannot be combined with the other choices."
    if attribute is not None:
        return f"{messages} {label_of(product, attribute, value)} is never available.".strip()
    return messages


def repair(
    product: Product,
    wanted: tuple[str, str] | None,
    changes: tuple[tuple[str, str | None, str | None], ...],
    *,
    clash: bool = False,
) -> str:
    """'To get Finish: Gloss, change Shell colour from Chrome to Signal yellow.'; for a
    clash repaired around the newest choice: 'To keep Visor: Clear, change …'."""
    parts = []
    for attr_id, old, new in changes:
        attr = product.attribute(attr_id)
        label = attr.label if attr is not None else attr_id
        old_label = option_label(product, attr_id, old)
        if new is None:
            parts.append(f"clear {label} ({old_label})")
        else:
            parts.append(
                f"change {label} from {old_label} to {option_label(product, attr_id, new)}"
            )
    action = _join(parts) or "nothing else needs to change"
    if wanted is None:
        text = f"To make your choices fit together, {action}."
    elif clash:
        text = f"To keep {label_of(product, *wanted)}, {action}."
    else:
        text = f"To get {label_of(product, *wanted)}, {action}."
    return text[0].upper() + text[1:]


def unknown_attribute(attribute_id: str) -> str:
    return f"There is no choice called “{attribute_id[:60]}”."


def no_longer_offered(option_label: str, attribute_label: str) -> str:
    return f"{option_label} is no longer offered for {attribute_label}."


def unknown_option(label: str, option_id: str) -> str:
    return f"{label} has no option “{option_id[:60]}”."


def too_long(label: str, max_length: int) -> str:
    return f"{label} takes at most {max_length} characters."


def not_allowed_characters(label: str) -> str:
    return f"{label} contains characters that are not allowed."


def problem(label: str, messages: list[str]) -> str:
    """A selection from a link that could not be used, for the list above the options."""
    return f"{label}: {' '.join(messages)}"


def no_view(product: Product, view: str) -> str:
    return f"{product.name} has no view “{view[:40]}”; views: {', '.join(product.views)}."


def _sentence(message: str) -> str:
    message = message.strip()
    return message if message.endswith((".", "!", "?")) else message + "."


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def told_on(moment) -> str:
    """A date as the shop says it: 2 December 2026."""
    return f"{moment.day} {moment:%B %Y}"


def preselected(question: str, answer: str, moment) -> str:
    return f"Pre-selected because you told us on {told_on(moment)}: “{question}” {answer}."


def not_preselected(question: str, answer: str, moment, why: str) -> str:
    return (
        f"Not pre-selected, although you told us on {told_on(moment)}: “{question}” {answer}. {why}"
    )


def wish_honoured(option_label: str, answer: str, question: str, moment) -> str:
    return (
        f"{option_label}: you told us on {told_on(moment)} that you like {answer} (“{question}”)."
    )


def wish_not_honoured(answer: str, moment, why: str) -> str:
    return f"Not {answer}, although you told us on {told_on(moment)} that you like it: {why}"


def offered(question: str, answer: str, moment) -> str:
    return f"You told us on {told_on(moment)}: “{question}” {answer}."
