"""Outlines of the three helmet shells in the two views, in 1600-px canvas coordinates.

Front view: the helmet faces the viewer, centred on x = 800.
Side view: the helmet faces right (the visor is on the right).
Every shell shares the same crown, so the lining, graphics and monogram
positions line up whichever shell is chosen.
"""

from __future__ import annotations

from .paint import mirrored, path

SHELLS = ("open_face", "full_face", "modular")
VIEWS = ("front", "side")

# --- front view ---------------------------------------------------------------------------

_CROWN_FRONT = ((1050, 240), (1235, 400), (1240, 640))

FULL_FACE_FRONT = mirrored(
    path(
        (800, 240),
        _CROWN_FRONT,
        ((1250, 820), (1245, 950), (1215, 1050)),
        ((1185, 1180), (1120, 1310), (1020, 1330)),
        ((960, 1342), (880, 1347), (800, 1347)),
    )
)

MODULAR_FRONT = mirrored(
    path(
        (800, 240),
        _CROWN_FRONT,
        ((1256, 820), (1257, 960), (1230, 1062)),
        ((1198, 1192), (1132, 1322), (1026, 1342)),
        ((962, 1354), (880, 1357), (800, 1357)),
    )
)

EYE_PORT_FRONT = mirrored(
    path(
        (800, 612),
        ((980, 612), (1085, 625), (1125, 655)),
        ((1152, 680), (1160, 760), (1145, 800)),
        ((1125, 855), (1060, 878), (960, 890)),
        ((880, 898), (840, 902), (800, 902)),
    )
)

OPEN_FACE_FRONT = mirrored(
    path(
        (800, 240),
        _CROWN_FRONT,
        ((1252, 800), (1247, 930), (1225, 1010)),
        ((1200, 1110), (1175, 1180), (1130, 1195)),
        ((1080, 1205), (1000, 1206), (800, 1206)),
    )
)

OPENING_FRONT = mirrored(
    path(
        (800, 585),
        ((935, 585), (1020, 600), (1055, 640)),
        ((1085, 680), (1090, 780), (1085, 880)),
        ((1080, 980), (1068, 1100), (1062, 1260)),
        ((1000, 1262), (850, 1262), (800, 1262)),
    )
)

VISOR_FRONT = mirrored(
    path(
        (800, 586),
        ((990, 584), (1160, 598), (1234, 640)),
        ((1244, 700), (1244, 780), (1232, 822)),
        ((1150, 884), (1020, 908), (960, 912)),
        ((880, 920), (840, 920), (800, 920)),
    )
)

# --- side view (facing right) -------------------------------------------------------------

_CROWN_SIDE = ((1048, 262), (1262, 470), (1268, 760))  # a circle of r 500 round (772, 762)

_BACK_SIDE = (
    ((700, 1205), (560, 1262), (450, 1250)),
    ((390, 1242), (345, 1200), (330, 1140)),
    ((300, 1050), (268, 920), (272, 780)),
    ((272, 494), (496, 262), (772, 262)),
)

FULL_FACE_SIDE = path(
    (772, 262),
    _CROWN_SIDE,
    ((1272, 900), (1330, 1010), (1322, 1120)),
    ((1314, 1230), (1277, 1300), (1215, 1318)),
    ((1080, 1345), (950, 1240), (840, 1225)),
    *_BACK_SIDE,
)

MODULAR_SIDE = path(
    (772, 262),
    _CROWN_SIDE,
    ((1274, 900), (1342, 1010), (1334, 1126)),
    ((1326, 1240), (1287, 1312), (1222, 1330)),
    ((1084, 1357), (950, 1245), (840, 1227)),
    *_BACK_SIDE,
)

EYE_PORT_SIDE = path(
    (1010, 640),
    ((1100, 610), (1200, 605), (1330, 612)),
    ((1340, 700), (1340, 800), (1330, 880)),
    ((1180, 885), (1080, 880), (1030, 860)),
    ((990, 840), (985, 680), (1010, 640)),
)

OPEN_FACE_SIDE = path(
    (772, 262),
    ((960, 262), (1140, 352), (1210, 470)),
    ((1240, 530), (1250, 575), (1246, 612)),
    ((1190, 640), (1120, 700), (1105, 800)),
    ((1090, 920), (1110, 1060), (1125, 1150)),
    ((1130, 1190), (1110, 1215), (1060, 1222)),
    ((960, 1232), (900, 1228), (840, 1225)),
    *_BACK_SIDE,
)

VISOR_SIDE = path(
    (985, 598),
    ((1100, 572), (1230, 566), (1300, 586)),
    ((1318, 690), (1318, 800), (1300, 898)),
    ((1180, 908), (1060, 902), (995, 884)),
    ((950, 862), (936, 640), (985, 598)),
)
VISOR_PIVOT_SIDE = (985, 745)

OUTLINES = {
    ("open_face", "front"): (OPEN_FACE_FRONT, [OPENING_FRONT]),
    ("full_face", "front"): (FULL_FACE_FRONT, [EYE_PORT_FRONT]),
    ("modular", "front"): (MODULAR_FRONT, [EYE_PORT_FRONT]),
    ("open_face", "side"): (OPEN_FACE_SIDE, []),
    ("full_face", "side"): (FULL_FACE_SIDE, [EYE_PORT_SIDE]),
    ("modular", "side"): (MODULAR_SIDE, [EYE_PORT_SIDE]),
}

# Where the product sits on the ground: (cx, cy, rx, ry) of the contact shadow.
GROUND = {
    ("open_face", "front"): (800, 1222, 420, 48),
    ("full_face", "front"): (800, 1362, 430, 52),
    ("modular", "front"): (800, 1372, 440, 52),
    ("open_face", "side"): (790, 1262, 480, 50),
    ("full_face", "side"): (800, 1330, 560, 56),
    ("modular", "side"): (805, 1340, 565, 56),
}

# Light lobes on the shell (cx, cy, rx, ry, angle, weight): the brightest one is
# where a gloss finish puts its specular highlight.
HIGHLIGHTS = {
    "front": [(610, 430, 150, 95, 35, 0.12), (560, 800, 40, 150, 0, 0.05)],
    "side": [(640, 420, 190, 100, 28, 0.12), (1160, 560, 60, 120, -35, 0.04)],
}

MONOGRAM = {"front": (800, 500), "side": (560, 930)}
