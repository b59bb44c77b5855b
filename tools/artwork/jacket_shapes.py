"""Outlines of the three jacket cuts, front and back, in 1600-px canvas coordinates.

The jacket hangs on an invisible mannequin, centred on x = 800. Every cut
shares the neck and shoulders, so collars, lining and patches line up with
any cut.
"""

from __future__ import annotations

from .paint import flip_x, path

CUTS = ("biker", "cafe_racer", "bomber")
VIEWS = ("front", "back")

NECK_LEFT, NECK_RIGHT = (688, 292), (912, 292)


def torso(cut: str, view: str) -> list:
    """The body without sleeves, clockwise from the left neck point."""
    side, hem_x, hem_y, waist = {
        "biker": (505, 512, 1232, 508),
        "cafe_racer": (522, 530, 1262, 540),
        "bomber": (492, 548, 1182, 486),
    }[cut]
    left = path(
        NECK_LEFT,
        ((610, 312), (520, 338), (468, 372)),  # shoulder seam
        ((470, 460), (488, 560), (side, 640)),  # armhole to the armpit
        ((side - 4, 820), (waist, 1000), (hem_x, hem_y)),  # side seam
    )
    if cut == "bomber":
        left += [(hem_x + 4, hem_y)]
    right = [(1600 - x, y) for x, y in reversed(left)]
    neck_back = path(NECK_RIGHT, ((860, 306), (740, 306), NECK_LEFT))[1:-1]
    return left + right + neck_back


def sleeve(cut: str, side: str) -> list:
    """One sleeve as worn on the image's left; side="right" mirrors it."""
    cuff_y, outer_x, inner_x, slim = {
        "biker": (1222, 338, 462, 0),
        "cafe_racer": (1240, 352, 466, 10),
        "bomber": (1150, 332, 468, -8),
    }[cut]
    points = path(
        (470, 372),
        ((430, 400), (404, 470), (392 + slim, 560)),
        ((370 + slim, 760), (350 + slim, 980), (outer_x, cuff_y)),
        ((outer_x + 40, cuff_y + 10), (inner_x - 40, cuff_y + 10), (inner_x, cuff_y)),
        ((470 + slim, 1000), (486, 820), (505, 640)),
        ((490, 560), (472, 460), (470, 372)),
    )
    return points if side == "left" else flip_x(points)


def cuff(cut: str) -> tuple[float, float, float]:
    """(y, outer x, inner x) of the left cuff's bottom edge."""
    return {"biker": (1222, 338, 462), "cafe_racer": (1240, 352, 466), "bomber": (1150, 332, 468)}[
        cut
    ]


# The neck opening seen from the front: the inside of the back shows (lining).
NECK_FRONT = path(
    NECK_LEFT,
    ((700, 360), (740, 430), (800, 452)),
    ((860, 430), (900, 360), NECK_RIGHT),
    ((860, 300), (740, 300), NECK_LEFT),
)

ZIPS = {
    "biker": path(
        (876, 1232), ((872, 1060), (842, 880), (770, 700)), ((730, 600), (712, 520), (708, 470))
    ),
    "cafe_racer": [(800, 420), (800, 1262)],
    "bomber": [(800, 430), (800, 1182)],
}

# Light lobes on the leather (cx, cy, rx, ry, angle, weight) per view.
HIGHLIGHTS = {
    "front": [
        (600, 420, 110, 60, 20, 0.10),
        (1000, 420, 110, 60, -20, 0.05),
        (640, 700, 90, 160, 10, 0.08),
        (400, 700, 30, 200, 8, 0.10),
    ],
    "back": [
        (620, 430, 120, 60, 20, 0.10),
        (700, 800, 120, 200, 0, 0.06),
        (1210, 700, 30, 200, -8, 0.06),
    ],
}

PATCH_CENTRE = (800, 820)
