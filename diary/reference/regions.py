"""Body regions: the fixed vocabulary a pain location is stored in, and the map drawn from it."""

# SNOMED CT: every code below must be reviewed by a terminologist before any clinical export.
# An id is used only where it was found with its display name in at least two independent public
# sources (FHIR value sets, DICOM mappings, published body maps) and passes the Verhoeff check.
# "nearest:" marks a coarser or non-lateral site used because no finer concept could be
# confirmed; "candidate:" names a finer id seen in one source only, for the reviewer to check.

import math
from dataclasses import dataclass
from typing import Literal

View = Literal["front", "back"]
Side = Literal["left", "right", "midline"]
Point = tuple[float, float]

VIEWBOX = "0 0 200 440"
"""Each view is drawn in this box: the figure stands facing the viewer, its centre line at x=100."""


@dataclass(frozen=True)
class Region:
    """One tappable area of the body map, and the code a pain location is stored under."""

    code: str
    label: str
    view: View
    side: Side
    snomed: str
    path: str

    @property
    def in_face_inset(self) -> bool:
        """Whether the region is drawn in the enlarged face beside the body, not on it."""
        return self.code.startswith("trigeminal_")


# --- Geometry -------------------------------------------------------------------------------
# Shapes are polygons for the half of the figure on the viewer's left (x <= 100); the other half
# is their mirror image. Neighbouring shapes reuse the same anchor points, so regions tile the
# body without gaps or overlaps.

_CENTRE = 100.0


def _mirror(points: list[Point], axis: float = _CENTRE) -> list[Point]:
    return [(2 * axis - x, y) for x, y in reversed(points)]


def _arc(cx: float, cy: float, rx: float, ry: float, start: float, end: float) -> list[Point]:
    """Points on an ellipse from angle `start` to `end` (degrees; 90 is straight down)."""
    steps = max(2, math.ceil(abs(end - start) / 12))
    angles = (math.radians(start + (end - start) * i / steps) for i in range(steps + 1))
    return [(cx + rx * math.cos(a), cy + ry * math.sin(a)) for a in angles]


def _angle_at(cy: float, ry: float, y: float) -> float:
    """The angle on the viewer's-left half of an ellipse where it reaches height `y`."""
    return 180 - math.degrees(math.asin((y - cy) / ry))


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _path(points: list[Point]) -> str:
    first, *rest = points
    segments = " ".join(f"L{_number(x)} {_number(y)}" for x, y in rest)
    return f"M{_number(first[0])} {_number(first[1])} {segments} Z"


# Head: an ellipse; the neck meets it where the ellipse is 11 units from the centre line.
_HEAD_OVAL = (100.0, 31.0, 18.5, 22.0)
_JAW = 180 - math.degrees(math.acos(11 / _HEAD_OVAL[2]))
_NECK_TOP = _arc(*_HEAD_OVAL, 90, _JAW)

# Anchors on the viewer's left: neck and shoulder, arm, trunk, leg, then the back's own.
N2, T1, T2, A0, A1, A2 = (87.5, 66), (72, 71), (57, 75), (46, 83), (41, 95), (39.5, 108)
S1, AX, AR = (67, 88), (62, 104), (54, 108)
U1, U2, E1, E2 = (36, 146), (51, 146), (34.5, 166), (50, 166)
F2, F3, W1, W2 = (30, 213), (44, 213), (29, 231), (43, 231)
C0, C1, C2, WA = (62, 120), (62.5, 136), (64.5, 152), (66.5, 166)
IL, HP, TL = (64.5, 184), (58.5, 212), (59, 232)
J, PU, CR, Q, TI = (77, 193.9), (100, 212), (100, 239), (77, 237), (97.5, 245)
K1, K2, K3, K4 = (67, 318), (92, 318), (68, 344), (91, 344)
AN1, AN2, AN3, AN4 = (73, 396), (88.5, 396), (73.5, 414), (88.5, 414)
FL0, FL1, LB0, BF, BL, SC = (62.2, 126), (81, 126), (81, 155), (75, 187), (81, 188.7), (100, 193)

_SHARED: dict[str, list[Point]] = {
    "head": [*_NECK_TOP, *_arc(*_HEAD_OVAL, _JAW, 270)[1:]],
    "neck": [*_NECK_TOP, N2, (100, 70)],
    "shoulder": [T1, T2, A0, A1, A2, AR, AX, S1],
    "upper_arm": [A2, U1, U2, AR],
    "elbow": [U1, E1, E2, U2],
    "forearm": [E1, (32, 192), F2, F3, (47.5, 190), E2],
    "wrist": [F2, W1, W2, F3],
    "hand": [
        W1,
        (25.5, 243),
        (24.5, 257),
        (26.5, 270),
        (32, 278),
        (38.5, 278.5),
        (43, 269),
        (44.5, 255),
        (44.5, 242),
        W2,
    ],
    "thigh": [TL, (61, 262), (64.5, 292), K1, K2, (94.5, 285), TI, Q],
    "knee": [K1, K3, K4, K2],
    "lower_leg": [K3, (66, 362), (68.5, 382), AN1, AN2, (90, 378), (92, 360), K4],
    "ankle": [AN1, AN3, AN4, AN2],
    "foot": [AN3, (69.5, 423), (68.5, 430.5), (72, 435), (91, 435), (93, 429), AN4],
}

_FRONT: dict[str, list[Point]] = {
    "chest": [(100, 70), N2, T1, S1, AX, C0, C1, (100, 136)],
    "upper_abdomen": [(100, 136), C1, C2, WA, (100, 166)],
    "lower_abdomen": [(100, 166), WA, IL, J, PU],
    "hip": [IL, (61.5, 198), HP, TL, Q, J],
    "groin": [J, PU, CR, TI, Q],
}

_BACK: dict[str, list[Point]] = {
    "upper_back": [(100, 70), N2, T1, S1, AX, C0, FL0, FL1, (100, 126)],
    "mid_back": [(100, 126), FL1, LB0, (100, 155)],
    "flank": [FL0, C1, C2, WA, IL, BF, BL, LB0, FL1],
    "lower_back": [(100, 155), LB0, BL, SC],
    "buttock": [SC, BL, BF, Q, TI, CR],
    "hip": [IL, (61.5, 198), HP, TL, Q, BF],
}

# The face close-up sits in the empty space right of the legs on the front view, large enough
# to tap each division; its own centre line is x=170. The boundaries rise towards the temple,
# as on dermatome charts: V1 down to the eye, V2 down to the mouth, V3 the jaw and chin.
FACE_OVAL = (170.0, 354.0, 27.0, 42.0)
_V1_V2 = _angle_at(FACE_OVAL[1], FACE_OVAL[3], 340)
_V2_V3 = _angle_at(FACE_OVAL[1], FACE_OVAL[3], 364)
_EYE_LINE: list[Point] = [(154, 343.5), (170, 346)]
_MOUTH_LINE: list[Point] = [(170, 374), (158, 373)]

_INSET: dict[str, list[Point]] = {
    "v1": [*_arc(*FACE_OVAL, _V1_V2, 270), *reversed(_EYE_LINE)],
    "v2": [*_arc(*FACE_OVAL, _V2_V3, _V1_V2), *_EYE_LINE, *_MOUTH_LINE],
    "v3": [*_arc(*FACE_OVAL, 90, _V2_V3), *reversed(_MOUTH_LINE)],
}


# --- Vocabulary -----------------------------------------------------------------------------
# (part, label with {Side}, SNOMED right, SNOMED left), head to toe. Laterality-specific
# concepts unless a comment says otherwise.

_NECK = "45048000"  # nearest: Neck structure (candidates 170303002 right, 170583000 left)
_HEAD = ("29624005", "64237003")  # Structure of right / left half of head
_SHOULDER = ("91774008", "91775009")  # Structure of right / left shoulder region
_UPPER_ARM = ("368209003", "368208006")  # Right / Left upper arm structure
_ELBOW = ("368149001", "368148009")  # Right / Left elbow region structure
_FOREARM = ("64262003", "66480008")  # Structure of right / left forearm
_WRIST = ("9736006", "5951000")  # Structure of right / left wrist region
# nearest: Structure of right / left hand (candidates: palm 789217004 / 789216008,
# dorsum 789219001 / 789218009)
_HAND = ("78791008", "85151006")
_HIP = ("287579007", "287679003")  # Right / Left hip region structure
_THIGH = ("11207009", "61396006")  # Structure of right / left thigh
_KNEE = ("6757004", "82169009")  # Structure of right / left knee region
_ANKLE = ("6685009", "51636004")  # Structure of right / left ankle

_FRONT_PARTS: list[tuple[str, str, str, str]] = [
    ("head", "{Side} side of the head and face", *_HEAD),
    ("neck", "{Side} side of the neck (front)", _NECK, _NECK),
    ("shoulder", "{Side} shoulder (front)", *_SHOULDER),
    # Structure of right / left half of anterior chest wall
    ("chest", "{Side} side of the chest", "1290342004", "1290343009"),
    # Structure of right / left upper quadrant of abdomen
    ("upper_abdomen", "{Side} upper belly", "50519007", "86367003"),
    # Structure of right / left lower quadrant of abdomen
    ("lower_abdomen", "{Side} lower belly", "48544008", "68505006"),
    ("hip", "{Side} hip (front)", *_HIP),
    ("groin", "{Side} groin", "37117007", "85119005"),  # Right / Left inguinal region structure
    ("upper_arm", "{Side} upper arm (front)", *_UPPER_ARM),
    ("elbow", "{Side} elbow (front)", *_ELBOW),
    ("forearm", "{Side} forearm (front)", *_FOREARM),
    ("wrist", "{Side} wrist (front)", *_WRIST),
    ("hand", "{Side} palm and fingers", *_HAND),
    ("thigh", "{Side} thigh (front)", *_THIGH),
    ("knee", "{Side} knee (front)", *_KNEE),
    # Structure of right / left lower leg (candidates: shin 723591000 / 723590004)
    ("lower_leg", "{Side} shin", "32696007", "48979004"),
    ("ankle", "{Side} ankle (front)", *_ANKLE),
    ("foot", "{Side} top of the foot and toes", "7769000", "22335008"),  # right / left foot
]

_BACK_PARTS: list[tuple[str, str, str, str]] = [
    ("head", "{Side} side of the back of the head", *_HEAD),
    ("neck", "{Side} side of the back of the neck", _NECK, _NECK),
    ("shoulder", "{Side} shoulder (back)", *_SHOULDER),
    # nearest: Right / Left thorax structure (candidates: half of posterior chest wall
    # 788648006 / 788647001, upper back 1303211007 / 1303210008)
    ("upper_back", "{Side} upper back and shoulder blade", "51872008", "40768004"),
    ("mid_back", "{Side} middle of the back", "51872008", "40768004"),  # nearest, as above
    # Structure of right / left lumbar region of back
    ("lower_back", "{Side} lower back", "1017211000", "1017210004"),
    # nearest: Flank structure (candidates 1290340007 right, 1290341006 left)
    ("flank", "{Side} side of the waist (flank)", "58602004", "58602004"),
    ("buttock", "{Side} buttock", "723980000", "723979003"),  # Structure of right / left buttock
    ("hip", "{Side} hip (side and back)", *_HIP),
    ("upper_arm", "{Side} upper arm (back)", *_UPPER_ARM),
    ("elbow", "{Side} elbow (back)", *_ELBOW),
    ("forearm", "{Side} forearm (back)", *_FOREARM),
    ("wrist", "{Side} wrist (back)", *_WRIST),
    ("hand", "{Side} back of the hand", *_HAND),
    ("thigh", "{Side} thigh (back)", *_THIGH),
    # nearest: knee region (candidates: popliteal region 1373283007 / 1373282002)
    ("knee", "{Side} back of the knee", *_KNEE),
    # Structure of calf of right / left lower leg
    ("calf", "{Side} calf", "722116009", "722115008"),
    ("ankle", "{Side} ankle (back)", *_ANKLE),
    ("heel", "{Side} heel", "723607002", "723606006"),  # Structure of right / left heel
]

# nearest: Trigeminal nerve structure; no division- or side-specific concept was confirmed.
_TRIGEMINAL_NERVE = "27612005"
_TRIGEMINAL_PARTS: list[tuple[str, str, str, str]] = [
    ("v1", "{Side} forehead and eye (trigeminal V1)", _TRIGEMINAL_NERVE, _TRIGEMINAL_NERVE),
    ("v2", "{Side} cheek and upper jaw (trigeminal V2)", _TRIGEMINAL_NERVE, _TRIGEMINAL_NERVE),
    ("v3", "{Side} lower jaw and chin (trigeminal V3)", _TRIGEMINAL_NERVE, _TRIGEMINAL_NERVE),
]

# The back view draws the calf and the heel in the outline of the shin and the foot.
_SHAPE_ALIASES = {"calf": "lower_leg", "heel": "foot"}


def _pair(
    prefix: str,
    view: View,
    part: tuple[str, str, str, str],
    viewer_left: list[Point],
    axis: float = _CENTRE,
) -> tuple[Region, Region]:
    """The right and left region of one part, each drawn on its side of the view."""
    name, label, snomed_right, snomed_left = part
    viewer_right = _mirror(viewer_left, axis)
    # Front: the patient's right is on the viewer's left, as in clinical drawings.
    right, left = (viewer_left, viewer_right) if view == "front" else (viewer_right, viewer_left)
    return (
        Region(code=f"{prefix}_{name}_right", label=label.format(Side="Right"), view=view,
               side="right", snomed=snomed_right, path=_path(right)),
        Region(code=f"{prefix}_{name}_left", label=label.format(Side="Left"), view=view,
               side="left", snomed=snomed_left, path=_path(left)),
    )  # fmt: skip


def _build(view: View, parts: list[tuple[str, str, str, str]]) -> tuple[Region, ...]:
    shapes = {**_SHARED, **(_FRONT if view == "front" else _BACK)}
    return tuple(
        region
        for part in parts
        for region in _pair(view, view, part, shapes[_SHAPE_ALIASES.get(part[0], part[0])])
    )


FRONT_REGIONS = _build("front", _FRONT_PARTS)
BACK_REGIONS = _build("back", _BACK_PARTS)
TRIGEMINAL_REGIONS = tuple(
    region
    for part in _TRIGEMINAL_PARTS
    for region in _pair("trigeminal", "front", part, _INSET[part[0]], axis=FACE_OVAL[0])
)

CHOIR_REGIONS: tuple[Region, ...] = FRONT_REGIONS + BACK_REGIONS
"""The 74 regions as fine as the CHOIR body map: 36 on the front, 38 on the back."""

REGIONS: tuple[Region, ...] = CHOIR_REGIONS + TRIGEMINAL_REGIONS
REGIONS_BY_CODE: dict[str, Region] = {region.code: region for region in REGIONS}
