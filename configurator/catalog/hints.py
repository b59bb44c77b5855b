"""What to do about a YAML parser's raw message: merchandisers read "while scanning an alias",
not YAML's grammar, so the likely cause in a catalog file is said in plain words."""

from __future__ import annotations

QUOTE_STAR = 'an unquoted * starts a YAML alias: write "*" in quotes for any value'
QUOTE_COLON = (
    "a ': ' inside unquoted text starts a new key: put the text in quotes, "
    'like name: "Helmet: carbon"; or check the indentation of this line'
)
INDENT = "check the indentation: keys of one mapping start in the same column"
TABS = "indent with spaces, not tabs"
QUOTE_START = 'text starting with {char} must be in quotes, like label: "{char}..."'
QUOTE_FLOW = (
    "inside [ ] or { }, quote a value that holds , : [ ] { } "
    '(like label: "Red, matt" or image: "art/{size}.png"), or close the bracket opened here'
)
QUOTE_DASH = "a '- ' here starts a list item: put text starting with '-' in quotes"
UNCLOSED_QUOTE = "a quote opened here is not closed: add the closing {quote}"

BLOCK_KEY = (
    "check the indentation of this line and of the one above; "
    "a quote left open further up also ends up here"
)
RESERVED_START = "@`%"  # YAML reserves these at the start of a plain value


def yaml_hint(problem: str, text: str, line: int, column: int) -> str:
    """A hint for the parser's `problem` at 0-based (line, column) of `text`, or ''."""
    lines = text.splitlines()
    written = lines[line] if 0 <= line < len(lines) else ""
    at = written[column : column + 1]
    if "while scanning an alias" in problem:
        return QUOTE_STAR
    if "tab character" in problem or at == "\t" or "'\\t'" in problem:
        return TABS
    if "while scanning an anchor" in problem:
        return QUOTE_START.format(char="&")
    if "cannot start any token" in problem and at and at in RESERVED_START:
        return QUOTE_START.format(char=at)
    if "mapping values are not allowed" in problem:
        return QUOTE_COLON if _value_holds_colon(written) else INDENT
    if "while parsing a flow" in problem:
        return QUOTE_FLOW
    if "block sequence entries are not allowed" in problem:
        return QUOTE_DASH
    if "while scanning a quoted scalar" in problem:
        quote = at if at in "'\"" else '"'
        return UNCLOSED_QUOTE.format(quote=quote)
    if "while parsing a block mapping" in problem and "expected key" in problem:
        return BLOCK_KEY
    return ""


def _value_holds_colon(written: str) -> bool:
    """Whether a `key: value` line's value holds another ': ' (text that needs quotes)."""
    _, separator, value = written.partition(": ")
    return bool(separator) and (": " in value or value.rstrip().endswith(":"))
